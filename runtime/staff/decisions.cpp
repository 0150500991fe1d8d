#include "runtime/staff/decisions.h"

#include <algorithm>

#include "compiler/diagnostics/source.h"
#include "values/date.h"
#include "values/fixed.h"

namespace pol::staff {
namespace {

std::string valid(std::string_view s) {
  std::string scratch;
  return std::string(valid_utf8(s, scratch));
}

// A figure of a step, in fen; 0 when the step has none (figures are exact decimal text).
int64_t figure(const Step& s, std::string_view key) {
  for (size_t k = 0; k < s.nnumbers; ++k)
    if (key == s.numbers[k].first) {
      int64_t fen = 0;
      if (parse_decimal(s.numbers[k].second, 2, true, &fen) == DecimalError::None) return fen;
    }
  return 0;
}

const RuleInfo* rule_named(const Policy& p, const std::string& name) {
  for (const auto& r : p.rules)
    if (r.name == name) return &r;
  return nullptr;
}

std::string step_clause(const Step& s) {
  if (s.clause.empty()) return "";
  return (s.document.empty() ? "" : "《" + s.document + "》") + cite_clause(s.clause);
}

}  // namespace

std::string clause_citation(const Policy& p, int clause, const std::string& document) {
  if (clause < 0 || clause >= static_cast<int>(p.clauses.size())) return "";
  const ClauseInfo& c = p.clauses[clause];
  std::string s = document.empty() ? "" : "《" + document + "》";
  s += cite_clause(c.number);
  if (!c.title.empty()) s += "「" + c.title + "」";
  return s;
}

Explainer& DecisionReader::explainer(Batch& b) {
  for (auto& [batch, ex] : explainers_)
    if (batch == &b) return *ex;
  explainers_.emplace_back(&b, std::make_unique<Explainer>(b));
  return *explainers_.back().second;
}

void DecisionReader::read(Batch& b, uint32_t a, StaffDecision& out) {
  const Policy& p = *b.policy;
  const Application& app = b.apps[a];
  const Decision& d = b.decisions[a];
  out.batch = &b;
  out.policy = &p;
  out.policy_title = !p.short_title.empty() ? p.short_title : !p.title.empty() ? p.title : p.name;
  out.id = valid(app.id);
  out.line = app.line;
  out.status = decision_status(b, a);
  out.eligible = d.status == Status::Eligible;
  out.discretionary = out.eligible && d.discretionary;
  out.award = 0;
  out.ceiling = -1;
  out.enterprise.clear();
  out.item.clear();
  out.item_title.clear();
  out.item_index = -1;
  out.date = app.date;
  out.year = app.date ? year_of(app.date) : 0;
  out.error.clear();
  out.error_code.clear();
  out.nsteps = 0;
  out.reasons.clear();
  out.calculation.clear();
  out.clauses.clear();
  out.citations.clear();
  out.cuts.clear();
  out.rejections.clear();
  if (d.status == Status::Error) {
    out.kind = StaffDecision::Kind::InputError;
    out.error_code = code_name(d.error_code);
    // The workbook, the report and the letters are Chinese documents for staff: their input
    // errors are in Chinese too, whatever language the command speaks.
    out.error = "error[" + out.error_code + "]: " + valid(b.errors[d.error].text(Lang::Zh));
    out.reasons = out.error;
    out.rejections.push_back({"输入有误（" + out.error_code + "）", ""});
    return;
  }
  out.kind = d.status == Status::Recorded ? StaffDecision::Kind::AlreadyDecided : StaffDecision::Kind::Decided;
  if (app.item >= 0) {
    const ItemInfo& item = p.items[app.item];
    out.item_index = app.item;
    out.item = item.number;
    out.item_title = item.title;
    const int64_t* frame = b.load(app);
    out.enterprise = valid(b.texts[frame[p.fields[p.field_enterprise].slot]]);
  }
  if (out.kind == StaffDecision::Kind::AlreadyDecided) return;  // decided and counted in an earlier run
  if (out.discretionary) out.ceiling = d.cap;
  else out.award = d.award;
  explain(b, a, out);
}

// The steps, and what staff look for in them: why it failed, what cut it, which clauses it rests on.
void DecisionReader::explain(Batch& b, uint32_t a, StaffDecision& out) {
  const Policy& p = *b.policy;
  const ItemInfo& item = p.items[out.item_index];
  Explainer& ex = explainer(b);
  out.nsteps = ex.explain(a);
  if (out.steps.size() < out.nsteps) out.steps.resize(out.nsteps);
  std::vector<std::pair<int, std::string>> cited;  // clause and the revision that worded it
  auto cite = [&](int clause, const std::string& document) {
    if (clause < 0) return;
    for (const auto& c : cited)
      if (c.first == clause) return;
    cited.emplace_back(clause, document);
  };
  cite(item.clause, "");  // the item's clause first; its document is taken from its step below
  int64_t amount = 0;
  for (size_t i = 0; i < out.nsteps; ++i) {
    const Step& s = out.steps[i] = ex.step(i);
    if (s.clause_index == item.clause && !s.document.empty()) cited[0].second = s.document;
    cite(s.clause_index, s.document);
    if (s.kind == "amount") {
      amount = figure(s, "value");
      out.calculation = s.text;
    }
    if (s.passed == 0 || s.bound) {
      if (!out.reasons.empty()) out.reasons += "；";
      std::string where = step_clause(s);
      out.reasons += where.empty() ? s.text : where + " " + s.text;
    }
    if (!s.bound) continue;
    const RuleInfo* r = rule_named(p, s.rule);
    std::string label = r ? r->label_in(item.version) : s.rule;
    if (label.empty() && r) label = r->name;
    int64_t cut = 0;
    if (s.kind == "cap") {
      cut = amount - figure(s, "after");
      label = "事项 " + item.number + "「" + item.title + "」单笔上限";
    } else if (s.kind == "group_cap" || s.kind == "budget" || s.kind == "highest" || s.kind == "combined") {
      cut = figure(s, "before") - figure(s, "after");
    }
    if (cut > 0)
      out.cuts.push_back({p.name + "/" + s.kind + "/" + (s.kind == "cap" ? item.number : s.rule), label, step_clause(s), cut});
  }
  for (const auto& [clause, document] : cited) {
    out.clauses.push_back(clause);
    if (!out.citations.empty()) out.citations += "；";
    out.citations += clause_citation(p, clause, document);
  }
  if (out.award > 0 || out.discretionary) return;
  // Nothing granted: an ineligible application by each test it failed, any other by its status.
  if (out.status == DecisionStatus::Ineligible) {
    for (size_t i = 0; i < out.nsteps; ++i) {
      const Step& s = out.steps[i];
      if (s.passed != 0) continue;
      const RuleInfo* r = rule_named(p, s.rule);
      std::string label = r ? r->label_in(item.version) : "";
      if (label.empty()) label = s.rule;
      std::string reason = s.kind == "validity"  ? std::string("受理日期不在政策有效期内")
                           : s.kind == "condition" ? "不满足「" + s.rule + "」"
                           : s.kind == "once"      ? "已获支持，不再支持（" + label + "）"
                           : s.kind == "series"    ? "超过支持次数或年限（" + label + "）"
                                                   : s.text;
      out.rejections.push_back({reason, step_clause(s)});
    }
    if (out.rejections.empty()) out.rejections.push_back({status_zh(out.status), ""});
    return;
  }
  std::string where;
  for (size_t i = 0; i < out.nsteps && where.empty(); ++i)
    if (out.steps[i].bound) where = step_clause(out.steps[i]);
  out.rejections.push_back({status_zh(out.status), where});
}

}  // namespace pol::staff
