// `polc diff --format text`: for policy staff, in Chinese — the summary, each changed decision
// with the first step that differs, the totals, and the rules that changed.
#include <fmt/format.h>

#include "runtime/diff/diff.h"
#include "runtime/diff/words.h"
#include "compiler/diagnostics/source.h"

namespace pol::diff {
namespace {

// Every line is valid UTF-8, whatever an applicant's id holds.
std::string shown(std::string_view s) {
  std::string scratch;
  return std::string(valid_utf8(s, scratch));
}

void totals_line(std::string& out, const std::string& name, const Totals& t) {
  out += fmt::format("  {}：原 {} → 新 {}，差额 {}\n", name, money_str(t.before), money_str(t.after),
                     signed_money(t.difference()));
}

}  // namespace

std::string write_text(const BatchDiff& d) {
  std::string out;
  out += fmt::format("政策变化测算：原政策 {} → 新政策 {}\n", shown(d.old_label.empty() ? d.old_identity : d.old_label),
                     shown(d.new_label.empty() ? d.new_identity : d.new_label));
  out += fmt::format("申报 {} 件：决定变化 {} 件（新增符合条件 {} 件，不再符合条件 {} 件，金额增加 {} 件，减少 {} 件），未变化 {} 件\n",
                     d.applications, d.changed, d.newly_eligible, d.no_longer_eligible, d.increased, d.decreased,
                     d.unchanged);
  if (d.any_input_errors())
    out += fmt::format("输入有误：原政策下 {} 件，新政策下 {} 件（未计入金额）\n", d.input_errors_before, d.input_errors_after);
  out += fmt::format("支持总额：原 {} → 新 {}，差额 {}\n", money_str(d.overall.before), money_str(d.overall.after),
                     signed_money(d.overall.difference()));

  out += "\n一、决定变化的申报\n";
  if (d.changes.empty()) out += "  （无）\n";
  for (const auto& c : d.changes) {
    out += fmt::format("申报 {} · 事项 {}「{}」· 企业 {} · {} 年\n", shown(c.id), c.item, c.item_title, shown(c.enterprise),
                       c.year);
    out += fmt::format("  原：{}\n  新：{}\n  差额：{}\n", shown(decision_zh(c.before)), shown(decision_zh(c.after)),
                       signed_money(c.difference()));
    if (c.first_step.found)
      out += fmt::format("  首个不同的步骤（{}{}）：{} → {}\n", c.first_step.kind,
                         c.first_step.clause.empty() ? "" : "，" + cite_clause(c.first_step.clause),
                         shown(side_zh(c.first_step.old_text)), shown(side_zh(c.first_step.new_text)));
  }

  out += "\n二、支持金额合计\n按事项：\n";
  for (const auto& k : d.per_item) totals_line(out, "事项 " + k.key + "「" + k.label + "」", k.totals);
  out += "按年度：\n";
  for (const auto& k : d.per_year) totals_line(out, k.key + " 年", k.totals);
  out += "按企业（金额有变化的）：\n";
  size_t same = 0;
  for (const auto& k : d.per_enterprise) {
    if (k.totals.difference() == 0) {
      ++same;
      continue;
    }
    totals_line(out, "企业 " + shown(k.key), k.totals);
  }
  if (same) out += fmt::format("  其余 {} 家企业金额不变\n", same);
  totals_line(out, "合计", d.overall);

  out += "\n三、规则变化（取自两份政策）\n";
  if (d.rules.empty()) out += "  （无）\n";
  for (const auto& r : d.rules) {
    std::string cite = citation_zh(r);
    out += fmt::format("  {} {}：{} → {}{}\n", subject_zh(r), r.aspect_zh, side_zh(r.before), side_zh(r.after),
                       cite.empty() ? "" : "（" + cite + "）");
  }
  return out;
}

}  // namespace pol::diff
