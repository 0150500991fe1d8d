// Checked policy -> IR: flattens each typed expression tree into slot-to-slot instructions.
// `and`, `or` and tiers become forward jumps, so what a condition guards is never computed when
// the guard fails; a let is computed where it is first used on the path taken; a product or
// quotient chain that yields money becomes one exact MulChain, rounded once.
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
  Lowerer(const Policy& p, const ItemInfo& item, ItemProgram& out) : item_(item), out_(out) {
    out_.slot_types.assign(p.slot_count, Ty::Error);
    for (const auto& pr : p.params) out_.slot_types[pr.slot] = pr.type.ty;
    for (const auto& f : p.fields) {
      out_.slot_types[f.slot] = f.type.ty;
      if (f.present_slot >= 0) out_.slot_types[f.present_slot] = Ty::Bool;
    }
    next_ = p.slot_count;
    for (const auto& l : item.lets) {
      if (l.slot >= next_) next_ = l.slot + 1;
      set_type(l.slot, l.value->type.ty);
    }
    for (size_t i = 0; i < item.lets.size(); ++i) out_.let_flag_slots.push_back(temp(Ty::Bool));
  }

  int32_t temp(Ty t) {
    set_type(next_, t);
    return next_++;
  }
  int32_t next() const { return next_; }
  int32_t here() const { return static_cast<int32_t>(out_.code.size()); }

  void emit_to(int32_t dst, Op op, Span span, int32_t a = -1, int32_t b = -1, int64_t imm = 0,
               RoundingMode mode = RoundingMode::HalfUp) {
    Instr in;
    in.op = op;
    in.dst = dst;
    in.a = a;
    in.b = b;
    in.imm = imm;
    in.mode = mode;
    out_.code.push_back(in);
    out_.spans.push_back(span);
  }

  int32_t emit(Op op, Ty t, Span span, int32_t a = -1, int32_t b = -1, int64_t imm = 0,
               RoundingMode mode = RoundingMode::HalfUp) {
    int32_t dst = temp(t);
    emit_to(dst, op, span, a, b, imm, mode);
    return dst;
  }

  // A forward jump whose target is set by patch() once the code it skips is emitted.
  size_t jump(Op op, Span span, int32_t cond = -1) {
    emit_to(-1, op, span, cond);
    return out_.code.size() - 1;
  }
  void patch(size_t at) { out_.code[at].imm = here(); }

  void prologue() {
    out_.prologue.begin = here();
    for (int32_t flag : out_.let_flag_slots) emit_to(flag, Op::Const, item_.span, -1, -1, 0);
    out_.prologue.end = here();
  }

  int32_t expr(const TExpr& e) { return expr(e, e.mode, e.quantum); }

  // mode/quantum: the rounding that applies to a money product here (policy default, or
  // the one of an enclosing `rounded`, so the exact product is rounded once).
  int32_t expr(const TExpr& e, RoundingMode mode, int64_t quantum) {
    Ty t = e.type.ty;
    switch (e.op) {
      case TOp::Const: return emit(Op::Const, t, e.span, -1, -1, e.value);
      case TOp::Slot: return slot(e.slot);
      case TOp::ItemCap: return cap_slot_;
      case TOp::Neg: return emit(Op::Neg, t, e.span, expr(*e.args[0]));
      case TOp::Not: return emit(Op::Not, t, e.span, expr(*e.args[0]));
      case TOp::And:
      case TOp::Or: {
        // r = a; if a decides (false for and, true for or) skip b; else r = b.
        int32_t r = temp(Ty::Bool);
        int32_t a = expr(*e.args[0]);
        emit_to(r, Op::Copy, e.span, a);
        size_t j = jump(e.op == TOp::And ? Op::JumpIfZero : Op::JumpIfNonZero, e.span, a);
        emit_to(r, Op::Copy, e.span, expr(*e.args[1]));
        patch(j);
        return r;
      }
      case TOp::Present: return e.slot;  // loaded with the application's values
      case TOp::OrElse: {
        // r = x when the application gave it, else the stated default (computed only then).
        int32_t r = temp(t);
        size_t absent = jump(Op::JumpIfZero, e.span, e.slot);
        emit_to(r, Op::Copy, e.span, expr(*e.args[0]));
        size_t done = jump(Op::Jump, e.span);
        patch(absent);
        emit_to(r, Op::Copy, e.span, expr(*e.args[1]));
        patch(done);
        return r;
      }
      case TOp::IntToDecimal: return emit(Op::IntToDec, t, e.span, expr(*e.args[0]));
      case TOp::Year: return emit(Op::Year, t, e.span, expr(*e.args[0]));
      case TOp::StartOf: return emit(Op::StartOf, t, e.span, expr(*e.args[0]), -1, e.value);
      case TOp::MonthsBetween: case TOp::YearsBetween: {
        int32_t a = expr(*e.args[0]), b = expr(*e.args[1]);
        return emit(e.op == TOp::MonthsBetween ? Op::MonthsBetween : Op::YearsBetween, t, e.span, a, b);
      }
      case TOp::AddDuration:
        if (e.args[1]->op != TOp::Const) {
          int32_t date = expr(*e.args[0]), dur = expr(*e.args[1]);
          return emit(Op::AddDurationSlot, t, e.span, date, dur, e.negated ? 1 : 0);
        }
        return emit(Op::AddDuration, t, e.span, expr(*e.args[0]), -1, pack_duration(e.duration));
      case TOp::Add: return emit(Op::Add, t, e.span, expr(*e.args[0]), expr(*e.args[1]));
      case TOp::Sub: return emit(Op::Sub, t, e.span, expr(*e.args[0]), expr(*e.args[1]));
      case TOp::Mul:
      case TOp::Div:
        if (t == Ty::Money) {
          std::vector<const TExpr*> factors;
          std::vector<bool> divides;
          flatten(e, false, factors, divides);
          if (factors.size() > 2) return chain(e, factors, divides, mode, quantum);
        }
        return e.op == TOp::Mul ? mul(e, mode, quantum) : div(e, mode, quantum);
      case TOp::Min:
      case TOp::Max: {
        int32_t r = expr(*e.args[0]);
        for (size_t i = 1; i < e.args.size(); ++i)
          r = emit(e.op == TOp::Min ? Op::Min : Op::Max, t, e.span, r, expr(*e.args[i]));
        return r;
      }
      case TOp::Round: {
        const TExpr& inner = *e.args[0];
        if (inner.op == TOp::Mul || inner.op == TOp::Div) return expr(inner, e.mode, e.quantum);
        return emit(Op::Quantize, t, e.span, expr(inner), -1, e.quantum, e.mode);
      }
      case TOp::Cmp: return cmp(e.cmp, e.args[0]->type, expr(*e.args[0]), expr(*e.args[1]), e.span);
      case TOp::In: {
        int32_t x = expr(*e.args[0]);
        int32_t r = -1;
        for (size_t i = 1; i < e.args.size(); ++i) {
          int32_t eq = cmp(CmpOp::Eq, e.args[0]->type, x, expr(*e.args[i]), e.span);
          r = r < 0 ? eq : emit(Op::Max, Ty::Bool, e.span, r, eq);  // or of 0/1 values: nothing to guard
        }
        return e.negated ? emit(Op::Not, Ty::Bool, e.span, r) : r;
      }
    }
    throw std::logic_error("unlowered expression");
  }

  // Tiers: the first tier whose condition holds is taken; later conditions and the values of
  // the tiers not taken are never computed. The tier index is kept for explanations and coverage.
  void value(const ValueInfo& v, int32_t* slot, int32_t* tier_slot) {
    if (!v.present) return;
    if (v.expr) {
      *slot = expr(*v.expr);
      return;
    }
    int32_t r = temp(Ty::Money);
    int32_t idx = temp(Ty::Int);
    std::vector<size_t> to_end;
    for (size_t i = 0; i < v.tiers.size(); ++i) {
      const TierInfo& t = v.tiers[i];
      size_t skip = 0;
      bool guarded = t.when != nullptr;
      if (guarded) skip = jump(Op::JumpIfZero, t.span, expr(*t.when));
      emit_to(r, Op::Copy, t.span, expr(*t.value));
      emit_to(idx, Op::Const, t.span, -1, -1, static_cast<int64_t>(i));
      if (!guarded) break;  // `otherwise`: the checker makes it the last tier
      to_end.push_back(jump(Op::Jump, t.span));
      patch(skip);
    }
    for (size_t j : to_end) patch(j);
    *slot = r;
    *tier_slot = idx;
  }

  void set_cap_slot(int32_t s) { cap_slot_ = s; }

  // The expression as written, for explanations: a node per operator, operands after it.
  int32_t show(const TExpr& e) {
    ShowNode n;
    n.op = e.op;
    n.type = e.type;
    n.cmp = e.cmp;
    n.negated = e.negated;
    n.mode = e.mode;
    n.slot = e.slot;
    n.value = e.op == TOp::Round ? e.quantum : e.op == TOp::AddDuration ? pack_duration(e.duration) : e.value;
    std::vector<int32_t> args;
    for (const auto& a : e.args) args.push_back(show(*a));
    n.first = static_cast<int32_t>(out_.show_args.size());
    n.count = static_cast<int32_t>(args.size());
    out_.show_args.insert(out_.show_args.end(), args.begin(), args.end());
    out_.show.push_back(n);
    return static_cast<int32_t>(out_.show.size() - 1);
  }

  void show_value(const ValueInfo& v, int32_t* expr_root, std::vector<ShowTier>& tiers) {
    if (!v.present) return;
    if (v.expr) {
      if (expr_root) *expr_root = show(*v.expr);
      return;
    }
    for (const auto& t : v.tiers) tiers.push_back({t.label, t.when ? show(*t.when) : -1, t.value ? show(*t.value) : -1});
  }

 private:
  void set_type(int32_t slot, Ty t) {
    if (static_cast<size_t>(slot) >= out_.slot_types.size()) out_.slot_types.resize(slot + 1, Ty::Error);
    out_.slot_types[slot] = t;
  }

  int let_of(int32_t slot) const {
    for (size_t i = 0; i < item_.lets.size(); ++i)
      if (item_.lets[i].slot == slot) return static_cast<int>(i);
    return -1;
  }

  // A let is computed the first time the path taken reaches it: a let that divides, used only
  // behind a guard, is never computed when the guard fails.
  int32_t slot(int32_t s) {
    int l = let_of(s);
    if (l < 0) return s;
    const LetInfo& let = item_.lets[l];
    int32_t flag = out_.let_flag_slots[l];
    size_t done = jump(Op::JumpIfNonZero, let.span, flag);
    emit_to(let.slot, Op::Copy, let.span, expr(*let.value));
    emit_to(flag, Op::Const, let.span, -1, -1, 1);
    patch(done);
    return let.slot;
  }

  static void flatten(const TExpr& e, bool divides, std::vector<const TExpr*>& factors, std::vector<bool>& divs) {
    if (e.op == TOp::Mul) {
      flatten(*e.args[0], divides, factors, divs);
      flatten(*e.args[1], divides, factors, divs);
    } else if (e.op == TOp::Div) {
      flatten(*e.args[0], divides, factors, divs);
      flatten(*e.args[1], !divides, factors, divs);
    } else {
      factors.push_back(&e);
      divs.push_back(divides);
    }
  }

  int32_t chain(const TExpr& e, const std::vector<const TExpr*>& factors, const std::vector<bool>& divides,
                RoundingMode mode, int64_t quantum) {
    Chain ch;
    ch.result = e.type.ty;
    ch.mode = mode;
    ch.quantum = quantum;
    for (size_t i = 0; i < factors.size(); ++i) ch.factors.push_back({expr(*factors[i]), factors[i]->type.ty, divides[i]});
    out_.chains.push_back(std::move(ch));
    return emit(Op::MulChain, e.type.ty, e.span, -1, -1, static_cast<int64_t>(out_.chains.size() - 1), mode);
  }

  int32_t cmp(CmpOp op, Type t, int32_t a, int32_t b, Span span) {
    if (t.ty == Ty::Text) return emit(op == CmpOp::Ne ? Op::TextNe : Op::TextEq, Ty::Bool, span, a, b);
    static const Op kOps[] = {Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne};
    return emit(kOps[static_cast<int>(op)], Ty::Bool, span, a, b);
  }

  int32_t mul(const TExpr& e, RoundingMode mode, int64_t quantum) {
    const TExpr* a = e.args[0].get();
    const TExpr* b = e.args[1].get();
    Ty ta = a->type.ty, tb = b->type.ty;
    Ty t = e.type.ty;
    // Put the money operand second (or the rate first) so each op has one operand order.
    if (ta == Ty::Money || (ta == Ty::Int && tb == Ty::Rate) || (ta == Ty::Int && tb == Ty::Decimal)) {
      std::swap(a, b);
      std::swap(ta, tb);
    }
    int32_t sa = expr(*a), sb = expr(*b);
    if (tb == Ty::Money) {
      if (ta == Ty::Rate) return emit(Op::MulRateMoney, t, e.span, sa, sb, quantum, mode);
      if (ta == Ty::Decimal) return emit(Op::MulDecMoney, t, e.span, sa, sb, quantum, mode);
      return emit(Op::MulMoneyInt, t, e.span, sb, sa);
    }
    if (ta == Ty::Rate && tb == Ty::Rate) return emit(Op::MulRateRate, t, e.span, sa, sb);
    if (ta == Ty::Rate) return emit(Op::MulRateInt, t, e.span, sa, sb);
    if (ta == Ty::Decimal || tb == Ty::Decimal) return emit(Op::MulDecDec, t, e.span, sa, sb);
    return emit(Op::MulInt, t, e.span, sa, sb);
  }

  int32_t div(const TExpr& e, RoundingMode mode, int64_t quantum) {
    Ty ta = e.args[0]->type.ty, tb = e.args[1]->type.ty;
    Ty t = e.type.ty;
    int32_t sa = expr(*e.args[0]), sb = expr(*e.args[1]);
    if (ta == Ty::Money && tb == Ty::Money) return emit(Op::DivMoneyMoney, t, e.span, sa, sb);
    if (ta == Ty::Money && tb == Ty::Int) return emit(Op::DivMoneyInt, t, e.span, sa, sb, quantum, mode);
    if (ta == Ty::Money) return emit(Op::DivMoneyDec, t, e.span, sa, sb, quantum, mode);
    if (ta == Ty::Rate) return emit(Op::DivRateInt, t, e.span, sa, sb);
    if (ta == Ty::Int) sa = emit(Op::IntToDec, Ty::Decimal, e.span, sa);
    if (tb == Ty::Int) sb = emit(Op::IntToDec, Ty::Decimal, e.span, sb);
    return emit(Op::DivDecDec, t, e.span, sa, sb);
  }

  const ItemInfo& item_;
  ItemProgram& out_;
  int32_t next_ = 0;
  int32_t cap_slot_ = -1;
};

}  // namespace

