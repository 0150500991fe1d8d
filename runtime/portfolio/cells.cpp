// Cell spellings → values (see cells.h). Each accepted spelling is matched whole; there is no
// guessing between day-first and month-first orders, so only year-first dates are read.
#include "runtime/portfolio/cells.h"

#include "values/date.h"

namespace pol::cells {
namespace {

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";           // U+00A0
constexpr std::string_view kYuan = "元", kWan = "万", kYi = "亿";
constexpr std::string_view kYear = "年", kMonth = "月", kDay = "日";
constexpr std::string_view kTrue[] = {"true", "True", "TRUE", "是", "1"};
constexpr std::string_view kFalse[] = {"false", "False", "FALSE", "否", "0"};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Length of the space at the front (back: at_end) of s, 0 if none.
size_t space_at(std::string_view s, bool at_end) {
  if (s.empty()) return 0;
  char c = at_end ? s.back() : s.front();
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 1;
  for (std::string_view sp : {kIdeographicSpace, kNoBreakSpace})
    if (at_end ? ends_with(s, sp) : starts_with(s, sp)) return sp.size();
  return 0;
}

// Reads min..max digits at s[*i]; false if fewer than min.
bool digits(std::string_view s, size_t* i, size_t min, size_t max, unsigned* out) {
  size_t k = *i;
  unsigned v = 0;
  while (k < s.size() && k - *i < max && s[k] >= '0' && s[k] <= '9') v = v * 10 + unsigned(s[k++] - '0');
  if (k - *i < min) return false;
  *i = k;
  *out = v;
  return true;
}

bool take(std::string_view s, size_t* i, std::string_view word) {
  if (s.substr(*i, word.size()) != word) return false;
  *i += word.size();
  return true;
}

// The year and month of s from its start: "YYYY<sep>M" or "YYYY年M月"; *i after them, *sep the
// separator ("年" for the Chinese form).
bool year_month(std::string_view s, size_t* i, unsigned* y, unsigned* m, std::string_view* sep) {
  if (!digits(s, i, 4, 4, y)) return false;
  if (take(s, i, kYear)) {
    *sep = kYear;
    return digits(s, i, 1, 2, m) && take(s, i, kMonth);
  }
  if (*i >= s.size() || (s[*i] != '-' && s[*i] != '/' && s[*i] != '.')) return false;
  *sep = s.substr((*i)++, 1);
  return digits(s, i, 1, 2, m);
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (size_t n = space_at(s, false)) s.remove_prefix(n);
  while (size_t n = space_at(s, true)) s.remove_suffix(n);
  return s;
}

bool parse_bool(std::string_view s, bool* out) {
  for (std::string_view spelling : kTrue)
    if (s == spelling) {
      *out = true;
      return true;
    }
  for (std::string_view spelling : kFalse)
    if (s == spelling) {
      *out = false;
      return true;
    }
  return false;
}

DecimalError parse_money(std::string_view s, int64_t* fen, std::string_view* unit) {
  std::string_view written;
  int scale = 2;  // digits after the point of an amount in fen: 元 2, 万 6, 亿 10
  if (ends_with(s, kYuan)) {
    written = s.substr(s.size() - kYuan.size());
    s.remove_suffix(kYuan.size());
  }
  for (auto [word, fen_digits] : {std::pair{kWan, 6}, std::pair{kYi, 10}})
    if (ends_with(s, word)) {
      s.remove_suffix(word.size());
      written = std::string_view(s.data() + s.size(), word.size() + written.size());  // 万 or 万元
      scale = fen_digits;
      break;
    }
  if (unit) *unit = written;
  if (!written.empty()) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);  // "600 万"
    if (s.empty()) return DecimalError::Syntax;                 // a unit and no number
  }
  return parse_decimal(s, scale, false, fen);
}

DateCell parse_date(std::string_view s, int32_t* day) {
  size_t i = 0;
  unsigned y = 0, m = 0, d = 0;
  std::string_view sep;
  if (!year_month(s, &i, &y, &m, &sep)) return DateCell::NotADate;
  bool chinese = sep == kYear;
  if (!(chinese ? digits(s, &i, 1, 2, &d) && take(s, &i, kDay) : take(s, &i, sep) && digits(s, &i, 1, 2, &d)))
    return DateCell::NotADate;
  if (i != s.size() || y < 1000) return DateCell::NotADate;
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(int(y), m)) return DateCell::NoSuchDay;
  *day = days_from_civil(int(y), m, d);
  return DateCell::Ok;
}

DateCell parse_year_month(std::string_view s, int32_t* day) {
  size_t i = 0;
  unsigned y = 0, m = 0;
  std::string_view sep;
  if (!year_month(s, &i, &y, &m, &sep) || i != s.size() || y < 1000) return DateCell::NotADate;
  if (m < 1 || m > 12) return DateCell::NoSuchDay;
  *day = days_from_civil(int(y), m, 1);
  return DateCell::Ok;
}

}  // namespace pol::cells
