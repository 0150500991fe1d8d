#include "runtime/interp/interpreter.h"

#include "values/date.h"
#include "values/fixed.h"

namespace pol {
namespace {

using u128 = unsigned __int128;

int64_t scale_of(Ty t) {
  switch (t) {
    case Ty::Money: return kMoneyScale;
    case Ty::Rate: return kRateScale;
    case Ty::Decimal: return kDecimalScale;
    default: return 1;
  }
}

// x *= y on 128 bits, false instead of wrapping. Done on magnitudes (no __muloti4, which
// clang would call and libgcc lacks).
bool mul128(__int128& x, int64_t y) {
  bool negative = (x < 0) != (y < 0);
  u128 mx = x < 0 ? -static_cast<u128>(x) : static_cast<u128>(x);
  u128 my = y < 0 ? -static_cast<u128>(static_cast<__int128>(y)) : static_cast<u128>(y);
  constexpr u128 kMax = static_cast<u128>(~static_cast<u128>(0)) >> 1;  // INT128_MAX
  if (mx != 0 && my > kMax / mx) return false;
  u128 m = mx * my;
  x = negative ? -static_cast<__int128>(m) : static_cast<__int128>(m);
  return true;
}

// The exact value of a product/quotient chain in the result's unit, rounded once:
//   result = scale(result) × Π raw(multiplier) × Π scale(divisor) / (Π scale(multiplier) × Π raw(divisor))
bool run_chain(const ir::Chain& ch, const int64_t* f, int64_t* out) {
  __int128 num = scale_of(ch.result), den = 1;
  for (const auto& fac : ch.factors) {
    int64_t v = f[fac.slot];
    int64_t s = scale_of(fac.type);
    if (fac.divides) {
      if (v == 0 || !mul128(num, s) || !mul128(den, v)) return false;
    } else if (!mul128(num, v) || !mul128(den, s)) {
      return false;
    }
  }
  int64_t units = 0;
  return mul128(den, ch.quantum) && round_div(num, den, ch.mode, &units) && mul_checked(units, ch.quantum, out);
}

}  // namespace

int run_region(const ir::ItemProgram& prog, ir::Region region, int64_t* f, const std::string_view* texts) {
  using ir::Op;
  const ir::Instr* code = prog.code.data();
  for (int i = region.begin; i < region.end; ++i) {
    const ir::Instr& in = code[i];
    int64_t a = in.a >= 0 ? f[in.a] : 0;
    int64_t b = in.b >= 0 ? f[in.b] : 0;
    int64_t scratch = 0;
    int64_t& d = in.dst >= 0 ? f[in.dst] : scratch;
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
      case Op::MulChain: ok = run_chain(prog.chains[in.imm], f, &d); break;
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
      case Op::Neg: ok = a != INT64_MIN; d = ok ? -a : 0; break;
      case Op::Lt: d = a < b; break;
      case Op::Le: d = a <= b; break;
      case Op::Gt: d = a > b; break;
      case Op::Ge: d = a >= b; break;
      case Op::Eq: d = a == b; break;
      case Op::Ne: d = a != b; break;
      case Op::TextEq: d = texts[a] == texts[b]; break;
      case Op::TextNe: d = texts[a] != texts[b]; break;
      case Op::Not: d = !a; break;
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
      case Op::StartOf: {
        int y;
        unsigned m, dd;
        civil_from_days(static_cast<int32_t>(a), &y, &m, &dd);
        d = days_from_civil(y, in.imm ? m : 1, 1);
        break;
      }
      case Op::AddDurationSlot: {
        Duration dur = ir::unpack_duration(b);
        if (in.imm) dur = Duration{-dur.years, -dur.months, -dur.days};
        int32_t out = 0;
        ok = add_duration(static_cast<int32_t>(a), dur, &out);
        d = out;
        break;
      }
      case Op::MonthsBetween: case Op::YearsBetween: {
        // Whole calendar months from a to b: a month counts once its day is reached (from
        // 2023-01-31, a month is complete on 2023-02-28, the last day of a shorter month).
        int ya, yb;
        unsigned ma, mb, da, db;
        bool back = b < a;
        civil_from_days(static_cast<int32_t>(back ? b : a), &ya, &ma, &da);
        civil_from_days(static_cast<int32_t>(back ? a : b), &yb, &mb, &db);
        int64_t months = (int64_t{yb} - ya) * 12 + (int64_t{mb} - ma);
        if (db < da && db < days_in_month(yb, mb)) --months;
        if (in.op == Op::YearsBetween) months /= 12;
        d = back ? -months : months;
        break;
      }
      // Jumps only go forward inside their region (the verifier checks it): i becomes imm.
      case Op::Jump: i = static_cast<int>(in.imm) - 1; break;
      case Op::JumpIfZero: if (a == 0) i = static_cast<int>(in.imm) - 1; break;
      case Op::JumpIfNonZero: if (a != 0) i = static_cast<int>(in.imm) - 1; break;
    }
    if (!ok) return i;
  }
  return -1;
}

void run_item(const ir::ItemProgram& prog, int64_t* f, const std::string_view* texts, ItemRun& out) {
  out = ItemRun{};
  run_region(prog, prog.prologue, f, texts);
  for (size_t c = 0; c < prog.condition_regions.size(); ++c) {
    int bad = run_region(prog, prog.condition_regions[c], f, texts);
    if (bad >= 0) {
      out.unknown |= uint64_t{1} << c;
      if (out.cond_error < 0) out.cond_error = bad;
    } else if (f[prog.condition_slots[c]]) {
      out.held |= uint64_t{1} << c;
    } else {
      out.failed = true;
    }
  }
  out.value_error = run_region(prog, prog.value_region, f, texts);
}

}  // namespace pol
