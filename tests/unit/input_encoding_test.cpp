// Unit tests of the encodings of CSV files (runtime/input/encoding.cpp) and of choosing a reader
// (open_input): UTF-8 is kept, GBK/GB18030 converted, and a file that is neither is refused once,
// naming the byte offset and line, instead of failing on every row.
#include <gtest/gtest.h>

#include <string>

#include "compiler/diagnostics/source.h"
#include "runtime/input/records.h"

namespace pol::input {
namespace {

// "企业" and "是" in GBK (the same bytes in GB18030).
const std::string kGbkQiye = "\xC6\xF3\xD2\xB5";
const std::string kGbkShi = "\xCA\xC7";

TEST(Encoding, ValidUtf8IsKeptAsItIs) {
  std::string text = "\xEF\xBB\xBFid,名称\nA1,企业\n";
  const std::string before = text;
  std::string error;
  Encoding found = Encoding::Detect;
  ASSERT_TRUE(to_utf8(text, Encoding::Detect, error, &found)) << error;
  EXPECT_EQ(text, before);
  EXPECT_EQ(found, Encoding::Utf8);
  ASSERT_TRUE(to_utf8(text, Encoding::Utf8, error)) << error;
  EXPECT_EQ(text, before);
}

TEST(Encoding, GbkIsDetectedAndConverted) {
  std::string text = "id,enterprise,ok\nA1," + kGbkQiye + "," + kGbkShi + "\n";
  std::string error;
  Encoding found = Encoding::Detect;
  ASSERT_TRUE(to_utf8(text, Encoding::Detect, error, &found)) << error;
  EXPECT_EQ(found, Encoding::Gb18030);
  EXPECT_EQ(text, "id,enterprise,ok\nA1,企业,是\n");
  for (Encoding named : {Encoding::Gbk, Encoding::Gb18030}) {
    std::string again = "A1," + kGbkQiye + "\n";
    ASSERT_TRUE(to_utf8(again, named, error)) << error;
    EXPECT_EQ(again, "A1,企业\n");
  }
}

TEST(Encoding, Gb18030FourByteCharactersNeedGb18030) {
  // U+20000 (𠀀) has no GBK code; GB18030 writes it in four bytes.
  const std::string four = "\x95\x32\x82\x36";
  std::string text = "a," + four + "\n", error;
  ASSERT_TRUE(to_utf8(text, Encoding::Detect, error)) << error;
  EXPECT_EQ(text, "a,\xF0\xA0\x80\x80\n");
  std::string as_gbk = "a," + four + "\n";
  EXPECT_FALSE(to_utf8(as_gbk, Encoding::Gbk, error));
  EXPECT_NE(error.find("not GBK"), std::string::npos) << error;
}

TEST(Encoding, GarbageIsOneErrorWithItsOffsetAndLine) {
  std::string text = "id,enterprise\nA1,E1\nA2,\xFF\xFE\x80\n";
  std::string error;
  EXPECT_FALSE(to_utf8(text, Encoding::Detect, error));
  EXPECT_NE(error.find("neither UTF-8 nor GBK/GB18030"), std::string::npos) << error;
  EXPECT_NE(error.find("0xFF at byte offset 23 (line 3)"), std::string::npos) << error;
  EXPECT_NE(error.find("CSV UTF-8"), std::string::npos) << error;
  EXPECT_TRUE(is_valid_utf8(error));
  EXPECT_EQ(text, "id,enterprise\nA1,E1\nA2,\xFF\xFE\x80\n") << "a refused text is left as it was";
}

TEST(Encoding, EachReadingSaysWhereItStopped) {
  // Valid GBK up to line 3 (so UTF-8 stops at line 2), then a byte GB18030 cannot read.
  std::string text = "id,n\nA1," + kGbkQiye + "\nA2,ok\nA3,\x80\n";
  std::string error;
  EXPECT_FALSE(to_utf8(text, Encoding::Detect, error));
  EXPECT_NE(error.find("as UTF-8, the byte 0xC6 at byte offset 8 (line 2)"), std::string::npos) << error;
  EXPECT_NE(error.find("as GB18030, the byte 0x80 at byte offset 22 (line 4)"), std::string::npos) << error;
}

TEST(Encoding, ANamedEncodingThatDoesNotFitIsRefused) {
  std::string text = "A1," + kGbkQiye + "\n", error;
  EXPECT_FALSE(to_utf8(text, Encoding::Utf8, error));
  EXPECT_NE(error.find("not UTF-8 text (--encoding utf-8)"), std::string::npos) << error;
  EXPECT_NE(error.find("byte offset 3 (line 1)"), std::string::npos) << error;
  std::string cut = "A1,\xC6";  // a GBK character cut off at the end of the file
  EXPECT_FALSE(to_utf8(cut, Encoding::Gbk, error));
  EXPECT_NE(error.find("0xC6 at byte offset 3 (line 1, a character cut off by the end of the file)"), std::string::npos) << error;
}

TEST(Encoding, Utf16IsNamed) {
  std::string text("\xFF\xFEi\0d\0", 6), error;
  EXPECT_FALSE(to_utf8(text, Encoding::Detect, error));
  EXPECT_NE(error.find("UTF-16"), std::string::npos) << error;
}

TEST(Encoding, Names) {
  Encoding e = Encoding::Detect;
  EXPECT_TRUE(encoding_from_name("", &e));
  EXPECT_EQ(e, Encoding::Detect);
  EXPECT_TRUE(encoding_from_name("UTF-8", &e));
  EXPECT_EQ(e, Encoding::Utf8);
  EXPECT_TRUE(encoding_from_name("gbk", &e));
  EXPECT_EQ(e, Encoding::Gbk);
  EXPECT_TRUE(encoding_from_name("GB18030", &e));
  EXPECT_EQ(e, Encoding::Gb18030);
  EXPECT_FALSE(encoding_from_name("big5", &e));
}

TEST(OpenInput, FormatsAndOptionsThatDoNotApply) {
  EXPECT_EQ(format_from_path("a/b.XLSX"), Format::Xlsx);
  EXPECT_EQ(format_from_path("b.csv"), Format::Csv);
  EXPECT_EQ(format_from_path("b.xls"), Format::Jsonl);
  EXPECT_EQ(resolve_format("xlsx", "-"), Format::Xlsx);
  std::string data = "{\"a\":1}\n", error;
  ReadOptions how;
  how.sheet = "申报";
  EXPECT_EQ(open_input(data, "x.jsonl", how, error), nullptr);
  EXPECT_NE(error.find("--sheet applies to .xlsx"), std::string::npos) << error;
  how = ReadOptions{};
  how.encoding = "gbk";
  EXPECT_EQ(open_input(data, "x.jsonl", how, error), nullptr);
  EXPECT_NE(error.find("applies to CSV files"), std::string::npos) << error;
  how.encoding = "latin1";
  EXPECT_EQ(open_input(data, "x.csv", how, error), nullptr);
  EXPECT_NE(error.find("unknown encoding"), std::string::npos) << error;
}

TEST(OpenInput, AWorkbookUnderAnotherNameIsNamed) {
  std::string zip("PK\x03\x04rest", 8), xls("\xD0\xCF\x11\xE0rest", 8), error;
  EXPECT_EQ(open_input(zip, "apps.csv", ReadOptions{}, error), nullptr);
  EXPECT_EQ(error, "apps.csv: this is a zip archive (an .xlsx workbook?), not CSV text; name it .xlsx or add --input-format xlsx");
  EXPECT_EQ(open_input(xls, "-", ReadOptions{}, error), nullptr);
  EXPECT_EQ(error, "<stdin>: this is an Excel 97–2003 workbook (.xls), not JSON Lines; save it as .xlsx or as CSV");
}

TEST(OpenInput, AGbkCsvIsReadAsUtf8Records) {
  std::string data = "id,enterprise\nA1," + kGbkQiye + "\n", error;
  auto reader = open_input(data, "a.csv", ReadOptions{}, error);
  ASSERT_NE(reader, nullptr) << error;
  RawRecord rec;
  ASSERT_TRUE(reader->next(rec));
  ASSERT_EQ(rec.fields.size(), 2u);
  EXPECT_EQ(rec.fields[1].text, "企业");
  std::string bad = "id\n\xFF\n";
  EXPECT_EQ(open_input(bad, "bad.csv", ReadOptions{}, error), nullptr);
  EXPECT_EQ(error.rfind("bad.csv: the file is neither", 0), 0u) << error;
}

}  // namespace
}  // namespace pol::input
