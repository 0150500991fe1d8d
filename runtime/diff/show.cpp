#include "runtime/diff/show.h"

#include "runtime/explain/show_text.h"

#include "values/date.h"
#include "values/fixed.h"

namespace pol::diff {

PolicyShow::PolicyShow(const LoadedPolicy& lp)
    : p_(*lp.policy),
      prog_(lp.program),
      labels_(slot_label_table(p_, static_cast<size_t>(std::max(prog_.frame_size, p_.slot_count)))) {}

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
    case Ty::Duration: format_duration(ir::unpack_duration(v), out); break;
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

// The names-only reading of what explanations write (runtime/explain/show_text.h).
void PolicyShow::describe(int item, int32_t node, std::string& out) const {
  struct Hooks {
    const PolicyShow& show;
    int item;
    void constant(Type t, int64_t v, std::string& o) const { o += show.value(t, v); }
    void slot(int32_t s, Type, std::string& o) const { o += show.label(item, s); }
    int given(int32_t) const { return -1; }
  } hooks{*this, item};
  render_show(p_, prog_.items[item], node, hooks, out);
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
