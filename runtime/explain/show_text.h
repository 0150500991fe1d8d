// Show trees as people read them: the one rendering of an item program's expressions
// ("30% × 算力服务费用 25,000,000.00 元"), shared by explanations (with an application's values)
// and `polc diff` (names only). What differs between them — how a constant or a slot is written,
// and whether presence is known — comes from a Hooks object:
//   void constant(Type t, int64_t v, std::string& out);  // a literal
//   void slot(int32_t slot, Type t, std::string& out);    // a name, with or without its value
//   int given(int32_t presence_slot) const;               // 1/0 with an application, -1: names only
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/check/policy.h"
#include "compiler/ir/ir.h"
#include "values/date.h"
#include "values/fixed.h"

namespace pol {

// What each slot is called in each item ([item][slot], null where nothing is): the item's own
// input labels first, then common fields, parameters and lets. Built once per policy.
std::vector<std::vector<const std::string*>> slot_label_table(const Policy& p, size_t frame);

template <class Hooks>
void render_show(const Policy& p, const ir::ItemProgram& ip, int32_t node, Hooks& h, std::string& out) {
  const ir::ShowNode& e = ip.show[node];
  auto arg = [&](int32_t i) -> const ir::ShowNode& { return ip.show[ip.show_args[e.first + i]]; };
  auto sub = [&](int32_t i) {
    TOp op = arg(i).op;
    bool compound = op == TOp::Add || op == TOp::Sub || op == TOp::And || op == TOp::Or;
    if (compound) out += '(';
    render_show(p, ip, ip.show_args[e.first + i], h, out);
    if (compound) out += ')';
  };
  auto infix = [&](const char* op) {
    sub(0);
    out += op;
    sub(1);
  };
  switch (e.op) {
    case TOp::Const: h.constant(e.type, e.value, out); return;
    case TOp::Slot: h.slot(e.slot, e.type, out); return;
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
        h.constant(arg(i).type, arg(i).value, out);
      }
      out += '}';
      return;
    case TOp::Round:
      out += '(';
      sub(0);
      out += ") 按";
      out += rounding_name_zh(e.mode);
      out += "取到 ";
      h.constant(e.type, e.value, out);
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
    case TOp::StartOf: out += e.value ? "月初(" : "年初("; sub(0); out += ')'; return;
    case TOp::MonthsBetween: case TOp::YearsBetween:
      out += e.op == TOp::MonthsBetween ? "自 " : "自 ";
      sub(0);
      out += " 至 ";
      sub(1);
      out += e.op == TOp::MonthsBetween ? " 的整月数" : " 的整年数";
      return;
    case TOp::AddDuration:
      sub(0);
      if (e.count == 2 && arg(1).op != TOp::Const) {  // a duration parameter
        out += e.negated ? " − " : " + ";
        sub(1);
        return;
      }
      {
        // `date - 1年` is held as the date plus a negative duration: shown as it was written.
        Duration d = ir::unpack_duration(e.value);
        bool back = d.years <= 0 && d.months <= 0 && d.days <= 0 && (d.years || d.months || d.days);
        if (back) d = Duration{-d.years, -d.months, -d.days};
        out += back ? " − " : " + ";
        format_duration_zh(d, out);
      }
      return;
    case TOp::IntToDecimal: sub(0); return;
    case TOp::Present: {
      out += "已填写「";
      for (const auto& f : p.fields)
        if (f.present_slot == e.slot) out += f.label.empty() ? f.name : f.label;
      int given = h.given(e.slot);
      out += given < 0 ? "」" : given ? "」（是）" : "」（否）";
      return;
    }
    case TOp::OrElse: {
      int given = h.given(e.slot);
      sub(0);
      if (given < 0) {
        out += "（未填写时按 ";
        sub(1);
        out += "）";
      } else if (!given) {
        out += "，按 ";
        sub(1);
      }
      return;
    }
  }
}

}  // namespace pol
