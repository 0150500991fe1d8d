// `polc explain E0200`: finds the documentation page <CODE>.md of a diagnostic code (docs/errors/
// in the sources, share/pol/errors when installed; the caller says which folder, see
// compiler/driver/data_dirs.h) and returns its Markdown text. Stateless: every call reads the file
// afresh; the returned string is owned by the caller.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pol {

// "E0200", "e0200" or " E0200 " -> "E0200"; an empty string if `code` is not a letter followed by
// four digits (so no path can be smuggled into the file name).
std::string normalize_code(std::string_view code);

// The text of <errors_dir>/<CODE>.md, or nullopt if `code` is malformed or the page does not
// exist or cannot be read. Works for any well-formed code that has a page, registered or not.
std::optional<std::string> explain_page(std::string_view code, std::string_view errors_dir);

}  // namespace pol
