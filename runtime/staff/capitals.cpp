#include "runtime/staff/capitals.h"

namespace pol::staff {
namespace {

constexpr const char* kDigit[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};

// 1..9999: 壹仟零贰拾 for 1020 — one 零 for a run of zeros followed by a non-zero digit.
void below_ten_thousand(uint64_t n, std::string& out) {
  static const char* kUnit[] = {"仟", "佰", "拾", ""};
  const uint64_t digits[] = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
  bool started = false, zero_pending = false;
  for (int i = 0; i < 4; ++i) {
    if (digits[i] == 0) {
      zero_pending = started;
      continue;
    }
    if (zero_pending) out += "零";
    zero_pending = false;
    started = true;
    out += kDigit[digits[i]];
    out += kUnit[i];
  }
}

// n > 0 yuan. Above 10^8 the count of 亿 is itself written in words (so 10^12 is 壹万亿); a
// lower part with a zero in its leading place is joined by 零 (壹亿零壹万, 壹佰万零壹佰).
void whole_yuan(uint64_t n, std::string& out) {
  constexpr uint64_t kYi = 100000000, kWan = 10000;
  if (n >= kYi) {
    whole_yuan(n / kYi, out);
    out += "亿";
    uint64_t rest = n % kYi;
    if (rest == 0) return;
    if (rest < kYi / 10) out += "零";
    whole_yuan(rest, out);
  } else if (n >= kWan) {
    below_ten_thousand(n / kWan, out);
    out += "万";
    uint64_t rest = n % kWan;
    if (rest == 0) return;
    if (rest < kWan / 10) out += "零";
    below_ten_thousand(rest, out);
  } else {
    below_ten_thousand(n, out);
  }
}

}  // namespace

std::string money_in_capitals(int64_t fen) {
  std::string out;
  // The magnitude as unsigned, so INT64_MIN is written too.
  uint64_t v = fen < 0 ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  if (fen < 0) out += "负";
  uint64_t yuan = v / 100, jiao = v / 10 % 10, fen_digit = v % 10;
  if (yuan == 0 && jiao == 0 && fen_digit == 0) return out + "零元整";
  if (yuan > 0) {
    whole_yuan(yuan, out);
    out += "元";
  }
  if (jiao == 0 && fen_digit == 0) return out + "整";
  if (jiao > 0) {
    out += kDigit[jiao];
    out += "角";
    if (fen_digit == 0) return out + "整";
  } else if (yuan > 0) {
    out += "零";  // 角 is zero and 分 is not: 零 after 元 (壹万陆仟肆佰零玖元零贰分)
  }
  out += kDigit[fen_digit];
  out += "分";
  return out;
}

}  // namespace pol::staff
