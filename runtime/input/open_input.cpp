// Choosing a reader for a file of records: its format (asked, or by extension), the encoding of
// a CSV file (detected, or asked) and the sheet of a workbook. Problems of the file as a whole
// are said here, once, naming the file — never as one error per row.
#include "compiler/diagnostics/messages_input.h"
#include "runtime/input/records.h"

namespace pol::input {
namespace {

// A reader with one error record: what open_reader gives for a workbook it cannot open.
class ErrorReader final : public RecordReader {
 public:
  explicit ErrorReader(Msg error) : error_(std::move(error)) {}
  bool next(RawRecord& rec) override {
    rec.fields.clear();
    if (done_) return false;
    done_ = true;
    rec.line = 1;
    rec.set_error(error_);
    return true;
  }

 private:
  Msg error_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<RecordReader> open_reader(Format format, std::string_view text) {
  if (format == Format::Csv) return open_csv(text);
  if (format == Format::Jsonl) return open_jsonl(text);
  Msg error;
  auto reader = open_xlsx(text, "", error);
  if (!reader) return std::make_unique<ErrorReader>(error);
  return reader;
}

std::unique_ptr<RecordReader> open_input(std::string& data, const std::string& path, const ReadOptions& how,
                                         std::string& error) {
  const std::string shown = path == "-" ? std::string("<stdin>") : path;
  auto fail = [&](Msg m) {
    error = render_msg(m, how.lang);
    return nullptr;
  };
  const Format format = resolve_format(how.format, path);
  Encoding enc = Encoding::Detect;
  if (!encoding_from_name(how.encoding, &enc)) {
    return fail(msg(InputMsg::UnknownEncoding, {{"name", how.encoding}}));
  }
  if (format != Format::Csv && enc != Encoding::Detect && enc != Encoding::Utf8) {
    return fail(msg(format == Format::Xlsx ? InputMsg::EncodingNotForWorkbook : InputMsg::EncodingNotForJsonl,
                    {{"path", shown}, {"name", how.encoding}}));
  }
  if (format != Format::Xlsx && !how.sheet.empty()) {
    return fail(msg(InputMsg::SheetNotForFormat, {{"path", shown}}));
  }
  // A workbook saved under another name is not read as text, line by line, into garbage.
  const bool zip = data.compare(0, 4, "PK\x03\x04") == 0, xls = data.compare(0, 4, "\xD0\xCF\x11\xE0") == 0;
  if (format != Format::Xlsx && (zip || xls)) {
    const bool csv = format == Format::Csv;
    return fail(msg(zip ? (csv ? InputMsg::ZipNotCsv : InputMsg::ZipNotJsonl) : (csv ? InputMsg::XlsNotCsv : InputMsg::XlsNotJsonl),
                    {{"path", shown}}));
  }
  Msg why;
  if (format == Format::Xlsx) {
    auto reader = open_xlsx(data, how.sheet, why);
    if (!reader) return fail(msg(InputMsg::FileProblem, {{"path", shown}, nested("why", why)}));
    return reader;
  }
  if (format == Format::Csv && !to_utf8(data, enc, why)) return fail(msg(InputMsg::FileProblem, {{"path", shown}, nested("why", why)}));
  return format == Format::Csv ? open_csv(data) : open_jsonl(data);
}

}  // namespace pol::input
