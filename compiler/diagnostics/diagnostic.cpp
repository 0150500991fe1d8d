// Code registry lookups, the Diagnostics collector and rendering; see diagnostic.h.
#include "compiler/diagnostics/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace pol {

namespace {

struct CodeInfo {
  const char* name;
  Level level;
  const char* summary;
  const char* summary_zh;
};

constexpr CodeInfo kCodes[] = {
#define POL_DIAG(CODE, LEVEL, SUMMARY, SUMMARY_ZH) {#CODE, Level::LEVEL, SUMMARY, SUMMARY_ZH},
#include "compiler/diagnostics/codes.def"
#undef POL_DIAG
};

const CodeInfo& info(DiagCode code) {
  const auto i = static_cast<size_t>(code);
  return i < std::size(kCodes) ? kCodes[i] : kCodes[0];
}

}  // namespace

const char* level_name(Level level) {
  switch (level) {
    case Level::Error: return "error";
    case Level::Warning: return "warning";
    case Level::Note: return "note";
  }
  return "error";
}

const char* level_name(Level level, Lang lang) {
  if (lang == Lang::En) return level_name(level);
  switch (level) {
    case Level::Error: return "错误";
    case Level::Warning: return "警告";
    case Level::Note: return "注";
  }
  return "错误";
}

std::string text_in(const std::string& english, const Msg& m, Lang lang) {
  return lang == Lang::En || m.id == MsgId::None ? english : render_msg(m, lang);
}

const char* code_name(DiagCode code) { return info(code).name; }
Level code_level(DiagCode code) { return info(code).level; }
const char* code_summary(DiagCode code) { return info(code).summary; }
const char* code_summary(DiagCode code, Lang lang) {
  return lang == Lang::Zh ? info(code).summary_zh : info(code).summary;
}

std::optional<DiagCode> code_from_name(std::string_view name) {
  for (size_t i = 0; i < std::size(kCodes); ++i) {
    const std::string_view candidate = kCodes[i].name;
    if (candidate.size() != name.size()) continue;
    bool same = true;
    for (size_t k = 0; k < name.size() && same; ++k) {
      same = std::toupper(static_cast<unsigned char>(name[k])) == candidate[k];
    }
    if (same) return static_cast<DiagCode>(i);
  }
  return std::nullopt;
}

// ---- Diagnostics ----

Diagnostic& Diagnostics::report_verbatim(DiagCode code, Span primary, std::string message) {
  Diagnostic d;
  d.code = code;
  d.primary = primary;
  d.message = std::move(message);
  list_.push_back(std::move(d));
  return list_.back();
}

Diagnostic& Diagnostics::report(DiagCode code, Span primary, Msg message) {
  Diagnostic& d = report_verbatim(code, primary, render_msg(message, Lang::En));
  d.message_msg = std::move(message);
  return d;
}

Diagnostic& Diagnostics::add(Diagnostic d) {
  list_.push_back(std::move(d));
  return list_.back();
}

void Diagnostics::append(const Diagnostics& other) {
  list_.insert(list_.end(), other.list_.begin(), other.list_.end());
}

size_t Diagnostics::error_count() const {
  return static_cast<size_t>(std::count_if(list_.begin(), list_.end(),
                                           [](const Diagnostic& d) { return d.level() == Level::Error; }));
}

size_t Diagnostics::warning_count() const {
  return static_cast<size_t>(std::count_if(
      list_.begin(), list_.end(), [](const Diagnostic& d) { return d.level() == Level::Warning; }));
}

size_t Diagnostics::count(DiagCode code) const {
  return static_cast<size_t>(
      std::count_if(list_.begin(), list_.end(), [code](const Diagnostic& d) { return d.code == code; }));
}

void Diagnostics::sort_by_position() {
  std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.primary.file != b.primary.file) return a.primary.file < b.primary.file;
    return a.primary.begin < b.primary.begin;
  });
}

// ---- rendering ----

