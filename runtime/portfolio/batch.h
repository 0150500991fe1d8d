// A batch of applications and its decisions: decoding of input records into slot values,
// and the generic portfolio engine (own conditions, quota, no double support, group caps,
// total control — docs/interpretation.md §4) driven only by the checked policy's declarations.
// Lifetime: a Batch refers to the LoadedPolicy it was made for; texts live in its arena.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/check/policy.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/ir/ir.h"
#include "runtime/input/record.h"
#include "runtime/portfolio/interner.h"

namespace pol {

// Stable storage for the texts of a batch: string_views into it never move.
class TextArena {
 public:
  std::string_view add(std::string_view s);

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0, cap_ = 0;
};

// Pending: decoded, not yet decided. Recorded: decided in an earlier run (ledger); not decided again.
// Routed: its amount is above a `route` threshold, so another policy decides it (not ineligible).
enum class Status : uint8_t { Error, Ineligible, Eligible, Pending, Recorded, Routed };
enum class Cause : uint8_t { None, Validity, Condition, Once, Series };

// One group cap applied to one application (step 4).
struct GroupStep {
  int32_t rule = -1;
  int64_t limit = 0, used = 0, before = 0, after = 0;
};

// One `highest` or `combined` rule applied to one application (stage Levels): what the other
// policy granted to the same key, the combined limit (-1 for highest), the award before and after.
// With rule -1 and a field: an `award of` input the run filled (`other`), for the explanation.
struct LevelStep {
  int32_t rule = -1, field = -1;
  bool earlier = false;  // the input is computed from this policy's earlier grants (`other`: its value; found: 1 when given)
  uint32_t found = 0;  // index into Batch::level_found: the other policy's grants it counted
  int64_t other = 0, limit = -1, before = 0, after = 0;
};

// Fields ordered by size so a million decisions take no padding.
struct Decision {
  // own conditions and amounts
  uint64_t conditions = 0;          // bit i: condition i held
  uint64_t unknown_conditions = 0;  // bit i: condition i could not be computed (ineligible anyway)
  int64_t amount = 0;               // the item's amount
  int64_t cap = -1;                 // per-application cap, -1 when none
  int64_t base = 0;                 // min(amount, cap) when eligible
  int64_t award = 0;                // final
  int64_t before_budget = -1;       // step 5: the award before the pool was shared out
  int64_t budget_left = -1;         // step 5, first come or ranked: what was left of the pool for it
  int64_t ceiling = -1;             // discretionary: the most the authority may set (cap, then groups' room); -1 none
  int32_t cause_rule = -1;          // Once/Series rule that refused it
  int32_t series_count = 0, series_first_year = 0, series_run = 0;
  int32_t amount_tier = -1, cap_tier = -1;
  // step 2
  int32_t quota_rule = -1;
  int32_t quota_rank = 0, quota_places = 0, quota_candidates = 0;
  // step 3
  int32_t exclusive_rule = -1;
  int32_t exclusive_winner = -1;  // application index, -1 with exclusive_history
  // step 4
  uint32_t groups_begin = 0, groups_count = 0;
  // levels (between steps 3 and 4) and routing (step 1)
  uint32_t levels_begin = 0, levels_count = 0;
  int32_t route_rule = -1;
  // step 5
  int32_t budget_rule = -1;
  // errors
  uint32_t error = 0;             // index into Batch::errors, or Batch::recorded for Status::Recorded
  DiagCode error_code = DiagCode::E0609;
  Status status = Status::Error;
  Cause cause = Cause::None;
  bool exclusive_history = false;
  bool discretionary = false;  // the authority sets the amount (the cap is its ceiling)
  bool relaxable = false;      // the cap bound and may be relaxed by the authority
};

// One problem of an application's input: its code (E06xx) and a message naming the field, kept
// as a catalogue message (InputMsg, messages_input.def) and shown in the language asked for where
// it is shown (text()). `message` is its English text, for code that shows it as it is; a problem
// written outside the catalogue (a plain text: msg.id None) is `message` in every language.
struct InputError {
  DiagCode code = DiagCode::E0609;
  std::string message;
  Msg msg;

