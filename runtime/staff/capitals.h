// An amount in Chinese capital numerals (大写金额), as written on payment documents and decision
// letters: 1,200,000.00 元 → 壹佰贰拾万元整. Computed from the fen, exactly (no floating point),
// following the rules for filling in bills and settlement vouchers (正确填写票据和结算凭证的基本规定).
#pragma once

#include <cstdint>
#include <string>

namespace pol::staff {

// 壹佰贰拾万元整, 壹万陆仟肆佰零玖元零贰分, 伍角整, 零元整; a negative amount is prefixed 负.
// Digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿 (10^12 is 万亿); one 零 for each run of zeros
// inside the integer part; 整 after 元 or 角, never after 分.
std::string money_in_capitals(int64_t fen);

}  // namespace pol::staff
