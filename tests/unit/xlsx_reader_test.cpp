// Unit tests of the .xlsx reader (runtime/input/xlsx*.cpp): the cell texts a sheet shows (numbers,
// date serials and formats, booleans, shared, inline and rich strings), rows as records, and a
// clear error — never a crash — for every kind of damaged workbook. Workbooks are built here
// with libzip from hand-written XML parts.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "compiler/diagnostics/source.h"
#include "runtime/input/records.h"
#include "runtime/input/xlsx.h"

namespace pol::input {
namespace {

namespace fs = std::filesystem;
using Parts = std::map<std::string, std::string>;

std::string zip_of(const Parts& parts) {
  static int n = 0;
  fs::path path = fs::temp_directory_path() / ("pol_xlsx_" + std::to_string(getpid()) + "_" + std::to_string(n++) + ".zip");
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  EXPECT_NE(z, nullptr);
  for (const auto& [name, text] : parts) {
    zip_source_t* src = zip_source_buffer(z, text.data(), text.size(), 0);
    EXPECT_GE(zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8), 0);
  }
  EXPECT_EQ(zip_close(z), 0);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  fs::remove(path);
  return bytes;
}

const char* kNs = R"( xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main")";
const char* kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// A workbook of sheets named "申报" (sheet1) and "其他" (sheet2), with shared strings and styles.
Parts workbook(const std::string& rows, const std::string& shared = "", const std::string& styles = "",
               const std::string& workbook_pr = "") {
  Parts p;
  p["_rels/.rels"] = std::string("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                                 "<Relationship Id=\"rId1\" Type=\"") + kRel + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
  p["xl/workbook.xml"] = std::string("<workbook") + kNs + " xmlns:r=\"" + kRel + "\">" + workbook_pr +
                         "<sheets><sheet name=\"申报\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"其他\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
  p["xl/_rels/workbook.xml.rels"] =
      std::string("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">") +
      "<Relationship Id=\"rId1\" Type=\"" + kRel + "/worksheet\" Target=\"worksheets/sheet1.xml\"/>" +
      "<Relationship Id=\"rId2\" Type=\"" + kRel + "/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>" +
      "<Relationship Id=\"rId3\" Type=\"" + kRel + "/sharedStrings\" Target=\"sharedStrings.xml\"/>" +
      "<Relationship Id=\"rId4\" Type=\"" + kRel + "/styles\" Target=\"styles.xml\"/></Relationships>";
  p["xl/worksheets/sheet1.xml"] = std::string("<worksheet") + kNs + "><sheetData>" + rows + "</sheetData></worksheet>";
  p["xl/worksheets/sheet2.xml"] = std::string("<worksheet") + kNs +
                                  "><sheetData><row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
                                  "<row r=\"4\"><c r=\"B4\"><v>7</v></c></row></sheetData></worksheet>";
  if (!shared.empty()) p["xl/sharedStrings.xml"] = std::string("<sst") + kNs + ">" + shared + "</sst>";
  if (!styles.empty()) p["xl/styles.xml"] = std::string("<styleSheet") + kNs + ">" + styles + "</styleSheet>";
  return p;
}

struct Rec {
  size_t line = 0;
  std::string error;
  std::map<std::string, std::string> fields;
};

// Every record of sheet `sheet`; `error` gets the reason the workbook could not be opened.
std::vector<Rec> read(const std::string& bytes, std::string& error, const std::string& sheet = "") {
  std::vector<Rec> out;
  error.clear();
  auto reader = open_xlsx(bytes, sheet, error);
  if (!reader) return out;
  RawRecord rec;
  while (reader->next(rec)) {
    Rec r{rec.line, rec.error, {}};
    for (const auto& f : rec.fields) {
      EXPECT_EQ(f.kind, RawKind::String);
      r.fields[std::string(f.name)] = std::string(f.text);
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string number(std::string_view v) {
  std::string out;
  EXPECT_TRUE(xlsx::number_text(v, out)) << v;
  return out;
}

TEST(XlsxCells, NumbersAsExcelShowsThem) {
  EXPECT_EQ(number("15000000"), "15000000");
  EXPECT_EQ(number("88.5"), "88.5");
  EXPECT_EQ(number("1.5E-3"), "0.0015");
  EXPECT_EQ(number("1.5e+7"), "15000000");
  EXPECT_EQ(number("0.30000000000000004"), "0.3");  // 0.1 + 0.2 stored by Excel
  EXPECT_EQ(number("2.9999999999999996"), "3");
  EXPECT_EQ(number("12345678.900000001"), "12345678.9");
  EXPECT_EQ(number("123456789012345678"), "123456789012346000");  // Excel keeps 15 digits
  EXPECT_EQ(number("-0"), "0");
  EXPECT_EQ(number("-12.50"), "-12.5");
  EXPECT_EQ(number("0.000"), "0");
  EXPECT_EQ(number("99999999999999999"), "100000000000000000");
  std::string out;
  for (std::string_view bad : {"", "abc", "1.2.3", "1e", "--1", "1e999", "0x10", "1,000"}) EXPECT_FALSE(xlsx::number_text(bad, out)) << bad;
}

std::string serial(std::string_view v, xlsx::Shown shown = xlsx::Shown::Date, bool date1904 = false) {
  std::string out;
  EXPECT_TRUE(xlsx::serial_text(v, date1904, shown, out)) << v;
  return out;
}

TEST(XlsxCells, DateSerials) {
  EXPECT_EQ(serial("45078"), "2023-06-01");
  EXPECT_EQ(serial("45078", xlsx::Shown::YearMonth), "2023-06");
  EXPECT_EQ(serial("45078.5"), "2023-06-01 12:00:00");  // a time of day is kept, never dropped
  EXPECT_EQ(serial("45078.5", xlsx::Shown::DateTime), "2023-06-01 12:00:00");
  EXPECT_EQ(serial("45078.999999999"), "2023-06-02");    // rounds to the next midnight
  EXPECT_EQ(serial("0.25", xlsx::Shown::Time), "06:00:00");
  EXPECT_EQ(serial("1"), "1900-01-01");
  EXPECT_EQ(serial("59"), "1900-02-28");
  EXPECT_EQ(serial("60"), "1900-02-29");  // Excel's day that never was (the decoder refuses it)
  EXPECT_EQ(serial("61"), "1900-03-01");
  EXPECT_EQ(serial("43616", xlsx::Shown::Date, true), "2023-06-01");  // the 1904 date system
  EXPECT_EQ(serial("2958465"), "9999-12-31");
  // Fractions of many digits (fuzz_xlsx found the 128-bit product overflowing on 1E-300).
  EXPECT_EQ(serial("45078.5" + std::string(100, '0') + "1"), "2023-06-01 12:00:00");
  EXPECT_EQ(serial("1E-300", xlsx::Shown::Time), "00:00:00");
  EXPECT_EQ(serial("5.787037037037E-6", xlsx::Shown::Time), "00:00:00");  // just under half a second
  EXPECT_EQ(serial("5.787037037038E-6", xlsx::Shown::Time), "00:00:01");  // just over
  std::string out;
  for (std::string_view bad : {"0", "-1", "2958466", "x", "1e300"}) EXPECT_FALSE(xlsx::serial_text(bad, false, xlsx::Shown::Date, out)) << bad;
}

TEST(XlsxCells, NumberFormats) {
  using xlsx::Shown;
  EXPECT_EQ(xlsx::format_shown(0, ""), Shown::Number);
  EXPECT_EQ(xlsx::format_shown(4, ""), Shown::Number);
  EXPECT_EQ(xlsx::format_shown(14, ""), Shown::Date);
  EXPECT_EQ(xlsx::format_shown(31, ""), Shown::Date);       // yyyy"年"m"月"d"日" (zh-CN)
  EXPECT_EQ(xlsx::format_shown(27, ""), Shown::YearMonth);  // yyyy"年"m"月"
  EXPECT_EQ(xlsx::format_shown(22, ""), Shown::DateTime);
  EXPECT_EQ(xlsx::format_shown(20, ""), Shown::Time);
  EXPECT_EQ(xlsx::format_shown(164, "yyyy/m/d"), Shown::Date);
  EXPECT_EQ(xlsx::format_shown(164, "YYYY-MM-DD"), Shown::Date);
  EXPECT_EQ(xlsx::format_shown(164, "[$-804]yyyy\"年\"m\"月\"d\"日\";@"), Shown::Date);
  EXPECT_EQ(xlsx::format_shown(164, "yyyy\"年\"m\"月\""), Shown::YearMonth);
  EXPECT_EQ(xlsx::format_shown(164, "yyyy-mm"), Shown::YearMonth);
  EXPECT_EQ(xlsx::format_shown(164, "yyyy/m/d h:mm"), Shown::DateTime);
  EXPECT_EQ(xlsx::format_shown(164, "[h]:mm"), Shown::Time);
  EXPECT_EQ(xlsx::format_shown(164, "h:mm AM/PM"), Shown::Time);
  EXPECT_EQ(xlsx::format_shown(164, "General"), Shown::Number);
  EXPECT_EQ(xlsx::format_shown(164, "0.00E+00"), Shown::Number);
  EXPECT_EQ(xlsx::format_shown(164, "#,##0.00\"元\""), Shown::Number);
  EXPECT_EQ(xlsx::format_shown(164, "[Red]#,##0;[Blue]-#,##0"), Shown::Number);
  EXPECT_EQ(xlsx::format_shown(164, "0\"d\""), Shown::Number);  // a quoted d is not a day
  EXPECT_EQ(xlsx::format_shown(164, "\\d0"), Shown::Number);
}

TEST(XlsxCells, EscapesAndRichText) {
  EXPECT_EQ(xlsx::unescape("a_x000D_b"), "a\rb");
  EXPECT_EQ(xlsx::unescape("_x005F_x0041_"), "_x0041_");  // a literal _x0041_
  EXPECT_EQ(xlsx::unescape("_xD83D__xDE00_"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(xlsx::unescape("_xD83D_"), "\xEF\xBF\xBD");  // a lone surrogate
  EXPECT_EQ(xlsx::unescape("_x12_ _xZZZZ_"), "_x12_ _xZZZZ_");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string("<si><r><t>龙岗</t></r><r><rPr/><t xml:space=\"preserve\">区 </t></r><rPh><t>lónggǎng</t></rPh></si>"));
  EXPECT_EQ(xlsx::string_item(doc.first_child()), "龙岗区 ");  // the phonetic guide is not text
}

TEST(XlsxReader, RowsAsTheSheetShowsThem) {
  std::string shared = "<si><t>id</t></si><si><t> enterprise </t></si><si><t>date</t></si><si><t>fee</t></si>"
                       "<si><t>ok</t></si><si><t>A1</t></si><si><r><t>企</t></r><r><t>业</t></r></si><si><t>month</t></si>";
  std::string styles = "<numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;\"/></numFmts>"
                       "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"4\"/></cellXfs>";
  std::string rows =
      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" t=\"s\"><v>1</v></c><c r=\"C2\" t=\"s\"><v>2</v></c>"
      "<c r=\"D2\" t=\"s\"><v>3</v></c><c r=\"E2\" t=\"s\"><v>4</v></c><c r=\"F2\" t=\"s\"><v>7</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>5</v></c><c r=\"B3\" t=\"s\"><v>6</v></c><c r=\"C3\" s=\"1\"><v>45078</v></c>"
      "<c r=\"D3\" s=\"3\"><v>15000000.000000002</v></c><c r=\"E3\" t=\"b\"><v>1</v></c><c r=\"F3\" s=\"2\"><v>45078</v></c></row>"
      "<row r=\"4\"/>"
      "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>A2</t></is></c><c r=\"C5\"/><c r=\"D5\" t=\"str\"><f>1+1</f><v>600万</v></c>"
      "<c r=\"E5\" t=\"b\"><v>0</v></c></row>"
      "<row><c t=\"inlineStr\"><is><t>A3</t></is></c><c/><c><v>1.5E-3</v></c></row>";
  std::string error;
  auto recs = read(zip_of(workbook(rows, shared, styles)), error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].line, 3u);  // the sheet's row number, as staff see it
  EXPECT_EQ(recs[0].fields, (std::map<std::string, std::string>{{"id", "A1"}, {"enterprise", "企业"}, {"date", "2023-06-01"},
                                                                 {"fee", "15000000"}, {"ok", "true"}, {"month", "2023-06"}}));
  EXPECT_EQ(recs[1].line, 5u);  // the empty row 4 is skipped like a blank line
  EXPECT_EQ(recs[1].fields, (std::map<std::string, std::string>{{"id", "A2"}, {"fee", "600万"}, {"ok", "false"}}));
  EXPECT_EQ(recs[2].line, 6u);  // a row without r follows the one before
  EXPECT_EQ(recs[2].fields, (std::map<std::string, std::string>{{"id", "A3"}, {"date", "0.0015"}}));
}

TEST(XlsxReader, TheSheetIsChosenByName) {
  std::string rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c></row>";
  std::string bytes = zip_of(workbook(rows, "", "", "<workbookPr date1904=\"1\"/>"));
  std::string error;
  auto recs = read(bytes, error, "其他");
  ASSERT_EQ(error, "");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].line, 4u);
  EXPECT_EQ(recs[0].fields, (std::map<std::string, std::string>{{"x", "7"}}));
  read(bytes, error, "Sheet1");
  EXPECT_EQ(error, "the workbook has no sheet named `Sheet1`; its sheets: `申报`, `其他`");
}

TEST(XlsxReader, BadCellsAreErrorRecordsAndTheRestIsRead) {
  std::string shared = "<si><t>id</t></si><si><t>fee</t></si>";
  std::string rows =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>9</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"e\"><v>#N/A</v></c></row>"
      "<row r=\"4\"><c r=\"B4\"><v>1</v></c></row>"
      "<row r=\"5\"><c r=\"Q9\"><v>1</v></c></row>"
      "<row r=\"6\"><c r=\"C6\"><v>1</v></c><c r=\"A6\"><v>2</v></c></row>"
      "<row r=\"7\"><c r=\"A7\"><v>7</v></c><c r=\"C7\"><v>8</v></c></row>";
  std::string error;
  auto recs = read(zip_of(workbook(rows, shared)), error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(recs.size(), 6u);
  EXPECT_EQ(recs[0].error, "cell A2 refers to shared string `9`, which the workbook does not have");
  EXPECT_EQ(recs[1].error, "cell A3 holds the formula error #N/A");
  EXPECT_EQ(recs[2].error, "cell B4 has a value, but column B has no name in the header row 1");
  EXPECT_NE(recs[3].error.find("`Q9` is not a cell of row 5"), std::string::npos) << recs[3].error;
  EXPECT_NE(recs[4].error.find("`A6`"), std::string::npos) << recs[4].error;
  EXPECT_EQ(recs[5].error, "");
  EXPECT_EQ(recs[5].fields, (std::map<std::string, std::string>{{"id", "7"}, {"fee", "8"}}));
}

TEST(XlsxReader, DamagedWorkbooksAreOneClearError) {
  std::string good_rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c></row>";
  std::string error;
  auto refused = [&](const std::string& bytes, const std::string& expect) {
    auto recs = read(bytes, error);
    EXPECT_TRUE(recs.empty());
    EXPECT_NE(error.find(expect), std::string::npos) << error;
  };
  refused("id,enterprise\nA1,E1\n", "not an .xlsx workbook (it cannot be read as a zip archive");
  refused("", "not an .xlsx workbook");
  refused(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0'), "Excel 97–2003 workbook (.xls)");
  std::string good = zip_of(workbook(good_rows));
  refused(good.substr(0, good.size() / 2), "not an .xlsx workbook");  // truncated
  refused(zip_of({{"content.xml", "<office:document/>"}}), "not an .xlsx workbook (it has no `xl/workbook.xml`)");
  Parts p = workbook("<row><c");
  refused(zip_of(p), "the part `xl/worksheets/sheet1.xml` is not well-formed XML");
  p = workbook(good_rows);
  p.erase("xl/worksheets/sheet1.xml");
  refused(zip_of(p), "the sheet `申报` is missing from the package (no part `xl/worksheets/sheet1.xml`)");
  p = workbook(good_rows, "<si><t>unclosed</si>");
  refused(zip_of(p), "the part `xl/sharedStrings.xml` is not well-formed XML");
  p = workbook(good_rows);
  p["xl/workbook.xml"] = "<workbook><sheets/></workbook>";
  refused(zip_of(p), "the workbook has no sheet");
  p["xl/workbook.xml"] = "<notabook/>";
  refused(zip_of(p), "is not a workbook");
  p = workbook(good_rows);
  p["xl/worksheets/sheet1.xml"] = "<chartsheet/>";
  refused(zip_of(p), "is not a worksheet");
  p = workbook("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t> id</t></is></c></row>");
  refused(zip_of(p), "sheet `申报`, header row 1: duplicate column name \"id\" (columns A and B)");
}

// A damaged part may hold bytes that are not UTF-8, and long ones: messages quote them cut short,
// the bad bytes as U+FFFD (fuzz_xlsx found a shared string index of raw bytes quoted whole).
TEST(XlsxReader, MessagesQuoteDamagedBytesAsUtf8) {
  std::string error;
  read(zip_of(workbook("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>" + std::string(300, '\xD3') + "</v></c></row>")), error);
  EXPECT_TRUE(pol::is_valid_utf8(error)) << error;
  EXPECT_NE(error.find("\xEF\xBF\xBD"), std::string::npos) << error;
  EXPECT_LT(error.size(), 400u) << error;
  auto recs = read(zip_of(workbook("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c></row>"
                                   "<row r=\"2\"><c r=\"A2\" t=\"e\"><v>#\xFF</v></c></row>"
                                   "<row r=\"3\"><c r=\"\xFF\"><v>1</v></c></row>")),
                   error);
  ASSERT_EQ(recs.size(), 2u) << error;
  for (const Rec& r : recs) {
    EXPECT_FALSE(r.error.empty());
    EXPECT_TRUE(pol::is_valid_utf8(r.error)) << r.error;
  }
  EXPECT_EQ(xlsx::shown(std::string(100, 'a')), std::string(60, 'a') + "…");
  EXPECT_EQ(xlsx::shown("\xFF"), "\xEF\xBF\xBD");
}

// Whatever the bytes — every truncation and many single-byte changes of a real workbook — the
// reader gives records or an error, and never crashes (run under ASan by scripts/test.sh).
TEST(XlsxReader, DamagedBytesNeverCrash) {
  std::ifstream in(std::string(POL_SOURCE_DIR) + "/tests/data/input/batch.xlsx", std::ios::binary);
  std::string good((std::istreambuf_iterator<char>(in)), {});
  ASSERT_GT(good.size(), 1000u);
  std::string error;
  size_t opened = 0;
  for (size_t cut = 0; cut < good.size(); cut += 7) {
    auto recs = read(good.substr(0, cut), error);
    if (error.empty()) ++opened;
    else EXPECT_TRUE(recs.empty());
  }
  EXPECT_EQ(opened, 0u) << "a truncated workbook is refused";
  uint32_t seed = 12345;
  for (int round = 0; round < 400; ++round) {
    std::string bytes = good;
    for (int k = 0; k < 3; ++k) {
      seed = seed * 1103515245 + 12345;
      bytes[(seed >> 8) % bytes.size()] = static_cast<char>(seed >> 24);
    }
    auto recs = read(bytes, error);
    EXPECT_TRUE(recs.empty() || error.empty());
  }
}

}  // namespace
}  // namespace pol::input
