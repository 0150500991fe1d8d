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

// Which operands an instruction reads, and whether imm is a rounding quantum (never 0).
bool reads_a(Op op) { return op != Op::Const && op != Op::Jump && op != Op::MulChain; }
bool reads_b(Op op) {
  switch (op) {
    case Op::Add: case Op::Sub: case Op::MulInt: case Op::MulRateMoney: case Op::MulDecMoney: case Op::MulMoneyInt:
    case Op::MulRateRate: case Op::MulDecDec: case Op::MulRateInt: case Op::DivMoneyMoney: case Op::DivMoneyInt:
    case Op::DivMoneyDec: case Op::DivDecDec: case Op::DivRateInt: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge:
    case Op::Eq: case Op::Ne: case Op::TextEq: case Op::TextNe: case Op::Min: case Op::Max:
      return true;
    default:
      return false;
  }
}
bool rounds_to_imm(Op op) {
  return op == Op::MulRateMoney || op == Op::MulDecMoney || op == Op::DivMoneyInt || op == Op::DivMoneyDec ||
         op == Op::Quantize;
}

}  // namespace

const char* op_name(Op op) { return info(op).name; }
bool op_can_fail(Op op) { return info(op).fails; }
bool op_divides(Op op) { return info(op).divides; }
bool op_is_jump(Op op) { return op == Op::Jump || op == Op::JumpIfZero || op == Op::JumpIfNonZero; }

const char* stage_name(StageKind k) {
  static const char* kNames[] = {"own-conditions", "quota", "exclusive", "levels", "group-caps", "budget"};
  return kNames[static_cast<int>(k)];
}

static const char* rule_kind_name(RuleKind k) {
  static const char* kNames[] = {"group", "quota", "once", "series", "exclusive", "budget", "highest", "combined", "route"};
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
  if (r.kind == RuleKind::Once && r.per_year) out += " per year";
  if (r.scope_field >= 0) out += " per " + field(r.scope_field);
  if (!r.key_fields.empty()) {
    out += " key";
    for (size_t k = 0; k < r.key_fields.size(); ++k) out += (k ? "," : " ") + field(r.key_fields[k]);
  }
  if (r.kind == RuleKind::Quota)
    out += fmt::format(" places {} rank by {} {}", r.places, field(r.rank_field), r.descending ? "descending" : "ascending");
  if (r.kind == RuleKind::Series) out += fmt::format(" at most {} within {} years", r.max_supports, r.within_years);
  if (r.kind == RuleKind::Series && r.max_consecutive > 0) out += fmt::format(" consecutive years at most {}", r.max_consecutive);
  if (r.kind == RuleKind::Exclusive) out += r.prefer_highest ? " prefer highest award" : " prefer earliest";
  if (r.kind == RuleKind::Group) out += " limit: each item's program";
  if (r.kind == RuleKind::Budget) {
    if (r.budget_param >= 0) out += " limit param " + p.params[r.budget_param].name;
    else out += fmt::format(" limit {} fen", r.budget_limit);
    out += fmt::format(" scale pro rata {} to {} fen", rounding_name(r.scale_mode), r.scale_quantum);
  }
  if (r.level_link >= 0 && static_cast<size_t>(r.level_link) < p.level_links.size()) {
    const LevelLink& l = p.level_links[r.level_link];
    out += " with " + l.policy + " items";
    for (size_t k = 0; k < l.items.size(); ++k) out += (k ? "," : " ") + l.items[k];
  }
  if (r.kind == RuleKind::Combined) out += " limit: each item's program";
  if (r.kind == RuleKind::Route) {
    if (r.threshold_param >= 0) out += " above param " + p.params[r.threshold_param].name;
    else out += fmt::format(" above {} fen", r.threshold_fen);
    out += " to " + p.rules[r.rule].route_to;
  }
  return out;
}