// Portfolio rules into data and an ordered stage plan: the engine runs the stages in this
// order and reads every figure of a rule from its RulePlan.
void plan_rules(const Policy& p, Program& prog) {
  prog.rules.clear();
  prog.stages.clear();
  for (size_t ri = 0; ri < p.rules.size(); ++ri) {
    const RuleInfo& r = p.rules[ri];
    RulePlan rp;
    rp.kind = r.kind;
    rp.rule = static_cast<int32_t>(ri);
    rp.applies.resize(p.items.size());
    for (size_t i = 0; i < p.items.size(); ++i) rp.applies[i] = r.applies_to(static_cast<int>(i));
    rp.per_year = r.period == Period::Year;
    rp.scope_field = r.scope_field;
    rp.key_fields.assign(r.key_fields.begin(), r.key_fields.end());
    rp.places = r.places;
    rp.rank_field = r.rank_field;
    rp.descending = r.descending;
    rp.max_supports = r.max_supports;
    rp.max_consecutive = r.max_consecutive_years;
    rp.within_years = r.within.years;
    rp.prefer_highest = r.prefer_highest;
    rp.scale_mode = r.scale_mode;
    rp.ration = r.ration;
    rp.scale_quantum = r.scale_quantum;
    if (r.kind == RuleKind::Group && r.limit) {
      rp.limit = r.limit->op == TOp::Const     ? RulePlan::Limit::Constant
                 : r.limit->op == TOp::ItemCap ? RulePlan::Limit::ItemCap
                                               : RulePlan::Limit::PerApplication;
      if (rp.limit == RulePlan::Limit::Constant) rp.limit_fen = r.limit->value;
    }
    if (r.kind == RuleKind::Budget) {
      rp.budget_param = r.budget_param;
      if (r.budget_param < 0 && r.limit && r.limit->op == TOp::Const) rp.budget_limit = r.limit->value;
    }
    rp.level_link = r.level_link;
    rp.threshold_param = r.threshold_param;
    rp.threshold_fen = r.threshold;
    prog.rules.push_back(std::move(rp));
  }
  auto stage = [&](StageKind k, std::initializer_list<RuleKind> kinds, bool always) {
    Stage s{k, {}};
    for (size_t ri = 0; ri < prog.rules.size(); ++ri)
      for (RuleKind rk : kinds)
        if (prog.rules[ri].kind == rk) s.rules.push_back(static_cast<int32_t>(ri));
    if (always || !s.rules.empty()) prog.stages.push_back(std::move(s));
  };
  stage(StageKind::OwnConditions, {RuleKind::Route, RuleKind::Once, RuleKind::Series}, true);
  stage(StageKind::Quota, {RuleKind::Quota}, false);
  stage(StageKind::Exclusive, {RuleKind::Exclusive}, false);
  stage(StageKind::Levels, {RuleKind::Highest, RuleKind::Combined}, false);
  stage(StageKind::GroupCaps, {RuleKind::Group}, false);
  stage(StageKind::Budget, {RuleKind::Budget}, false);
}

