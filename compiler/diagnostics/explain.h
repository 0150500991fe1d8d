// `polc explain E0200`: finds the documentation page docs/errors/<CODE>.md of a diagnostic code
// and returns its Markdown text. Stateless: every call reads the file afresh; the returned string
// is owned by the caller.
#pragma once

#include <optional>
#include <string>
#include <string_view>

// Where the docs/ folder is; CMake sets it to the source tree's docs/ for pol_diag and its users.
#ifndef POL_DOCS_DIR
#define POL_DOCS_DIR "docs"
#endif

namespace pol {

// "E0200", "e0200" or " E0200 " -> "E0200"; an empty string if `code` is not a letter followed by
// four digits (so no path can be smuggled into the file name).
std::string normalize_code(std::string_view code);

// The text of <docs_dir>/errors/<CODE>.md, or nullopt if `code` is malformed or the page does not
// exist or cannot be read. Works for any well-formed code that has a page, registered or not.
std::optional<std::string> explain_page(std::string_view code, std::string_view docs_dir = POL_DOCS_DIR);

}  // namespace pol
