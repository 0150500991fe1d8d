#include "values/fixed.h"

#include <cstddef>

namespace pol {

namespace {

using u128 = unsigned __int128;

constexpr u128 kInt64MaxMag = static_cast<u128>(INT64_MAX);
// |INT64_MIN| is one more than INT64_MAX; negative results may use it.
constexpr u128 kInt64MinMag = static_cast<u128>(INT64_MAX) + 1;

// Magnitudes in unsigned 128 bits so that INT128_MIN (and INT64_MIN) have a representable
// absolute value; signed negation would overflow there.
inline u128 magnitude(__int128 v) { return v < 0 ? static_cast<u128>(0) - static_cast<u128>(v) : static_cast<u128>(v); }

inline uint64_t magnitude64(int64_t v) { return v < 0 ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v); }

// Applies a sign to a magnitude and range-checks it into int64.
inline bool signed_fit(u128 mag, bool negative, int64_t* out) {
  if (negative) {
    if (mag > kInt64MinMag) return false;
    // Going through uint64 keeps the conversion of exactly 2^63 well defined.
    *out = static_cast<int64_t>(uint64_t{0} - static_cast<uint64_t>(mag));
  } else {
    if (mag > kInt64MaxMag) return false;
    *out = static_cast<int64_t>(mag);
  }
  return true;
}

// Writes the decimal digits of v into the end of buf and returns the first digit's position;
// the buffer is filled backwards so no reversal or allocation is needed.
inline char* write_digits_backward(uint64_t v, char* end) {
  char* p = end;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  return p;
}

void append_grouped(uint64_t v, std::string& out) {
  char buf[32];
  char* end = buf + sizeof(buf);
  char* p = end;
  int n = 0;
  do {
    if (n > 0 && n % 3 == 0) *--p = ',';
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
    ++n;
  } while (v != 0);
  out.append(p, static_cast<size_t>(end - p));
}

void append_plain(uint64_t v, std::string& out) {
  char buf[24];
  char* end = buf + sizeof(buf);
  char* p = write_digits_backward(v, end);
  out.append(p, static_cast<size_t>(end - p));
}

// Fixed-width fraction digits of frac (< 10^digits), optionally without trailing zeros.
// Appends nothing (not even the '.') when trimming leaves no digits.
void append_fraction(uint64_t frac, int digits, bool trim, std::string& out) {
  char buf[20];
  for (int i = digits - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  int len = digits;
  if (trim) {
    while (len > 0 && buf[len - 1] == '0') --len;
  }
  if (len == 0) return;
  out.push_back('.');
  out.append(buf, static_cast<size_t>(len));
}

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

const char* rounding_name(RoundingMode m) {
  switch (m) {
    case RoundingMode::HalfUp: return "half up";
    case RoundingMode::Down: return "down";
    case RoundingMode::Up: return "up";
    case RoundingMode::HalfEven: return "half even";
  }
  return "?";
}

const char* rounding_name_zh(RoundingMode m) {
  switch (m) {
    case RoundingMode::HalfUp: return "四舍五入";
    case RoundingMode::Down: return "向下取整";
    case RoundingMode::Up: return "向上取整";
    case RoundingMode::HalfEven: return "银行家舍入";
  }
  return "?";
}

bool rounding_from_name(std::string_view name, RoundingMode* out) {
  struct Entry {
    std::string_view name;
    RoundingMode mode;
  };
  static constexpr Entry kNames[] = {
      {"half up", RoundingMode::HalfUp},     {"half_up", RoundingMode::HalfUp},
      {"四舍五入", RoundingMode::HalfUp},    {"down", RoundingMode::Down},
      {"向下取整", RoundingMode::Down},      {"舍去", RoundingMode::Down},
      {"up", RoundingMode::Up},              {"向上取整", RoundingMode::Up},
      {"half even", RoundingMode::HalfEven}, {"half_even", RoundingMode::HalfEven},
      {"银行家舍入", RoundingMode::HalfEven},
  };
  for (const Entry& e : kNames) {
    if (e.name == name) {
      *out = e.mode;
      return true;
    }
  }
  return false;
}

bool round_div(__int128 num, __int128 den, RoundingMode m, int64_t* out) {
  if (den == 0) return false;
  const bool negative = (num < 0) != (den < 0);
  const u128 n = magnitude(num);
  const u128 d = magnitude(den);
  u128 q = n / d;
  const u128 r = n % d;
  if (r != 0) {
    // Everything is decided on magnitudes, which is what makes the modes symmetric about zero.
    // r >= d - r is 2r >= d without the risk of overflowing 2r.
    bool bump = false;
    switch (m) {
      case RoundingMode::Down: bump = false; break;
      case RoundingMode::Up: bump = true; break;
      case RoundingMode::HalfUp: bump = r >= d - r; break;
      case RoundingMode::HalfEven: {
        const u128 rest = d - r;
        bump = r > rest || (r == rest && (q & 1) != 0);
        break;
      }
    }
    if (bump) ++q;
  }
  return signed_fit(q, negative, out);
}

bool quantize(int64_t value, int64_t quantum, RoundingMode m, int64_t* out) {
  if (quantum <= 0) return false;
  int64_t units;
  if (!round_div(value, quantum, m, &units)) return false;
  return mul_checked(units, quantum, out);
}

bool add_checked(int64_t a, int64_t b, int64_t* out) { return !__builtin_add_overflow(a, b, out); }
bool sub_checked(int64_t a, int64_t b, int64_t* out) { return !__builtin_sub_overflow(a, b, out); }
bool mul_checked(int64_t a, int64_t b, int64_t* out) { return !__builtin_mul_overflow(a, b, out); }

namespace {

// Shared by the rate and decimal products, which differ only in their scale.
// |a*b| <= 2^126 and scale*quantum < 2^127, so the 128-bit intermediates are exact.
bool mul_scaled_money(int64_t factor, int64_t scale, int64_t fen, RoundingMode m, int64_t quantum_fen,
                      int64_t* out_fen) {
  if (quantum_fen <= 0) return false;
  const __int128 product = static_cast<__int128>(factor) * fen;
  const __int128 den = static_cast<__int128>(scale) * quantum_fen;
  int64_t units;
  if (!round_div(product, den, m, &units)) return false;
  return mul_checked(units, quantum_fen, out_fen);
}

}  // namespace

bool mul_rate_money(int64_t rate_ppm, int64_t fen, RoundingMode m, int64_t quantum_fen, int64_t* out_fen) {
  return mul_scaled_money(rate_ppm, kRateScale, fen, m, quantum_fen, out_fen);
}

bool mul_decimal_money(int64_t dec, int64_t fen, RoundingMode m, int64_t quantum_fen, int64_t* out_fen) {
  return mul_scaled_money(dec, kDecimalScale, fen, m, quantum_fen, out_fen);
}

bool mul_rate_rate(int64_t a_ppm, int64_t b_ppm, int64_t* out_ppm) {
  return round_div(static_cast<__int128>(a_ppm) * b_ppm, kRateScale, RoundingMode::HalfUp, out_ppm);
}

bool div_money_money(int64_t a_fen, int64_t b_fen, int64_t* out_ppm) {
  if (b_fen == 0) return false;
  return round_div(static_cast<__int128>(a_fen) * kRateScale, b_fen, RoundingMode::HalfUp, out_ppm);
}

bool scale_down(int64_t fen, int64_t num, int64_t den, int64_t* out_fen) {
  if (den <= 0 || num < 0) return false;
  const __int128 p = static_cast<__int128>(fen) * num;
  __int128 q = p / den;
  // C++ division truncates; floor differs only for a negative inexact quotient.
  if (p % den != 0 && p < 0) --q;
  if (q > INT64_MAX || q < INT64_MIN) return false;
  *out_fen = static_cast<int64_t>(q);
  return true;
}

const char* decimal_error_message(DecimalError e) {
  switch (e) {
    case DecimalError::None: return "is valid";
    case DecimalError::Empty: return "is empty";
    case DecimalError::Syntax: return "is not a plain decimal number";
    case DecimalError::Negative: return "must not be negative";
    case DecimalError::TooPrecise: return "has too many decimal places";
    case DecimalError::Overflow: return "is too large";
  }
  return "is invalid";
}

const char* decimal_error_message(DecimalError e, int scale_digits) {
  if (e != DecimalError::TooPrecise) return decimal_error_message(e);
  // Static strings rather than formatting, so callers get a const char* with no lifetime issue.
  static constexpr const char* kTooPrecise[] = {
      "must be a whole number",
      "has more than 1 decimal place",
      "has more than 2 decimal places",
      "has more than 3 decimal places",
      "has more than 4 decimal places",
      "has more than 5 decimal places",
      "has more than 6 decimal places",
      "has more than 7 decimal places",
      "has more than 8 decimal places",
      "has more than 9 decimal places",
      "has more than 10 decimal places",
      "has more than 11 decimal places",
      "has more than 12 decimal places",
      "has more than 13 decimal places",
      "has more than 14 decimal places",
      "has more than 15 decimal places",
      "has more than 16 decimal places",
      "has more than 17 decimal places",
      "has more than 18 decimal places",
  };
  constexpr int kCount = static_cast<int>(sizeof(kTooPrecise) / sizeof(kTooPrecise[0]));
  if (scale_digits < 0 || scale_digits >= kCount) return decimal_error_message(e);
  return kTooPrecise[scale_digits];
}

DecimalError parse_decimal(std::string_view text, int scale_digits, bool allow_negative, int64_t* out) {
  if (text.empty()) return DecimalError::Empty;
  if (scale_digits < 0) return DecimalError::Syntax;
  const size_t n = text.size();
  size_t i = 0;
  const bool negative = text[0] == '-';
  if (negative) ++i;

  // Integer part: digits, optionally grouped as d{1,3}(,ddd)*.
  const size_t int_begin = i;
  size_t group_len = 0;
  bool grouped = false;
  while (i < n && (is_digit(text[i]) || text[i] == ',')) {
    if (text[i] == ',') {
      // The first group may be 1-3 digits; later groups must be exactly three.
      if (group_len == 0 || (grouped ? group_len != 3 : group_len > 3)) return DecimalError::Syntax;
      grouped = true;
      group_len = 0;
    } else {
      ++group_len;
    }
    ++i;
  }
  if (group_len == 0) return DecimalError::Syntax;  // no digits at all, or a trailing comma
  if (grouped && group_len != 3) return DecimalError::Syntax;
  const size_t int_end = i;

  size_t frac_begin = n, frac_end = n;
  if (i < n) {
    if (text[i] != '.') return DecimalError::Syntax;
    frac_begin = ++i;
    while (i < n && is_digit(text[i])) ++i;
    if (i != n || i == frac_begin) return DecimalError::Syntax;
    frac_end = i;
  }

  if (negative && !allow_negative) return DecimalError::Negative;

  const size_t frac_len = frac_end - frac_begin;
  const size_t scale = static_cast<size_t>(scale_digits);
  for (size_t k = frac_begin + (frac_len < scale ? frac_len : scale); k < frac_end; ++k) {
    if (text[k] != '0') return DecimalError::TooPrecise;
  }

  // Accumulate the scaled magnitude digit by digit; one digit past the limit still fits in 128
  // bits, so checking after each step catches overflow before it can wrap.
  const u128 limit = negative ? kInt64MinMag : kInt64MaxMag;
  u128 mag = 0;
  for (size_t k = int_begin; k < int_end; ++k) {
    if (text[k] == ',') continue;
    mag = mag * 10 + static_cast<u128>(text[k] - '0');
    if (mag > limit) return DecimalError::Overflow;
  }
  for (size_t s = 0; s < scale; ++s) {
    const size_t k = frac_begin + s;
    const unsigned d = k < frac_end ? static_cast<unsigned>(text[k] - '0') : 0u;
    mag = mag * 10 + d;
    if (mag > limit) return DecimalError::Overflow;
  }
  int64_t v;
  if (!signed_fit(mag, negative, &v)) return DecimalError::Overflow;
  *out = v;
  return DecimalError::None;
}

void format_money(int64_t fen, std::string& out) {
  const uint64_t mag = magnitude64(fen);
  if (fen < 0) out.push_back('-');
  append_grouped(mag / kMoneyScale, out);
  append_fraction(mag % kMoneyScale, 2, false, out);
  out.append(" 元");
}

void format_money_plain(int64_t fen, std::string& out) {
  const uint64_t mag = magnitude64(fen);
  if (fen < 0) out.push_back('-');
  append_plain(mag / kMoneyScale, out);
  append_fraction(mag % kMoneyScale, 2, false, out);
}

void format_rate(int64_t ppm, std::string& out) {
  // 1% is 10^4 ppm, so a percentage has exactly four fractional digits.
  const uint64_t mag = magnitude64(ppm);
  if (ppm < 0) out.push_back('-');
  append_plain(mag / 10000, out);
  append_fraction(mag % 10000, 4, true, out);
  out.push_back('%');
}

void format_decimal(int64_t micro, std::string& out) {
  const uint64_t mag = magnitude64(micro);
  if (micro < 0) out.push_back('-');
  append_plain(mag / kDecimalScale, out);
  append_fraction(mag % kDecimalScale, 6, true, out);
}

void format_int_grouped(int64_t v, std::string& out) {
  if (v < 0) out.push_back('-');
  append_grouped(magnitude64(v), out);
}

std::string money_str(int64_t fen) {
  std::string s;
  format_money(fen, s);
  return s;
}

std::string money_plain_str(int64_t fen) {
  std::string s;
  format_money_plain(fen, s);
  return s;
}

std::string rate_str(int64_t ppm) {
  std::string s;
  format_rate(ppm, s);
  return s;
}

std::string decimal_str(int64_t micro) {
  std::string s;
  format_decimal(micro, s);
  return s;
}

std::string int_grouped_str(int64_t v) {
  std::string s;
  format_int_grouped(v, s);
  return s;
}

}  // namespace pol
