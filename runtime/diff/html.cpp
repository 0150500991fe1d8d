// `polc diff --format html`: one self-contained page for directors — the totals with an inline
// SVG bar chart of old against new per item and per year, the changed decisions and the changed
// rules. No script, no external resource; every text escaped.
#include <fmt/format.h>

#include <algorithm>

#include "runtime/explain/html_text.h"
#include "runtime/diff/diff.h"
#include "runtime/diff/words.h"

namespace pol::diff {
namespace {

std::string esc(std::string_view raw) { return html_escape(raw); }

constexpr const char* kStyle = R"(
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;max-width:72em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .6em;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;white-space:nowrap}.up{color:#0a6b2b}.down{color:#b3261e}
.legend span{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}
rect.old{fill:#9e9e9e}rect.new{fill:#1f6fb2}svg text{font-size:12px;fill:#333}
.clause{color:#555;font-size:.9em}
)";

std::string money_cell(int64_t fen) { return "<td class=\"num\">" + esc(money_str(fen)) + "</td>"; }
std::string diff_cell(int64_t fen) {
  const char* cls = fen > 0 ? "num up" : fen < 0 ? "num down" : "num";
  return fmt::format("<td class=\"{}\">{}</td>", cls, esc(signed_money(fen)));
}

void totals_table(std::string& out, const char* head, const std::vector<KeyedTotals>& rows, bool titles,
                  const Totals* overall) {
  out += fmt::format("<table class=\"totals\"><thead><tr><th>{}</th>{}<th>原金额</th><th>新金额</th><th>差额</th>"
                     "<th>原获支持</th><th>新获支持</th></tr></thead><tbody>\n",
                     head, titles ? "<th>名称</th>" : "");
  auto row = [&](const std::string& key, const std::string& label, const Totals& t) {
    out += "<tr><td>" + esc(key) + "</td>" + (titles ? "<td>" + esc(label) + "</td>" : "") + money_cell(t.before) +
           money_cell(t.after) + diff_cell(t.difference()) +
           fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n", t.granted_before, t.granted_after);
  };
  for (const auto& k : rows) row(k.key, k.label, k.totals);
  if (overall) row("合计", "", *overall);
  out += "</tbody></table>\n";
}

// Grouped bars, old (grey) and new (blue) side by side, one group per key, scaled to the largest.
void bar_chart(std::string& out, const char* id, const char* group_class, const char* caption,
               const std::vector<KeyedTotals>& rows) {
  constexpr int kBar = 22, kGap = 18, kLeft = 10, kTop = 20, kHeight = 180, kBottom = 40;
  int64_t max = 1;
  for (const auto& k : rows) max = std::max({max, k.totals.before, k.totals.after});
  int width = kLeft * 2 + static_cast<int>(rows.size()) * (2 * kBar + kGap);
  out += fmt::format("<figure><figcaption>{}<span class=\"legend\"><span style=\"background:#9e9e9e\"></span>原政策"
                     "<span style=\"background:#1f6fb2\"></span>新政策</span></figcaption>\n",
                     caption);
  out += fmt::format("<svg id=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
                     "role=\"img\" aria-label=\"{}\">\n",
                     id, width, kTop + kHeight + kBottom, width, kTop + kHeight + kBottom, caption);
  int x = kLeft;
  for (const auto& k : rows) {
    auto h = [&](int64_t v) { return static_cast<int>(static_cast<double>(v) / static_cast<double>(max) * kHeight); };
    int ho = h(k.totals.before), hn = h(k.totals.after);
    out += fmt::format("<g class=\"{}\" data-key=\"{}\"><title>{}{}：原 {}，新 {}，差额 {}</title>", group_class,
                       esc(k.key), esc(k.key), k.label.empty() ? "" : "「" + esc(k.label) + "」",
                       esc(money_str(k.totals.before)), esc(money_str(k.totals.after)),
                       esc(signed_money(k.totals.difference())));
    out += fmt::format("<rect class=\"old\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", x, kTop + kHeight - ho, kBar, ho);
    out += fmt::format("<rect class=\"new\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", x + kBar,
                       kTop + kHeight - hn, kBar, hn);
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>\n", x + kBar,
                       kTop + kHeight + 16, esc(k.key));
    x += 2 * kBar + kGap;
  }
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#666\"/>\n</svg></figure>\n", kLeft,
                     kTop + kHeight, width - kLeft, kTop + kHeight);
}

void changes_table(std::string& out, const BatchDiff& d) {
  if (d.changes.empty()) {
    out += "<p>没有决定变化的申报。</p>\n";
    return;
  }
  out += "<table id=\"changes-table\"><thead><tr><th>申报</th><th>事项</th><th>企业</th><th>年度</th><th>原决定</th>"
         "<th>新决定</th><th>差额</th><th>首个不同的步骤</th></tr></thead><tbody>\n";
  for (const auto& c : d.changes) {
    std::string step;
    if (c.first_step.found)
      step = esc(c.first_step.kind) + (c.first_step.clause.empty() ? "" : "，" + esc(cite_clause(c.first_step.clause))) +
             "：" + esc(side_zh(c.first_step.old_text)) + " → " + esc(side_zh(c.first_step.new_text));
    out += fmt::format("<tr><td>{}</td><td>{}「{}」</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}<td>{}</td></tr>\n",
                       esc(c.id), esc(c.item), esc(c.item_title), esc(c.enterprise), c.year,
                       esc(decision_zh(c.before)), esc(decision_zh(c.after)), diff_cell(c.difference()), step);
  }
  out += "</tbody></table>\n";
}

void rules_table(std::string& out, const BatchDiff& d) {
  if (d.rules.empty()) {
    out += "<p>两份政策的规则相同。</p>\n";
    return;
  }
  out += "<table id=\"rules-table\"><thead><tr><th>对象</th><th>内容</th><th>原</th><th>新</th><th>条款</th></tr>"
         "</thead><tbody>\n";
  for (const auto& r : d.rules) {
    std::string cite = esc(citation_zh(r));
    if (!r.clause_text.empty() && r.scope != "clause")
      cite = "<details><summary>" + cite + "</summary><p class=\"clause\">" + esc(r.clause_text) + "</p></details>";
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", esc(subject_zh(r)),
                       esc(r.aspect_zh), esc(side_zh(r.before)), esc(side_zh(r.after)), cite);
  }
  out += "</tbody></table>\n";
}

}  // namespace

