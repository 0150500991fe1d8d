// Exact fixed-point arithmetic for money (fen), rates (ppm) and decimals (millionths).
// Subsidy amounts must be reproducible to the fen, so nothing here touches floating point,
// and because this is the batch evaluator's hot path nothing throws or allocates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pol {

constexpr int64_t kMoneyScale = 100;        // money: int64 fen (0.01 yuan)
constexpr int64_t kRateScale = 1000000;     // rate: int64 parts-per-million; 30% == 300000, 100% == 1000000
constexpr int64_t kDecimalScale = 1000000;  // decimal (scores etc.): int64 millionths

// Modes follow java.math.RoundingMode, the convention finance staff already know: Down and Up
// are relative to zero (Down truncates, 舍去), HalfUp sends ties away from zero, so negative
// amounts round as the mirror image of positive ones.
enum class RoundingMode : uint8_t { HalfUp, Down, Up, HalfEven };

const char* rounding_name(RoundingMode m);     // "half up", "down", "up", "half even"
const char* rounding_name_zh(RoundingMode m);  // "四舍五入", "向下取整", "向上取整", "银行家舍入"
// Accepts either the English or the Chinese name (plus 舍去 for Down). false if unknown.
bool rounding_from_name(std::string_view name, RoundingMode* out);

// Rounds the exact quotient num/den (den != 0, any signs) to an integer with mode m.
// false if den == 0 or the result doesn't fit int64.
bool round_div(__int128 num, __int128 den, RoundingMode m, int64_t* out);
// Rounds value to a multiple of quantum (>0) using m.  e.g. quantize(123456, 10000, HalfUp) -> 120000
bool quantize(int64_t value, int64_t quantum, RoundingMode m, int64_t* out);

bool add_checked(int64_t a, int64_t b, int64_t* out);
bool sub_checked(int64_t a, int64_t b, int64_t* out);
bool mul_checked(int64_t a, int64_t b, int64_t* out);

// rate(ppm) x money(fen): exact product, then rounded to a multiple of quantum_fen (e.g. 1 for
// 0.01 yuan, 100 for whole yuan, 1000000 for 1万) with m. Rounding once, at the end, is what
// makes "30% of 12345.65 = 3703.70" come out the way a human auditor computes it.
bool mul_rate_money(int64_t rate_ppm, int64_t fen, RoundingMode m, int64_t quantum_fen, int64_t* out_fen);
// decimal(millionths) x money(fen), same rounding contract
bool mul_decimal_money(int64_t dec, int64_t fen, RoundingMode m, int64_t quantum_fen, int64_t* out_fen);
bool mul_rate_rate(int64_t a_ppm, int64_t b_ppm, int64_t* out_ppm);  // rounded half up to ppm
// money / money -> rate (ppm), rounded half up. false if b == 0 or overflow
bool div_money_money(int64_t a_fen, int64_t b_fen, int64_t* out_ppm);
// floor(fen * num / den) for den > 0, num >= 0 — pro-rata scaling of awards, computed exactly in
// 128 bits. Floor (not nearest) so scaled shares of a capped budget can never sum past the cap.
bool scale_down(int64_t fen, int64_t num, int64_t den, int64_t* out_fen);

enum class DecimalError : uint8_t { None, Empty, Syntax, Negative, TooPrecise, Overflow };
// Lowercase English predicate phrase, meant to follow the offending text ("'1.234' has too many
// decimal places"). The one-argument form cannot know the scale, so it stays generic.
const char* decimal_error_message(DecimalError e);
// Same, but TooPrecise names the limit: "has more than 2 decimal places" for scale 2,
// "must be a whole number" for scale 0.
const char* decimal_error_message(DecimalError e, int scale_digits);

// Parses plain decimal text exactly, never through floating point: optional leading '-', digits,
// optional '.' digits. Accepts digit-group commas only in the form 6,000,000 (groups of exactly
// three). Rejects exponents, spaces, '+', empty, and a bare ".5" or "5.".
// scale_digits (>= 0; negative -> Syntax): 2 for money (fen), 6 for rate/decimal millionths, 0 for int.
// allow_negative=false -> Negative for any leading '-', including "-0" and "-0.00".
// More fractional digits than scale_digits -> TooPrecise, EXCEPT trailing zeros beyond the scale
// are fine ("1.500" at scale 2 is ok). Errors are reported in the order Empty, Syntax, Negative,
// TooPrecise, Overflow. *out is written only on None.
DecimalError parse_decimal(std::string_view text, int scale_digits, bool allow_negative, int64_t* out);

// Formatting (append to out; no locale). Every output parses back with parse_decimal once the
// unit (" 元", "%") is stripped: money at scale 2, rate-as-percent at scale 4, decimal at scale 6.
void format_money(int64_t fen, std::string& out);        // "6,000,000.00 元"  (negative: "-1,234.50 元")
void format_money_plain(int64_t fen, std::string& out);  // "6000000.00" (exactly two decimals, for JSON/CSV)
void format_rate(int64_t ppm, std::string& out);         // "30%", "12.5%", "0.0001%" (trim trailing zeros)
void format_decimal(int64_t micro, std::string& out);    // "80", "80.5", "-0.25"
void format_int_grouped(int64_t v, std::string& out);    // "1,000,000"

std::string money_str(int64_t fen);
std::string money_plain_str(int64_t fen);
std::string rate_str(int64_t ppm);
std::string decimal_str(int64_t micro);
std::string int_grouped_str(int64_t v);

}  // namespace pol
