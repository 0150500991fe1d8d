// What each opcode is (from ops.def), the IR verifier, and `polc check --dump-ir`: the slot
// map with types, each item's regions and instructions (jumps shown with their targets).
#include <fmt/format.h>

#include "compiler/ir/ir.h"

namespace pol::ir {
namespace {

struct OpInfo {
  const char* name;
  Ty result;  // Ty::Error: the result has the type of the expression (Any); None: no result
  bool writes, fails, divides;
};

constexpr Ty Any = Ty::Error, None = Ty::Error, Int = Ty::Int, Money = Ty::Money, Rate = Ty::Rate,
             Decimal = Ty::Decimal, Bool = Ty::Bool, Date = Ty::Date;
constexpr bool kWrites_Any = true, kWrites_None = false, kWrites_Int = true, kWrites_Money = true,
               kWrites_Rate = true, kWrites_Decimal = true, kWrites_Bool = true, kWrites_Date = true;

const OpInfo kOps[] = {
#define POL_OP(NAME, TEXT, RESULT, FAILS, DIVIDES) {TEXT, RESULT, kWrites_##RESULT, FAILS != 0, DIVIDES != 0},
#include "compiler/ir/ops.def"
#undef POL_OP
};

const OpInfo& info(Op op) { return kOps[static_cast<int>(op)]; }

}  // namespace

const char* op_name(Op op) { return info(op).name; }
bool op_can_fail(Op op) { return info(op).fails; }
bool op_divides(Op op) { return info(op).divides; }
bool op_is_jump(Op op) { return op == Op::Jump || op == Op::JumpIfZero || op == Op::JumpIfNonZero; }

const char* stage_name(StageKind k) {
  static const char* kNames[] = {"own-conditions", "quota", "exclusive", "group-caps", "budget"};
  return kNames[static_cast<int>(k)];
}

static const char* rule_kind_name(RuleKind k) {
  static const char* kNames[] = {"group", "quota", "once", "series", "exclusive", "budget"};
  return kNames[static_cast<int>(k)];
}

// One rule of the plan as data: "G2 group items 2 per enterprise per year limit (item program)".
static std::string rule_line(const RulePlan& r, const Policy& p) {
  std::string out = fmt::format("{} {}", p.rules[r.rule].name, rule_kind_name(r.kind));
  std::string items;
  size_t covered = 0;
  for (size_t i = 0; i < r.applies.size(); ++i)
    if (r.applies[i]) {
      items += (covered++ ? "," : "") + p.items[i].number;
    }
  out += covered == r.applies.size() ? " items *" : " items " + items;
  auto field = [&](int32_t f) { return f >= 0 ? p.fields[f].name + "(s" + std::to_string(p.fields[f].slot) + ")" : "?"; };
  if (r.kind == RuleKind::Group || r.kind == RuleKind::Quota || r.kind == RuleKind::Budget)
    out += r.per_year ? " per year" : " per term";
  if (r.scope_field >= 0) out += " per " + field(r.scope_field);
  if (!r.key_fields.empty()) {
    out += " key";
    for (size_t k = 0; k < r.key_fields.size(); ++k) out += (k ? "," : " ") + field(r.key_fields[k]);
  }
  if (r.kind == RuleKind::Quota)
    out += fmt::format(" places {} rank by {} {}", r.places, field(r.rank_field), r.descending ? "descending" : "ascending");
  if (r.kind == RuleKind::Series) out += fmt::format(" at most {} within {} years", r.max_supports, r.within_years);
  if (r.kind == RuleKind::Exclusive) out += r.prefer_highest ? " prefer highest award" : " prefer earliest";
  if (r.kind == RuleKind::Group) out += " limit: each item's program";
  if (r.kind == RuleKind::Budget) {
    if (r.budget_param >= 0) out += " limit param " + p.params[r.budget_param].name;
    else out += fmt::format(" limit {} fen", r.budget_limit);
    out += fmt::format(" scale pro rata {} to {} fen", rounding_name(r.scale_mode), r.scale_quantum);
  }
  return out;
}

std::vector<std::string> verify(const Program& prog, const Policy& p) {
  std::vector<std::string> problems;
  for (size_t i = 0; i < prog.items.size(); ++i) {
    const ItemProgram& ip = prog.items[i];
    auto bad = [&](size_t pc, const std::string& what) {
      problems.push_back(fmt::format("item \"{}\" @{}: {}", p.items[i].number, pc, what));
    };
    auto in_frame = [&](int32_t s) { return s >= 0 && s < ip.frame_size; };
    if (ip.slot_types.size() != static_cast<size_t>(ip.frame_size)) bad(0, "slot type table does not cover the frame");
    std::vector<Region> regions = {ip.prologue};
    regions.insert(regions.end(), ip.condition_regions.begin(), ip.condition_regions.end());
    regions.push_back(ip.value_region);
    int32_t expect = 0;
    for (const Region& r : regions) {
      if (r.begin != expect || r.end < r.begin) bad(r.begin, "regions do not tile the program");
      expect = r.end;
      for (int32_t pc = r.begin; pc < r.end && pc < static_cast<int32_t>(ip.code.size()); ++pc) {
        const Instr& in = ip.code[pc];
        const OpInfo& oi = info(in.op);
        if (oi.writes && !in_frame(in.dst)) bad(pc, fmt::format("{} writes s{}, outside the frame", oi.name, in.dst));
        if (oi.writes && in.dst >= 0 && in.dst < p.slot_count) bad(pc, fmt::format("{} overwrites input slot s{}", oi.name, in.dst));
        if (!oi.writes && in.dst >= 0) bad(pc, fmt::format("{} has a destination", oi.name));
        if (in.a >= 0 && !in_frame(in.a)) bad(pc, fmt::format("operand s{} outside the frame", in.a));
        if (in.b >= 0 && !in_frame(in.b)) bad(pc, fmt::format("operand s{} outside the frame", in.b));
        if (oi.writes && oi.result != Any && in_frame(in.dst) && ip.slot_types[in.dst] != oi.result)
          bad(pc, fmt::format("{} yields {} into s{} of type {}", oi.name, ty_name(oi.result), in.dst,
                              ty_name(ip.slot_types[in.dst])));
        if (op_is_jump(in.op)) {
          if (in.imm <= pc || in.imm > r.end) bad(pc, fmt::format("jump to @{} leaves its region [{}, {})", in.imm, r.begin, r.end));
          if (in.op != Op::Jump && (!in_frame(in.a) || ip.slot_types[in.a] != Ty::Bool))
            bad(pc, "conditional jump on a slot that is not bool");
        }
        if (in.op == Op::MulChain && (in.imm < 0 || static_cast<size_t>(in.imm) >= ip.chains.size()))
          bad(pc, "product chain out of range");
      }
    }
    if (expect != static_cast<int32_t>(ip.code.size())) bad(expect, "code after the last region");
    for (size_t c = 0; c < ip.condition_slots.size(); ++c)
      if (!in_frame(ip.condition_slots[c]) || ip.slot_types[ip.condition_slots[c]] != Ty::Bool)
        bad(0, fmt::format("condition {} is not a bool slot", c));
    if (!in_frame(ip.amount_slot) || ip.slot_types[ip.amount_slot] != Ty::Money) bad(0, "amount is not a money slot");
    if (ip.cap_slot >= 0 && (!in_frame(ip.cap_slot) || ip.slot_types[ip.cap_slot] != Ty::Money)) bad(0, "cap is not a money slot");
  }
  return problems;
}

std::string dump(const Program& prog, const Policy& p) {
  std::string out = fmt::format("policy {}: {} slots before temporaries, frame {} slots\n", p.name, p.slot_count,
                                prog.frame_size);
  for (const auto& pr : p.params)
    out += fmt::format("  s{:<3} param {}: {}{}\n", pr.slot, pr.name, p.type_name(pr.type), pr.optional ? " optional" : "");
  for (const auto& f : p.fields)
  {
    out += fmt::format("  s{:<3} {} {}: {}\n", f.slot, f.common ? "field" : "input", f.name, p.type_name(f.type));
    if (f.present_slot >= 0) out += fmt::format("  s{:<3} given {}: bool\n", f.present_slot, f.name);
  }
  for (size_t i = 0; i < prog.items.size(); ++i) {
    const auto& ip = prog.items[i];
    const auto& item = p.items[i];
    out += fmt::format("\nitem \"{}\" ({} instructions, frame {})\n", item.number, ip.code.size(), ip.frame_size);
    for (size_t l = 0; l < item.lets.size(); ++l)
      out += fmt::format("  let {} -> s{}: {} (computed flag s{})\n", item.lets[l].name, item.lets[l].slot,
                         ty_name(ip.slot_types[item.lets[l].slot]), ip.let_flag_slots[l]);
    auto region = [&](const char* title, Region r) {
      out += fmt::format("  {}:\n", title);
      for (int32_t pc = r.begin; pc < r.end; ++pc) {
        const Instr& in = ip.code[pc];
        if (in.dst >= 0)
          out += fmt::format("  @{:<4} s{:<3} {:<8} = {:<16}", pc, in.dst, ty_name(ip.slot_types[in.dst]), op_name(in.op));
        else
          out += fmt::format("  @{:<4} {:<14}   {:<16}", pc, "", op_name(in.op));
        if (in.op == Op::Const) out += fmt::format(" {}", in.imm);
        if (in.a >= 0) out += fmt::format(" s{}", in.a);
        if (in.b >= 0) out += fmt::format(" s{}", in.b);
        if (op_is_jump(in.op)) out += fmt::format(" -> @{}", in.imm);
        if (in.op == Op::MulChain) {
          const Chain& ch = ip.chains[in.imm];
          for (size_t f = 0; f < ch.factors.size(); ++f)
            out += fmt::format("{}s{}", f == 0 ? " " : ch.factors[f].divides ? " ÷ " : " × ", ch.factors[f].slot);
          out += fmt::format("  ; exact, rounded once {} to {}", rounding_name(ch.mode), ch.quantum);
        }
        if (in.op == Op::MulRateMoney || in.op == Op::MulDecMoney || in.op == Op::DivMoneyInt ||
            in.op == Op::DivMoneyDec || in.op == Op::Quantize)
          out += fmt::format("  ; rounded {} to {} fen", rounding_name(in.mode), in.imm);
        out += "\n";
      }
    };
    if (ip.prologue.end > ip.prologue.begin) region("prologue", ip.prologue);
    for (size_t c = 0; c < ip.condition_regions.size(); ++c)
      region(fmt::format("condition {} -> s{}", item.conditions[c].name, ip.condition_slots[c]).c_str(),
             ip.condition_regions[c]);
    region("values", ip.value_region);
    out += fmt::format("  amount -> s{}", ip.amount_slot);
    if (ip.amount_tier_slot >= 0) out += fmt::format(" (tier s{})", ip.amount_tier_slot);
    if (ip.cap_slot >= 0) out += fmt::format(", cap -> s{}", ip.cap_slot);
    if (ip.cap_tier_slot >= 0) out += fmt::format(" (tier s{})", ip.cap_tier_slot);
    out += "\n";
    for (size_t g = 0; g < item.groups.size(); ++g)
      out += fmt::format("  group {} limit -> s{}\n", p.rules[item.groups[g]].name, ip.group_limit_slots[g]);
  }
  out += "\nbatch plan (processing order: date, then id)\n";
  for (size_t s = 0; s < prog.stages.size(); ++s) {
    const Stage& st = prog.stages[s];
    out += fmt::format("  stage {} {}\n", s + 1, stage_name(st.kind));
    if (st.kind == StageKind::OwnConditions) out += "    validity, each item's conditions (its program), base = min(amount, cap)\n";
    for (int32_t r : st.rules) out += "    " + rule_line(prog.rules[r], p) + "\n";
  }
  return out;
}

}  // namespace pol::ir
