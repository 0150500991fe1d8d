// Checked policy -> IR: flattens each typed expression tree into slot-to-slot instructions.
#include <stdexcept>

#include "compiler/ir/ir.h"

namespace pol::ir {

int64_t pack_duration(Duration d) {
  return (static_cast<int64_t>(d.years) & 0xFFFFF) << 40 | (static_cast<int64_t>(d.months) & 0xFFFFF) << 20 |
         (static_cast<int64_t>(d.days) & 0xFFFFF);
}

Duration unpack_duration(int64_t v) {
  auto field = [](int64_t x) { return static_cast<int32_t>(x & 0x80000 ? (x & 0xFFFFF) - 0x100000 : (x & 0xFFFFF)); };
  return Duration{field(v >> 40), field(v >> 20), field(v)};
}

namespace {

class Lowerer {
 public:
  Lowerer(const Policy& p, ItemProgram& out, int32_t first_temp) : p_(p), out_(out), next_(first_temp) {}

  int32_t temp() { return next_++; }
  int32_t next() const { return next_; }

  int32_t emit(Op op, Span span, int32_t a = -1, int32_t b = -1, int64_t imm = 0,
               RoundingMode mode = RoundingMode::HalfUp, int32_t c = -1) {
    Instr in;
    in.op = op;
    in.dst = temp();
    in.a = a;
    in.b = b;
    in.c = c;
    in.imm = imm;
    in.mode = mode;
    out_.code.push_back(in);
    out_.spans.push_back(span);
    return in.dst;
  }

  int32_t expr(const TExpr& e) { return expr(e, e.mode, e.quantum); }

  // mode/quantum: the rounding that applies to a money product here (policy default, or
  // the one of an enclosing `rounded`, so the exact product is rounded once).
  int32_t expr(const TExpr& e, RoundingMode mode, int64_t quantum) {
    switch (e.op) {
      case TOp::Const: return emit(Op::Const, e.span, -1, -1, e.value);
      case TOp::Slot: return e.slot;
      case TOp::ItemCap: return cap_slot_;
      case TOp::Neg: return emit(Op::Neg, e.span, expr(*e.args[0]));
      case TOp::Not: return emit(Op::Not, e.span, expr(*e.args[0]));
      case TOp::And: return emit(Op::And, e.span, expr(*e.args[0]), expr(*e.args[1]));
      case TOp::Or: return emit(Op::Or, e.span, expr(*e.args[0]), expr(*e.args[1]));
      case TOp::IntToDecimal: return emit(Op::IntToDec, e.span, expr(*e.args[0]));
      case TOp::Year: return emit(Op::Year, e.span, expr(*e.args[0]));
      case TOp::AddDuration: return emit(Op::AddDuration, e.span, expr(*e.args[0]), -1, pack_duration(e.duration));
      case TOp::Add: return emit(Op::Add, e.span, expr(*e.args[0]), expr(*e.args[1]));
      case TOp::Sub: return emit(Op::Sub, e.span, expr(*e.args[0]), expr(*e.args[1]));
      case TOp::Mul: return mul(e, mode, quantum);
      case TOp::Div: return div(e, mode, quantum);
      case TOp::Min:
      case TOp::Max: {
        int32_t r = expr(*e.args[0]);
        for (size_t i = 1; i < e.args.size(); ++i)
          r = emit(e.op == TOp::Min ? Op::Min : Op::Max, e.span, r, expr(*e.args[i]));
        return r;
      }
      case TOp::Round: {
        const TExpr& inner = *e.args[0];
        if (inner.op == TOp::Mul || inner.op == TOp::Div) return expr(inner, e.mode, e.quantum);
        return emit(Op::Quantize, e.span, expr(inner), -1, e.quantum, e.mode);
      }
      case TOp::Cmp: return cmp(e.cmp, e.args[0]->type, expr(*e.args[0]), expr(*e.args[1]), e.span);
      case TOp::In: {
        int32_t x = expr(*e.args[0]);
        int32_t r = -1;
        for (size_t i = 1; i < e.args.size(); ++i) {
          int32_t eq = cmp(CmpOp::Eq, e.args[0]->type, x, expr(*e.args[i]), e.span);
          r = r < 0 ? eq : emit(Op::Or, e.span, r, eq);
        }
        return e.negated ? emit(Op::Not, e.span, r) : r;
      }
    }
    throw std::logic_error("unlowered expression");
  }

  int32_t cmp(CmpOp op, Type t, int32_t a, int32_t b, Span span) {
    if (t.ty == Ty::Text) return emit(op == CmpOp::Ne ? Op::TextNe : Op::TextEq, span, a, b);
    static const Op kOps[] = {Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne};
    return emit(kOps[static_cast<int>(op)], span, a, b);
  }

