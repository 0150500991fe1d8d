// The decisions side of `polc diff`: one batch decided under each policy, matched application by
// application (the same records in the same order), totals kept per item, year and enterprise.
#include "runtime/diff/diff.h"

#include <algorithm>
#include <map>

#include "compiler/diagnostics/messages_input.h"
#include "values/date.h"
#include "values/fixed.h"

namespace pol::diff {
namespace {

// What a comparison needs of one application under one policy, read once.
struct Seen {
  DecisionView view;
  std::string item, item_title, enterprise;
  int year = 0;
};

Seen look(Batch& b, uint32_t a, Lang lang) {
  Seen s;
  const Policy& p = *b.policy;
  const Application& app = b.apps[a];
  const Decision& d = b.decisions[a];
  s.view.status = decision_status(b, a);
  s.view.decided = d.status == Status::Eligible || d.status == Status::Ineligible || d.status == Status::Pending ||
                   d.status == Status::Routed;
  s.view.eligible = d.status == Status::Eligible;
  s.view.award = s.view.decided ? d.award : 0;
  if (d.status == Status::Error) {
    for (const InputError& e : b.input_errors(d))  // every problem of the application
      s.view.error += (s.view.error.empty() ? "[" : "; [") + std::string(code_name(e.code)) + "] " + e.text(lang);
    return s;
  }
  if (app.item >= 0) {
    s.item = p.items[app.item].number;
    s.item_title = p.items[app.item].title;
  }
  const int64_t* frame = b.load(app);
  s.enterprise = std::string(b.texts[frame[p.fields[p.field_enterprise].slot]]);
  s.year = year_of(app.date);
  return s;
}

bool same_decision(const DecisionView& x, const DecisionView& y) {
  return x.decided == y.decided && x.eligible == y.eligible && x.status == y.status && x.award == y.award &&
         x.error == y.error;
}

// The first step that differs, read in the new explanation's order: a step is matched with the
// old step of the same kind and rule (a condition by its name, a group cap by its rule), so an
// added condition is itself the difference and does not shift every later step. A step only
// the old explanation has comes after.
StepDifference first_difference(Explainer& before, uint32_t a, Explainer& after, uint32_t b) {
  StepDifference diff;
  size_t n = before.explain(a);
  std::vector<Step> old_steps;
  for (size_t i = 0; i < n; ++i) old_steps.push_back(before.step(i));
  std::vector<bool> matched(n, false);
  auto found = [&](const Step* o, const Step* w) {
    const Step& shown = w ? *w : *o;
    diff.found = true;
    diff.kind = shown.kind;
    diff.clause = shown.clause;
    if (o) diff.old_text = o->text;
    if (w) diff.new_text = w->text;
  };
  // The first step whose outcome or figures differ (a condition that now fails, a cap that now
  // binds, another limit); a step worded differently with the same outcome (the validity window
  // of another version) is shown only when nothing else differs.
  auto figures = [](const Step& s) {
    std::vector<std::pair<std::string, std::string>> out;
    for (size_t k = 0; k < s.nnumbers; ++k) out.emplace_back(s.numbers[k].first, s.numbers[k].second);
    return out;
  };
  size_t m = after.explain(b);
  std::vector<Step> new_steps;
  for (size_t i = 0; i < m; ++i) new_steps.push_back(after.step(i));
  const Step* worded_old = nullptr;
  const Step* worded_new = nullptr;
  for (const Step& w : new_steps) {
    const Step* o = nullptr;
    for (size_t k = 0; k < n && !o; ++k)
      if (!matched[k] && old_steps[k].kind == w.kind && old_steps[k].rule == w.rule) {
        matched[k] = true;
        o = &old_steps[k];
      }
    if (!o || o->passed != w.passed || o->bound != w.bound || figures(*o) != figures(w)) {
      found(o, &w);
      return diff;
    }
    if (!worded_new && (o->clause != w.clause || o->text != w.text)) {
      worded_old = o;
      worded_new = &w;
    }
  }
  for (size_t k = 0; k < n; ++k)
    if (!matched[k]) {
      found(&old_steps[k], nullptr);
      return diff;
    }
  if (worded_new) found(worded_old, worded_new);
  return diff;
}

void add(Totals& t, const DecisionView& before, const DecisionView& after) {
  t.before += before.award;
  t.after += after.award;
  t.granted_before += before.award > 0;
  t.granted_after += after.award > 0;
}

}  // namespace

bool compare_batches(Batch& before, Batch& after, BatchDiff& out, std::string& error) {
  if (before.apps.size() != after.apps.size()) {
    error = render_msg(msg(InputMsg::DiffDifferentCounts,
                           {{"before", std::to_string(before.apps.size())}, {"after", std::to_string(after.apps.size())}}),
                       out.lang);
    return false;
  }
  Explainer old_ex(before), new_ex(after);
  std::map<std::string, Totals> items;
  std::map<int, Totals> years;
  std::map<std::string, Totals> enterprises;
  std::map<std::string, std::string> titles;
  out.applications = before.apps.size();
  for (uint32_t a = 0; a < before.apps.size(); ++a) {
    if (before.apps[a].id != after.apps[a].id) {
      error = render_msg(msg(InputMsg::DiffDifferentIds, {{"n", std::to_string(a + 1)},
                                                          {"before", std::string(before.apps[a].id)},
                                                          {"after", std::string(after.apps[a].id)}}),
                         out.lang);
      return false;
    }
    Seen o = look(before, a, out.lang), n = look(after, a, out.lang);
    out.input_errors_before += !o.view.decided;
    out.input_errors_after += !n.view.decided;
    // An application one policy could not read is still named by what the other read of it.
    const Seen& known = n.view.decided ? n : o;
    if (!known.item.empty()) {
      add(items[known.item], o.view, n.view);
      if (titles[known.item].empty()) titles[known.item] = known.item_title;
      add(years[known.year], o.view, n.view);
      add(enterprises[known.enterprise], o.view, n.view);
    }
    add(out.overall, o.view, n.view);
    if (same_decision(o.view, n.view)) {
      ++out.unchanged;
      continue;
    }
    ++out.changed;
    out.newly_eligible += !o.view.eligible && n.view.eligible;
    out.no_longer_eligible += o.view.eligible && !n.view.eligible;
    out.increased += n.view.award > o.view.award;
    out.decreased += n.view.award < o.view.award;
    ChangedDecision c;
    c.index = a;
    c.id = std::string(after.apps[a].id);
    c.item = known.item;
    c.item_title = known.item_title;
    c.enterprise = known.enterprise;
    c.year = known.year;
    c.before = o.view;
    c.after = n.view;
    c.first_step = first_difference(old_ex, a, new_ex, a);
    out.changes.push_back(std::move(c));
  }
  // Items in the new policy's order, then those only the old one has.
  std::vector<std::string> order;
  for (const auto& it : after.policy->items) order.push_back(it.number);
  for (const auto& it : before.policy->items)
    if (std::find(order.begin(), order.end(), it.number) == order.end()) order.push_back(it.number);
  for (const auto& number : order) {
    auto found = items.find(number);
    if (found != items.end()) out.per_item.push_back({number, titles[number], found->second});
  }
  for (const auto& [year, t] : years) out.per_year.push_back({std::to_string(year), "", t});
  for (const auto& [ent, t] : enterprises) out.per_enterprise.push_back({ent, "", t});
  return true;
}

bool diff_on_batch(const LoadedPolicy& before, const LoadedPolicy& after, const BatchRequest& req, BatchDiff& out,
                   std::vector<std::string>& errors) {
  if (req.applications == "-" || req.history == "-") {
    errors.push_back(render_msg(msg(InputMsg::DiffNotFromStdin), out.lang));
    return false;
  }
  if (req.record) {
    errors.push_back(render_msg(msg(InputMsg::DiffNeverRecords), out.lang));
    return false;
  }
  BatchRun old_run, new_run;
  std::vector<std::string> errs;
  if (!decide_batch(before, req, old_run, errs)) {
    for (auto& e : errs) errors.push_back(render_msg(msg(InputMsg::DiffOldPolicy, {{"error", e}}), out.lang));
    return false;
  }
  if (!decide_batch(after, req, new_run, errs)) {
    for (auto& e : errs) errors.push_back(render_msg(msg(InputMsg::DiffNewPolicy, {{"error", e}}), out.lang));
    return false;
  }
  for (const auto* run : {&old_run, &new_run})
    for (const auto& w : run->warnings)
      if (std::find(out.warnings.begin(), out.warnings.end(), w) == out.warnings.end()) out.warnings.push_back(w);
  out.old_identity = before.identity;
  out.new_identity = after.identity;
  std::string error;
  if (!compare_batches(*old_run.batch, *new_run.batch, out, error)) {
    errors.push_back(error);
    return false;
  }
  out.rules = compare_policies(before, after);
  return true;
}

std::string signed_money(int64_t fen) {
  std::string s = fen > 0 ? "+" : "";
  format_money(fen, s);
  return s;
}

}  // namespace pol::diff
