// Unit tests of cell normalisation (runtime/portfolio/cells.h): each spelling an office writes is
// read exactly, and each ambiguous or malformed one is refused.
#include <gtest/gtest.h>

#include <string>

#include "runtime/portfolio/cells.h"
#include "values/date.h"

namespace pol::cells {
namespace {

TEST(Cells, TrimRemovesAsciiFullWidthAndNoBreakSpaces) {
  EXPECT_EQ(trim("  是 "), "是");
  EXPECT_EQ(trim("\xE3\x80\x80" "600万" "\xE3\x80\x80"), "600万");  // U+3000 on both sides
  EXPECT_EQ(trim("\xC2\xA0" "A1\t\r\n"), "A1");
  EXPECT_EQ(trim("\xE3\x80\x80 \xE3\x80\x80"), "");
  EXPECT_EQ(trim("a b"), "a b");  // spaces inside stay
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("\xE3\x80"), "\xE3\x80");  // a cut-off character is not a space
}

TEST(Cells, Booleans) {
  for (std::string_view t : {"true", "True", "TRUE", "是", "1"}) {
    bool b = false;
    EXPECT_TRUE(parse_bool(t, &b)) << t;
    EXPECT_TRUE(b) << t;
  }
  for (std::string_view f : {"false", "False", "FALSE", "否", "0"}) {
    bool b = true;
    EXPECT_TRUE(parse_bool(f, &b)) << f;
    EXPECT_FALSE(b) << f;
  }
  bool b = false;
  for (std::string_view no : {"yes", "no", "Y", "N", "对", "不是", "tRUE", "2", "1.0", "", " 是"})
    EXPECT_FALSE(parse_bool(no, &b)) << no;
}

int64_t fen(std::string_view s) {
  int64_t v = -1;
  EXPECT_EQ(parse_money(s, &v), DecimalError::None) << s;
  return v;
}

TEST(Cells, MoneyWithUnitsAndSeparatorsIsExact) {
  EXPECT_EQ(fen("600万"), 600'0000'00);
  EXPECT_EQ(fen("1,000,000.00元"), 1'000'000'00);
  EXPECT_EQ(fen("12.5万元"), 125'000'00);
  EXPECT_EQ(fen("12.5万"), 125'000'00);
  EXPECT_EQ(fen("1.2345亿"), 123'450'000'00);
  EXPECT_EQ(fen("3亿元"), 300'000'000'00);
  EXPECT_EQ(fen("0.01元"), 1);
  EXPECT_EQ(fen("1234.56"), 1234'56);
  EXPECT_EQ(fen("600 万"), 600'0000'00);      // a space before the unit
  EXPECT_EQ(fen("1,500万"), 1500'0000'00);    // separators with a unit
  EXPECT_EQ(fen("0.000001亿"), 100'00);
  EXPECT_EQ(fen("0.0000000001亿"), 1);         // the finest 亿 that is whole fen
  EXPECT_EQ(fen("1.234567万"), 12345'67);
  // 0.1 + 0.2 in floating point is not 0.3; here it never meets floating point.
  EXPECT_EQ(fen("0.3万"), 3000'00);
  std::string_view unit;
  int64_t v = 0;
  EXPECT_EQ(parse_money("12.5万元", &v, &unit), DecimalError::None);
  EXPECT_EQ(unit, "万元");
  EXPECT_EQ(parse_money("12.5", &v, &unit), DecimalError::None);
  EXPECT_EQ(unit, "");
}

TEST(Cells, MoneyThatIsAmbiguousOrMalformedIsRefused) {
  int64_t v = 0;
  EXPECT_EQ(parse_money("1.2345678万", &v), DecimalError::TooPrecise);  // 12345.678 元: not whole fen
  EXPECT_EQ(parse_money("0.00000000001亿", &v), DecimalError::TooPrecise);  // 0.001 元
  EXPECT_EQ(parse_money("1.001", &v), DecimalError::TooPrecise);
  EXPECT_EQ(parse_money("-600万", &v), DecimalError::Negative);
  EXPECT_EQ(parse_money("万", &v), DecimalError::Syntax);
  EXPECT_EQ(parse_money("元", &v), DecimalError::Syntax);
  EXPECT_EQ(parse_money("约125万元", &v), DecimalError::Syntax);
  EXPECT_EQ(parse_money("125万元左右", &v), DecimalError::Syntax);
  EXPECT_EQ(parse_money("1,00,000", &v), DecimalError::Syntax);  // groups of three only
  EXPECT_EQ(parse_money("1.5e6", &v), DecimalError::Syntax);
  EXPECT_EQ(parse_money("600元万", &v), DecimalError::Syntax);
  EXPECT_EQ(parse_money("600万万", &v), DecimalError::Syntax);
  EXPECT_EQ(parse_money("600千", &v), DecimalError::Syntax);
  EXPECT_EQ(parse_money("¥600", &v), DecimalError::Syntax);
  EXPECT_EQ(parse_money("1000000000亿", &v), DecimalError::Overflow);
}

std::string date(std::string_view s, DateCell want = DateCell::Ok) {
  int32_t d = 0;
  EXPECT_EQ(parse_date(s, &d), want) << s;
  return want == DateCell::Ok ? date_str(d) : "";
}

TEST(Cells, DatesInEveryOfficeSpelling) {
  EXPECT_EQ(date("2023-06-01"), "2023-06-01");
  EXPECT_EQ(date("2023/06/01"), "2023-06-01");
  EXPECT_EQ(date("2023/6/1"), "2023-06-01");
  EXPECT_EQ(date("2023年6月1日"), "2023-06-01");
  EXPECT_EQ(date("2023年06月01日"), "2023-06-01");
  EXPECT_EQ(date("2023.06.01"), "2023-06-01");
  EXPECT_EQ(date("2024/2/29"), "2024-02-29");
}

TEST(Cells, DatesThatAreAmbiguousOrImpossibleAreRefused) {
  for (std::string_view s : {"06/01/2023", "1/6/2023", "2023/06-01", "20230601", "2023-6", "2023年6月1", "2023年6月",
                             "23/6/1", "2023/006/01", "2023-06-01 12:00", "45078", "", "2023年6月1日 ", "0999-01-01"})
    date(s, DateCell::NotADate);
  for (std::string_view s : {"2023/2/29", "2023-02-30", "2023年13月1日", "2023.00.10", "2023/6/0", "2023/6/31"})
    date(s, DateCell::NoSuchDay);
}

std::string month(std::string_view s, DateCell want = DateCell::Ok) {
  int32_t d = 0;
  EXPECT_EQ(parse_year_month(s, &d), want) << s;
  return want == DateCell::Ok ? date_str(d) : "";
}

TEST(Cells, YearMonths) {
  EXPECT_EQ(month("2023-06"), "2023-06-01");
  EXPECT_EQ(month("2023/06"), "2023-06-01");
  EXPECT_EQ(month("2023/6"), "2023-06-01");
  EXPECT_EQ(month("2023年6月"), "2023-06-01");
  EXPECT_EQ(month("2023.12"), "2023-12-01");
  for (std::string_view s : {"2023-06-01", "06/2023", "2023年6", "202306", "2023-", "2023"}) month(s, DateCell::NotADate);
  for (std::string_view s : {"2023-13", "2023年0月"}) month(s, DateCell::NoSuchDay);
}

}  // namespace
}  // namespace pol::cells
