// libFuzzer target: an .xlsx workbook (libzip + pugixml) read as a batch and decided against the
// Longgang policy (see fuzz_jsonl.cpp). A damaged workbook must be refused with a message, never
// crash or hang; one that opens must decide with every invariant of fuzz_common.h.
// An input that starts like a zip archive ("PK") is the package itself (the seeds hold the example
// batch, once with its parts stored uncompressed); any other input is the XML of the worksheet,
// packed here with shared strings and date styles — the CRCs of a package would stop almost
// every mutation of its XML before the reader sees it.
#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "fuzz/fuzz_common.h"

namespace {

std::string package(const std::string& sheet) {
  static const std::pair<const char*, const char*> kParts[] = {
      {"_rels/.rels", "<Relationships><Relationship Id=\"rId1\" Type=\"x/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml", "<workbook xmlns:r=\"r\"><sheets><sheet name=\"s\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
       "<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
       "<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/></Relationships>"},
      {"xl/sharedStrings.xml",
       "<sst><si><t>id</t></si><si><t>enterprise</t></si><si><t>item</t></si><si><t>date</t></si>"
       "<si><t>compute_fee</t></si><si><t>600万</t></si><si><t>2</t></si></sst>"},
      {"xl/styles.xml",
       "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm\"/></numFmts><cellXfs><xf numFmtId=\"0\"/>"
       "<xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"22\"/></cellXfs></styleSheet>"}};
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &ze);
  zip_source_keep(src);
  zip_t* z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
  for (const auto& [name, text] : kParts) zip_file_add(z, name, zip_source_buffer(z, text, std::strlen(text), 0), 0);
  zip_file_add(z, "xl/worksheets/sheet1.xml", zip_source_buffer(z, sheet.data(), sheet.size(), 0), 0);
  zip_close(z);
  std::string out;
  if (zip_source_open(src) == 0) {
    char buf[1 << 14];
    zip_int64_t n;
    while ((n = zip_source_read(src, buf, sizeof buf)) > 0) out.append(buf, size_t(n));
    zip_source_close(src);
  }
  zip_source_free(src);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.compare(0, 2, "PK") != 0) bytes = package(bytes);
  std::string error;
  auto reader = pol::input::open_xlsx(bytes, "", error);
  if (!reader) {
    if (error.empty()) pol::fuzz::violated("a workbook that cannot be opened says why", "");
    if (!pol::is_valid_utf8(error)) pol::fuzz::violated("the message is UTF-8", error);
    return 0;
  }
  pol::fuzz::decide_and_check(std::move(reader));
  return 0;
}
