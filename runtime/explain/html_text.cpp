#include "runtime/explain/html_text.h"

#include "compiler/diagnostics/source.h"

namespace pol {

std::string html_escape(std::string_view raw) {
  std::string scratch;
  std::string_view s = valid_utf8(raw, scratch);
  std::string out;
  out.reserve(s.size());
  for (char c : s) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\t': case '\n': out += c; break;
      default: out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c;
    }
  return out;
}

}  // namespace pol
