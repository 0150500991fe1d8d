// `polc run --format xlsx`: the decisions as an Excel workbook for programme staff — a sheet of
// decisions (one row per application, in input order: id, applicant, item, the result in Chinese,
// the award as a money number, why it failed or which caps cut it, the clauses it rests on) and
// a summary sheet (totals per item, status and year; caps that bound; reasons for nothing
// granted). Written with libxlsxwriter in constant-memory mode, so a large batch streams through.
#pragma once

#include <string>

#include "runtime/staff/decisions.h"

namespace pol::staff {

// Writes the n decisions to the workbook `path` (a zip archive: a file, never a stream).
// input_errors: whether any decision was an input error. false with `error` (in `lang`) when the
// workbook could not be written. The sheets themselves are Chinese: they are for programme staff.
bool write_decisions_xlsx(const std::string& path, size_t n, const DecisionAt& at, bool& input_errors,
                          std::string& error, Lang lang);

}  // namespace pol::staff
