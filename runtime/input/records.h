// Record readers: turn a batch file (JSON Lines or CSV) into a stream of untyped name/value records.
// Readers borrow the input text (it must outlive them) and reuse one RawRecord's buffers, so every
// string_view they hand out is valid only until the next next() call; callers copy what they keep.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/input/record.h"

namespace pol::input {

// All string_views in a RawRecord stay valid until the next call to next() on the same reader, OR
// for the life of the input text, whichever is shorter. (Callers copy what they keep.)
class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Fills rec (clearing what it held, keeping capacity); false at end of input. Skips blank lines.
  // Never throws: even an allocation failure comes back as an error record (and ends the input).
  virtual bool next(RawRecord& rec) = 0;
};

// `text` must outlive the reader. JSON Lines: each non-blank line one JSON object; a line that is
// not an object (or invalid JSON, or has a duplicate key) yields a record with error set, and
// reading continues with the next line. A UTF-8 BOM before the first line is skipped.
std::unique_ptr<RecordReader> open_jsonl(std::string_view text);

// `text` must outlive the reader. CSV (RFC 4180): UTF-8, optional BOM, header row gives field
// names; quoted fields with "" escapes and embedded newlines; CRLF or LF. Every cell is
// RawKind::String, except an empty unquoted cell which is omitted from fields entirely (treated as
// missing). A row with more cells than the header -> error record; fewer -> the missing cells are
// omitted. A bad header (empty or duplicate column name, unterminated quote) yields one error
// record for line 1 and then end of input.
std::unique_ptr<RecordReader> open_csv(std::string_view text);

enum class Format { Jsonl, Csv };

// By extension: .csv (any case) -> Csv, anything else (.jsonl, .json, .ndjson, "-") -> Jsonl
Format format_from_path(std::string_view path);
// The format asked for ("csv", "jsonl"/"json"), or by the path's extension when none is.
Format resolve_format(std::string_view asked, std::string_view path);
// A reader of `text` in `format`; `text` must outlive it.
std::unique_ptr<RecordReader> open_reader(Format format, std::string_view text);

// Reads a whole file (or "-" = stdin) into out; false with a message naming the path on error.
bool read_file(const std::string& path, std::string& out, std::string& error);

}  // namespace pol::input
