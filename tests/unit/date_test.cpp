// Unit tests for values/date: civil day numbers, strict parsing, month-end clamping and
// term arithmetic. Reference day numbers were computed independently (Python datetime).
#include "values/date.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace pol {
namespace {

int32_t D(std::string_view s) {
  int32_t out = INT32_MIN;
  EXPECT_TRUE(parse_date(s, &out)) << s;
  return out;
}

std::string plus(std::string_view date, Duration d) {
  int32_t out;
  if (!add_duration(D(date), d, &out)) return "overflow";
  return date_str(out);
}

std::string end_of(std::string_view start, Duration d) {
  int32_t out;
  if (!term_end(D(start), d, &out)) return "overflow";
  return date_str(out);
}

TEST(CivilDate, KnownDayNumbers) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2024, 2, 29), 19782);
  EXPECT_EQ(days_from_civil(2025, 1, 10), 20098);
  EXPECT_EQ(days_from_civil(1000, 1, 1), -354285);
  EXPECT_EQ(days_from_civil(9999, 12, 31), 2932896);
  int y;
  unsigned m, d;
  civil_from_days(-354285, &y, &m, &d);
  EXPECT_EQ(y, 1000);
  EXPECT_EQ(m, 1u);
  EXPECT_EQ(d, 1u);
  civil_from_days(11016, &y, &m, &d);
  EXPECT_EQ(y, 2000);
  EXPECT_EQ(m, 2u);
  EXPECT_EQ(d, 29u);
}

TEST(CivilDate, LeapYears) {
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_TRUE(is_leap_year(1600));
  EXPECT_FALSE(is_leap_year(2023));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_FALSE(is_leap_year(2100));
  EXPECT_EQ(days_in_month(2024, 2), 29u);
  EXPECT_EQ(days_in_month(2023, 2), 28u);
  EXPECT_EQ(days_in_month(2023, 4), 30u);
  EXPECT_EQ(days_in_month(2023, 12), 31u);
  EXPECT_EQ(days_in_month(2023, 13), 0u);
}

TEST(CivilDate, ParseAcceptsRealDates) {
  EXPECT_EQ(D("2024-02-29"), 19782);
  EXPECT_EQ(D("2025-01-10"), 20098);
  EXPECT_EQ(D("2000-02-29"), days_from_civil(2000, 2, 29));
  EXPECT_EQ(D("1000-01-01"), -354285);
  EXPECT_EQ(D("9999-12-31"), 2932896);
  EXPECT_EQ(D("2023-12-31") + 1, D("2024-01-01"));
}

TEST(CivilDate, ParseRejects) {
  for (const char* s : {"2023-02-29", "2025-02-30", "1900-02-29", "2025-04-31", "2025-13-01", "2025-00-10",
                        "2025-01-00", "2025-01-32", "0999-12-31", "2025-1-10", "2025-01-1", "25-01-10",
                        "2025/01/10", "2025-01-10 ", " 2025-01-10", "2025-01-10T00", "+025-01-10", "-025-01-10",
                        "20250110", "", "2025-0a-10", "１２３４-01-01", "10000-01-01"}) {
    int32_t out = 4242;
    EXPECT_FALSE(parse_date(s, &out)) << s;
    EXPECT_EQ(out, 4242) << s;
  }
}

