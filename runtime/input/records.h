// Record readers: turn a batch file (JSON Lines, CSV or an .xlsx sheet) into a stream of untyped
// name/value records.
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

// An .xlsx workbook (Office Open XML: a zip of XML parts, read with libzip and pugixml): the rows
// of one sheet (`sheet`, or the first when empty), the first non-empty row the header, each row
// read as the CSV reader reads one — every cell RawKind::String, empty cells omitted — so the
// decoder types both alike. Cells become text as the sheet shows them: shared and inline strings,
// numbers in plain decimals (at most 15 significant digits, as Excel keeps them), booleans
// true/false, a date-formatted number as its ISO date (2023-06-01; a format without a day:
// 2023-06). RawRecord::line is the sheet's row number. A file that is not a workbook, a missing
// sheet, malformed XML or an unusable header row gives nullptr and `error`; a bad cell (a formula
// error such as #N/A, an unknown shared string) is an error record. The reader keeps what it
// needs: `bytes` may go once it is open.
std::unique_ptr<RecordReader> open_xlsx(std::string_view bytes, const std::string& sheet, Msg& error);
// The same with `error` in English.
std::unique_ptr<RecordReader> open_xlsx(std::string_view bytes, const std::string& sheet, std::string& error);

enum class Format { Jsonl, Csv, Xlsx };

// By extension: .csv (any case) -> Csv, .xlsx -> Xlsx, anything else (.jsonl, .json, .ndjson, "-") -> Jsonl
Format format_from_path(std::string_view path);
// The format asked for ("csv", "xlsx", "jsonl"/"json"), or by the path's extension when none is.
Format resolve_format(std::string_view asked, std::string_view path);
// A reader of `text` in `format`; `text` must outlive it. A workbook that cannot be opened
// yields one error record (open_input says why without reading a record).
std::unique_ptr<RecordReader> open_reader(Format format, std::string_view text);

// The encodings a CSV file may be in: detected (valid UTF-8 is UTF-8; anything else is tried as
// GB18030, the superset of GBK that Excel on Chinese Windows saves), or named.
enum class Encoding { Detect, Utf8, Gbk, Gb18030 };
// "" or "auto", "utf-8"/"utf8", "gbk"/"cp936", "gb18030" (any case); false for any other name.
bool encoding_from_name(std::string_view name, Encoding* out);
// Makes `text` UTF-8 in place (a GBK/GB18030 text is converted through glibc's iconv). false, with
// `error` naming the first byte that cannot be read (its byte offset and line) — for a detected
// encoding, where each reading stopped. `found`: the encoding the text was in.
bool to_utf8(std::string& text, Encoding enc, Msg& error, Encoding* found = nullptr);
// The same with `error` in English.
bool to_utf8(std::string& text, Encoding enc, std::string& error, Encoding* found = nullptr);

// How to read a file of records (what `polc run --input-format/--encoding/--sheet` say).
struct ReadOptions {
  std::string format;    // "jsonl"/"json", "csv", "xlsx", or "" (by the path's extension)
  std::string encoding;  // CSV only: "utf-8", "gbk", "gb18030", or "" (detected)
  std::string sheet;     // .xlsx only: the sheet's name, or "" for the first sheet
  Lang lang = Lang::En;  // the language of open_input's `error` (records keep their catalogue messages)
};
// A reader of `data`, the bytes read from `path` (which names the file in messages), as `how`
// says: CSV is made UTF-8 first (`data` is replaced by the conversion), a workbook is opened and
// its header row read. nullptr with `error` (naming the file) when the file as a whole cannot be
// read: an encoding that is neither UTF-8 nor GBK/GB18030, a damaged workbook, an option that
// does not apply to the format. `data` must outlive the reader.
std::unique_ptr<RecordReader> open_input(std::string& data, const std::string& path, const ReadOptions& how,
                                         std::string& error);

// Reads a whole file (or "-" = stdin) into out; false with a message naming the path on error, in `lang`.
bool read_file(const std::string& path, std::string& out, std::string& error, Lang lang = Lang::En);

}  // namespace pol::input
