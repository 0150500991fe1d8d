// What a policy change costs on a batch (`polc diff`): the same applications decided under an
// old and a new policy — which decisions change and by how much, totals per item, year and
// enterprise, and the rules that differ between the two policies, read from the policies
// themselves (show trees, parameter values, rule plans; never the checker's trees, so compiled
// policies compare too). The core compares two LoadedPolicy, whatever made them (a source with
// --set values, a compiled file, later a revision document); writers render the result as text,
// JSON, CSV or one self-contained HTML page. A BatchDiff owns plain copies of everything it
// shows: it outlives the batches and policies it was made from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "runtime/explain/explain.h"
#include "runtime/portfolio/batch.h"
#include "runtime/run/batch_run.h"

namespace pol::diff {

// One application's decision under one policy, as compared.
struct DecisionView {
  bool decided = false;   // false: an input error under this policy (`error` says which)
  bool eligible = false;
  DecisionStatus status = DecisionStatus::InputError;
  int64_t award = 0;      // fen
  std::string error;      // "[E0603] …" for an input error
};

// The first explanation step that differs: the step under each policy ("" when that side has
// no such step).
struct StepDifference {
  bool found = false;
  std::string kind, clause;           // of the new step, or the old one when the new has none
  std::string old_text, new_text;
};

struct ChangedDecision {
  uint32_t index = 0;                 // input order
  std::string id, item, item_title, enterprise;
  int year = 0;
  DecisionView before, after;
  int64_t difference() const { return after.award - before.award; }
  StepDifference first_step;
};

// Sums of awards under each policy, and how many applications got more than nothing.
struct Totals {
  int64_t before = 0, after = 0;
  size_t granted_before = 0, granted_after = 0;
  int64_t difference() const { return after - before; }
};

struct KeyedTotals {
  std::string key, label;  // item number and title; year; enterprise code (label empty)
  Totals totals;
};

// One rule that differs between the two policies, in readable form. `before`/`after` empty:
// absent from that policy (added or removed).
struct RuleChange {
  std::string scope;        // "parameter", "item", "rule", "validity", "policy", "clause"
  std::string name;         // parameter name, item number, rule name, clause number
  std::string label;        // its Chinese label or title
  std::string aspect;       // what differs: amount, cap, condition, limit, places, value, …
  std::string aspect_zh;    // the same for people: 支持金额, 单笔上限, 条件「…」, …
  std::string before, after;
  std::string clause, clause_title, clause_text;  // the clause it rests on (the new policy's, else the old's)
};

struct BatchDiff {
  std::string old_identity, new_identity;  // LoadedPolicy::identity
  std::string old_label, new_label;        // how the caller names each side (files, --set values)
  Lang lang = Lang::En;                    // set by the caller: the language of the input errors shown
  size_t applications = 0, changed = 0, unchanged = 0;
  size_t newly_eligible = 0, no_longer_eligible = 0, increased = 0, decreased = 0;
  size_t input_errors_before = 0, input_errors_after = 0;
  std::vector<ChangedDecision> changes;      // input order
  Totals overall;
  std::vector<KeyedTotals> per_item;         // in the new policy's item order, then items only the old has
  std::vector<KeyedTotals> per_year;         // ascending
  std::vector<KeyedTotals> per_enterprise;   // by enterprise code
  std::vector<RuleChange> rules;
  std::vector<std::string> warnings;         // of reading the batch, for people (each said once)
  bool any_input_errors() const { return input_errors_before || input_errors_after; }
};

// The rules that differ between two policies: parameters, validity and rounding, each item's
// title, amount, cap, conditions and clause, each portfolio rule's settings, clause texts.
std::vector<RuleChange> compare_policies(const LoadedPolicy& before, const LoadedPolicy& after);

// Two decided batches of the same applications (same records, same order) compared; false with
// `error` when they do not hold the same applications. Explains only what differs.
bool compare_batches(Batch& before, Batch& after, BatchDiff& out, std::string& error);

// The whole comparison: decides `req` under each policy (the batch-run API, history included;
// never a ledger record) and compares the decisions and the policies. false: nothing compared,
// `errors` says why. The applications are read twice: `req.applications` must be a file.
bool diff_on_batch(const LoadedPolicy& before, const LoadedPolicy& after, const BatchRequest& req, BatchDiff& out,
                   std::vector<std::string>& errors);

// Writers. Text is for staff (Chinese), JSON one document, CSV one row per changed application
// (UTF-8 with BOM), HTML one self-contained page for directors (totals, SVG charts, tables).
std::string write_text(const BatchDiff& d);
std::string write_json(const BatchDiff& d);
std::string write_csv(const BatchDiff& d);
std::string write_html(const BatchDiff& d);

// "+1,000.00 元", "-1,000.00 元", "0.00 元": a difference of money for people.
std::string signed_money(int64_t fen);

}  // namespace pol::diff
