#include "runtime/diff/show.h"

#include "values/date.h"
#include "values/fixed.h"

namespace pol::diff {

PolicyShow::PolicyShow(const LoadedPolicy& lp) : p_(*lp.policy), prog_(lp.program) {
  // What each slot is called in each item, as the explanations call it: the item's own input
  // labels first, then common fields, parameters and lets.
  size_t frame = static_cast<size_t>(std::max(prog_.frame_size, p_.slot_count));
  labels_.assign(p_.items.size(), std::vector<const std::string*>(frame, nullptr));
  for (size_t i = 0; i < p_.items.size(); ++i) {
    auto& t = labels_[i];
    auto put = [&](int32_t slot, const std::string& label, const std::string& name) {
      if (slot >= 0 && static_cast<size_t>(slot) < t.size() && !t[slot]) t[slot] = label.empty() ? &name : &label;
    };
    for (const auto& in : p_.items[i].inputs) put(p_.fields[in.field].slot, in.label, p_.fields[in.field].name);
    for (const auto& f : p_.fields) put(f.slot, f.label, f.name);
    for (const auto& pr : p_.params) put(pr.slot, pr.label, pr.name);
    for (const auto& l : p_.items[i].lets) put(l.slot, l.name, l.name);
  }
}

const std::string& PolicyShow::label(int item, int32_t slot) const {
  static const std::string kUnknown = "?";
  const auto& t = labels_[item];
  return slot >= 0 && static_cast<size_t>(slot) < t.size() && t[slot] ? *t[slot] : kUnknown;
}

std::string PolicyShow::value(Type t, int64_t v) const {
  std::string out;
  switch (t.ty) {
    case Ty::Money: format_money(v, out); break;
    case Ty::Rate: format_rate(v, out); break;
    case Ty::Decimal: format_decimal(v, out); break;
    case Ty::Int: format_int_grouped(v, out); break;
    case Ty::Bool: out = v ? "是" : "否"; break;
    case Ty::Date: format_date(static_cast<int32_t>(v), out); break;
    case Ty::Text:
      if (v >= 0 && v < static_cast<int64_t>(p_.texts.size())) out = "“" + p_.texts[v] + "”";
      break;
    case Ty::Enum: {
      const auto& en = p_.enums[t.enum_id];
      if (v < 0 || v >= static_cast<int64_t>(en.members.size())) out = "?";
      else out = en.member_labels[v].empty() ? en.members[v] : en.member_labels[v];
      break;
    }
    default: out = std::to_string(v); break;
  }
  return out;
}

std::string PolicyShow::param_value(const ParamInfo& p) const {
  if (!p.has_value) return "未设定";
  return value(p.type, p.value);
}

std::string PolicyShow::expr(int item, int32_t node) const {
  std::string out;
  if (node >= 0) describe(item, node, out);
  return out;
}

// The names-only reading of Explainer::describe: the same words, no application values.
void PolicyShow::describe(int item, int32_t node, std::string& out) const {
  const ir::ItemProgram& ip = prog_.items[item];
  const ir::ShowNode& e = ip.show[node];
  auto arg = [&](int32_t i) -> const ir::ShowNode& { return ip.show[ip.show_args[e.first + i]]; };
  auto sub = [&](int32_t i) {
    TOp op = arg(i).op;
    bool compound = op == TOp::Add || op == TOp::Sub || op == TOp::And || op == TOp::Or;
    if (compound) out += '(';
    describe(item, ip.show_args[e.first + i], out);
    if (compound) out += ')';
  };
  auto infix = [&](const char* op) {
    sub(0);
    out += op;
    sub(1);
  };
  switch (e.op) {
    case TOp::Const: out += value(e.type, e.value); return;
    case TOp::Slot: out += label(item, e.slot); return;
    case TOp::ItemCap: out += "单笔上限"; return;
    case TOp::Neg: out += '-'; sub(0); return;
    case TOp::Not: out += "并非 "; sub(0); return;
    case TOp::And: infix(" 且 "); return;
    case TOp::Or: infix(" 或 "); return;
    case TOp::Add: infix(" + "); return;
    case TOp::Sub: infix(" − "); return;
    case TOp::Mul: infix(" × "); return;
    case TOp::Div: infix(" ÷ "); return;
    case TOp::Cmp: {
      static const char* kOps[] = {" < ", " ≤ ", " > ", " ≥ ", " = ", " ≠ "};
      infix(kOps[static_cast<int>(e.cmp)]);
      return;
    }
    case TOp::In:
      sub(0);
      out += e.negated ? " 不属于 {" : " 属于 {";
      for (int32_t i = 1; i < e.count; ++i) {
        if (i > 1) out += "、";
        out += value(arg(i).type, arg(i).value);
      }
      out += '}';
      return;
    case TOp::Round:
      out += '(';
      sub(0);
      out += ") 按";
      out += rounding_name_zh(e.mode);
      out += "取到 ";
      out += value(e.type, e.value);
      return;
    case TOp::Min:
    case TOp::Max:
      out += e.op == TOp::Min ? "min(" : "max(";
      for (int32_t i = 0; i < e.count; ++i) {
        if (i) out += ", ";
        sub(i);
      }
      out += ')';
      return;
    case TOp::Year: out += "年份("; sub(0); out += ')'; return;
    case TOp::AddDuration: sub(0); out += " + "; format_duration(ir::unpack_duration(e.value), out); return;
    case TOp::IntToDecimal: sub(0); return;
    case TOp::Present:
      out += "已填写「";
      for (const auto& f : p_.fields)
        if (f.present_slot == e.slot) out += f.label.empty() ? f.name : f.label;
      out += "」";
      return;
    case TOp::OrElse:
      sub(0);
      out += "（未填写时按 ";
      sub(1);
      out += "）";
      return;
  }
}

std::string PolicyShow::tiers(int item, const std::vector<ir::ShowTier>& tiers) const {
  std::string out;
  for (const auto& t : tiers) {
    if (!out.empty()) out += "；";
    out += t.value >= 0 ? expr(item, t.value) : "?";
    if (t.when >= 0) out += "，当 " + expr(item, t.when);
    else out += "，其他情形";
    if (!t.label.empty()) out += "（" + t.label + "）";
  }
  return out;
}

std::string PolicyShow::amount(int item) const {
  const ir::ItemProgram& ip = prog_.items[item];
  if (!ip.amount_tiers.empty()) return tiers(item, ip.amount_tiers);
  return expr(item, ip.amount_show);
}

std::string PolicyShow::cap(int item) const {
  const ir::ItemProgram& ip = prog_.items[item];
  if (!ip.cap_tiers.empty()) return tiers(item, ip.cap_tiers);
  if (!p_.items[item].cap.present || ip.cap_slot < 0) return "";
  return slot_source(item, ip.cap_slot);
}

// A value of the item program with no show tree of its own (a one-expression cap, a group
// limit): a constant or a parameter is read from the program; anything else is a formula the
// IR does not keep in readable form.
std::string PolicyShow::slot_source(int item, int32_t slot) const {
  const ir::ItemProgram& ip = prog_.items[item];
  if (slot < p_.slot_count) return label(item, slot);
  for (int32_t i = ip.value_region.begin; i < ip.value_region.end; ++i) {
    const ir::Instr& in = ip.code[i];
    if (in.dst != slot) continue;
    if (in.op == ir::Op::Const) return value(T(ip.slot_types[slot]), in.imm);
    if (in.op == ir::Op::Copy && in.a < p_.slot_count) return label(item, in.a);
  }
  return "按公式计算";
}

bool PolicyShow::reads(int item, int32_t slot) const {
  for (const auto& n : prog_.items[item].show)
    if (n.op == TOp::Slot && n.slot == slot) return true;
  return false;
}

}  // namespace pol::diff