  InputError() = default;
  InputError(DiagCode c, Msg m) : code(c), message(render_msg(m, Lang::En)), msg(std::move(m)) {}
  InputError(DiagCode c, std::string text) : code(c), message(std::move(text)) {}
  // A message alone (Batch::errors, whose code is the Decision's).
  InputError(Msg m) : InputError(DiagCode::E0609, std::move(m)) {}  // NOLINT: implicit on purpose
  InputError(std::string text) : message(std::move(text)) {}       // NOLINT
  InputError(const char* text) : message(text) {}                   // NOLINT
  std::string text(Lang lang) const { return msg.id == MsgId::None ? message : render_msg(msg, lang); }
};

struct Application {
  uint32_t line = 0;
  int32_t item = -1;
  int32_t date = 0;
  uint32_t values = 0;   // offset into Batch::values: the common fields, then the item's inputs
  uint64_t present = 0;  // bit per value
  // History records only: the award. 0 is an eligible decision recorded in the ledger that got
  // nothing: it counts for one-off keys and series, as an earlier eligible application of the
  // batch does (a --history row with award 0 is not kept: a grant list holds grants).
  int64_t award = 0;
  std::string_view id;
  std::string_view raw;  // the record as received, as one JSON object (only when Decoder keeps it)
};

struct BudgetYear {
  int32_t rule = -1;
  int year = 0;
  int64_t budget = 0, history = 0, total = 0;
  bool scaled = false;         // the period asked for more than was left, and it was shared out
  bool oversubscribed = false; // …and the policy does not say how: the awards stand, flagged for the authority
};

// A grant of another policy (another level) that a `highest`/`combined` rule or an `award of`
// input reads: from a history record naming that policy, or decided earlier in the same run.
struct OtherGrant {
  std::string_view policy, id, item;
  int64_t award = 0;
  std::vector<std::string_view> keys;  // parallel to Batch::other_key_names ("" when absent)
};

// What one level link (Policy::level_links) found for one key: the total and the grants.
struct LevelFound {
  int64_t total = 0;
  std::vector<uint32_t> grants;  // indexes into Batch::other_grants
};

// The policies decided together in one run (docs/language.md §13.7), shared by their batches.
struct RunPolicies {
  std::vector<std::string> names;  // the run's policies; a record names one in its `policy` field
  std::vector<std::string> titles;  // parallel to names
  std::vector<std::string> known;  // those and every policy they link to (history records may name them)
};

struct Batch {
  const Policy* policy = nullptr;
  const ir::Program* program = nullptr;
  TextArena arena;
  std::vector<std::string_view> texts;  // policy constants, then "" (empty_text), then batch texts
  int64_t empty_text = 0;
  // Per field, equal texts share one index, so keys and scopes compare as numbers. One small
  // table per field keeps, say, the enterprise codes in cache.
  std::vector<TextMap> field_texts;
  // The index of `s` (a value of field `field`) in `texts`, adding a copy when it is new.
  int64_t text(int field, std::string_view s);
  std::vector<int64_t> values;
  std::vector<Application> apps;        // input order
  std::vector<Decision> decisions;      // parallel to apps
  std::vector<GroupStep> group_steps;
  std::vector<InputError> errors;       // messages of rejected applications (the first error of each; its code is the Decision's)
  // An application's input errors after its first, by its Decision::error (sized only as far as
  // an application had more than one): every error of an application is reported, not only one.
  std::vector<std::vector<InputError>> further_errors;
  // Every input error of a decision of Status::Error: its first (code and message), then the further ones.
  std::vector<InputError> input_errors(const Decision& d) const;
  std::vector<std::string> recorded;    // decisions of earlier runs (JSON lines) for Status::Recorded
  std::vector<Application> history;
  std::vector<BudgetYear> budget_years;
  // Levels. run: the policies of a run of several (null: this policy alone); first: this batch
  // reports the records that belong to none of them. other_batches: the run's policies decided
  // before this one, whose grants its level links read.
  const RunPolicies* run = nullptr;
  bool first_in_run = true;
  std::vector<Batch*> other_batches;
  std::vector<std::string> other_key_names;  // every key field name a level link matches on
  std::vector<OtherGrant> other_grants;      // history grants of other policies, then (evaluate) earlier batches'
  std::vector<LevelFound> level_found;       // what each application's level link found (evaluate)
  std::vector<LevelStep> level_steps;
  std::vector<int64_t> frame;           // the evaluation frame, reused for every application
  std::string fatal;                    // set by evaluate() when the batch cannot be decided at all (English)
  Msg fatal_msg;                        // the same, from the catalogue: render_msg(fatal_msg, lang)
  // Application fields no part of the policy reads (a misspelt `project` switches a rule off):
  // the name and how many applications carried it.
  std::vector<std::pair<std::string, size_t>> unknown_fields;
  std::vector<std::vector<std::pair<int32_t, int64_t>>> load_plan_;  // [0]: common fields; [i+1]: item i

