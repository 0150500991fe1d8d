// `polc diff --format json`: the whole comparison as one JSON document, amounts as two-decimal
// strings like the decisions of `polc run`, so programs read them exactly.
#include <nlohmann/json.hpp>

#include "runtime/diff/diff.h"
#include "values/fixed.h"

namespace pol::diff {
namespace {

using nlohmann::ordered_json;

ordered_json decision(const DecisionView& v) {
  ordered_json j;
  if (!v.decided) {
    j["status"] = "input_error";
    j["error"] = v.error;
    return j;
  }
  j["eligible"] = v.eligible;
  j["status"] = status_name(v.status);
  j["award"] = money_plain_str(v.award);
  return j;
}

ordered_json totals(const Totals& t) {
  return {{"old", money_plain_str(t.before)},
          {"new", money_plain_str(t.after)},
          {"difference", money_plain_str(t.difference())},
          {"granted_old", t.granted_before},
          {"granted_new", t.granted_after}};
}

ordered_json keyed(const std::vector<KeyedTotals>& list, const char* key) {
  ordered_json a = ordered_json::array();
  for (const auto& k : list) {
    ordered_json j;
    j[key] = k.key;
    if (!k.label.empty()) j["title"] = k.label;
    j.update(totals(k.totals));
    a.push_back(std::move(j));
  }
  return a;
}

}  // namespace

std::string write_json(const BatchDiff& d) {
  ordered_json j;
  j["old"] = {{"policy", d.old_identity}, {"label", d.old_label}};
  j["new"] = {{"policy", d.new_identity}, {"label", d.new_label}};
  j["summary"] = {{"applications", d.applications},
                  {"changed", d.changed},
                  {"unchanged", d.unchanged},
                  {"newly_eligible", d.newly_eligible},
                  {"no_longer_eligible", d.no_longer_eligible},
                  {"increased", d.increased},
                  {"decreased", d.decreased},
                  {"input_errors_old", d.input_errors_before},
                  {"input_errors_new", d.input_errors_after}};
  j["totals"] = totals(d.overall);
  j["per_item"] = keyed(d.per_item, "item");
  j["per_year"] = keyed(d.per_year, "year");
  j["per_enterprise"] = keyed(d.per_enterprise, "enterprise");
  ordered_json changes = ordered_json::array();
  for (const auto& c : d.changes) {
    ordered_json x;
    x["id"] = c.id;
    x["item"] = c.item;
    x["enterprise"] = c.enterprise;
    x["year"] = c.year;
    x["old"] = decision(c.before);
    x["new"] = decision(c.after);
    x["difference"] = money_plain_str(c.difference());
    if (c.first_step.found)
      x["first_difference"] = {{"step", c.first_step.kind},
                               {"clause", c.first_step.clause},
                               {"old", c.first_step.old_text},
                               {"new", c.first_step.new_text}};
    changes.push_back(std::move(x));
  }
  j["changes"] = std::move(changes);
  ordered_json rules = ordered_json::array();
  for (const auto& r : d.rules) {
    ordered_json x{{"scope", r.scope}, {"name", r.name}, {"label", r.label}, {"aspect", r.aspect},
                   {"aspect_zh", r.aspect_zh}, {"old", r.before}, {"new", r.after}};
    if (!r.clause.empty()) x["clause"] = {{"number", r.clause}, {"title", r.clause_title}, {"text", r.clause_text}};
    rules.push_back(std::move(x));
  }
  j["rule_changes"] = std::move(rules);
  // Applicant texts that are not UTF-8 are written with U+FFFD, never refused.
  return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace pol::diff
