// Text for HTML pages (the diff page, the report, the letters): one escaping for text and
// attribute values, so every page is safe the same way.
#pragma once

#include <string>
#include <string_view>

namespace pol {

// Escaped for HTML text and attribute values; bad UTF-8 bytes become U+FFFD, control characters
// (other than tab and newline) a space.
std::string html_escape(std::string_view raw);

}  // namespace pol