  std::vector<std::vector<std::pair<int32_t, int32_t>>> presence_plan_;  // [item]: (presence slot, value index)
  std::vector<std::pair<int32_t, int32_t>> text_presence_;  // (presence slot, value slot) of optional text fields

  explicit Batch(const Policy& p, const ir::Program& prog);
  // Whether the application loaded in `frame` (by load()) gave `field` a value; an empty text
  // counts as not given.
  bool given(const int64_t* frame, int field) const;
  // Loads the values of application `a` (batch or history) into `frame`; returns the frame.
  int64_t* load(const Application& a);
};

// Decodes records into `batch.apps` (is_history=false) or `batch.history`. An application
// with bad input gets an error decision (§6); history records with errors are reported in
// `history_errors` (the run must not go on with a wrong memory of past grants).
class Decoder {
 public:
  // keep_raw: keep each record as one JSON object in Application::raw (for the ledger).
  explicit Decoder(Batch& batch, bool keep_raw = false);
  // The language of the messages add_history() writes (the applications' errors keep their
  // catalogue messages and are rendered where they are shown).
  void set_lang(Lang lang) { lang_ = lang; }
  // The ledger's eligible decisions with award 0 are history too (see Application::award).
  void keep_zero_awards(bool on) { keep_zero_awards_ = on; }
  void add_application(const input::RawRecord& rec);
  // false with every problem of the record in `error`: "[E0602] …; [E0605] …", in set_lang()'s language.
  bool add_history(const input::RawRecord& rec, std::string& error);

 private:
  // Whose record this is, by its `policy` field (docs/language.md §13.7): this policy's, another
  // policy's (skipped here; a history grant a level link reads is kept in Batch::other_grants),
  // or no policy's in the run (an error, with `err`).
  enum class Owner : uint8_t { Own, Other, Unknown };
  Owner owner(const input::RawRecord& rec, bool history, Msg& err);
  void other_grant(const input::RawRecord& rec, std::string& error, bool& ok);
  // false with every problem of the record in `errors`, in the order of its fields.
  bool decode(const input::RawRecord& rec, bool history, Application& app, std::vector<InputError>& errors);
  // The item of the record (raw_ filled) by its number and, for a programme, its acceptance date;
  // app.item -1 with item_error_ set when there is none.
  void find_item(Application& app);
  // One given value of `field` (`text`: the value with the spaces around a string trimmed) as a slot value.
  bool read_value(int field, const input::RawField& r, std::string_view text, int64_t* out, std::vector<InputError>& errors);
  Batch& b_;
  bool keep_raw_;
  bool keep_zero_awards_ = false;
  Lang lang_ = Lang::En;
  std::string raw_buf_;
  std::unordered_map<std::string_view, int> field_index_;
  std::unordered_map<std::string_view, int> item_index_;  // item number -> item_versions_
  std::vector<std::vector<int>> item_versions_;            // [number][version]: the item, -1 when none
  TextMap seen_ids_;                // history grant id -> the input line that used it
  std::vector<bool> keyed_;         // fields whose texts key a portfolio rule (shared by index)
  std::unordered_map<std::string, size_t> unknown_index_;  // unknown field name -> Batch::unknown_fields
  std::vector<std::pair<std::string_view, int>> position_cache_;  // field name seen at each position
  std::vector<const input::RawField*> raw_;
  std::vector<InputError> errors_;  // the current record's, reused
  InputError item_error_;
  std::vector<int> common_;
  bool routes_ = true;                // the record's `policy` field says whose it is (no policy field of that name)
  std::vector<std::string> linked_;   // the policies this one's level links read
};

// Serializes a record as one JSON object (field order kept; numbers as written).
void record_to_json(const input::RawRecord& rec, std::string& out);

// Evaluates every decodable application of the batch against the history (§4, steps 1–5).
// Per-application problems are decisions; a problem of the whole batch sets Batch::fatal.
void evaluate(Batch& batch);

}  // namespace pol
