#include "runtime/staff/html.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/diagnostics/source.h"
#include "runtime/explain/html_text.h"
#include "values/fixed.h"

namespace pol::staff {

std::string esc(std::string_view raw) { return html_escape(raw); }

std::string shorten(std::string_view s, size_t max_width) {
  size_t width = 0, i = 0, cut = std::string_view::npos;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    size_t w = c < 0x80 ? 1 : 2;
    if (width + w > max_width - 1 && cut == std::string_view::npos) cut = i;  // room for "…"
    width += w;
    i += len;
  }
  if (width <= max_width) return std::string(s);
  return std::string(utf8_prefix(s, cut)) + "…";
}

std::string money_html(int64_t fen) { return esc(money_str(fen)); }

void bar_chart(std::string& out, const char* id, const char* bar_class, const std::string& caption,
               const std::vector<Bar>& bars) {
  constexpr int kWidth = 760, kLabel = 230, kValue = 170, kRow = 26, kBar = 16, kTop = 6;
  constexpr int kSpan = kWidth - kLabel - kValue - 10;
  int64_t max = 1;
  for (const auto& b : bars) max = std::max(max, b.value);
  int height = kTop * 2 + static_cast<int>(bars.size()) * kRow;
  out += fmt::format("<figure class=\"chart\"><figcaption>{}</figcaption>\n", esc(caption));
  out += fmt::format("<svg id=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"100%\" "
                     "style=\"max-width:{}px\" role=\"img\" aria-label=\"{}\">\n",
                     id, kWidth, height, kWidth, esc(caption));
  int y = kTop;
  for (const auto& b : bars) {
    // Integer scaling: a bar is never computed through floating point, like the money it shows.
    int len = static_cast<int>(static_cast<__int128>(std::max<int64_t>(0, b.value)) * kSpan / max);
    if (b.value > 0 && len == 0) len = 1;  // a small value stays visible
    out += fmt::format("<g class=\"{}\" data-key=\"{}\"><title>{}：{}</title>", bar_class, esc(b.key), esc(b.label),
                       esc(b.shown));
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", kLabel - 6, y + kBar - 3,
                       esc(shorten(b.label, 30)));
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", kLabel, y, len, kBar);
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text></g>\n", kLabel + len + 6, y + kBar - 3, esc(b.shown));
    y += kRow;
  }
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#666\"/>\n</svg></figure>\n", kLabel,
                     kTop - 2, kLabel, height - kTop + 2);
}

}  // namespace pol::staff
