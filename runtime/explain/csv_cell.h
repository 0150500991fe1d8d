// One CSV cell (RFC 4180) appended to a line: quoted when it holds a comma, quote or line
// break. Shared by every writer of CSV (decisions, ledger exports); no allocation.
#pragma once

#include <string>
#include <string_view>

namespace pol {

void append_csv_cell(std::string_view cell, std::string& out);

}  // namespace pol
