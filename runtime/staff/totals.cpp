#include "runtime/staff/totals.h"

#include <algorithm>

#include "values/date.h"

namespace pol::staff {

void TotalsBuilder::add_policy(const Batch& b) {
  batches_.push_back(&b);
  const Policy& p = *b.policy;
  t_.policies.push_back(!p.title.empty() ? p.title : p.name);
  short_titles_.push_back(!p.short_title.empty() ? p.short_title : t_.policies.back());
}

void TotalsBuilder::add(const StaffDecision& d) {
  size_t batch = std::find(batches_.begin(), batches_.end(), d.batch) - batches_.begin();
  if (batch == batches_.size()) add_policy(*d.batch);
  ++t_.applications;
  KeyedTotal& st = statuses_[static_cast<int>(d.kind == StaffDecision::Kind::AlreadyDecided ? DecisionStatus::AlreadyDecided
                                                                                              : d.status)];
  ++st.applications;
  if (d.kind == StaffDecision::Kind::InputError) {
    ++t_.input_errors;
  } else if (d.kind == StaffDecision::Kind::AlreadyDecided) {
    ++t_.already_decided;
    return;
  }
  for (const auto& r : d.rejections) {
    ReasonTotal& rt = reasons_[{r.reason, r.clause}];
    rt.reason = r.reason;
    rt.clause = r.clause;
    ++rt.applications;
  }
  if (d.kind == StaffDecision::Kind::InputError) return;
  ++t_.decided;
  t_.eligible += d.eligible;
  t_.ineligible += d.status == DecisionStatus::Ineligible;
  t_.to_be_set += d.discretionary;
  bool granted = d.award > 0;
  t_.granted += granted;
  t_.total += d.award;
  st.granted += granted;
  st.amount += d.award;
  // Every version's item of one number is one row.
  const Policy& p = *d.policy;
  int first = d.item_index;
  for (int j = 0; j < d.item_index; ++j)
    if (p.items[j].number == d.item) {
      first = j;
      break;
    }
  KeyedTotal& it = items_[{batch, first}];
  if (it.key.empty()) {
    it.key = d.item;
    it.label = d.item_title;
  }
  ++it.applications;
  it.granted += granted;
  it.amount += d.award;
  KeyedTotal& yr = years_[d.year];
  ++yr.applications;
  yr.granted += granted;
  yr.amount += d.award;
  for (const auto& c : d.cuts) {
    CapTotal& ct = caps_[c.key];
    ct.label = c.label;
    ct.clause = c.clause;
    ++ct.times;
    ct.cut += c.fen;
    t_.cut += c.fen;
  }
}

RunTotals TotalsBuilder::finish() {
  bool several = batches_.size() > 1;
  for (auto& [key, it] : items_) {
    if (several) it.key = short_titles_[key.first] + " " + it.key;
    t_.per_item.push_back(it);
  }
  for (auto& [year, y] : years_) {
    y.key = std::to_string(year);
    t_.per_year.push_back(y);
  }
  for (auto& [status, s] : statuses_) {
    auto ds = static_cast<DecisionStatus>(status);
    s.key = status_name(ds);
    s.label = status_zh(ds);
    t_.per_status.push_back(s);
  }
  for (auto& [key, c] : caps_) t_.caps.push_back(c);
  std::stable_sort(t_.caps.begin(), t_.caps.end(), [](const CapTotal& x, const CapTotal& y) {
    return x.times != y.times ? x.times > y.times : x.cut > y.cut;
  });
  for (auto& [key, r] : reasons_) t_.rejections.push_back(r);
  std::stable_sort(t_.rejections.begin(), t_.rejections.end(),
                   [](const ReasonTotal& x, const ReasonTotal& y) { return x.applications > y.applications; });
  for (size_t k = 0; k < batches_.size(); ++k) {
    const Batch& b = *batches_[k];
    const Policy& p = *b.policy;
    for (const auto& by : b.budget_years) {
      const RuleInfo& r = p.rules[by.rule];
      BudgetUse u;
      u.policy = t_.policies[k];
      u.label = r.label.empty() ? r.name : r.label;
      u.clause = r.clause >= 0 ? cite_clause(p.clauses[r.clause].number) : "";
      u.year = by.year;
      u.budget = by.budget;
      u.history = by.history;
      u.asked = by.total;
      u.scaled = by.scaled;
      u.oversubscribed = by.oversubscribed;
      // What the pool paid out in this run: the awards of the applications it covered.
      for (size_t a = 0; a < b.apps.size(); ++a) {
        const Decision& dec = b.decisions[a];
        if (dec.status == Status::Eligible && dec.budget_rule == by.rule &&
            (r.period != Period::Year || year_of(b.apps[a].date) == by.year))
          u.granted += dec.award;
      }
      t_.budgets.push_back(u);
    }
  }
  return std::move(t_);
}

}  // namespace pol::staff
