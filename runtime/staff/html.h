// The pieces the staff pages share (the director's report and the decision letters): HTML
// escaping of every text that goes into a page, an inline SVG bar chart that scales to the page
// width, and amounts in words. Pages carry no script and load nothing from outside.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pol::staff {

// Escaped for HTML text and attribute values; bad UTF-8 bytes become U+FFFD, control characters
// (other than tab and newline) a space.
std::string esc(std::string_view raw);

// At most `max_width` display columns (a Chinese character is two), "…" when shortened.
std::string shorten(std::string_view s, size_t max_width);

struct Bar {
  std::string key;    // data-key of the bar's group
  std::string label;  // shown at the left (shortened when long; whole in the tooltip)
  int64_t value = 0;  // the bar's length, in any unit (fen, a count); never negative
  std::string shown;  // the value as shown at the right: "6,000,000.00 元", "3 件"
};

// Horizontal bars, one row each, scaled to the largest value by integer arithmetic. The SVG is
// 100% wide (at most 760 px), so it never makes the page wider than the window.
void bar_chart(std::string& out, const char* id, const char* bar_class, const std::string& caption,
               const std::vector<Bar>& bars);

// "6,000,000.00 元", escaped.
std::string money_html(int64_t fen);

}  // namespace pol::staff