std::string write_html(const BatchDiff& d) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>政策变化测算</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<h1>政策变化测算</h1>\n";
  out += "<p>原政策：" + esc(d.old_label.empty() ? d.old_identity : d.old_label) + "（" + esc(d.old_identity) +
         "）<br>\n新政策：" + esc(d.new_label.empty() ? d.new_identity : d.new_label) + "（" + esc(d.new_identity) +
         "）</p>\n";
  out += fmt::format("<section id=\"summary\"><h2>概况</h2><table><tbody>\n"
                     "<tr><th>申报件数</th><td class=\"num\">{}</td></tr>\n<tr><th>决定变化</th><td class=\"num\">{}</td></tr>\n"
                     "<tr><th>未变化</th><td class=\"num\">{}</td></tr>\n<tr><th>新增符合条件</th><td class=\"num\">{}</td></tr>\n"
                     "<tr><th>不再符合条件</th><td class=\"num\">{}</td></tr>\n<tr><th>金额增加</th><td class=\"num\">{}</td></tr>\n"
                     "<tr><th>金额减少</th><td class=\"num\">{}</td></tr>\n"
                     "<tr><th>输入有误（原/新）</th><td class=\"num\">{} / {}</td></tr>\n"
                     "<tr><th>支持总额（原 → 新）</th><td class=\"num\">{} → {}</td></tr>\n"
                     "<tr><th>差额</th>{}</tr>\n</tbody></table></section>\n",
                     d.applications, d.changed, d.unchanged, d.newly_eligible, d.no_longer_eligible, d.increased,
                     d.decreased, d.input_errors_before, d.input_errors_after, esc(money_str(d.overall.before)),
                     esc(money_str(d.overall.after)), diff_cell(d.overall.difference()));
  out += "<section id=\"totals\"><h2>支持金额合计</h2>\n<h3>按事项</h3>\n";
  bar_chart(out, "chart-items", "item-bar", "各事项支持金额：原政策与新政策", d.per_item);
  totals_table(out, "事项", d.per_item, true, &d.overall);
  out += "<h3>按年度</h3>\n";
  bar_chart(out, "chart-years", "year-bar", "各年度支持金额：原政策与新政策", d.per_year);
  totals_table(out, "年度", d.per_year, false, &d.overall);
  std::vector<KeyedTotals> moved;
  for (const auto& k : d.per_enterprise)
    if (k.totals.difference() != 0) moved.push_back(k);
  out += fmt::format("<h3>按企业（金额有变化的 {} 家，其余 {} 家不变）</h3>\n", moved.size(),
                     d.per_enterprise.size() - moved.size());
  totals_table(out, "企业", moved, false, nullptr);
  out += "</section>\n<section id=\"changes\"><h2>决定变化的申报</h2>\n";
  changes_table(out, d);
  out += "</section>\n<section id=\"rules\"><h2>规则变化（取自两份政策）</h2>\n";
  rules_table(out, d);
  out += "</section>\n</body>\n</html>\n";
  return out;
}

}  // namespace pol::diff
