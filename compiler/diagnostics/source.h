// Source texts and positions: SourceManager owns every loaded text, Spans are byte ranges into it,
// and positions/line text/display widths are derived from it on demand for rendering diagnostics.
// Lifetime: a SourceManager must outlive every Span, string_view and Diagnostic rendered against it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pol {

// Byte offsets [begin, end) into the text of file `file` (0 = no file / no location).
struct Span {
  uint32_t file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
};

// One decoded UTF-8 step: the code point (U+FFFD for an invalid byte) and how many bytes it took.
// Invalid or truncated sequences, overlong forms, surrogates and values above U+10FFFF each consume
// exactly one byte, so decoding always makes progress and never reads past `s`.
struct Utf8Step {
  char32_t cp;
  uint32_t len;
  bool valid;
};
Utf8Step decode_utf8(std::string_view s, size_t pos);

// Byte offset of the first invalid UTF-8 sequence in `s`, or nullopt if `s` is valid UTF-8 (E0005).
std::optional<uint32_t> first_invalid_utf8(std::string_view s);

// Whether `s` is valid UTF-8 (ASCII is checked eight bytes at a time).
bool is_valid_utf8(std::string_view s);
// `s` with each invalid byte replaced by U+FFFD, appended to `out`: what every output line
// shows of a text that was not valid UTF-8.
void append_utf8_sanitized(std::string_view s, std::string& out);
// `s` itself when it is valid UTF-8 (the common case: no copy), otherwise its sanitized form
// built in `scratch`. Every writer of text people or programs read goes through this.
std::string_view valid_utf8(std::string_view s, std::string& scratch);
// The longest prefix of `s` of at most `max_bytes` bytes that ends on a character boundary.
std::string_view utf8_prefix(std::string_view s, size_t max_bytes);

// Terminal columns one code point occupies: 2 for East Asian Wide/Fullwidth (CJK ideographs,
// CJK punctuation such as ，。（）《》、, fullwidth forms, Hangul, kana, wide emoji), 0 for combining
// marks and zero-width format characters, 4 for a tab (tabs are always shown as 4 spaces), 1 otherwise.
// Ambiguous-width characters (“ ” — …) count as 1, as in almost every terminal's default setting.
int code_point_width(char32_t cp);

// Sum of code_point_width over the code points of `utf8` (invalid bytes count 1 each, like the
// U+FFFD they are displayed as).
int display_width(std::string_view utf8);

class SourceManager {
 public:
  struct Position {
    uint32_t line;    // 1-based
    uint32_t column;  // 1-based, in Unicode code points (not bytes, not display columns)
  };

  SourceManager() = default;
  SourceManager(const SourceManager&) = delete;
  SourceManager& operator=(const SourceManager&) = delete;
  SourceManager(SourceManager&&) = default;
  SourceManager& operator=(SourceManager&&) = default;

  // Takes ownership of `text`; returns its file id (ids start at 1; 0 means "no file").
  // Views returned by text()/line_text() stay valid for the SourceManager's whole lifetime,
  // even across later add() calls.
  uint32_t add(std::string path, std::string text);

  // Number of files added so far; valid ids are 1..file_count().
  uint32_t file_count() const { return static_cast<uint32_t>(files_.size()); }
  bool valid(uint32_t file) const { return file >= 1 && file <= files_.size(); }
  // Id of the first file added under `path`, or 0.
  uint32_t find(std::string_view path) const;

  // For an unknown id (including 0) these return an empty path / empty text.
  const std::string& path(uint32_t file) const;
  std::string_view text(uint32_t file) const;

  // Offsets past the end are clamped to the end of the text. An offset inside a multi-byte
  // character belongs to that character. A UTF-8 byte order mark at the start of the file is
  // not counted as a column.
  Position position(uint32_t file, uint32_t offset) const;

  // Number of lines: a text of N '\n' characters has N + 1 lines (the last may be empty).
  uint32_t line_count(uint32_t file) const;
  // Byte offset where line `line` (1-based) starts, i.e. where line_text(file, line) begins.
  uint32_t line_start(uint32_t file, uint32_t line) const;
  // The line without its "\n" / "\r\n" (and without a leading BOM on line 1); empty if out of range.
  std::string_view line_text(uint32_t file, uint32_t line) const;

  // Inverse of position(): the byte offset of 1-based (line, code point column); clamped to the
  // end of that line when the column is past it.
  uint32_t offset_of(uint32_t file, uint32_t line, uint32_t column) const;
  // Byte offset of the code point with 0-based index `index` in the whole text (ANTLR token
  // start/stop indexes are code point indexes); the end of the text when past the end. Fast:
  // a binary search over lines, then a walk within one line.
  uint32_t offset_of_code_point(uint32_t file, size_t index) const;

  Span whole_file(uint32_t file) const;

 private:
  struct File {
    std::string path;
    std::string text;
    std::vector<uint32_t> line_starts;      // byte offset of each line's first byte
    std::vector<size_t> line_code_points;   // code points before each line's first byte
  };
  const File* get(uint32_t file) const;

  // unique_ptr so a File (and the bytes its string_views point to) never moves.
  std::vector<std::unique_ptr<File>> files_;
  std::string empty_;
};

}  // namespace pol