TEST(CivilDate, FormatParseRoundTripOverTheWholeRange) {
  // Walks every parseable day and checks it against a naive y/m/d counter, so an error in either
  // direction of the conversion (or in leap-year handling) shows up as a mismatch.
  int y = 1000;
  unsigned m = 1, d = 1;
  const int32_t first = days_from_civil(1000, 1, 1);
  const int32_t last = days_from_civil(9999, 12, 31);
  char expect[16];
  std::string text;
  for (int32_t day = first; day <= last; ++day) {
    std::snprintf(expect, sizeof(expect), "%04d-%02u-%02u", y, m, d);
    text.clear();
    format_date(day, text);
    ASSERT_EQ(text, expect) << day;
    int32_t back;
    ASSERT_TRUE(parse_date(text, &back)) << text;
    ASSERT_EQ(back, day);
    ASSERT_EQ(year_of(day), y);
    if (++d > days_in_month(y, m)) {
      d = 1;
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
  }
  EXPECT_EQ(y, 10000);
}

TEST(CivilDate, FormatOutsideParseRange) {
  EXPECT_EQ(date_str(0), "1970-01-01");
  EXPECT_EQ(date_str(days_from_civil(5, 3, 7)), "0005-03-07");
  EXPECT_EQ(date_str(days_from_civil(-1, 12, 31)), "-0001-12-31");
  EXPECT_EQ(date_str(days_from_civil(12345, 6, 1)), "12345-06-01");
  std::string s = "on ";
  format_date(20098, s);
  EXPECT_EQ(s, "on 2025-01-10");
}

TEST(CivilDate, YearOf) {
  EXPECT_EQ(year_of(D("2024-12-31")), 2024);
  EXPECT_EQ(year_of(D("2025-01-01")), 2025);
  EXPECT_EQ(year_of(0), 1970);
  EXPECT_EQ(year_of(-1), 1969);
}

TEST(CivilDate, AddDurationClampsToMonthEnd) {
  EXPECT_EQ(plus("2024-02-29", {1, 0, 0}), "2025-02-28");
  EXPECT_EQ(plus("2024-02-29", {4, 0, 0}), "2028-02-29");
  EXPECT_EQ(plus("2024-02-29", {-1, 0, 0}), "2023-02-28");
  EXPECT_EQ(plus("2024-01-31", {0, 1, 0}), "2024-02-29");
  EXPECT_EQ(plus("2023-01-31", {0, 1, 0}), "2023-02-28");
  EXPECT_EQ(plus("2025-03-31", {0, 1, 0}), "2025-04-30");
  EXPECT_EQ(plus("2024-03-31", {0, -1, 0}), "2024-02-29");
  // Years and months are one step, then days: Jan 31 + 1 month + 1 day is Feb 29 + 1 day.
  EXPECT_EQ(plus("2024-01-31", {0, 1, 1}), "2024-03-01");
  EXPECT_EQ(plus("2023-01-31", {1, 1, 0}), "2024-02-29");
  EXPECT_EQ(plus("2024-12-15", {0, 1, 0}), "2025-01-15");
  EXPECT_EQ(plus("2024-12-15", {0, 13, 0}), "2026-01-15");
  EXPECT_EQ(plus("2025-01-15", {0, -1, 0}), "2024-12-15");
  EXPECT_EQ(plus("2025-01-15", {0, -25, 0}), "2022-12-15");
  EXPECT_EQ(plus("2024-02-28", {0, 0, 1}), "2024-02-29");
  EXPECT_EQ(plus("2025-01-01", {0, 0, -1}), "2024-12-31");
  EXPECT_EQ(plus("2025-01-10", {0, 0, 0}), "2025-01-10");
  EXPECT_EQ(plus("2024-08-31", {1, 6, 0}), "2026-02-28");
}

TEST(CivilDate, AddDurationOutOfRange) {
  int32_t out = 99;
  EXPECT_FALSE(add_duration(D("2025-01-10"), {0, 0, INT32_MAX}, &out));
  EXPECT_FALSE(add_duration(D("2025-01-10"), {INT32_MAX, 0, 0}, &out));
  EXPECT_FALSE(add_duration(D("2025-01-10"), {INT32_MIN, INT32_MIN, 0}, &out));
  EXPECT_FALSE(add_duration(INT32_MAX, {0, 0, 1}, &out));
  EXPECT_FALSE(add_duration(INT32_MIN, {0, 0, -1}, &out));
  EXPECT_EQ(out, 99);
  ASSERT_TRUE(add_duration(INT32_MAX - 1, {0, 0, 1}, &out));
  EXPECT_EQ(out, INT32_MAX);
  ASSERT_TRUE(add_duration(0, {1000000, 0, 0}, &out));
  EXPECT_EQ(year_of(out), 1001970);
}

TEST(CivilDate, TermEnd) {
  EXPECT_EQ(end_of("2025-01-10", {3, 0, 0}), "2028-01-09");
  EXPECT_EQ(end_of("2025-01-01", {1, 0, 0}), "2025-12-31");
  EXPECT_EQ(end_of("2025-01-10", {0, 6, 0}), "2025-07-09");
  EXPECT_EQ(end_of("2025-03-01", {0, 1, 0}), "2025-03-31");
  EXPECT_EQ(end_of("2024-03-01", {0, 0, 1}), "2024-03-01");
  EXPECT_EQ(end_of("2024-03-01", {0, 0, 10}), "2024-03-10");
  // Following the start + d - 1 rule literally: the clamped Feb 28 is the day after the term.
  EXPECT_EQ(end_of("2024-02-29", {1, 0, 0}), "2025-02-27");
  int32_t out;
  EXPECT_FALSE(term_end(D("2025-01-10"), {INT32_MAX, 0, 0}, &out));
  EXPECT_FALSE(term_end(INT32_MIN, {0, 0, 0}, &out));
}

TEST(CivilDate, FormatDuration) {
  EXPECT_EQ(duration_str({3, 0, 0}), "3 years");
  EXPECT_EQ(duration_str({1, 6, 0}), "1 year 6 months");
  EXPECT_EQ(duration_str({0, 0, 10}), "10 days");
  EXPECT_EQ(duration_str({0, 1, 1}), "1 month 1 day");
  EXPECT_EQ(duration_str({2, 0, 3}), "2 years 3 days");
  EXPECT_EQ(duration_str({0, 0, 0}), "0 days");
  EXPECT_EQ(duration_str({0, -2, 0}), "-2 months");
  std::string s = "term: ";
  format_duration({1, 0, 0}, s);
  EXPECT_EQ(s, "term: 1 year");
  std::string zh;
  format_duration_zh({1, 6, 0}, zh);
  zh += "，";
  format_duration_zh({0, -36, 0}, zh);
  zh += "，";
  format_duration_zh({0, 0, 0}, zh);
  EXPECT_EQ(zh, "1年6个月，-36个月，0天");
}

}  // namespace
}  // namespace pol
