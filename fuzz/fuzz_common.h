// Shared by the libFuzzer targets: the Longgang policy loaded once, a batch decided from records,
// and the invariants every decided batch must satisfy. A violated invariant aborts with a
// message, which libFuzzer reports as a crash with the input that caused it.
#pragma once

#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "compiler/diagnostics/source.h"
#include "compiler/driver/pipeline.h"
#include "runtime/explain/explain.h"
#include "runtime/input/records.h"
#include "runtime/portfolio/batch.h"
#include "values/date.h"

namespace pol::fuzz {

[[noreturn]] inline void violated(const char* what, const std::string& detail) {
  std::fprintf(stderr, "invariant violated: %s\n%s\n", what, detail.c_str());
  std::abort();
}

inline const LoadedPolicy& longgang() {
  static std::unique_ptr<LoadedPolicy> lp = [] {
    LoadOptions o;
    o.policy_path = std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025.pol";
    o.rules_paths = {std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025_rules.pol"};
    o.sets = {"annual_budget=8000000"};
    o.need_parameter_values = true;
    auto p = load_policy(o);
    if (!p->ok()) violated("the Longgang policy loads", render_all(p->diags, p->sources, false));
    return p;
  }();
  return *lp;
}

// Every decision written three ways, each line valid UTF-8, every JSON line an object; awards
// never negative, never above the item's amount or cap, no group limit or budget exceeded,
// nothing left undecided.
inline void check_batch(Batch& b) {
  static simdjson::dom::parser parser;
  Explainer ex(b);
  std::string json, csv, text;
  std::map<std::tuple<int, int>, int64_t> budget_years;
  for (uint32_t i = 0; i < b.apps.size(); ++i) {
    const Decision& d = b.decisions[i];
    if (d.status == Status::Pending) violated("every application is decided", std::string(b.apps[i].id));
    json.clear();
    ex.json_line(i, json);
    ex.csv_row(i, csv);
    ex.text_block(i, text);
    if (!is_valid_utf8(json)) violated("JSON decisions are UTF-8", json);
    simdjson::padded_string padded(json);
    simdjson::dom::element doc;
    if (parser.parse(padded).get(doc) || !doc.is_object()) violated("each decision is one JSON object", json);
    if (d.status != Status::Eligible && d.status != Status::Ineligible) continue;
    if (d.award < 0) violated("no award below zero", json);
    if (d.status == Status::Ineligible && d.award != 0) violated("an ineligible application gets nothing", json);
    if (d.award > d.base || d.base > d.amount || (d.cap >= 0 && d.base > d.cap)) violated("award <= base <= amount, cap", json);
    for (uint32_t g = d.groups_begin; g < d.groups_begin + d.groups_count; ++g) {
      const GroupStep& s = b.group_steps[g];
      if (s.after > s.before || (s.after > 0 && s.used + s.after > s.limit)) violated("a group limit is never exceeded", json);
    }
  }
  for (const auto& by : b.budget_years)
    if (by.scaled) {
      int64_t sum = 0;
      for (uint32_t i = 0; i < b.apps.size(); ++i) {
        const Decision& d = b.decisions[i];
        if (d.budget_rule == by.rule && (b.policy->rules[by.rule].period != Period::Year || year_of(b.apps[i].date) == by.year))
          sum += d.award;
      }
      if (sum > std::max<int64_t>(0, by.budget - by.history)) violated("a budget is never exceeded", std::to_string(sum));
    }
  if (!is_valid_utf8(csv) || !is_valid_utf8(text)) violated("CSV and text decisions are UTF-8", "");
  std::string summary = batch_summary(b, Lang::En);
  if (!is_valid_utf8(summary)) violated("the summary is UTF-8", summary);
}

// Decodes `text` with `reader` into a batch of the Longgang policy, decides it and checks it.
inline void decide_and_check(std::unique_ptr<input::RecordReader> reader, const std::string* history = nullptr) {
  const LoadedPolicy& lp = longgang();
  Batch b(*lp.policy, lp.program);
  if (history) {
    Decoder hd(b);
    auto hr = input::open_jsonl(*history);
    input::RawRecord rec;
    std::string err;
    while (hr->next(rec))
      if (!hd.add_history(rec, err)) return;  // a bad history stops a run before anything is decided
  }
  Decoder dec(b);
  input::RawRecord rec;
  while (reader->next(rec)) dec.add_application(rec);
  evaluate(b);
  if (!b.fatal.empty()) return;  // the run stops with a message, nothing decided
  check_batch(b);
}

}  // namespace pol::fuzz