Program lower(const Policy& policy) {
  Program prog;
  for (const auto& item : policy.items) {
    ItemProgram ip;
    Lowerer l(policy, item, ip);
    l.prologue();
    for (const auto& c : item.conditions) {
      Region r;
      r.begin = l.here();
      ip.condition_slots.push_back(l.expr(*c.cond));
      r.end = l.here();
      ip.condition_regions.push_back(r);
    }
    ip.value_region.begin = l.here();
    l.value(item.amount, &ip.amount_slot, &ip.amount_tier_slot);
    l.value(item.cap, &ip.cap_slot, &ip.cap_tier_slot);
    l.set_cap_slot(ip.cap_slot);
    for (int g : item.groups) {
      const RuleInfo& r = policy.rules[g];
      ip.group_limit_slots.push_back(r.limit ? l.expr(*r.limit) : -1);
    }
    for (const auto& lim : item.level_limits) ip.level_limit_slots.push_back(lim ? l.expr(*lim) : -1);
    if (item.relax_when) ip.relax_slot = l.expr(*item.relax_when);
    ip.value_region.end = l.here();
    for (const auto& let : item.lets) ip.let_slots.push_back(let.slot);
    for (const auto& c : item.conditions) ip.condition_show.push_back(l.show(*c.cond));
    for (const auto& let : item.lets) ip.let_show.push_back(l.show(*let.value));
    l.show_value(item.amount, &ip.amount_show, ip.amount_tiers);
    l.show_value(item.cap, nullptr, ip.cap_tiers);
    ip.frame_size = l.next();
    ip.slot_types.resize(ip.frame_size, Ty::Error);
    prog.frame_size = std::max(prog.frame_size, ip.frame_size);
    prog.items.push_back(std::move(ip));
  }
  prog.frame_size = std::max(prog.frame_size, policy.slot_count);
  plan_rules(policy, prog);
  return prog;
}

}  // namespace pol::ir
