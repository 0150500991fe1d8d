#include "runtime/interp/interpreter.h"

#include "runtime/values/date.h"
#include "runtime/values/fixed.h"

namespace pol {

int run_item(const ir::ItemProgram& prog, int64_t* f, const std::string_view* texts) {
  using ir::Op;
  const ir::Instr* code = prog.code.data();
  const int n = static_cast<int>(prog.code.size());
  for (int i = 0; i < n; ++i) {
    const ir::Instr& in = code[i];
    int64_t a = in.a >= 0 ? f[in.a] : 0;
    int64_t b = in.b >= 0 ? f[in.b] : 0;
    int64_t& d = f[in.dst];
    bool ok = true;
    switch (in.op) {
      case Op::Const: d = in.imm; break;
      case Op::Copy: d = a; break;
      case Op::Add: ok = add_checked(a, b, &d); break;
      case Op::Sub: ok = sub_checked(a, b, &d); break;
      case Op::MulInt: ok = mul_checked(a, b, &d); break;
      case Op::MulRateMoney: ok = mul_rate_money(a, b, in.mode, in.imm, &d); break;
      case Op::MulDecMoney: ok = mul_decimal_money(a, b, in.mode, in.imm, &d); break;
      case Op::MulMoneyInt: ok = mul_checked(a, b, &d); break;
      case Op::MulRateRate: ok = mul_rate_rate(a, b, &d); break;
      case Op::MulDecDec: ok = round_div(static_cast<__int128>(a) * b, kDecimalScale, RoundingMode::HalfUp, &d); break;
      case Op::MulRateInt: ok = mul_checked(a, b, &d); break;
      case Op::DivMoneyMoney: ok = div_money_money(a, b, &d); break;
      case Op::DivMoneyInt:
        ok = b != 0 && round_div(a, static_cast<__int128>(b) * in.imm, in.mode, &d) && mul_checked(d, in.imm, &d);
        break;
      case Op::DivMoneyDec: {
        ok = b != 0 && round_div(static_cast<__int128>(a) * kDecimalScale, static_cast<__int128>(b) * in.imm, in.mode, &d) &&
             mul_checked(d, in.imm, &d);
        break;
      }
      case Op::DivDecDec: ok = b != 0 && round_div(static_cast<__int128>(a) * kDecimalScale, b, RoundingMode::HalfUp, &d); break;
      case Op::DivRateInt: ok = b != 0 && round_div(a, b, RoundingMode::HalfUp, &d); break;
      case Op::IntToDec: ok = mul_checked(a, kDecimalScale, &d); break;
      case Op::Neg: ok = a != INT64_MIN; d = -a; break;
      case Op::Lt: d = a < b; break;
      case Op::Le: d = a <= b; break;
      case Op::Gt: d = a > b; break;
      case Op::Ge: d = a >= b; break;
      case Op::Eq: d = a == b; break;
      case Op::Ne: d = a != b; break;
      case Op::TextEq: d = texts[a] == texts[b]; break;
      case Op::TextNe: d = texts[a] != texts[b]; break;
      case Op::And: d = a && b; break;
      case Op::Or: d = a || b; break;
      case Op::Not: d = !a; break;
      case Op::Select: d = f[in.c] ? a : b; break;
      case Op::Min: d = a < b ? a : b; break;
      case Op::Max: d = a > b ? a : b; break;
      case Op::Quantize: ok = quantize(a, in.imm, in.mode, &d); break;
      case Op::AddDuration: {
        int32_t out = 0;
        ok = add_duration(static_cast<int32_t>(a), ir::unpack_duration(in.imm), &out);
        d = out;
        break;
      }
      case Op::Year: d = year_of(static_cast<int32_t>(a)); break;
    }
    if (!ok) return i;
  }
  return -1;
}

}  // namespace pol
