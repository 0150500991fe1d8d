// Unit tests for values/fixed: rounding, overflow, parsing and formatting of money,
// rates and decimals. Amounts are written in fen so each expectation is exact.
#include "values/fixed.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pol {
namespace {

constexpr int64_t kYuan = 100;  // fen per yuan
constexpr int64_t kWan = 10000 * kYuan;

int64_t rate_money(int64_t ppm, int64_t fen, RoundingMode m, int64_t quantum = 1) {
  int64_t out = INT64_MIN;
  EXPECT_TRUE(mul_rate_money(ppm, fen, m, quantum, &out)) << ppm << " x " << fen;
  return out;
}

int64_t rdiv(__int128 num, __int128 den, RoundingMode m) {
  int64_t out = INT64_MIN;
  EXPECT_TRUE(round_div(num, den, m, &out));
  return out;
}

TEST(FixedRounding, HalfUpAtExactlyHalfFen) {
  // 30% of 0.05 yuan = 0.015 yuan = 1.5 fen.
  EXPECT_EQ(rate_money(300000, 5, RoundingMode::HalfUp), 2);
  // 30% of 12345.65 yuan = 3703.695 yuan.
  EXPECT_EQ(rate_money(300000, 1234565, RoundingMode::HalfUp), 370370);
  EXPECT_EQ(rate_money(300000, 1234565, RoundingMode::Down), 370369);
  EXPECT_EQ(rate_money(300000, 1234565, RoundingMode::Up), 370370);
  // 370369 is odd, so banker's rounding also goes up here.
  EXPECT_EQ(rate_money(300000, 1234565, RoundingMode::HalfEven), 370370);
}

TEST(FixedRounding, ModesOnTiesAndNegatives) {
  // 50% of 5 fen = 2.5 fen; 50% of 7 fen = 3.5 fen.
  EXPECT_EQ(rate_money(500000, 5, RoundingMode::HalfUp), 3);
  EXPECT_EQ(rate_money(500000, 5, RoundingMode::HalfEven), 2);
  EXPECT_EQ(rate_money(500000, 5, RoundingMode::Down), 2);
  EXPECT_EQ(rate_money(500000, 5, RoundingMode::Up), 3);
  EXPECT_EQ(rate_money(500000, 7, RoundingMode::HalfEven), 4);
  // Negative amounts round as mirror images: Down is toward zero, HalfUp ties away from zero.
  EXPECT_EQ(rate_money(500000, -5, RoundingMode::HalfUp), -3);
  EXPECT_EQ(rate_money(500000, -5, RoundingMode::HalfEven), -2);
  EXPECT_EQ(rate_money(500000, -5, RoundingMode::Down), -2);
  EXPECT_EQ(rate_money(500000, -5, RoundingMode::Up), -3);
  EXPECT_EQ(rate_money(-500000, 7, RoundingMode::HalfEven), -4);
  EXPECT_EQ(rate_money(-500000, -7, RoundingMode::HalfUp), 4);
}

TEST(FixedRounding, RoundDivAllSigns) {
  EXPECT_EQ(rdiv(7, 2, RoundingMode::HalfUp), 4);
  EXPECT_EQ(rdiv(-7, 2, RoundingMode::HalfUp), -4);
  EXPECT_EQ(rdiv(7, -2, RoundingMode::HalfUp), -4);
  EXPECT_EQ(rdiv(-7, -2, RoundingMode::HalfUp), 4);
  EXPECT_EQ(rdiv(5, 2, RoundingMode::HalfEven), 2);
  EXPECT_EQ(rdiv(-5, 2, RoundingMode::HalfEven), -2);
  EXPECT_EQ(rdiv(-5, 2, RoundingMode::Down), -2);
  EXPECT_EQ(rdiv(-5, 2, RoundingMode::Up), -3);
  // Just below and just above the tie.
  EXPECT_EQ(rdiv(1499, 1000, RoundingMode::HalfUp), 1);
  EXPECT_EQ(rdiv(1501, 1000, RoundingMode::HalfEven), 2);
  EXPECT_EQ(rdiv(1, 3, RoundingMode::Up), 1);
  EXPECT_EQ(rdiv(-1, 3, RoundingMode::Down), 0);
  EXPECT_EQ(rdiv(0, -3, RoundingMode::Up), 0);
  // Exact quotients are never bumped.
  EXPECT_EQ(rdiv(9, 3, RoundingMode::Up), 3);

  int64_t out = 42;
  EXPECT_FALSE(round_div(1, 0, RoundingMode::HalfUp, &out));
  EXPECT_EQ(out, 42);
  EXPECT_EQ(rdiv(INT64_MIN, 1, RoundingMode::Down), INT64_MIN);
  EXPECT_FALSE(round_div(static_cast<__int128>(INT64_MIN), -1, RoundingMode::Down, &out));
  EXPECT_FALSE(round_div(static_cast<__int128>(INT64_MAX) * 2, 1, RoundingMode::Down, &out));
  // INT64_MAX + 0.5 rounds up out of range, but not when truncated.
  const __int128 big = static_cast<__int128>(INT64_MAX) * 2 + 1;
  EXPECT_FALSE(round_div(big, 2, RoundingMode::HalfUp, &out));
  EXPECT_EQ(rdiv(big, 2, RoundingMode::Down), INT64_MAX);
  // The most negative 128-bit numerator does not trip the sign handling.
  const __int128 min128 = -(static_cast<__int128>(1) << 126) * 2;
  EXPECT_EQ(rdiv(min128, static_cast<__int128>(1) << 64, RoundingMode::HalfUp), INT64_MIN);
}

TEST(FixedRounding, QuantizeToYuanAndWan) {
  int64_t out;
  ASSERT_TRUE(quantize(123456, 10000, RoundingMode::HalfUp, &out));
  EXPECT_EQ(out, 120000);
  ASSERT_TRUE(quantize(125000, 10000, RoundingMode::HalfUp, &out));
  EXPECT_EQ(out, 130000);
  ASSERT_TRUE(quantize(125000, 10000, RoundingMode::HalfEven, &out));
  EXPECT_EQ(out, 120000);
  ASSERT_TRUE(quantize(-125000, 10000, RoundingMode::HalfUp, &out));
  EXPECT_EQ(out, -130000);
  ASSERT_TRUE(quantize(1234550, kYuan, RoundingMode::HalfUp, &out));
  EXPECT_EQ(out, 1234600);
  ASSERT_TRUE(quantize(1234599, kYuan, RoundingMode::Down, &out));
  EXPECT_EQ(out, 1234500);
  EXPECT_FALSE(quantize(1, 0, RoundingMode::HalfUp, &out));
  EXPECT_FALSE(quantize(1, -100, RoundingMode::HalfUp, &out));
  // Rounding up to the next multiple would pass INT64_MAX.
  EXPECT_FALSE(quantize(INT64_MAX, kYuan, RoundingMode::Up, &out));

  // 30% of 12345.65 yuan = 3703.695 yuan, to whole yuan.
  EXPECT_EQ(rate_money(300000, 1234565, RoundingMode::HalfUp, kYuan), 370400);
  EXPECT_EQ(rate_money(300000, 1234565, RoundingMode::Down, kYuan), 370300);
  // 30% of 1,234,567.89 yuan = 370,370.367 yuan, to 万.
  EXPECT_EQ(rate_money(300000, 123456789, RoundingMode::HalfUp, kWan), 37 * kWan);
  EXPECT_EQ(rate_money(300000, 123456789, RoundingMode::Up, kWan), 38 * kWan);
  // The exact product is rounded once: 30% of 149,999.99 yuan = 44,999.997 yuan is below 4.5万.
  // Rounding to fen first (45,000.00) and then to 万 would wrongly give 5万.
  EXPECT_EQ(rate_money(300000, 14999999, RoundingMode::HalfUp, kWan), 4 * kWan);
  EXPECT_EQ(rate_money(1000000, 45000 * kYuan - 1, RoundingMode::HalfUp, kWan), 4 * kWan);
  EXPECT_EQ(rate_money(1000000, 45000 * kYuan, RoundingMode::HalfUp, kWan), 5 * kWan);
  EXPECT_EQ(rate_money(1000000, 45000 * kYuan, RoundingMode::HalfEven, kWan), 4 * kWan);

  int64_t r;
  EXPECT_FALSE(mul_rate_money(300000, 100, RoundingMode::HalfUp, 0, &r));
}

TEST(FixedArithmetic, CheckedOverflow) {
  int64_t out;
  EXPECT_TRUE(add_checked(INT64_MAX - 1, 1, &out));
  EXPECT_EQ(out, INT64_MAX);
  EXPECT_FALSE(add_checked(INT64_MAX, 1, &out));
  EXPECT_FALSE(add_checked(INT64_MIN, -1, &out));
  EXPECT_TRUE(sub_checked(INT64_MIN + 1, 1, &out));
  EXPECT_EQ(out, INT64_MIN);
  EXPECT_FALSE(sub_checked(INT64_MIN, 1, &out));
  EXPECT_FALSE(sub_checked(0, INT64_MIN, &out));
  EXPECT_TRUE(mul_checked(INT64_MAX / 2, 2, &out));
  EXPECT_EQ(out, INT64_MAX - 1);
  EXPECT_FALSE(mul_checked(INT64_MAX / 2 + 1, 2, &out));
  EXPECT_FALSE(mul_checked(INT64_MIN, -1, &out));
  EXPECT_FALSE(mul_checked(3037000500LL, 3037000500LL, &out));
}

TEST(FixedArithmetic, MulRateMoneyOverflow) {
  int64_t out;
  // 100% of INT64_MAX is fine; 200% is not, and the 128-bit product itself never wraps.
  ASSERT_TRUE(mul_rate_money(1000000, INT64_MAX, RoundingMode::HalfUp, 1, &out));
  EXPECT_EQ(out, INT64_MAX);
  EXPECT_FALSE(mul_rate_money(2000000, INT64_MAX, RoundingMode::HalfUp, 1, &out));
  EXPECT_FALSE(mul_rate_money(INT64_MAX, INT64_MAX, RoundingMode::Down, 1, &out));
  EXPECT_FALSE(mul_rate_money(-2000000, INT64_MAX, RoundingMode::Down, 1, &out));
  ASSERT_TRUE(mul_rate_money(INT64_MAX, 1, RoundingMode::Down, 1, &out));
  EXPECT_EQ(out, INT64_MAX / 1000000);
  // In range in fen, but the next whole yuan up is not.
  ASSERT_TRUE(mul_rate_money(1000000, INT64_MAX, RoundingMode::HalfUp, kYuan, &out));
  EXPECT_EQ(out, INT64_MAX / 100 * 100);
  EXPECT_FALSE(mul_rate_money(1000000, INT64_MAX, RoundingMode::Up, kYuan, &out));
}

TEST(FixedArithmetic, MulDecimalMoney) {
  int64_t out;
  // Score 0.85 x 10,000.01 yuan = 8500.0085 yuan.
  ASSERT_TRUE(mul_decimal_money(850000, 1000001, RoundingMode::HalfUp, 1, &out));
  EXPECT_EQ(out, 850001);
  ASSERT_TRUE(mul_decimal_money(850000, 1000001, RoundingMode::Down, kYuan, &out));
  EXPECT_EQ(out, 850000);
  ASSERT_TRUE(mul_decimal_money(2500000, 333, RoundingMode::HalfEven, 1, &out));  // 832.5
  EXPECT_EQ(out, 832);
  EXPECT_FALSE(mul_decimal_money(1000001, INT64_MAX, RoundingMode::Down, 1, &out));
}

TEST(FixedArithmetic, RateTimesRate) {
  int64_t out;
  ASSERT_TRUE(mul_rate_rate(500000, 500000, &out));
  EXPECT_EQ(out, 250000);
  ASSERT_TRUE(mul_rate_rate(500000, 1, &out));  // 0.5 ppm rounds half up
  EXPECT_EQ(out, 1);
  ASSERT_TRUE(mul_rate_rate(499999, 1, &out));
  EXPECT_EQ(out, 0);
  ASSERT_TRUE(mul_rate_rate(-500000, 1, &out));
  EXPECT_EQ(out, -1);
  EXPECT_FALSE(mul_rate_rate(INT64_MAX, INT64_MAX, &out));
}

TEST(FixedArithmetic, DivMoneyMoney) {
  int64_t out;
  ASSERT_TRUE(div_money_money(1, 3, &out));
  EXPECT_EQ(out, 333333);
  ASSERT_TRUE(div_money_money(2, 3, &out));
  EXPECT_EQ(out, 666667);
  ASSERT_TRUE(div_money_money(300000 * kYuan, 1000000 * kYuan, &out));
  EXPECT_EQ(out, 300000);
  ASSERT_TRUE(div_money_money(-1, 8, &out));  // -0.125 -> -125000 ppm exactly
  EXPECT_EQ(out, -125000);
  ASSERT_TRUE(div_money_money(1, -2000000, &out));  // -0.5 ppm, ties away from zero
  EXPECT_EQ(out, -1);
  out = 7;
  EXPECT_FALSE(div_money_money(100, 0, &out));
  EXPECT_FALSE(div_money_money(0, 0, &out));
  EXPECT_EQ(out, 7);
  EXPECT_FALSE(div_money_money(INT64_MAX, 1, &out));
}

TEST(FixedArithmetic, ScaleDown) {
  int64_t out;
  // 3,000,000.00 yuan budget x 3,000,000 / 5,500,000 = 1,636,363.6363... -> floor to the fen.
  ASSERT_TRUE(scale_down(3000000 * kYuan, 3000000, 5500000, &out));
  EXPECT_EQ(out, 1636363 * kYuan + 63);
  // fen * num does not fit int64 but is exact in 128 bits.
  ASSERT_TRUE(scale_down(INT64_MAX, INT64_MAX, INT64_MAX, &out));
  EXPECT_EQ(out, INT64_MAX);
  ASSERT_TRUE(scale_down(INT64_MAX, INT64_MAX - 1, INT64_MAX, &out));
  EXPECT_EQ(out, INT64_MAX - 1);
  ASSERT_TRUE(scale_down(-7, 1, 2, &out));  // floor, not truncation
  EXPECT_EQ(out, -4);
  ASSERT_TRUE(scale_down(100, 0, 3, &out));
  EXPECT_EQ(out, 0);
  EXPECT_FALSE(scale_down(100, 1, 0, &out));
  EXPECT_FALSE(scale_down(100, 1, -1, &out));
  EXPECT_FALSE(scale_down(100, -1, 1, &out));
  EXPECT_FALSE(scale_down(INT64_MAX, 2, 1, &out));
}

TEST(FixedRounding, Names) {
  EXPECT_STREQ(rounding_name(RoundingMode::HalfUp), "half up");
  EXPECT_STREQ(rounding_name(RoundingMode::Down), "down");
  EXPECT_STREQ(rounding_name(RoundingMode::Up), "up");
  EXPECT_STREQ(rounding_name(RoundingMode::HalfEven), "half even");
  EXPECT_STREQ(rounding_name_zh(RoundingMode::HalfUp), "四舍五入");
  EXPECT_STREQ(rounding_name_zh(RoundingMode::Down), "向下取整");
  EXPECT_STREQ(rounding_name_zh(RoundingMode::Up), "向上取整");
  EXPECT_STREQ(rounding_name_zh(RoundingMode::HalfEven), "银行家舍入");
  for (RoundingMode m : {RoundingMode::HalfUp, RoundingMode::Down, RoundingMode::Up, RoundingMode::HalfEven}) {
    RoundingMode back = m == RoundingMode::Up ? RoundingMode::Down : RoundingMode::Up;
    ASSERT_TRUE(rounding_from_name(rounding_name(m), &back));
    EXPECT_EQ(back, m);
    back = m == RoundingMode::Up ? RoundingMode::Down : RoundingMode::Up;
    ASSERT_TRUE(rounding_from_name(rounding_name_zh(m), &back));
    EXPECT_EQ(back, m);
  }
  RoundingMode m;
  ASSERT_TRUE(rounding_from_name("舍去", &m));
  EXPECT_EQ(m, RoundingMode::Down);
  EXPECT_FALSE(rounding_from_name("nearest", &m));
  EXPECT_FALSE(rounding_from_name("", &m));
}

DecimalError parse(std::string_view s, int scale, bool neg, int64_t* out) {
  return parse_decimal(s, scale, neg, out);
}

int64_t parse_ok(std::string_view s, int scale, bool neg = true) {
  int64_t out = INT64_MIN + 12345;
  EXPECT_EQ(parse_decimal(s, scale, neg, &out), DecimalError::None) << "'" << s << "'";
  return out;
}

DecimalError parse_err(std::string_view s, int scale, bool neg = true) {
  int64_t out = 777;
  const DecimalError e = parse_decimal(s, scale, neg, &out);
  EXPECT_EQ(out, 777) << "out written on error for '" << s << "'";
  return e;
}

TEST(FixedParse, Accepts) {
  EXPECT_EQ(parse_ok("12345678.90", 2), 1234567890);
  EXPECT_EQ(parse_ok("0.05", 2), 5);
  EXPECT_EQ(parse_ok("6,000,000", 2), 600000000);
  EXPECT_EQ(parse_ok("6,000,000.50", 2), 600000050);
  EXPECT_EQ(parse_ok("1.500", 2), 150);
  EXPECT_EQ(parse_ok("1.5000000", 2), 150);
  EXPECT_EQ(parse_ok("0", 2), 0);
  EXPECT_EQ(parse_ok("007", 0), 7);
  EXPECT_EQ(parse_ok("999", 0), 999);
  EXPECT_EQ(parse_ok("1,000", 0), 1000);
  EXPECT_EQ(parse_ok("-5", 2), -500);
  EXPECT_EQ(parse_ok("-0", 2), 0);
  EXPECT_EQ(parse_ok("0.3", 6), 300000);
  EXPECT_EQ(parse_ok("0.000001", 6), 1);
  EXPECT_EQ(parse_ok("80.5", 6), 80500000);
  EXPECT_EQ(parse_ok("12.5", 4), 125000);
  EXPECT_EQ(parse_ok("92233720368547758.07", 2), INT64_MAX);
  EXPECT_EQ(parse_ok("-92233720368547758.08", 2), INT64_MIN);
  EXPECT_EQ(parse_ok("9223372036854775807", 0), INT64_MAX);
  EXPECT_EQ(parse_ok("-9,223,372,036,854,775,808", 0), INT64_MIN);
  // Leading zeros never count toward overflow.
  EXPECT_EQ(parse_ok("000000000000000000000000000001.10", 2), 110);
}

TEST(FixedParse, Rejects) {
  EXPECT_EQ(parse_err("", 2), DecimalError::Empty);
  EXPECT_EQ(parse_err("100.001", 2), DecimalError::TooPrecise);
  EXPECT_EQ(parse_err("0.0010", 2), DecimalError::TooPrecise);
  EXPECT_EQ(parse_err("1.5", 0), DecimalError::TooPrecise);
  EXPECT_EQ(parse_err("0.0000001", 6), DecimalError::TooPrecise);
  EXPECT_EQ(parse_err("-5", 2, false), DecimalError::Negative);
  EXPECT_EQ(parse_err("-0", 2, false), DecimalError::Negative);
  EXPECT_EQ(parse_err("-0.00", 2, false), DecimalError::Negative);
  EXPECT_EQ(parse_err("-1.234", 2, false), DecimalError::Negative);
  EXPECT_EQ(parse_err("99999999999999999999", 2), DecimalError::Overflow);
  EXPECT_EQ(parse_err("99999999999999999999", 0), DecimalError::Overflow);
  EXPECT_EQ(parse_err("9223372036854775808", 0), DecimalError::Overflow);
  EXPECT_EQ(parse_err("-9223372036854775809", 0), DecimalError::Overflow);
  EXPECT_EQ(parse_err("92233720368547758.08", 2), DecimalError::Overflow);
  EXPECT_EQ(parse_err("1", 19), DecimalError::Overflow);
  // 2^128 + 5: would wrap to 5 if overflow were only checked at the end.
  EXPECT_EQ(parse_err("340282366920938463463374607431768211461", 0), DecimalError::Overflow);
  for (const char* s : {"1e5", "1E5", "1,00", "1,0000", ",100", "100,", "1,,000", "1234,567", "1,234,56", "+5",
                        " 5", "5 ", "1 000", "-", "--5", "-.5", ".5", "5.", "1.2.3", "1.234x", "0x10", "abc", "１",
                        "1.,5", "1.5,0", "nan", "inf", "1_000", "١"}) {
    EXPECT_EQ(parse_err(s, 2), DecimalError::Syntax) << "'" << s << "'";
  }
  // Syntax is reported before sign and precision problems.
  EXPECT_EQ(parse_err("-1.234x", 2, false), DecimalError::Syntax);
  EXPECT_EQ(parse_err("1", -1), DecimalError::Syntax);
}

TEST(FixedParse, ErrorMessages) {
  EXPECT_STREQ(decimal_error_message(DecimalError::TooPrecise, 2), "has more than 2 decimal places");
  EXPECT_STREQ(decimal_error_message(DecimalError::TooPrecise, 1), "has more than 1 decimal place");
  EXPECT_STREQ(decimal_error_message(DecimalError::TooPrecise, 0), "must be a whole number");
  EXPECT_STREQ(decimal_error_message(DecimalError::Negative, 2), decimal_error_message(DecimalError::Negative));
  for (DecimalError e : {DecimalError::None, DecimalError::Empty, DecimalError::Syntax, DecimalError::Negative,
                         DecimalError::TooPrecise, DecimalError::Overflow}) {
    const std::string msg = decimal_error_message(e);
    ASSERT_FALSE(msg.empty());
    for (char c : msg) EXPECT_FALSE(c >= 'A' && c <= 'Z') << msg;
  }
}

TEST(FixedFormat, Money) {
  EXPECT_EQ(money_str(600000000), "6,000,000.00 元");
  EXPECT_EQ(money_str(-123450), "-1,234.50 元");
  EXPECT_EQ(money_str(0), "0.00 元");
  EXPECT_EQ(money_str(5), "0.05 元");
  EXPECT_EQ(money_str(-5), "-0.05 元");
  EXPECT_EQ(money_str(99999), "999.99 元");
  EXPECT_EQ(money_str(100000), "1,000.00 元");
  EXPECT_EQ(money_str(INT64_MIN), "-92,233,720,368,547,758.08 元");
  EXPECT_EQ(money_plain_str(600000000), "6000000.00");
  EXPECT_EQ(money_plain_str(-123450), "-1234.50");
  EXPECT_EQ(money_plain_str(7), "0.07");
  EXPECT_EQ(money_plain_str(INT64_MAX), "92233720368547758.07");
  std::string s = "total: ";
  format_money(163636363, s);
  EXPECT_EQ(s, "total: 1,636,363.63 元");
}

TEST(FixedFormat, RateDecimalInt) {
  EXPECT_EQ(rate_str(300000), "30%");
  EXPECT_EQ(rate_str(125000), "12.5%");
  EXPECT_EQ(rate_str(1), "0.0001%");
  EXPECT_EQ(rate_str(0), "0%");
  EXPECT_EQ(rate_str(1000000), "100%");
  EXPECT_EQ(rate_str(123456), "12.3456%");
  EXPECT_EQ(rate_str(-50000), "-5%");
  EXPECT_EQ(decimal_str(80000000), "80");
  EXPECT_EQ(decimal_str(80500000), "80.5");
  EXPECT_EQ(decimal_str(-250000), "-0.25");
  EXPECT_EQ(decimal_str(1), "0.000001");
  EXPECT_EQ(decimal_str(0), "0");
  EXPECT_EQ(decimal_str(INT64_MIN), "-9223372036854.775808");
  EXPECT_EQ(int_grouped_str(1000000), "1,000,000");
  EXPECT_EQ(int_grouped_str(999), "999");
  EXPECT_EQ(int_grouped_str(1000), "1,000");
  EXPECT_EQ(int_grouped_str(0), "0");
  EXPECT_EQ(int_grouped_str(-1234567), "-1,234,567");
  EXPECT_EQ(int_grouped_str(INT64_MIN), "-9,223,372,036,854,775,808");
}

std::string strip_suffix(std::string s, std::string_view suffix) {
  EXPECT_GE(s.size(), suffix.size());
  EXPECT_EQ(s.compare(s.size() - suffix.size(), suffix.size(), suffix), 0) << s;
  s.resize(s.size() - suffix.size());
  return s;
}

TEST(FixedFormat, RoundTrips) {
  // A fixed LCG sweep plus the edges: every formatted value must parse back to itself.
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  std::vector<int64_t> values = {0, 1, -1, 5, 99, 100, 101, 999999, 1000000, INT64_MAX, INT64_MIN, INT64_MIN + 1};
  for (int i = 0; i < 20000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const int shift = static_cast<int>(x % 64);
    values.push_back(static_cast<int64_t>(x) >> shift);
  }
  for (int64_t v : values) {
    int64_t back = 0;
    ASSERT_EQ(parse(strip_suffix(money_str(v), " 元"), 2, true, &back), DecimalError::None) << v;
    EXPECT_EQ(back, v);
    ASSERT_EQ(parse(money_plain_str(v), 2, true, &back), DecimalError::None) << v;
    EXPECT_EQ(back, v);
    ASSERT_EQ(parse(strip_suffix(rate_str(v), "%"), 4, true, &back), DecimalError::None) << v;
    EXPECT_EQ(back, v);
    ASSERT_EQ(parse(decimal_str(v), 6, true, &back), DecimalError::None) << v;
    EXPECT_EQ(back, v);
    ASSERT_EQ(parse(int_grouped_str(v), 0, true, &back), DecimalError::None) << v;
    EXPECT_EQ(back, v);
  }
}

}  // namespace
}  // namespace pol
