// The decision letters of `polc report --letters DIR` (核定结果告知书): one A4 page per application
// to print and sign, with the applicant, the item, the result, the amount in figures and in
// capitals, each step of the explanation and the verbatim text of the clauses it rests on.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "runtime/staff/capitals.h"
#include "runtime/staff/html.h"
#include "runtime/staff/report.h"
#include "values/date.h"
#include "values/fixed.h"

namespace pol::staff {
namespace {

// Sized for the A4 sheet it is printed on: 794 CSS px wide at 96 dpi, so the page itself fits
// an A4-wide window and prints with the same layout.
constexpr const char* kStyle = R"(
@page{size:A4;margin:16mm 15mm}
*{box-sizing:border-box}
html{background:#fff}
body{font-family:"Noto Serif CJK SC","Source Han Serif SC","Noto Sans CJK SC","WenQuanYi Micro Hei","SimSun",serif;
font-size:15px;line-height:1.75;color:#111;margin:0 auto;padding:14mm 15mm;width:100%;max-width:210mm}
header{text-align:center;margin-bottom:1.2em}
.issuer{font-size:1.1em;letter-spacing:.1em}
h1{font-size:1.6em;letter-spacing:.3em;margin:.3em 0}
.ref{color:#444;overflow-wrap:anywhere}
h2{font-size:1.08em;margin:1.3em 0 .4em;border-left:4px solid #333;padding-left:.5em}
p{margin:.4em 0;overflow-wrap:anywhere}
table.facts{width:100%;border-collapse:collapse;margin:.6em 0}
table.facts th,table.facts td{border:1px solid #555;padding:.3em .6em;vertical-align:top;text-align:left;overflow-wrap:anywhere}
table.facts th{width:7.5em;background:#f2f2f2;font-weight:normal}
.amount{font-size:1.12em;font-weight:bold}.capitals{font-weight:bold;letter-spacing:.05em}
ol.steps{padding-left:1.6em;margin:.4em 0}ol.steps li{margin:.2em 0;overflow-wrap:anywhere}
.mark{display:inline-block;width:1.3em;font-weight:bold}.pass .mark{color:#0a6b2b}.fail .mark{color:#b3261e}
.cut .mark{color:#c77c02}.cite{color:#333;font-weight:bold}
section.clause{border:1px solid #bbb;padding:.4em .8em;margin:.5em 0;break-inside:avoid}
section.clause h3{font-size:1em;margin:.1em 0 .3em}
.verbatim{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.note{color:#444;font-size:.92em}
.sign{margin-top:2.2em;text-align:right}.sign p{margin:.2em 0}
@media print{body{padding:0;max-width:none}h2{break-after:avoid}}
)";

std::string issuer_of(const StaffDecision& d) {
  const Policy& p = *d.policy;
  const ItemInfo& item = p.items[d.item_index];
  std::string leads;
  if (item.clause >= 0)
    for (const auto& l : p.clauses[item.clause].leads) leads += (leads.empty() ? "" : "、") + l;
  if (!leads.empty()) return leads;
  return !p.issuer.empty() ? p.issuer : "主管部门";
}

std::string amount_rows(const StaffDecision& d) {
  auto in_words = [](int64_t fen) { return "<span class=\"capitals\">人民币" + esc(money_in_capitals(fen)) + "</span>"; };
  if (d.discretionary) {
    std::string s = "<tr><th>核定支持金额</th><td>由主管部门确定";
    if (d.ceiling >= 0)
      s += "，不超过人民币 <span class=\"amount\">" + money_html(d.ceiling) + "</span>（大写：" + in_words(d.ceiling) + "）";
    return s + "</td></tr>\n";
  }
  return "<tr><th>核定支持金额</th><td>人民币 <span class=\"amount\">" + money_html(d.award) +
         "</span></td></tr>\n<tr><th>金额大写</th><td>" + in_words(d.award) + "</td></tr>\n";
}

std::string steps_list(const StaffDecision& d) {
  if (d.nsteps == 0) return "<p>（无核定步骤）</p>\n";
  std::string out = "<ol class=\"steps\">\n";
  for (size_t i = 0; i < d.nsteps; ++i) {
    const Step& s = d.steps[i];
    const char* cls = s.passed == 1 ? "pass" : s.passed == 0 ? "fail" : s.bound ? "cut" : "info";
    const char* mark = s.passed == 1 ? "✓" : s.passed == 0 ? "✗" : s.bound ? "↓" : "·";
    std::string where = s.clause.empty() ? "" : (s.document.empty() ? "" : "《" + s.document + "》") + cite_clause(s.clause);
    out += fmt::format("<li class=\"{}\"><span class=\"mark\">{}</span>{}{}</li>\n", cls, mark,
                       where.empty() ? "" : "<span class=\"cite\">" + esc(where) + "</span> ", esc(s.text));
  }
  return out + "</ol>\n";
}

std::string clause_texts(const StaffDecision& d) {
  const Policy& p = *d.policy;
  std::string out;
  for (int c : d.clauses) {
    const ClauseInfo& ci = p.clauses[c];
    std::string document;
    for (size_t i = 0; i < d.nsteps && document.empty(); ++i)
      if (d.steps[i].clause_index == c) document = d.steps[i].document;
    out += "<section class=\"clause\"><h3>" + esc(clause_citation(p, c, document)) + "</h3>";
    out += ci.text.empty() ? std::string("<p class=\"note\">（政策文件未载本条原文）</p>")
                           : "<p class=\"verbatim\">" + esc(ci.text) + "</p>";
    out += "</section>\n";
  }
  return out.empty() ? "<p>（无）</p>\n" : out;
}

}  // namespace

std::string letter_html(const StaffDecision& d) {
  const Policy& p = *d.policy;
  const ItemInfo& item = p.items[d.item_index];
  std::string issuer = issuer_of(d);
  std::string policy_title = !p.title.empty() ? p.title : p.name;
  std::string clause = item.clause >= 0 ? cite_clause(p.clauses[item.clause].number) : "";
  std::string applicant_label = "申报单位";
  const FieldInfo& ent = p.fields[p.field_enterprise];
  std::string out = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>核定结果告知书 " +
                    esc(d.id) + "</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<header><div class=\"issuer\">" + esc(issuer) +
         "</div><h1>核定结果告知书</h1><div class=\"ref\">申报编号：" + esc(d.id) + "</div></header>\n";
  out += "<p class=\"to\">" + esc(d.enterprise) + "：</p>\n";
  out += "<p>你单位于 " + esc(date_str(d.date)) + " 申报的《" + esc(policy_title) + "》" + esc(clause) + "事项 " +
         esc(d.item) + "「" + esc(d.item_title) + "」，已按政策条款逐项核定。核定结果告知如下：</p>\n";
  out += "<table class=\"facts\"><tbody>\n";
  out += "<tr><th>申报编号</th><td>" + esc(d.id) + "</td></tr>\n";
  out += "<tr><th>" + applicant_label + "</th><td>" + esc(d.enterprise) +
         (ent.label.empty() ? "" : "<br><span class=\"note\">（" + esc(ent.label) + "）</span>") + "</td></tr>\n";
  out += "<tr><th>申报事项</th><td>事项 " + esc(d.item) + "「" + esc(d.item_title) + "」" +
         (clause.empty() ? "" : "（" + esc(clause) + "）") + "</td></tr>\n";
  if (!p.versions.empty()) {
    const VersionInfo& v = p.versions[item.version];
    out += "<tr><th>适用文件</th><td>《" + esc(v.title.empty() ? v.name : v.title) + "》</td></tr>\n";
  }
  out += "<tr><th>受理日期</th><td>" + esc(date_str(d.date)) + "</td></tr>\n";
  out += "<tr><th>核定结果</th><td>" + esc(status_zh(d.status)) + "</td></tr>\n";
  out += amount_rows(d);
  out += "</tbody></table>\n<h2>核定说明</h2>\n" + steps_list(d);
  out += "<h2>政策依据</h2>\n<p class=\"note\">以下为所引条款原文（《" + esc(policy_title) + "》" +
         (p.number.empty() ? "" : "，" + esc(p.number)) + "）。</p>\n" + clause_texts(d);
  out += "<p class=\"note\">本告知书所列金额精确到分，逐项依据上述条款核定。</p>\n";
  out += "<div class=\"sign\"><p>" + esc(issuer) + "（盖章）</p><p>年　　月　　日</p></div>\n</body>\n</html>\n";
  return out;
}

std::string letter_file_name(std::string_view id, std::set<std::string>& taken) {
  std::string base;
  bool changed = false;
  for (size_t i = 0; i < id.size();) {
    unsigned char c = static_cast<unsigned char>(id[i]);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      base += static_cast<char>(c);
      ++i;
      continue;
    }
    changed = true;
    base += '_';
    // One '_' for a whole UTF-8 character.
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    i += std::min(len, id.size() - i);
  }
  while (!base.empty() && (base.front() == '.')) {  // no hidden file, no "." or ".."
    base.erase(base.begin());
    changed = true;
  }
  while (!base.empty() && base.back() == '.') {  // Windows drops a trailing dot
    base.pop_back();
    changed = true;
  }
  if (base.size() > 64) {
    base.resize(64);
    changed = true;
  }
  if (base.empty()) {
    base = "application";
    changed = true;
  }
  std::string stem = base.substr(0, base.find('.'));
  for (char& ch : stem) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  static const char* kDevices[] = {"CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
                                   "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"};
  for (const char* dev : kDevices)
    if (stem == dev) {  // Windows reads CON.anything as the device: the name must not start so
      base = "_" + base;
      changed = true;
    }
  if (changed) {
    uint32_t h = 2166136261u;  // FNV-1a of the id as given
    for (unsigned char c : id) h = (h ^ c) * 16777619u;
    base += fmt::format("-{:08x}", h);
  }
  auto lower = [](std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  std::string name = base;
  for (int k = 2; taken.count(lower(name)); ++k) name = base + "-" + std::to_string(k);
  taken.insert(lower(name));
  return name + ".html";
}

}  // namespace pol::staff
