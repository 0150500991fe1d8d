#include "runtime/testing/coverage.h"

#include <algorithm>
#include <map>
#include <fmt/format.h>

#include "compiler/diagnostics/messages_cli.h"
#include "runtime/explain/explain.h"

namespace pol::testing {

const char* element_kind_name(ElementKind k) {
  switch (k) {
    case ElementKind::Validity: return "validity";
    case ElementKind::Condition: return "condition";
    case ElementKind::Cap: return "cap";
    case ElementKind::Tier: return "tier";
    case ElementKind::Rule: return "rule";
  }
  return "?";
}

static const char* rule_kind_name(RuleKind k) {
  switch (k) {
    case RuleKind::Group: return "group";
    case RuleKind::Quota: return "quota";
    case RuleKind::Once: return "once";
    case RuleKind::Series: return "series";
    case RuleKind::Exclusive: return "exclusive";
    case RuleKind::Budget: return "budget";
    case RuleKind::Highest: return "highest";
    case RuleKind::Combined: return "combined";
    case RuleKind::Route: return "route";
  }
  return "?";
}

bool CoverageElement::covered() const {
  switch (kind) {
    case ElementKind::Validity:
    case ElementKind::Condition:
    case ElementKind::Cap: return a && b;
    case ElementKind::Tier:
    case ElementKind::Rule: return a;
  }
  return false;
}

std::string CoverageElement::status(Lang lang) const {
  auto say = [lang](CliMsg id) { return render_msg(msg(id), lang); };
  using M = CliMsg;
  switch (kind) {
    case ElementKind::Validity:
      return say(a && b ? M::CovDatesBoth : a ? M::CovDatesInside : b ? M::CovDatesOutside : M::CovNeverEvaluated);
    case ElementKind::Condition:
      return say(a && b ? M::CovSeenBoth : a ? M::CovSeenTrue : b ? M::CovSeenFalse : M::CovNeverEvaluated);
    case ElementKind::Cap:
      return say(a && b ? M::CovBoundBoth : a ? M::CovBoundOnly : b ? M::CovNeverBound : M::CovNeverReached);
    case ElementKind::Tier: return say(a ? M::CovTaken : M::CovNeverTaken);
    case ElementKind::Rule:
      if (rule_kind == "group") return say(a ? M::CovBound : M::CovNeverBound);
      if (rule_kind == "quota") return say(a ? M::CovLeftOut : M::CovNeverLeftOut);
      if (rule_kind == "once" || rule_kind == "series") return say(a ? M::CovRefused : M::CovNeverRefused);
      if (rule_kind == "exclusive") return say(a ? M::CovRefusedDouble : M::CovNeverRefusedDouble);
      if (rule_kind == "budget") return say(a ? M::CovScaled : M::CovNeverScaled);
      return say(a ? M::CovActed : M::CovNeverActed);
  }
  return "";
}

PolicyCoverage::PolicyCoverage(const LoadedPolicy& lp, std::string display_path) : path_(std::move(display_path)) {
  const Policy& p = *lp.policy;
  name_ = p.name;
  nitems_ = p.items.size();
  nrules_ = p.rules.size();
  for (const auto& c : p.clauses) clauses_.push_back({c.number, c.title});
  for (const auto& it : p.items) {
    items_.push_back({it.number, it.title, it.clause});
    nconditions_.push_back(it.conditions.size());
  }
  auto where = [&](CoverageElement& e, Span s) {
    e.file = lp.sources.path(s.file);
    e.line = s.file ? lp.sources.position(s.file, s.begin).line : 0;
  };
  condition_el_.assign(p.items.size(), {});
  amount_tier_el_.assign(p.items.size(), {});
  cap_tier_el_.assign(p.items.size(), {});
  cap_el_.assign(p.items.size(), -1);
  rule_el_.assign(p.rules.size(), -1);
  auto add = [&](CoverageElement e) {
    elements_.push_back(std::move(e));
    return static_cast<int>(elements_.size() - 1);
  };
  // In clause order: each clause's items (conditions, cap, tiers), then its rules, then validity;
  // rules and validity outside any clause last.
  // A programme's clause tests answer for what its revisions change: the clauses a revision
  // amends or adds, in the version it makes. The rest is the original's, tested with it.
  auto counted = [&](int clause) {
    if (p.versions.empty()) return true;
    if (clause < 0) return false;
    const ClauseInfo& c = p.clauses[clause];
    const auto& amended = p.versions[c.version].amended_clauses;
    return c.version > 0 && std::find(amended.begin(), amended.end(), c.number) != amended.end();
  };
  const Validity& validity = p.versions.empty() ? p.validity : p.versions.back().validity;
  // A condition stated once for many items is one element, in the clause that states it.
  std::map<std::pair<int, int>, int> shared_el;
  for (int clause = 0; clause < static_cast<int>(p.clauses.size()); ++clause) {
    if (!counted(clause)) continue;
    for (size_t i = 0; i < p.items.size(); ++i)
      for (size_t k = 0; k < p.items[i].conditions.size(); ++k) {
        const ConditionInfo& c = p.items[i].conditions[k];
        if (c.shared < 0 || c.clause != clause || shared_el.count({clause, c.shared})) continue;
        CoverageElement e;
        e.kind = ElementKind::Condition;
        e.item = static_cast<int>(i);
        e.index = static_cast<int>(k);
        e.clause = clause;
        e.name = c.name;
        where(e, c.span);
        shared_el[{clause, c.shared}] = add(std::move(e));
      }
    for (size_t i = 0; i < p.items.size(); ++i) {
      const ItemInfo& it = p.items[i];
      if (it.clause != clause) continue;
      for (size_t k = 0; k < it.conditions.size(); ++k) {
        if (it.conditions[k].shared >= 0) {
          condition_el_[i].push_back(-2);  // resolved below
          continue;
        }
        CoverageElement e;
        e.kind = ElementKind::Condition;
        e.item = static_cast<int>(i);
        e.index = static_cast<int>(k);
        e.clause = clause;
        e.name = it.conditions[k].name;
        where(e, it.conditions[k].span);
        condition_el_[i].push_back(add(std::move(e)));
      }
      // A discretionary amount's cap is its ceiling, shown with every decision, never "bound".
      if (it.cap.present && !it.discretionary) {
        CoverageElement e;
        e.kind = ElementKind::Cap;
        e.item = static_cast<int>(i);
        e.clause = clause;
        e.name = "cap";
        where(e, it.cap.span);
        cap_el_[i] = add(std::move(e));
      }
      for (int which = 0; which < 2; ++which) {
        const ValueInfo& v = which == 0 ? it.cap : it.amount;
        for (size_t k = 0; k < v.tiers.size(); ++k) {
          CoverageElement e;
          e.kind = ElementKind::Tier;
          e.item = static_cast<int>(i);
          e.index = static_cast<int>(k);
          e.amount_tier = which == 1;
          e.clause = clause;
          e.name = v.tiers[k].label.empty() ? "其他情形" : v.tiers[k].label;
          where(e, v.tiers[k].span);
          (which == 0 ? cap_tier_el_ : amount_tier_el_)[i].push_back(add(std::move(e)));
        }
      }
    }
    for (size_t r = 0; r < p.rules.size(); ++r) {
      if (p.rules[r].clause != clause) continue;
      CoverageElement e;
      e.kind = ElementKind::Rule;
      e.index = static_cast<int>(r);
      e.clause = clause;
      e.name = p.rules[r].name;
      e.rule_kind = rule_kind_name(p.rules[r].kind);
      where(e, p.rules[r].span);
      rule_el_[r] = add(std::move(e));
    }
    if (validity.present && validity.clause == clause) {
      CoverageElement e;
      e.kind = ElementKind::Validity;
      e.clause = clause;
      e.name = "validity";
      where(e, validity.span);
      validity_ = add(std::move(e));
    }
  }
  for (size_t r = 0; r < p.rules.size(); ++r) {
    if (rule_el_[r] >= 0 || !p.versions.empty()) continue;
    CoverageElement e;
    e.kind = ElementKind::Rule;
    e.index = static_cast<int>(r);
    e.name = p.rules[r].name;
    e.rule_kind = rule_kind_name(p.rules[r].kind);
    where(e, p.rules[r].span);
    rule_el_[r] = add(std::move(e));
  }
  if (p.validity.present && validity_ < 0 && p.versions.empty()) {
    CoverageElement e;
    e.kind = ElementKind::Validity;
    e.name = "validity";
    where(e, p.validity.span);
    validity_ = add(std::move(e));
  }
  for (size_t i = 0; i < p.items.size(); ++i)
    for (size_t k = 0; k < condition_el_[i].size(); ++k)
      if (condition_el_[i][k] == -2) {
        const ConditionInfo& c = p.items[i].conditions[k];
        auto it = shared_el.find({c.clause, c.shared});
        condition_el_[i][k] = it == shared_el.end() ? -1 : it->second;  // -1: stated in a clause not counted
      }
}

bool PolicyCoverage::observe(const Batch& b) {
  const Policy& p = *b.policy;
  if (p.items.size() != nitems_ || p.rules.size() != nrules_) return false;
  for (size_t i = 0; i < p.items.size(); ++i)
    if (p.items[i].conditions.size() != nconditions_[i]) return false;
  for (size_t a = 0; a < b.apps.size(); ++a) {
    const Application& app = b.apps[a];
    const Decision& d = b.decisions[a];
    if (d.status != Status::Eligible && d.status != Status::Ineligible && d.status != Status::Routed) continue;
    ++decisions_;
    int item = app.item;
    // A programme's validity element is the latest version's, seen by the applications it judges.
    if (validity_ >= 0 && (p.versions.empty() || static_cast<size_t>(p.items[item].version) + 1 == p.versions.size())) {
      const Validity& v = p.validity_of(item);
      bool inside = app.date >= v.from && app.date <= v.to;
      (inside ? elements_[validity_].a : elements_[validity_].b) = true;
    }
    for (size_t k = 0; k < condition_el_[item].size(); ++k)
      if (condition_el_[item][k] >= 0 && !(d.unknown_conditions >> k & 1))  // a condition that could not be computed covers neither outcome
        ((d.conditions >> k & 1) ? elements_[condition_el_[item][k]].a : elements_[condition_el_[item][k]].b) = true;
    if (d.status == Status::Eligible) {
      if (cap_el_[item] >= 0 && d.cap >= 0) (d.amount > d.cap ? elements_[cap_el_[item]].a : elements_[cap_el_[item]].b) = true;
      if (d.cap_tier >= 0 && d.cap_tier < static_cast<int>(cap_tier_el_[item].size()))
        elements_[cap_tier_el_[item][d.cap_tier]].a = true;
      if (d.amount_tier >= 0 && d.amount_tier < static_cast<int>(amount_tier_el_[item].size()))
        elements_[amount_tier_el_[item][d.amount_tier]].a = true;
      for (uint32_t g = d.groups_begin; g < d.groups_begin + d.groups_count; ++g) {
        const GroupStep& s = b.group_steps[g];
        if (s.after < s.before && s.rule >= 0) elements_[rule_el_[s.rule]].a = true;
      }
      if (d.quota_rule >= 0 && d.quota_rank > d.quota_places) elements_[rule_el_[d.quota_rule]].a = true;
      if (d.exclusive_rule >= 0 && (d.exclusive_history || d.exclusive_winner != static_cast<int32_t>(a)))
        elements_[rule_el_[d.exclusive_rule]].a = true;
      if (d.budget_rule >= 0) elements_[rule_el_[d.budget_rule]].a = true;
      for (uint32_t s = d.levels_begin; s < d.levels_begin + d.levels_count; ++s) {
        const LevelStep& st = b.level_steps[s];
        if (st.rule >= 0 && st.after < st.before) elements_[rule_el_[st.rule]].a = true;
      }
    } else if (d.status == Status::Routed && d.route_rule >= 0) {
      elements_[rule_el_[d.route_rule]].a = true;
    } else if ((d.cause == Cause::Once || d.cause == Cause::Series) && d.cause_rule >= 0) {
      elements_[rule_el_[d.cause_rule]].a = true;
    }
  }
  return true;
}

size_t PolicyCoverage::covered() const {
  size_t n = 0;
  for (const auto& e : elements_) n += e.covered();
  return n;
}

double PolicyCoverage::percent() const {
  return elements_.empty() ? 100.0 : 100.0 * static_cast<double>(covered()) / static_cast<double>(elements_.size());
}

std::pair<size_t, size_t> PolicyCoverage::count(ElementKind k) const {
  size_t c = 0, t = 0;
  for (const auto& e : elements_)
    if (e.kind == k) {
      ++t;
      c += e.covered();
    }
  return {c, t};
}

PolicyCoverage& CoverageSet::of(const std::string& key, const LoadedPolicy& lp, const std::string& display_path) {
  auto it = by_key_.find(key);
  if (it != by_key_.end()) return list_[it->second];
  by_key_[key] = list_.size();
  list_.emplace_back(lp, display_path);
  return list_.back();
}

std::vector<const PolicyCoverage*> CoverageSet::all() const {
  std::vector<const PolicyCoverage*> out;
  for (const auto& c : list_) out.push_back(&c);
  return out;
}

static std::string percent_text(double p) {
  std::string s = fmt::format("{:.1f}", p);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + "%";
}

std::string coverage_text(const PolicyCoverage& c, Lang lang) {
  auto say = [lang](CliMsg id, std::initializer_list<MsgArg> args = {}) { return render_msg(msg(id, args), lang); };
  std::string out = say(CliMsg::CovHeading, {{"file", c.path()}, {"policy", c.policy_name()}}) + "\n";
  int clause = -2, item = -2;
  for (const auto& e : c.elements()) {
    if (e.clause != clause) {
      clause = e.clause;
      item = -2;
      if (clause >= 0) out += fmt::format("  {} {}\n", cite_clause(c.clauses()[clause].number), c.clauses()[clause].title);
      else out += say(CliMsg::CovPolicyWide) + "\n";
    }
    bool of_item = e.kind == ElementKind::Condition || e.kind == ElementKind::Cap || e.kind == ElementKind::Tier;
    if (of_item && e.item != item) {
      item = e.item;
      out += say(CliMsg::CovItem, {{"number", c.items()[item].number}, {"title", c.items()[item].title}}) + "\n";
    }
    std::string what;
    switch (e.kind) {
      case ElementKind::Validity: what = say(CliMsg::CovValidity); break;
      case ElementKind::Condition: what = say(CliMsg::CovCondition, {{"name", e.name}}); break;
      case ElementKind::Cap: what = say(CliMsg::CovCap); break;
      case ElementKind::Tier: what = say(e.amount_tier ? CliMsg::CovAmountTier : CliMsg::CovCapTier, {{"name", e.name}}); break;
      case ElementKind::Rule: what = say(CliMsg::CovRule, {{"kind", e.rule_kind}, {"name", e.name}}); break;
    }
    std::string indent = of_item ? "      " : "    ";
    const std::string sep = lang == Lang::Zh ? "：" : ": ";
    if (e.covered()) out += fmt::format("{}✓ {}{}{}\n", indent, what, sep, e.status(lang));
    else out += fmt::format("{}✗ {}{}{}  — {}:{}\n", indent, what, sep, e.status(lang), e.file, e.line);
  }
  static const std::pair<ElementKind, CliMsg> kKinds[] = {{ElementKind::Condition, CliMsg::CovKindConditions},
                                                          {ElementKind::Cap, CliMsg::CovKindCaps},
                                                          {ElementKind::Tier, CliMsg::CovKindTiers},
                                                          {ElementKind::Rule, CliMsg::CovKindRules},
                                                          {ElementKind::Validity, CliMsg::CovKindValidity}};
  std::string kinds;
  for (const auto& [k, label] : kKinds) {
    auto [cov, tot] = c.count(k);
    if (!tot) continue;
    kinds += fmt::format("{}{} {}/{}", kinds.empty() ? "  " : " · ", say(label), cov, tot);
  }
  if (!kinds.empty()) out += kinds + "\n";
  out += say(CliMsg::CovTotal, {{"percent", percent_text(c.percent())}, {"covered", std::to_string(c.covered())},
                                {"total", std::to_string(c.total())}}) +
         "\n";
  return out;
}

std::string coverage_json(const PolicyCoverage& c) {
  std::string out = "{\"policy\":\"";
  json_escape(c.path(), out);
  out += "\",\"name\":\"";
  json_escape(c.policy_name(), out);
  out += fmt::format("\",\"covered\":{},\"total\":{},\"percent\":{:.1f},\"kinds\":{{", c.covered(), c.total(), c.percent());
  static const ElementKind kKinds[] = {ElementKind::Condition, ElementKind::Cap, ElementKind::Tier, ElementKind::Rule,
                                       ElementKind::Validity};
  bool first = true;
  for (ElementKind k : kKinds) {
    auto [cov, tot] = c.count(k);
    out += fmt::format("{}\"{}\":{{\"covered\":{},\"total\":{}}}", first ? "" : ",", element_kind_name(k), cov, tot);
    first = false;
  }
  out += "},\"elements\":[";
  first = true;
  for (const auto& e : c.elements()) {
    out += first ? "{" : ",{";
    first = false;
    out += fmt::format("\"kind\":\"{}\",\"name\":\"", element_kind_name(e.kind));
    json_escape(e.name, out);
    out += '"';
    if (e.kind == ElementKind::Rule) out += fmt::format(",\"rule_kind\":\"{}\"", e.rule_kind);
    if (e.clause >= 0) {
      out += ",\"clause\":\"";
      json_escape(c.clauses()[e.clause].number, out);
      out += '"';
    }
    if (e.item >= 0) {
      out += ",\"item\":\"";
      json_escape(c.items()[e.item].number, out);
      out += '"';
    }
    if (e.kind == ElementKind::Tier) out += e.amount_tier ? ",\"of\":\"amount\"" : ",\"of\":\"cap\"";
    out += ",\"file\":\"";
    json_escape(e.file, out);
    out += fmt::format("\",\"line\":{},\"covered\":{},\"status\":\"", e.line, e.covered() ? "true" : "false");
    json_escape(e.status(), out);
    out += "\"}";
  }
  out += "]}";
  return out;
}

}  // namespace pol::testing
