// The director's page of `polc report`: summary figures, then per item, year and status, the caps
// that bound, the reasons for nothing granted and the use of each fund — each a bar chart over a
// table that holds the exact figures.
#include <fmt/format.h>

#include "runtime/staff/html.h"
#include "runtime/staff/report.h"
#include "values/fixed.h"

namespace pol::staff {
namespace {

constexpr const char* kStyle = R"(
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;
margin:0 auto;padding:1.5em 2em;color:#222;max-width:64em;line-height:1.55}
h1{font-size:1.5em;margin:.2em 0}
h2{font-size:1.2em;margin-top:1.8em;border-bottom:2px solid #1f6fb2;padding-bottom:.2em}
p.sub{color:#555;margin:.2em 0 1em;overflow-wrap:anywhere}
.cards{display:flex;flex-wrap:wrap;gap:.6em;margin:.8em 0}
.card{border:1px solid #ccd;border-radius:6px;padding:.5em .9em;flex:1 1 10em;min-width:0}
.card span{display:block;color:#555;font-size:.9em}.card b{display:block;font-size:1.25em;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{background:#f3f5f8}td.num,th.num{text-align:right}td.num{white-space:nowrap}tr.total td{font-weight:bold}
figure{margin:.8em 0}figcaption{font-weight:bold;margin-bottom:.3em}
svg text{font-size:12px;fill:#333}
g.item-bar rect,g.year-bar rect{fill:#1f6fb2}g.status-bar rect{fill:#6a5acd}
g.cap-bar rect{fill:#c77c02}g.reason-bar rect{fill:#b3261e}
.meter{background:#e6e6e6;height:.8em;border-radius:.4em;overflow:hidden;min-width:6em}
.meter span{display:block;height:100%;background:#1f6fb2}.meter span.over{background:#b3261e}
p.note{color:#555;font-size:.9em}
@media (max-width:760px){body{padding:1em .8em}td.num{white-space:normal}th,td{padding:.2em .3em}}
@media print{body{max-width:none;padding:0}h2{break-after:avoid}figure,tr{break-inside:avoid}}
)";

std::string num_cell(const std::string& s) { return "<td class=\"num\">" + s + "</td>"; }
std::string count_cell(size_t n) { return num_cell(std::to_string(n)); }
std::string money_cell(int64_t fen) { return num_cell(money_html(fen)); }

void card(std::string& out, const char* label, const std::string& value) {
  out += fmt::format("<div class=\"card\"><span>{}</span><b>{}</b></div>\n", label, value);
}

void summary(std::string& out, const RunTotals& t) {
  out += "<section id=\"summary\"><h2>概况</h2>\n<div class=\"cards\">\n";
  card(out, "申报件数", std::to_string(t.applications));
  card(out, "符合条件", std::to_string(t.eligible));
  card(out, "获得支持", std::to_string(t.granted));
  card(out, "不符合条件", std::to_string(t.ineligible));
  card(out, "输入有误", std::to_string(t.input_errors));
  card(out, "支持金额合计", money_html(t.total));
  card(out, "上限削减合计", money_html(t.cut));
  out += "</div>\n";
  if (t.already_decided)
    out += fmt::format("<p class=\"note\">另有 {} 件已于此前决定（见台账），本次不再决定，不计入金额。</p>\n", t.already_decided);
  if (t.to_be_set)
    out += fmt::format("<p class=\"note\">{} 件符合条件、支持金额由主管部门确定，未计入金额合计。</p>\n", t.to_be_set);
  out += "</section>\n";
}

// A chart of amounts per key, then the table with counts and the exact sums.
void keyed_section(std::string& out, const char* id, const char* heading, const char* chart_id, const char* bar_class,
                   const char* key_head, bool with_label, const std::vector<KeyedTotal>& rows) {
  out += fmt::format("<section id=\"{}\"><h2>{}</h2>\n", id, heading);
  std::vector<Bar> bars;
  for (const auto& k : rows)
    bars.push_back({k.key, with_label && !k.label.empty() ? k.key + " " + k.label : k.key, k.amount, money_str(k.amount)});
  bar_chart(out, chart_id, bar_class, std::string(heading) + "：支持金额", bars);
  out += fmt::format("<table><thead><tr><th>{}</th>{}<th class=\"num\">申报件数</th><th class=\"num\">获支持件数</th>"
                     "<th class=\"num\">支持金额</th></tr></thead><tbody>\n",
                     key_head, with_label ? "<th>名称</th>" : "");
  size_t apps = 0, granted = 0;
  int64_t amount = 0;
  for (const auto& k : rows) {
    out += "<tr><td>" + esc(k.key) + "</td>" + (with_label ? "<td>" + esc(k.label) + "</td>" : "") +
           count_cell(k.applications) + count_cell(k.granted) + money_cell(k.amount) + "</tr>\n";
    apps += k.applications;
    granted += k.granted;
    amount += k.amount;
  }
  out += std::string("<tr class=\"total\"><td>合计</td>") + (with_label ? "<td></td>" : "") + count_cell(apps) +
         count_cell(granted) + money_cell(amount) + "</tr>\n</tbody></table></section>\n";
}

void status_section(std::string& out, const RunTotals& t) {
  out += "<section id=\"by-status\"><h2>按核定结果</h2>\n";
  std::vector<Bar> bars;
  for (const auto& s : t.per_status) bars.push_back({s.key, s.label, static_cast<int64_t>(s.applications),
                                                     std::to_string(s.applications) + " 件"});
  bar_chart(out, "chart-status", "status-bar", "各核定结果的申报件数", bars);
  out += "<table><thead><tr><th>核定结果</th><th>状态代码</th><th class=\"num\">件数</th><th class=\"num\">支持金额</th>"
         "</tr></thead><tbody>\n";
  for (const auto& s : t.per_status)
    out += "<tr><td>" + esc(s.label) + "</td><td>" + esc(s.key) + "</td>" + count_cell(s.applications) +
           money_cell(s.amount) + "</tr>\n";
  out += "</tbody></table></section>\n";
}

void caps_section(std::string& out, const RunTotals& t) {
  out += "<section id=\"caps\"><h2>起作用最多的上限</h2>\n";
  if (t.caps.empty()) {
    out += "<p>本批没有上限起作用。</p></section>\n";
    return;
  }
  std::vector<Bar> bars;
  for (const auto& c : t.caps)
    bars.push_back({c.label, c.label, static_cast<int64_t>(c.times), fmt::format("{} 次，削减 {}", c.times, money_str(c.cut))});
  bar_chart(out, "chart-caps", "cap-bar", "各上限起作用的次数", bars);
  out += "<table id=\"caps-table\"><thead><tr><th>上限</th><th>条款</th><th class=\"num\">起作用次数</th>"
         "<th class=\"num\">削减金额</th></tr></thead><tbody>\n";
  for (const auto& c : t.caps)
    out += "<tr><td>" + esc(c.label) + "</td><td>" + esc(c.clause) + "</td>" + count_cell(c.times) + money_cell(c.cut) +
           "</tr>\n";
  out += "</tbody></table>\n<p class=\"note\">削减金额：上限使支持金额减少的部分（按政策计算的金额减去受上限限制后的金额），"
         "单笔上限、合计上限、总额控制与其他层级的叠加上限分别计。</p></section>\n";
}

void rejections_section(std::string& out, const RunTotals& t) {
  out += "<section id=\"rejections\"><h2>未获支持的原因</h2>\n";
  if (t.rejections.empty()) {
    out += "<p>每件申报都获得支持。</p></section>\n";
    return;
  }
  std::vector<Bar> bars;
  for (const auto& r : t.rejections)
    bars.push_back({r.reason, r.reason, static_cast<int64_t>(r.applications), std::to_string(r.applications) + " 件"});
  bar_chart(out, "chart-rejections", "reason-bar", "未获支持的原因（件数）", bars);
  out += "<table id=\"rejections-table\"><thead><tr><th>原因</th><th>条款</th><th class=\"num\">件数</th></tr></thead>"
         "<tbody>\n";
  for (const auto& r : t.rejections)
    out += "<tr><td>" + esc(r.reason) + "</td><td>" + esc(r.clause) + "</td>" + count_cell(r.applications) + "</tr>\n";
  out += "</tbody></table>\n<p class=\"note\">一件申报不满足多项条件时，每项各计一次。</p></section>\n";
}

// The share of a pool used, to a tenth of a percent, by integer arithmetic.
std::string share(int64_t used, int64_t budget) {
  if (budget <= 0) return "—";
  int64_t permille = static_cast<int64_t>(static_cast<__int128>(used) * 1000 / budget);
  return fmt::format("{}.{}%", permille / 10, permille % 10);
}

void budget_section(std::string& out, const RunTotals& t) {
  out += "<section id=\"budget\"><h2>资金使用</h2>\n";
  if (t.budgets.empty()) {
    out += "<p>本批所用政策未设年度资金总额（总额控制未启用）；本批核定支持金额合计 " + money_html(t.total) +
           "。</p></section>\n";
    return;
  }
  out += "<table id=\"budget-table\"><thead><tr><th>资金</th><th>年度</th><th class=\"num\">资金总额</th>"
         "<th class=\"num\">此前已拨付</th><th class=\"num\">本批申请</th><th class=\"num\">本批核定</th>"
         "<th class=\"num\">使用率</th><th>使用情况</th></tr></thead><tbody>\n";
  for (const auto& b : t.budgets) {
    std::string label = b.label + (b.clause.empty() ? "" : "（" + b.clause + "）");
    if (t.policies.size() > 1) label = "《" + b.policy + "》" + label;
    int64_t permille = b.budget > 0 ? std::min<int64_t>(1000, static_cast<int64_t>(static_cast<__int128>(b.used()) * 1000 / b.budget)) : 0;
    std::string state = b.oversubscribed ? "超额申请，政策未规定分配办法，待主管部门决定"
                        : b.scaled       ? "申请超过剩余资金，已按规定调减"
                                         : "未超出";
    out += "<tr><td>" + esc(label) + "</td>" + num_cell(std::to_string(b.year)) + money_cell(b.budget) +
           money_cell(b.history) + money_cell(b.asked) + money_cell(b.granted) + num_cell(share(b.used(), b.budget)) +
           fmt::format("<td><div class=\"meter\" title=\"{}\"><span{} style=\"width:{}.{}%\"></span></div>{}</td></tr>\n",
                       esc(share(b.used(), b.budget)), b.oversubscribed ? " class=\"over\"" : "", permille / 10,
                       permille % 10, esc(state));
  }
  out += "</tbody></table>\n<p class=\"note\">使用率 =（此前已拨付 + 本批核定）÷ 资金总额。</p></section>\n";
}

}  // namespace

std::string report_html(const RunTotals& t, const ReportRequest& req, size_t letters) {
  std::string titles;
  for (const auto& p : t.policies) titles += "《" + p + "》";
  std::string out = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                    esc(titles) + "核定情况报告</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<h1>支持资金核定情况报告</h1>\n";
  out += "<p class=\"sub\">政策：" + esc(titles);
  if (!req.applications.empty()) out += "<br>\n申报数据：" + esc(req.applications);
  out += "<br>\n金额精确到分，均按政策条款逐件核定（与 <code>polc run</code> 的决定相同）。</p>\n";
  summary(out, t);
  keyed_section(out, "by-item", "按事项", "chart-items", "item-bar", "事项", true, t.per_item);
  keyed_section(out, "by-year", "按年度（受理日期）", "chart-years", "year-bar", "年度", false, t.per_year);
  status_section(out, t);
  caps_section(out, t);
  rejections_section(out, t);
  budget_section(out, t);
  if (letters)
    out += fmt::format("<p class=\"note\" id=\"letters\">已生成核定结果告知书 {} 份，见 {}（目录 index.html）。</p>\n", letters,
                       esc(req.letters_dir));
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace pol::staff