namespace {

constexpr const char* kReset = "\x1b[0m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kGutterColor = "\x1b[1;34m";
constexpr const char* kHelpColor = "\x1b[1;36m";

const char* level_color(Level level) {
  switch (level) {
    case Level::Error: return "\x1b[1;31m";
    case Level::Warning: return "\x1b[1;33m";
    case Level::Note: return "\x1b[1;32m";
  }
  return "\x1b[1m";
}

// Wraps `text` in an ANSI color when coloring is on.
std::string paint(bool color, const char* code, std::string_view text) {
  if (!color || text.empty()) return std::string(text);
  return fmt::format("{}{}{}", code, text, kReset);
}

// One code point of a source line as shown in the terminal.
struct Cell {
  uint32_t byte;   // offset of its first byte in the file
  uint32_t len;    // bytes
  int col;         // display column where it starts (0-based)
  int width;       // display columns
  std::string shown;
};

// The display form of one source line: tabs as 4 spaces, invalid bytes and control characters as
// U+FFFD, so that the snippet is valid UTF-8 and every cell's width matches code_point_width().
std::vector<Cell> layout_line(std::string_view line, uint32_t line_begin) {
  std::vector<Cell> cells;
  int col = 0;
  for (size_t pos = 0; pos < line.size();) {
    const Utf8Step step = decode_utf8(line, pos);
    Cell cell{static_cast<uint32_t>(line_begin + pos), step.len, col, 0, {}};
    if (step.cp == U'\t') {
      cell.shown = "    ";
      cell.width = 4;
    } else if (!step.valid || step.cp < 0x20 || (step.cp >= 0x7F && step.cp < 0xA0)) {
      cell.shown = "\xEF\xBF\xBD";  // U+FFFD
      cell.width = 1;
    } else {
      cell.shown = std::string(line.substr(pos, step.len));
      cell.width = code_point_width(step.cp);
    }
    col += cell.width;
    pos += step.len;
    cells.push_back(std::move(cell));
  }
  return cells;
}

size_t digits(uint32_t n) {
  size_t d = 1;
  while (n >= 10) n /= 10, ++d;
  return d;
}

bool located(const Span& span, const SourceManager& sm) { return span.file != 0 && sm.valid(span.file); }

struct Renderer {
  const SourceManager& sm;
  const RenderOptions& opt;
  size_t gutter;  // width of the line-number column
  std::string out;

  std::string pad() const { return std::string(gutter, ' '); }

  std::string location(const Span& span) const {
    const std::string& path = sm.path(span.file);
    const SourceManager::Position p = sm.position(span.file, span.begin);
    return fmt::format("{}:{}:{}", path.empty() ? "<input>" : path, p.line, p.column);
  }

  void header(const Span* span, Level level, std::string_view kind, std::string_view message) {
    if (span) out += paint(opt.color, kBold, location(*span) + ":") + " ";
    out += paint(opt.color, level_color(level), std::string(kind) + ":");
    out += " ";
    out += paint(opt.color, kBold, message);
    out += '\n';
  }

  void gutter_line() {
    out += pad();
    out += ' ';
    out += paint(opt.color, kGutterColor, "|");
    out += '\n';
  }

  // "  12 | source line" and "     | ^~~~ label" for the first line of `span`.
  void snippet(const Span& span, Level level, std::string_view label) {
    const SourceManager::Position pos = sm.position(span.file, span.begin);
    const uint32_t line_begin = sm.line_start(span.file, pos.line);
    const std::string_view line = sm.line_text(span.file, pos.line);
    const uint32_t line_end = line_begin + static_cast<uint32_t>(line.size());
    const std::vector<Cell> cells = layout_line(line, line_begin);
    const int total = cells.empty() ? 0 : cells.back().col + cells.back().width;

    // Display columns [start_col, end_col) covered by the span on this line.
    const uint32_t begin = std::max(span.begin, line_begin);
    const uint32_t end = std::min(std::max(span.end, span.begin), line_end);
    int start_col = total;
    for (const Cell& c : cells) {
      if (c.byte + c.len > begin) {  // the cell containing (or first after) `begin`
        start_col = c.col;
        break;
      }
    }
    int end_col = start_col;
    for (const Cell& c : cells) {
      if (c.byte < end && c.byte + c.len > begin) end_col = std::max(end_col, c.col + c.width);
    }

    // Crop long lines to a window around the span.
    int window_begin = 0;
    int window_end = total;
    if (opt.max_line_width > 0 && total > std::max(opt.max_line_width, 20)) {
      const int budget = std::max(opt.max_line_width, 20);
      const int span_w = std::min(end_col - start_col, budget / 2);
      if (start_col + span_w + 3 <= budget) {
        window_end = budget - 3;
      } else {
        window_begin = std::max(0, start_col - std::min(16, budget / 4));
        if (total - window_begin <= budget - 3) {
          window_begin = total - (budget - 3);
        } else {
          window_end = window_begin + budget - 6;
        }
      }
    }
    std::string shown;
    bool cut_left = false;
    bool cut_right = false;
    int first_col = -1;
    int last_col = 0;
    for (const Cell& c : cells) {
      if (c.col < window_begin) {
        cut_left = true;
      } else if (c.col + c.width > window_end || (c.width == 0 && c.col == window_end && window_end < total)) {
        cut_right = true;
      } else {
        if (first_col < 0) first_col = c.col;
        last_col = c.col + c.width;
        shown += c.shown;
      }
    }
    if (first_col < 0) first_col = last_col = window_begin;
    const int lead = cut_left ? 3 : 0;
    const int shift = lead - first_col;
    if (cut_left) shown = "..." + shown;
    if (cut_right) shown += "...";
    while (!shown.empty() && shown.back() == ' ') shown.pop_back();

    int caret_begin = std::max(start_col + shift, lead);
    int caret_end = (cut_right ? std::min(end_col, last_col) : end_col) + shift;
    if (start_col >= last_col && cut_right) caret_begin = caret_end = last_col + shift;
    const int caret_width = std::max(1, caret_end - caret_begin);

    gutter_line();
    out += paint(opt.color, kGutterColor, fmt::format("{:>{}} |", pos.line, gutter));
    if (!shown.empty()) {
      out += ' ';
      out += shown;
    }
    out += '\n';

    std::string carets = "^" + std::string(static_cast<size_t>(caret_width - 1), '~');
    out += pad();
    out += ' ';
    out += paint(opt.color, kGutterColor, "|");
    out += ' ';
    out += std::string(static_cast<size_t>(caret_begin), ' ');
    out += paint(opt.color, level_color(level), carets);
    if (!label.empty()) {
      out += ' ';
      out += paint(opt.color, level_color(level), label);
    }
    out += '\n';
  }

  // "   = note: ..." / "   = help: ..." lines.
  void trailer(std::string_view kind, const char* color, std::string_view message) {
    out += pad();
    out += " = ";
    out += paint(opt.color, color, std::string(kind) + ":");
    out += ' ';
    out += message;
    out += '\n';
  }
};

}  // namespace

std::string render(const Diagnostic& d, const SourceManager& sm, const RenderOptions& options) {
  size_t gutter = 1;
  const auto widen = [&](const Span& span) {
    if (located(span, sm)) gutter = std::max(gutter, digits(sm.position(span.file, span.begin).line));
  };
  widen(d.primary);
  for (const Note& n : d.notes) widen(n.span);

  Renderer r{sm, options, gutter, {}};
  const Lang lang = options.lang;
  const Level level = d.level();
  const std::string kind = fmt::format("{}[{}]", level_name(level, lang), code_name(d.code));
  const char* note_word = level_name(Level::Note, lang);
  const char* help_word = lang == Lang::Zh ? "帮助" : "help";
  const std::string label = text_in(d.label, d.label_msg, lang);
  const bool has_location = located(d.primary, sm);
  r.header(has_location ? &d.primary : nullptr, level, kind, text_in(d.message, d.message_msg, lang));
  if (has_location) r.snippet(d.primary, level, label);
  else if (!label.empty()) r.trailer(note_word, kBold, label);  // no snippet to hang it on

  // Notes in the order given: a located note gets its own header and snippet.
  for (const Note& n : d.notes) {
    if (located(n.span, sm)) {
      r.header(&n.span, Level::Note, note_word, text_in(n.message, n.msg, lang));
      r.snippet(n.span, Level::Note, "");
    } else {
      r.trailer(note_word, kBold, text_in(n.message, n.msg, lang));
    }
  }
  if (!d.help.empty()) r.trailer(help_word, kHelpColor, text_in(d.help, d.help_msg, lang));
  return std::move(r.out);
}

std::string render(const Diagnostic& d, const SourceManager& sm, bool color) {
  RenderOptions options;
  options.color = color;
  return render(d, sm, options);
}

std::string render_all(const Diagnostics& ds, const SourceManager& sm, const RenderOptions& options) {
  std::string out;
  for (const Diagnostic& d : ds.all()) {
    if (!out.empty()) out += '\n';
    out += render(d, sm, options);
  }
  const size_t errors = ds.error_count();
  const size_t warnings = ds.warning_count();
  if (errors + warnings > 0 && options.lang == Lang::Zh) {
    std::string summary = "共 ";
    if (errors > 0) summary += fmt::format("{} 个错误", errors);
    if (warnings > 0) summary += fmt::format("{}{} 个警告", errors > 0 ? "、" : "", warnings);
    if (!out.empty()) out += '\n';
    out += paint(options.color, kBold, summary + "。");
    out += '\n';
  } else if (errors + warnings > 0) {
    const auto plural = [](size_t n, const char* word) {
      return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
    };
    std::string summary;
    if (errors > 0) summary = plural(errors, "error");
    if (warnings > 0) summary += (summary.empty() ? "" : " and ") + plural(warnings, "warning");
    if (!out.empty()) out += '\n';
    out += paint(options.color, kBold, summary + " generated.");
    out += '\n';
  }
  return out;
}

RenderOptions terminal_render_options(bool color) {
  RenderOptions options;
  options.color = color;
  options.lang = lang_from_environment();
  return options;
}

std::string render_all(const Diagnostics& ds, const SourceManager& sm, bool color) {
  RenderOptions options;
  options.color = color;
  return render_all(ds, sm, options);
}

}  // namespace pol
