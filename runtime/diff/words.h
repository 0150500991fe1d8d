// The words the diff writers share, so text, CSV and HTML say the same thing: a decision in a
// few Chinese words, a scope's heading, what a rule change is about.
#pragma once

#include <string>

#include "runtime/diff/diff.h"
#include "values/fixed.h"

namespace pol::diff {

// "予以支持（受上限限制） 6,000,000.00 元", "不符合条件", "输入有误 [E0603] …".
inline std::string decision_zh(const DecisionView& v) {
  if (!v.decided) return std::string("输入有误 ") + v.error;
  std::string s = status_zh(v.status);
  if (v.eligible) {
    s += " ";
    format_money(v.award, s);
  }
  return s;
}

// "事项 2「购买算力支持」", "参数 annual_budget「年度财政资金总额」", "规则 G2「…」".
inline std::string subject_zh(const RuleChange& c) {
  std::string s = c.scope == "parameter" ? "参数 "
                  : c.scope == "item"    ? "事项 "
                  : c.scope == "rule"    ? "规则 "
                                         : "";
  if (c.scope == "clause") return cite_clause(c.name) + "「" + c.label + "」";
  if (c.scope == "validity" || c.scope == "policy") return c.label;
  s += c.name;
  if (!c.label.empty() && c.label != c.name) s += "「" + c.label + "」";
  return s;
}

// The old or new side of a change; an absent side is named.
inline std::string side_zh(const std::string& v) { return v.empty() ? "（无）" : v; }

// "第二条「加大优质优价算力供给」", or "".
inline std::string citation_zh(const RuleChange& c) {
  if (c.clause.empty()) return "";
  return cite_clause(c.clause) + "「" + c.clause_title + "」";
}

}  // namespace pol::diff
