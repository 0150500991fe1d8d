#include "values/date.h"
#include <utility>

namespace pol {

namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public domain): branch-light and exact over
// the whole proleptic Gregorian calendar. Done in int64 so callers can range-check the result.
int64_t days_from_civil64(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);                 // [0, 399]
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;      // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                // [0, 146096]
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

inline bool fits_int32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

inline int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

void append_uint(unsigned v, int min_width, std::string& out) {
  char buf[12];
  int len = 0;
  do {
    buf[len++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (len < min_width) buf[len++] = '0';
  while (len > 0) out.push_back(buf[--len]);
}

inline int digit(char c) { return c >= '0' && c <= '9' ? c - '0' : -1; }

}  // namespace

int32_t days_from_civil(int y, unsigned m, unsigned d) { return static_cast<int32_t>(days_from_civil64(y, m, d)); }

void civil_from_days(int32_t days, int* y, unsigned* m, unsigned* d) {
  const int64_t z = static_cast<int64_t>(days) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);                   // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;     // [0, 399]
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                   // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                                        // [0, 11]
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (*m <= 2));
}

bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned char kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return m == 2 && is_leap_year(y) ? 29u : kDays[m - 1];
}

bool parse_date(std::string_view text, int32_t* out) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int v[8];
  static constexpr int kPos[8] = {0, 1, 2, 3, 5, 6, 8, 9};
  for (int i = 0; i < 8; ++i) {
    v[i] = digit(text[kPos[i]]);
    if (v[i] < 0) return false;
  }
  const int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
  const unsigned m = static_cast<unsigned>(v[4] * 10 + v[5]);
  const unsigned d = static_cast<unsigned>(v[6] * 10 + v[7]);
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return false;
  *out = days_from_civil(y, m, d);
  return true;
}

void format_date(int32_t days, std::string& out) {
  int y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  // Years outside 0..9999 cannot come from parse_date, but print them unambiguously anyway.
  if (y < 0) {
    out.push_back('-');
    append_uint(static_cast<unsigned>(-static_cast<int64_t>(y)), 4, out);
  } else {
    append_uint(static_cast<unsigned>(y), 4, out);
  }
  out.push_back('-');
  append_uint(m, 2, out);
  out.push_back('-');
  append_uint(d, 2, out);
}

std::string date_str(int32_t days) {
  std::string s;
  format_date(days, s);
  return s;
}

int year_of(int32_t days) {
  int y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  return y;
}

bool add_duration(int32_t date, Duration dur, int32_t* out) {
  int y;
  unsigned m, d;
  civil_from_days(date, &y, &m, &d);
  // Years and months are combined before clamping so "1 year 1 month" from Jan 31 lands on
  // Feb 28/29 once, not on a date that depends on the order the two parts were applied.
  const int64_t months = static_cast<int64_t>(y) * 12 + (m - 1) + static_cast<int64_t>(dur.years) * 12 + dur.months;
  const int64_t ny = floor_div(months, 12);
  const unsigned nm = static_cast<unsigned>(months - ny * 12) + 1;
  // The day range of int32 spans about +-5.8 million years; anything beyond is out of range,
  // and rejecting it here also keeps ny within int for days_in_month.
  if (ny < -6000000 || ny > 6000000) return false;
  const unsigned dim = days_in_month(static_cast<int>(ny), nm);
  const unsigned nd = d < dim ? d : dim;
  const int64_t result = days_from_civil64(ny, nm, nd) + dur.days;
  if (!fits_int32(result)) return false;
  *out = static_cast<int32_t>(result);
  return true;
}

bool term_end(int32_t start, Duration d, int32_t* out) {
  int32_t after;
  if (!add_duration(start, d, &after)) return false;
  if (after == INT32_MIN) return false;
  *out = after - 1;
  return true;
}

void format_duration_zh(Duration d, std::string& out) {
  const std::pair<int32_t, const char*> parts[3] = {{d.years, "年"}, {d.months, "个月"}, {d.days, "天"}};
  bool any = false;
  for (const auto& [n, unit] : parts) {
    if (n == 0) continue;
    if (n < 0) out.push_back('-');
    append_uint(static_cast<unsigned>(n < 0 ? -static_cast<int64_t>(n) : n), 1, out);
    out.append(unit);
    any = true;
  }
  if (!any) out.append("0天");
}

void format_duration(Duration d, std::string& out) {
  struct Part {
    int32_t n;
    const char* one;
    const char* many;
  };
  const Part parts[3] = {{d.years, "year", "years"}, {d.months, "month", "months"}, {d.days, "day", "days"}};
  bool any = false;
  for (const Part& p : parts) {
    if (p.n == 0) continue;
    if (any) out.push_back(' ');
    if (p.n < 0) {
      out.push_back('-');
      append_uint(static_cast<unsigned>(-static_cast<int64_t>(p.n)), 1, out);
    } else {
      append_uint(static_cast<unsigned>(p.n), 1, out);
    }
    out.push_back(' ');
    out.append(p.n == 1 ? p.one : p.many);
    any = true;
  }
  if (!any) out.append("0 days");
}

std::string duration_str(Duration d) {
  std::string s;
  format_duration(d, s);
  return s;
}

}  // namespace pol