  int32_t mul(const TExpr& e, RoundingMode mode, int64_t quantum) {
    const TExpr* a = e.args[0].get();
    const TExpr* b = e.args[1].get();
    Ty ta = a->type.ty, tb = b->type.ty;
    // Put the money operand second (or the rate first) so each op has one operand order.
    if (ta == Ty::Money || (ta == Ty::Int && tb == Ty::Rate) || (ta == Ty::Int && tb == Ty::Decimal)) {
      std::swap(a, b);
      std::swap(ta, tb);
    }
    int32_t sa = expr(*a), sb = expr(*b);
    if (tb == Ty::Money) {
      if (ta == Ty::Rate) return emit(Op::MulRateMoney, e.span, sa, sb, quantum, mode);
      if (ta == Ty::Decimal) return emit(Op::MulDecMoney, e.span, sa, sb, quantum, mode);
      return emit(Op::MulMoneyInt, e.span, sb, sa);
    }
    if (ta == Ty::Rate && tb == Ty::Rate) return emit(Op::MulRateRate, e.span, sa, sb);
    if (ta == Ty::Rate) return emit(Op::MulRateInt, e.span, sa, sb);
    if (ta == Ty::Decimal || tb == Ty::Decimal) return emit(Op::MulDecDec, e.span, sa, sb);
    return emit(Op::MulInt, e.span, sa, sb);
  }

  int32_t div(const TExpr& e, RoundingMode mode, int64_t quantum) {
    Ty ta = e.args[0]->type.ty, tb = e.args[1]->type.ty;
    int32_t sa = expr(*e.args[0]), sb = expr(*e.args[1]);
    if (ta == Ty::Money && tb == Ty::Money) return emit(Op::DivMoneyMoney, e.span, sa, sb);
    if (ta == Ty::Money && tb == Ty::Int) return emit(Op::DivMoneyInt, e.span, sa, sb, quantum, mode);
    if (ta == Ty::Money) return emit(Op::DivMoneyDec, e.span, sa, sb, quantum, mode);
    if (ta == Ty::Rate) return emit(Op::DivRateInt, e.span, sa, sb);
    if (ta == Ty::Int) sa = emit(Op::IntToDec, e.span, sa);
    if (tb == Ty::Int) sb = emit(Op::IntToDec, e.span, sb);
    return emit(Op::DivDecDec, e.span, sa, sb);
  }

  // Tiers become a chain of selects from the last (`otherwise`) upwards; the tier index
  // is computed the same way so explanations and coverage can name the tier taken.
  void value(const ValueInfo& v, int32_t* slot, int32_t* tier_slot) {
    if (!v.present) return;
    if (v.expr) {
      *slot = expr(*v.expr);
      return;
    }
    std::vector<int32_t> vals, conds;
    for (const auto& t : v.tiers) {
      vals.push_back(expr(*t.value));
      conds.push_back(t.when ? expr(*t.when) : -1);
    }
    int n = static_cast<int>(v.tiers.size());
    int32_t r = vals[n - 1];
    int32_t idx = emit(Op::Const, v.span, -1, -1, n - 1);
    for (int i = n - 2; i >= 0; --i) {
      if (conds[i] < 0) continue;
      r = emit(Op::Select, v.tiers[i].span, vals[i], r, 0, RoundingMode::HalfUp, conds[i]);
      int32_t ci = emit(Op::Const, v.tiers[i].span, -1, -1, i);
      idx = emit(Op::Select, v.tiers[i].span, ci, idx, 0, RoundingMode::HalfUp, conds[i]);
    }
    *slot = r;
    *tier_slot = idx;
  }

  void set_cap_slot(int32_t s) { cap_slot_ = s; }

 private:
  const Policy& p_;
  ItemProgram& out_;
  int32_t next_;
  int32_t cap_slot_ = -1;
};

}  // namespace

Program lower(const Policy& policy) {
  Program prog;
  for (const auto& item : policy.items) {
    ItemProgram ip;
    Lowerer l(policy, ip, policy.slot_count + static_cast<int32_t>(item.lets.size()));
    for (const auto& let : item.lets) {
      int32_t s = l.expr(*let.value);
      // Lets own fixed slots so later expressions can name them.
      ip.code.push_back(Instr{Op::Copy, RoundingMode::HalfUp, let.slot, s, -1, -1, 0});
      ip.spans.push_back(let.span);
    }
    for (const auto& c : item.conditions) ip.condition_slots.push_back(l.expr(*c.cond));
    ip.conditions_end = static_cast<int32_t>(ip.code.size());
    l.value(item.amount, &ip.amount_slot, &ip.amount_tier_slot);
    l.value(item.cap, &ip.cap_slot, &ip.cap_tier_slot);
    l.set_cap_slot(ip.cap_slot);
    for (int g : item.groups) {
      const RuleInfo& r = policy.rules[g];
      ip.group_limit_slots.push_back(r.limit ? l.expr(*r.limit) : -1);
    }
    ip.frame_size = l.next();
    prog.frame_size = std::max(prog.frame_size, ip.frame_size);
    prog.items.push_back(std::move(ip));
  }
  prog.frame_size = std::max(prog.frame_size, policy.slot_count);
  return prog;
}

}  // namespace pol::ir
