// Choosing a reader for a file of records: its format (asked, or by extension), the encoding of
// a CSV file (detected, or asked) and the sheet of a workbook. Problems of the file as a whole
// are said here, once, naming the file — never as one error per row.
#include <fmt/format.h>

#include "runtime/input/records.h"

namespace pol::input {
namespace {

// A reader with one error record: what open_reader gives for a workbook it cannot open.
class ErrorReader final : public RecordReader {
 public:
  explicit ErrorReader(std::string error) : error_(std::move(error)) {}
  bool next(RawRecord& rec) override {
    rec.fields.clear();
    if (done_) return false;
    done_ = true;
    rec.line = 1;
    rec.error = error_;
    return true;
  }

 private:
  std::string error_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<RecordReader> open_reader(Format format, std::string_view text) {
  if (format == Format::Csv) return open_csv(text);
  if (format == Format::Jsonl) return open_jsonl(text);
  std::string error;
  auto reader = open_xlsx(text, "", error);
  if (!reader) return std::make_unique<ErrorReader>(error);
  return reader;
}

std::unique_ptr<RecordReader> open_input(std::string& data, const std::string& path, const ReadOptions& how,
                                         std::string& error) {
  const std::string shown = path == "-" ? std::string("<stdin>") : path;
  const Format format = resolve_format(how.format, path);
  Encoding enc = Encoding::Detect;
  if (!encoding_from_name(how.encoding, &enc)) {
    error = fmt::format("unknown encoding `{}` (utf-8, gbk or gb18030)", how.encoding);
    return nullptr;
  }
  if (format != Format::Csv && enc != Encoding::Detect && enc != Encoding::Utf8) {
    error = fmt::format("{}: --encoding {} applies to CSV files; {} text is always Unicode", shown, how.encoding,
                        format == Format::Xlsx ? "a workbook's" : "JSON Lines");
    return nullptr;
  }
  if (format != Format::Xlsx && !how.sheet.empty()) {
    error = fmt::format("{}: --sheet applies to .xlsx workbooks (or --input-format xlsx)", shown);
    return nullptr;
  }
  // A workbook saved under another name is not read as text, line by line, into garbage.
  const bool zip = data.compare(0, 4, "PK\x03\x04") == 0, xls = data.compare(0, 4, "\xD0\xCF\x11\xE0") == 0;
  if (format != Format::Xlsx && (zip || xls)) {
    error = fmt::format("{}: this is {}, not {}; {}", shown, zip ? "a zip archive (an .xlsx workbook?)" : "an Excel 97–2003 workbook (.xls)",
                        format == Format::Csv ? "CSV text" : "JSON Lines",
                        zip ? "name it .xlsx or add --input-format xlsx" : "save it as .xlsx or as CSV");
    return nullptr;
  }
  if (format == Format::Xlsx) {
    auto reader = open_xlsx(data, how.sheet, error);
    if (!reader) error = shown + ": " + error;
    return reader;
  }
  if (format == Format::Csv && !to_utf8(data, enc, error)) {
    error = shown + ": " + error;
    return nullptr;
  }
  return format == Format::Csv ? open_csv(data) : open_jsonl(data);
}

}  // namespace pol::input
