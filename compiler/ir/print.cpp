// `polc check --dump-ir`: the slot map and each item's instructions.
#include <fmt/format.h>

#include "compiler/ir/ir.h"

namespace pol::ir {

const char* op_name(Op op) {
  static const char* kNames[] = {
      "const", "copy", "add", "sub", "mul.int", "mul.rate.money", "mul.dec.money", "mul.money.int", "mul.rate.rate",
      "mul.dec.dec", "mul.rate.int", "div.money.money", "div.money.int", "div.money.dec", "div.dec.dec", "div.rate.int",
      "int.to.dec", "neg", "lt", "le", "gt", "ge", "eq", "ne", "text.eq", "text.ne", "and", "or", "not", "select",
      "min", "max", "quantize", "add.duration", "year"};
  return kNames[static_cast<int>(op)];
}

std::string dump(const Program& prog, const Policy& p) {
  std::string out = fmt::format("policy {}: {} slots before temporaries, frame {} slots\n", p.name, p.slot_count,
                                prog.frame_size);
  for (const auto& pr : p.params)
    out += fmt::format("  s{:<3} param {}: {}{}\n", pr.slot, pr.name, p.type_name(pr.type), pr.optional ? " optional" : "");
  for (const auto& f : p.fields)
    out += fmt::format("  s{:<3} {} {}: {}\n", f.slot, f.common ? "field" : "input", f.name, p.type_name(f.type));
  for (size_t i = 0; i < prog.items.size(); ++i) {
    const auto& ip = prog.items[i];
    const auto& item = p.items[i];
    out += fmt::format("\nitem \"{}\" ({} instructions, frame {})\n", item.number, ip.code.size(), ip.frame_size);
    for (const auto& l : item.lets) out += fmt::format("  let {} -> s{}\n", l.name, l.slot);
    for (const auto& in : ip.code) {
      out += fmt::format("  s{:<3} = {:<16}", in.dst, op_name(in.op));
      if (in.op == Op::Const) out += fmt::format(" {}", in.imm);
      if (in.a >= 0) out += fmt::format(" s{}", in.a);
      if (in.b >= 0) out += fmt::format(" s{}", in.b);
      if (in.c >= 0) out += fmt::format(" if s{}", in.c);
      if (in.op == Op::MulRateMoney || in.op == Op::MulDecMoney || in.op == Op::DivMoneyInt ||
          in.op == Op::DivMoneyDec || in.op == Op::Quantize)
        out += fmt::format("  ; rounded {} to {} fen", rounding_name(in.mode), in.imm);
      out += "\n";
    }
    for (size_t c = 0; c < ip.condition_slots.size(); ++c)
      out += fmt::format("  condition {} -> s{}\n", item.conditions[c].name, ip.condition_slots[c]);
    out += fmt::format("  amount -> s{}", ip.amount_slot);
    if (ip.amount_tier_slot >= 0) out += fmt::format(" (tier s{})", ip.amount_tier_slot);
    if (ip.cap_slot >= 0) out += fmt::format(", cap -> s{}", ip.cap_slot);
    if (ip.cap_tier_slot >= 0) out += fmt::format(" (tier s{})", ip.cap_tier_slot);
    out += "\n";
    for (size_t g = 0; g < item.groups.size(); ++g)
      out += fmt::format("  group {} limit -> s{}\n", p.rules[item.groups[g]].name, ip.group_limit_slots[g]);
  }
  return out;
}

}  // namespace pol::ir
