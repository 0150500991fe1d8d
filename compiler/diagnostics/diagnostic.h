// Diagnostics: the code registry (codes.def), one Diagnostic, the Diagnostics collector that checkers
// push into (they never print or throw), and rustc/clang-style rendering against a SourceManager.
// Texts converted to the catalogue (messages.def) are kept as a Msg beside their English rendering,
// so render() can show them in Chinese (RenderOptions::lang); other texts are shown as written.
// Lifetime: Diagnostics owns its Diagnostic values; Spans in them refer into a SourceManager that
// must still be alive when render()/render_all() is called. No global state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostics/message.h"
#include "compiler/diagnostics/source.h"

namespace pol {

enum class Level : uint8_t { Error, Warning, Note };
const char* level_name(Level);  // "error", "warning", "note"
const char* level_name(Level, Lang);  // Chinese: "错误", "警告", "注"

enum class DiagCode : uint16_t {
#define POL_DIAG(CODE, LEVEL, SUMMARY, SUMMARY_ZH) CODE,
#include "compiler/diagnostics/codes.def"
#undef POL_DIAG
};

// Every registered code, in registry order (for `polc explain --list`, tests, ...).
inline constexpr DiagCode kAllDiagCodes[] = {
#define POL_DIAG(CODE, LEVEL, SUMMARY, SUMMARY_ZH) DiagCode::CODE,
#include "compiler/diagnostics/codes.def"
#undef POL_DIAG
};

const char* code_name(DiagCode);     // "E0203"
Level code_level(DiagCode);
const char* code_summary(DiagCode);  // short English phrase from codes.def
const char* code_summary(DiagCode, Lang);  // the same in the language asked for
// "E0203" -> DiagCode::E0203; case-insensitive ("e0203" works too); nullopt for unknown names.
std::optional<DiagCode> code_from_name(std::string_view);

struct Note {
  Span span;  // span.file == 0: a note without location, rendered as "= note: ..."
  std::string message;
  Msg msg = {};  // the catalogue form of `message`, when converted
};

// `english` in English, or the catalogue message `m` in `lang` when it has one.
std::string text_in(const std::string& english, const Msg& m, Lang lang);

struct Diagnostic {
  DiagCode code = DiagCode::E0001;
  std::string message;
  Span primary;       // primary.file == 0: no location (e.g. a bad command-line value)
  std::string label;  // optional short text printed after the carets
  std::vector<Note> notes;
  std::string help;   // suggestion, e.g. "did you mean `compute_fee`?"
  // Catalogue forms of message, label and help (MsgId::None: not converted, shown as written).
  Msg message_msg, label_msg, help_msg;

  Level level() const { return code_level(code); }

  // Texts shown as written in every language, not from the catalogue: for tests of the renderer
  // only. Product code reports catalogue messages (the Msg overloads below); a unit test
  // (messages_test.cpp) fails if compiler/, runtime/ or cli/ calls a *_verbatim function.
  Diagnostic& with_label_verbatim(std::string text) {
    label = std::move(text);
    return *this;
  }
  Diagnostic& with_help_verbatim(std::string text) {
    help = std::move(text);
    return *this;
  }
  Diagnostic& note_verbatim(std::string message_text) { return note_verbatim(Span{}, std::move(message_text)); }
  Diagnostic& note_verbatim(Span span, std::string message_text) {
    notes.push_back(Note{span, std::move(message_text)});
    return *this;
  }
  // Catalogue forms: the English text is rendered now (tests and tools read it), the Msg kept.
  Diagnostic& with_label(Msg m) {
    label = render_msg(m, Lang::En);
    label_msg = std::move(m);
    return *this;
  }
  Diagnostic& with_help(Msg m) {
    help = render_msg(m, Lang::En);
    help_msg = std::move(m);
    return *this;
  }
  Diagnostic& note(Msg m) { return note(Span{}, std::move(m)); }
  Diagnostic& note(Span span, Msg m) {
    std::string english = render_msg(m, Lang::En);
    notes.push_back(Note{span, std::move(english), std::move(m)});
    return *this;
  }
};

// Collects diagnostics in report order. Passed explicitly (by reference) to whoever may report.
class Diagnostics {
 public:
  // The returned reference is valid until the next report()/add()/append()/sort/clear on this object.
  Diagnostic& report(DiagCode code, Span primary, Msg message);  // a catalogue message
  Diagnostic& report_verbatim(DiagCode code, Span primary, std::string message);  // renderer tests only
  Diagnostic& add(Diagnostic d);
  void append(const Diagnostics& other);  // e.g. merge the diagnostics of an imported file

  size_t error_count() const;
  size_t warning_count() const;
  bool has_errors() const { return error_count() > 0; }
  size_t size() const { return list_.size(); }
  bool empty() const { return list_.empty(); }
  size_t count(DiagCode code) const;  // how many diagnostics with this code (handy in tests)
  const std::vector<Diagnostic>& all() const { return list_; }

  void sort_by_position();  // stable: by file id, then begin offset (no-location ones first)
  void clear() { list_.clear(); }

 private:
  std::vector<Diagnostic> list_;
};

struct RenderOptions {
  bool color = false;  // ANSI colors (only when writing to a terminal)
  // Source lines wider than this many display columns are cropped around the span with "...",
  // so that a long Chinese `text` line does not wrap and push the carets out of place.
  // 0 = never crop. Values below 20 are treated as 20.
  int max_line_width = 140;
  Lang lang = Lang::En;  // catalogue messages, level words, help/note and the summary line
};

// Options for writing to the terminal: `color` as given, the language from lang_from_environment()
// (polc's --lang sets POL_LANG before any command runs).
RenderOptions terminal_render_options(bool color);

// clang/rustc style:
// policies/x.pol:12:21: error[E0200]: cannot add `money` and `rate`
//    |
// 12 |     amount compute_fee + 30%
//    |                          ^~~ this is `rate`
//    = note: ...
//    = help: did you mean `compute_fee`?
// The header column is the 1-based code point column; carets are placed by display width (CJK = 2
// columns, tab = 4 spaces in both the line and the caret line). A span over several lines is
// underlined to the end of its first line. A note with a location prints its own
// "path:line:col: note: ..." header and snippet. The result ends with '\n'.
std::string render(const Diagnostic& d, const SourceManager& sm, const RenderOptions& options);
std::string render(const Diagnostic& d, const SourceManager& sm, bool color = false);

// All diagnostics in order, separated by blank lines, then a summary such as "2 errors generated."
// or "1 error and 2 warnings generated." when there is at least one error or warning (Chinese:
// "共 2 个错误。", "共 1 个错误、2 个警告。").
std::string render_all(const Diagnostics& ds, const SourceManager& sm, const RenderOptions& options);
std::string render_all(const Diagnostics& ds, const SourceManager& sm, bool color = false);

}  // namespace pol
