// A stored cell value → the text a sheet shows (see xlsx.h): number formats, plain decimals and
// date serials, all by string and integer arithmetic (a serial's fraction of a day is exact).
#include <algorithm>
#include <cstdint>

#include "compiler/diagnostics/source.h"
#include "runtime/input/xlsx.h"
#include "values/date.h"

namespace pol::input::xlsx {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool starts_with_nocase(std::string_view s, size_t i, std::string_view word) {
  if (s.size() - i < word.size()) return false;
  for (size_t k = 0; k < word.size(); ++k)
    if (lower(s[i + k]) != lower(word[k])) return false;
  return true;
}

void append_two(unsigned v, std::string& out) {
  out += char('0' + v / 10 % 10);
  out += char('0' + v % 10);
}

void append_utf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// The UTF-16 unit of "_xHHHH_" at s[i], or -1.
int32_t escaped_unit(std::string_view s, size_t i) {
  if (s.size() - i < 7 || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return -1;
  int32_t v = 0;
  for (size_t k = 2; k < 6; ++k) {
    int h = hex(s[i + k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

}  // namespace

Shown format_shown(int id, std::string_view code) {
  if (code.empty()) {
    switch (id) {
      case 14: case 15: case 16: case 28: case 29: case 30: case 31: case 51: case 53: case 54: case 58:
        return Shown::Date;
      case 17: case 27: case 36: case 50: case 52: case 57:
        return Shown::YearMonth;
      case 22:
        return Shown::DateTime;
      case 18: case 19: case 20: case 21: case 32: case 33: case 34: case 35: case 45: case 46: case 47: case 55: case 56:
        return Shown::Time;
      default:
        return Shown::Number;
    }
  }
  bool y = false, m = false, d = false, time = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == ';') break;  // the first section formats positive numbers, as dates are
    if (c == '"') {
      size_t end = code.find('"', i + 1);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is shown or used as padding as it is
    } else if (c == '[') {
      size_t end = code.find(']', i + 1);
      if (end == std::string_view::npos) break;
      std::string_view in = code.substr(i + 1, end - i - 1);  // [h] [mm] [ss]: elapsed time; [$-804], [Red]: not a letter of the format
      if (!in.empty() && std::all_of(in.begin(), in.end(), [](char k) { return k == 'h' || k == 'H' || k == 'm' || k == 'M' || k == 's' || k == 'S'; }))
        time = true;
      i = end;
    } else if (starts_with_nocase(code, i, "general")) {
      i += 6;
    } else if (starts_with_nocase(code, i, "am/pm") || starts_with_nocase(code, i, "a/p")) {
      time = true;
      i += starts_with_nocase(code, i, "am/pm") ? 4 : 2;
    } else {
      switch (lower(c)) {
        case 'y': y = true; break;
        case 'd': d = true; break;
        case 'm': m = true; break;
        case 'h': case 's': time = true; break;
        default: break;
      }
    }
  }
  if (y && m && !d && !time) return Shown::YearMonth;
  if ((y || d) && time) return Shown::DateTime;
  if (y || d) return Shown::Date;
  if (time) return Shown::Time;
  if (m) return Shown::Date;  // "mmm": a month name, still a day of the calendar
  return Shown::Number;
}

bool number_text(std::string_view v, std::string& out) {
  out.clear();
  size_t i = 0, n = v.size();
  bool negative = false;
  if (i < n && (v[i] == '-' || v[i] == '+')) negative = v[i++] == '-';
  std::string digits;  // the mantissa's digits, the point dropped
  long point = -1;     // digits before the point
  for (; i < n && ((v[i] >= '0' && v[i] <= '9') || v[i] == '.'); ++i) {
    if (v[i] == '.') {
      if (point >= 0) return false;
      point = long(digits.size());
    } else {
      digits += v[i];
    }
  }
  if (digits.empty() || digits.size() > 400) return false;
  if (point < 0) point = long(digits.size());
  long exponent = 0;
  if (i < n && (v[i] == 'e' || v[i] == 'E')) {
    ++i;
    bool minus = false;
    if (i < n && (v[i] == '-' || v[i] == '+')) minus = v[i++] == '-';
    size_t start = i;
    for (; i < n && v[i] >= '0' && v[i] <= '9' && exponent < 100000; ++i) exponent = exponent * 10 + (v[i] - '0');
    if (i == start) return false;
    if (minus) exponent = -exponent;
  }
  if (i != n || exponent > 400 || exponent < -400) return false;
  // value = 0.digits × 10^pos
  long pos = point + exponent;
  size_t lead = digits.find_first_not_of('0');
  if (lead == std::string::npos) {
    out = "0";
    return true;
  }
  digits.erase(0, lead);
  pos -= long(lead);
  if (digits.size() > 15) {  // Excel keeps 15 significant digits; round half up at the 16th
    bool up = digits[15] >= '5';
    digits.resize(15);
    for (size_t k = 15; up && k-- > 0;) {
      if (digits[k] == '9') {
        digits[k] = '0';
      } else {
        ++digits[k];
        up = false;
      }
    }
    if (up) {
      digits.insert(digits.begin(), '1');
      digits.pop_back();
      ++pos;
    }
  }
  digits.erase(digits.find_last_not_of('0') + 1);
  if (negative) out += '-';
  const long len = long(digits.size());
  if (pos <= 0) {
    out += "0.";
    out.append(size_t(-pos), '0');
    out += digits;
  } else if (pos >= len) {
    out += digits;
    out.append(size_t(pos - len), '0');
  } else {
    out.append(digits, 0, size_t(pos));
    out += '.';
    out.append(digits, size_t(pos), std::string::npos);
  }
  return true;
}

bool serial_text(std::string_view v, bool date1904, Shown shown, std::string& out) {
  std::string plain;
  if (!number_text(v, plain) || plain[0] == '-') return false;
  size_t dot = plain.find('.');
  std::string_view whole = std::string_view(plain).substr(0, dot);
  std::string_view fraction = dot == std::string::npos ? std::string_view() : std::string_view(plain).substr(dot + 1);
  if (whole.size() > 7) return false;
  int64_t serial = 0;
  for (char c : whole) serial = serial * 10 + (c - '0');
  // The time of day in whole seconds, rounded half up, exactly: fraction × 86400. Digits past
  // the 30th only matter as "something more" (a sticky digit), and 128 bits hold 30 and the factor.
  __int128 num = 0, den = 1;
  for (size_t k = 0; k < fraction.size() && k < 30; ++k) {
    num = num * 10 + (fraction[k] - '0');
    den *= 10;
  }
  if (fraction.size() > 30 && fraction.find_first_not_of('0', 30) != std::string_view::npos) {
    num = num * 10 + 1;
    den *= 10;
  }
  int64_t seconds = int64_t((num * 86400 * 2 + den) / (den * 2));
  if (seconds == 86400) {
    ++serial;
    seconds = 0;
  }
  if (serial > 2958465) return false;  // after 9999-12-31, the last day Excel has
  std::string date;
  if (date1904) {
    format_date(days_from_civil(1904, 1, 1) + int32_t(serial), date);
  } else if (serial == 60) {
    date = "1900-02-29";  // Excel's day that never was: the decoder refuses it as a date
  } else if (serial >= 1) {
    format_date(days_from_civil(1899, 12, serial < 60 ? 31 : 30) + int32_t(serial), date);
  } else if (shown != Shown::Time) {
    return false;  // serial 0 is "1900-01-00"
  }
  std::string time;
  append_two(unsigned(seconds / 3600), time);
  time += ':';
  append_two(unsigned(seconds / 60 % 60), time);
  time += ':';
  append_two(unsigned(seconds % 60), time);
  switch (shown) {
    case Shown::Time: out = time; break;
    case Shown::YearMonth: out = date.substr(0, 7); break;
    default: out = seconds == 0 ? date : date + " " + time; break;
  }
  return true;
}

std::string shown(std::string_view s) {
  std::string out;
  append_utf8_sanitized(utf8_prefix(s, 60), out);
  if (s.size() > 60) out += "…";
  return out;
}

std::string unescape(std::string_view s) {
  if (s.find("_x") == std::string_view::npos) return std::string(s);
  std::string out;
  for (size_t i = 0; i < s.size();) {
    int32_t unit = escaped_unit(s, i);
    if (unit < 0) {
      out += s[i++];
      continue;
    }
    i += 7;
    if (unit >= 0xD800 && unit <= 0xDBFF) {  // a surrogate pair is two escapes
      int32_t low = i < s.size() ? escaped_unit(s, i) : -1;
      if (low >= 0xDC00 && low <= 0xDFFF) {
        i += 7;
        append_utf8(0x10000 + ((uint32_t(unit) - 0xD800) << 10) + (uint32_t(low) - 0xDC00), out);
        continue;
      }
    }
    append_utf8(unit >= 0xD800 && unit <= 0xDFFF ? 0xFFFD : uint32_t(unit), out);
  }
  return out;
}

}  // namespace pol::input::xlsx