std::vector<std::string> verify(const Program& prog, const Policy& p) {
  std::vector<std::string> problems;
  if (prog.items.size() != p.items.size()) {
    problems.push_back("the program and the policy differ in their number of items");
    return problems;
  }
  if (prog.rules.size() != p.rules.size()) problems.push_back("the rule plan and the policy differ in their number of rules");
  for (size_t i = 0; i < prog.items.size(); ++i) {
    const ItemProgram& ip = prog.items[i];
    const ItemInfo& item = p.items[i];
    auto bad = [&](size_t pc, const std::string& what) {
      problems.push_back(fmt::format("item \"{}\" @{}: {}", item.number, pc, what));
    };
    auto in_frame = [&](int32_t s) { return s >= 0 && s < ip.frame_size; };
    if (ip.frame_size < p.slot_count || ip.frame_size > prog.frame_size) bad(0, "the frame does not hold the policy's slots");
    if (ip.slot_types.size() != static_cast<size_t>(ip.frame_size)) {
      bad(0, "slot type table does not cover the frame");
      continue;  // the checks below index it
    }
    if (ip.spans.size() != ip.code.size()) bad(0, "instructions and source positions differ in number");
    if (ip.condition_regions.size() != item.conditions.size() || ip.condition_slots.size() != item.conditions.size() ||
        ip.condition_show.size() != item.conditions.size())
      bad(0, "the conditions of the program and the policy differ in number");
    if (ip.let_flag_slots.size() != item.lets.size() || ip.let_slots.size() != item.lets.size() ||
        ip.let_show.size() != item.lets.size())
      bad(0, "the lets of the program and the policy differ in number");
    if (ip.group_limit_slots.size() != item.groups.size()) bad(0, "group limits and the item's groups differ in number");
    if (ip.level_limit_slots.size() != item.levels.size()) bad(0, "level limits and the item's level rules differ in number");
    if (ip.relax_slot >= 0 && (!in_frame(ip.relax_slot) || ip.slot_types[ip.relax_slot] != Ty::Bool))
      bad(0, "the condition for relaxing the cap is not a bool slot");
    if (ip.relax_slot >= 0 && !item.cap_relaxable) bad(0, "a condition for relaxing a cap that cannot be relaxed");
    for (size_t k = 0; k < item.levels.size() && k < ip.level_limit_slots.size(); ++k) {
      int r = item.levels[k];
      if (r < 0 || static_cast<size_t>(r) >= p.rules.size() ||
          (p.rules[r].kind != RuleKind::Highest && p.rules[r].kind != RuleKind::Combined)) {
        bad(0, "an item's level rule is not a highest or combined rule");
        continue;
      }
      int32_t s = ip.level_limit_slots[k];
      if ((p.rules[r].kind == RuleKind::Combined) != (s >= 0) || (s >= 0 && (!in_frame(s) || ip.slot_types[s] != Ty::Money)))
        bad(0, "a combined limit is not a money slot");
    }
    if (ip.amount_tiers.size() != item.amount.tiers.size() || ip.cap_tiers.size() != item.cap.tiers.size())
      bad(0, "tiers of the program and the policy differ in number");
    for (int32_t s : ip.let_flag_slots)
      if (!in_frame(s) || ip.slot_types[s] != Ty::Bool) bad(0, "a let's flag is not a bool slot");
    for (int32_t s : ip.let_slots)
      if (!in_frame(s)) bad(0, "a let lies outside the frame");
    for (int32_t s : ip.group_limit_slots)
      if (s >= 0 && (!in_frame(s) || ip.slot_types[s] != Ty::Money)) bad(0, "a group limit is not a money slot");
    for (int32_t s : {ip.amount_tier_slot, ip.cap_tier_slot})
      if (s >= 0 && (!in_frame(s) || ip.slot_types[s] != Ty::Int)) bad(0, "a tier index is not an int slot");
    if ((ip.amount_tier_slot >= 0) != !item.amount.tiers.empty() || (ip.cap_tier_slot >= 0) != !item.cap.tiers.empty())
      bad(0, "tier indexes and tiers disagree");
    // A tier index names a tier the program has (explanations read its label by it).
    for (size_t pc = 0; pc < ip.code.size(); ++pc) {
      const Instr& in = ip.code[pc];
      if (in.op != Op::Const || in.dst < 0) continue;
      if (in.dst == ip.amount_tier_slot && (in.imm < 0 || static_cast<size_t>(in.imm) >= ip.amount_tiers.size()))
        bad(pc, "an amount tier index names no tier");
      if (in.dst == ip.cap_tier_slot && (in.imm < 0 || static_cast<size_t>(in.imm) >= ip.cap_tiers.size()))
        bad(pc, "a cap tier index names no tier");
    }
    for (const Chain& ch : ip.chains) {
      if (ch.quantum <= 0 || ch.factors.empty()) bad(0, "a product chain without factors or quantum");
      for (const ChainFactor& f : ch.factors)
        if (!in_frame(f.slot)) bad(0, fmt::format("a product chain reads s{}, outside the frame", f.slot));
    }
    // Show trees: operands come before the node that uses them, so every tree is finite.
    for (size_t n = 0; n < ip.show.size(); ++n) {
      const ShowNode& node = ip.show[n];
      if (node.first < 0 || node.count < 0 || static_cast<size_t>(node.first) + node.count > ip.show_args.size()) {
        bad(0, fmt::format("show node {} has operands outside the table", n));
        continue;
      }
      for (int32_t k = 0; k < node.count; ++k)
        if (ip.show_args[node.first + k] < 0 || static_cast<size_t>(ip.show_args[node.first + k]) >= n)
          bad(0, fmt::format("show node {} uses a node that is not before it", n));
      bool reads_slot = node.op == TOp::Slot || node.op == TOp::Present || node.op == TOp::OrElse;
      if (reads_slot && !in_frame(node.slot)) bad(0, fmt::format("show node {} reads s{}, outside the frame", n, node.slot));
      int32_t need = 2;  // binary operators
      bool at_least = false;
      switch (node.op) {
        case TOp::Const: case TOp::Slot: case TOp::ItemCap: case TOp::Present: need = 0; break;
        case TOp::Neg: case TOp::Not: case TOp::Year: case TOp::StartOf: case TOp::IntToDecimal: case TOp::Round:
          need = 1;
          break;
        case TOp::AddDuration: need = 1; at_least = true; break;  // the date, and a duration parameter's slot
        case TOp::Min: case TOp::Max: need = 1; at_least = true; break;
        case TOp::In: at_least = true; break;
        default: break;
      }
      if (at_least ? node.count < need : node.count != need)
        bad(0, fmt::format("show node {} has {} operands", n, node.count));
    }
    auto root = [&](int32_t r, bool none_ok) { return (none_ok && r == -1) || (r >= 0 && static_cast<size_t>(r) < ip.show.size()); };
    for (int32_t r : ip.condition_show)
      if (!root(r, false)) bad(0, "a condition has no show tree");
    for (int32_t r : ip.let_show)
      if (!root(r, false)) bad(0, "a let has no show tree");
    if (!root(ip.amount_show, true)) bad(0, "the amount's show tree is out of range");
    for (const auto* tiers : {&ip.amount_tiers, &ip.cap_tiers})
      for (const ShowTier& t : *tiers)
        if (!root(t.when, true) || !root(t.value, true)) bad(0, "a tier's show tree is out of range");
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
        if ((reads_a(in.op) || in.a >= 0) && !in_frame(in.a)) bad(pc, fmt::format("operand s{} outside the frame", in.a));
        if ((reads_b(in.op) || in.b >= 0) && !in_frame(in.b)) bad(pc, fmt::format("operand s{} outside the frame", in.b));
        if (in.op == Op::Const && in_frame(in.dst) && ip.slot_types[in.dst] == Ty::Text &&
            (in.imm < 0 || in.imm > static_cast<int64_t>(p.texts.size())))
          bad(pc, fmt::format("text constant {} is not one of the policy's texts", in.imm));
        if (rounds_to_imm(in.op) && in.imm <= 0) bad(pc, fmt::format("{} rounds to a quantum of {}", oi.name, in.imm));
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
  auto field_ok = [&](int32_t f, bool none_ok) { return (none_ok && f == -1) || (f >= 0 && static_cast<size_t>(f) < p.fields.size()); };
  for (size_t r = 0; r < prog.rules.size() && r < p.rules.size(); ++r) {
    const RulePlan& rp = prog.rules[r];
    auto bad = [&](const std::string& what) { problems.push_back(fmt::format("rule {}: {}", p.rules[r].name, what)); };
    if (rp.rule != static_cast<int32_t>(r) || rp.kind != p.rules[r].kind) bad("the plan does not match the policy's rule");
    if (rp.applies.size() != p.items.size()) bad("`applies` does not cover every item");
    if (!field_ok(rp.scope_field, true) || !field_ok(rp.rank_field, true)) bad("a field out of range");
    for (int32_t f : rp.key_fields)
      if (!field_ok(f, false)) bad("a key field out of range");
    if (rp.budget_param < -1 || rp.budget_param >= static_cast<int32_t>(p.params.size())) bad("the budget parameter is out of range");
    if (rp.threshold_param < -1 || rp.threshold_param >= static_cast<int32_t>(p.params.size())) bad("the threshold parameter is out of range");
    bool leveled = rp.kind == RuleKind::Highest || rp.kind == RuleKind::Combined;
    if (leveled != (rp.level_link >= 0) || rp.level_link >= static_cast<int32_t>(p.level_links.size()))
      bad("the link to another policy is missing or out of range");
    if (rp.kind == RuleKind::Route && rp.threshold_param < 0 && rp.threshold_fen < 0) bad("a route without a threshold");
    if (rp.kind == RuleKind::Budget && rp.ration == Ration::Ranked && (rp.rank_field < 0 || !is_numeric(p.fields[rp.rank_field].type.ty)))
      bad("a pool shared by rank has no numeric field to rank by");
  }
  for (const LevelLink& l : p.level_links) {
    for (int f : l.key_fields)
      if (!field_ok(f, false) || p.fields[f].type.ty != Ty::Text) problems.push_back("a level link's key is not a text field");
    if ((l.rule >= 0) == (l.field >= 0) || l.rule >= static_cast<int>(p.rules.size()) || !field_ok(l.field, true))
      problems.push_back("a level link belongs to no rule or input");
  }
  for (const EarlierLink& l : p.earlier_links) {
    for (int f : l.key_fields)
      if (!field_ok(f, false)) problems.push_back("an earlier-grants link's key is out of range");
    if (!field_ok(l.field, false) || p.fields[l.field].earlier < 0 ||
        &p.earlier_links[p.fields[l.field].earlier] != &l)
      problems.push_back("an earlier-grants link fills the wrong input");
  }
  for (size_t f = 0; f < p.fields.size(); ++f) {
    int l = p.fields[f].award_of;
    if (l < -1 || l >= static_cast<int>(p.level_links.size()) || (l >= 0 && p.level_links[l].field != static_cast<int>(f)))
      problems.push_back("an `award of` input names the wrong level link");
  }
  bool seen[6] = {};
  for (const Stage& st : prog.stages) {
    if (seen[static_cast<int>(st.kind)]) problems.push_back(fmt::format("stage {} appears twice", stage_name(st.kind)));
    seen[static_cast<int>(st.kind)] = true;
    for (int32_t r : st.rules)
      if (r < 0 || static_cast<size_t>(r) >= prog.rules.size()) problems.push_back("a stage names a rule out of range");
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
    if (item.cap_relaxable) out += fmt::format("  cap relaxable{}\n", ip.relax_slot >= 0 ? fmt::format(" when s{}", ip.relax_slot) : "");
    if (item.discretionary) out += "  amount discretionary\n";
    for (size_t g = 0; g < item.levels.size(); ++g)
      if (ip.level_limit_slots[g] >= 0)
        out += fmt::format("  combined {} limit -> s{}\n", p.rules[item.levels[g]].name, ip.level_limit_slots[g]);
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
