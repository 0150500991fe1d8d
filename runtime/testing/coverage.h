// Clause coverage for `polc test --coverage`: which sentences of a policy the decisions of the
// tests that ran have exercised. Elements: the validity window (a date inside and one outside),
// each condition of each item (seen true and seen false), each per-application cap (bound and
// not bound on an eligible application), each tier of a tiered amount or cap (taken), and each
// portfolio rule (acted at least once: a group cap reduced an award, a quota left someone out,
// a one-off or series rule refused someone, no-double-support refused someone, total control
// scaled a year). Built from the checked policy; observations come from evaluated batches.
// A PolicyCoverage copies every text and position it needs, so it outlives the LoadedPolicy.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "runtime/portfolio/batch.h"

namespace pol::testing {

enum class ElementKind : uint8_t { Validity, Condition, Cap, Tier, Rule };
const char* element_kind_name(ElementKind k);  // "validity", "condition", "cap", "tier", "rule"

struct CoverageElement {
  ElementKind kind = ElementKind::Condition;
  int item = -1;            // Condition, Cap, Tier: index into Policy::items
  int index = -1;           // Condition: condition index; Tier: tier index; Rule: rule index
  bool amount_tier = false; // Tier: of the amount (else of the cap)
  int clause = -1;          // index into Policy::clauses
  std::string name;         // condition name, "cap", tier label, rule name, "validity"
  std::string rule_kind;    // Rule: group, quota, once, series, exclusive, budget
  std::string file;         // policy file (as loaded)
  uint32_t line = 0;
  // What was seen: Validity inside/outside, Condition true/false, Cap bound/not bound;
  // Tier and Rule use only `a` (taken / acted).
  bool a = false, b = false;
  bool covered() const;
  // "seen true and false", "seen true only", "never bound", ... for reports.
  std::string status(Lang lang = Lang::En) const;  // "seen true only"; JSON keeps English
};

struct ClauseRef {
  std::string number, title;
};

struct ItemRef {
  std::string number, title;
  int clause = -1;
};

class PolicyCoverage {
 public:
  PolicyCoverage() = default;
  // The elements of a loaded (checked) policy; `display_path` names it in reports.
  PolicyCoverage(const LoadedPolicy& lp, std::string display_path);

  // Adds what the decisions of an evaluated batch exercised. The batch's policy must have
  // the same structure (same items, conditions and rules) as the one the coverage was built
  // from — the same policy loaded with other parameter values; otherwise nothing is recorded
  // and false is returned.
  bool observe(const Batch& batch);

  const std::string& path() const { return path_; }
  const std::string& policy_name() const { return name_; }
  const std::vector<CoverageElement>& elements() const { return elements_; }
  const std::vector<ClauseRef>& clauses() const { return clauses_; }
  const std::vector<ItemRef>& items() const { return items_; }
  size_t covered() const;
  size_t total() const { return elements_.size(); }
  // covered/total in percent (100 when there is nothing to cover).
  double percent() const;
  // Per kind: covered and total.
  std::pair<size_t, size_t> count(ElementKind k) const;
  size_t decisions() const { return decisions_; }

 private:
  std::string path_, name_;
  size_t nitems_ = 0, nrules_ = 0;
  std::vector<size_t> nconditions_;
  std::vector<ClauseRef> clauses_;
  std::vector<ItemRef> items_;
  std::vector<CoverageElement> elements_;
  // Fast lookup from the batch: element index of validity, per item conditions / cap / tiers, per rule.
  int validity_ = -1;
  std::vector<std::vector<int>> condition_el_, amount_tier_el_, cap_tier_el_;
  std::vector<int> cap_el_, rule_el_;
  size_t decisions_ = 0;
};

// Coverage of every policy the tests touched, keyed by the policy's canonical path.
class CoverageSet {
 public:
  // The coverage of the policy at `key`, made from `lp` the first time it is asked for.
  PolicyCoverage& of(const std::string& key, const LoadedPolicy& lp, const std::string& display_path);
  bool empty() const { return by_key_.empty(); }
  // In the order the policies were first seen.
  std::vector<const PolicyCoverage*> all() const;

 private:
  std::map<std::string, size_t> by_key_;
  std::vector<PolicyCoverage> list_;
};

// Reports. Text: per clause and item, one line per element with ✓/✗, the uncovered ones with
// file:line; then per-kind figures and a closing `coverage: X% (a/b)` line per policy.
std::string coverage_text(const PolicyCoverage& c, Lang lang = Lang::En);
// One JSON object per policy: {"policy":…, "covered":a, "total":b, "percent":X, "kinds":{…}, "elements":[…]}.
std::string coverage_json(const PolicyCoverage& c);

}  // namespace pol::testing
