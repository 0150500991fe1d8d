// Explanations: turns a decision into the steps that shaped its amount — validity, each
// condition, the amount's arithmetic with the values used, the cap, quota rank, no double
// support, each group cap and total control — each naming its clause. Rendered as JSON
// (one line per decision), human text (Chinese labels from the policy), or CSV.
// An Explainer reuses its buffers, so explaining a million decisions does not allocate per step.
#pragma once

#include <string>
#include <vector>

#include "runtime/portfolio/batch.h"

namespace pol {

struct Step {
  std::string kind;    // validity, condition, once, series, amount, cap, quota, exclusive, group_cap, budget (the rule kinds)
  std::string clause;  // clause number, e.g. 二 (a nested one: 二.三.1)
  std::string document;  // the revision whose text of the clause is cited; "" for the policy's own
  int clause_index = -1;  // index into Policy::clauses (the worded text a letter quotes), -1 for none
  std::string rule;    // condition or rule name
  int passed = -1;     // -1: not a test; 0/1: outcome
  bool bound = false;  // this step reduced the amount
  bool plain = true;   // text holds nothing that JSON must escape (no applicant-supplied text)
  std::string text;    // the sentence shown to people
  std::vector<std::pair<const char*, std::string>> numbers;  // machine-readable figures
  size_t nnumbers = 0;
};

class Explainer {
 public:
  // How much a JSON decision explains: every step with its sentence (the default), the steps
  // with their figures but no sentences (for programs reading many decisions), or nothing.
  enum class Detail : uint8_t { Full, Brief, None };
  explicit Explainer(Batch& b);
  void set_detail(Detail d) {
    detail_level_ = d;
    text_ = d == Detail::Full;
  }
  // The language of input errors (and of the line that names one in text): the explanations
  // themselves are the policy's own words and stay as written. English unless set.
  void set_lang(Lang lang) { lang_ = lang; }
  Lang lang() const { return lang_; }
  // Fills the steps of application `a` (in input order index); returns the number of steps.
  size_t explain(uint32_t a);
  const Step& step(size_t i) const { return steps_[i]; }

  void json_line(uint32_t a, std::string& out);
  void text_block(uint32_t a, std::string& out);
  static void csv_header(std::string& out);
  void csv_row(uint32_t a, std::string& out);

 private:
  struct StepSink;
  struct JsonSink;
  // loaded: the application's fields are already in the frame (json_line loads them first).
  template <class Sink>
  size_t explain_into(uint32_t a, Sink& sink, bool loaded = false);
  Step& next(const char* kind, int clause);
  void number(Step& s, const char* key, std::string_view value);
  void number_money(Step& s, const char* key, int64_t fen);
  void append_value(std::string& out, Type t, int64_t v);
  // node: a root of the item program's show trees (ir::ShowNode).
  void describe(int32_t node, const int64_t* frame, const ItemInfo& item, std::string& out);
  void formula(int32_t node, const int64_t* frame, const ItemInfo& item, std::string& formula, std::string& found);
  const ir::ItemProgram& program_of(const ItemInfo& item) const;
  void slot_value(int32_t slot, Type type, const int64_t* frame, const ItemInfo& item, std::string& out);
  void tier_name(const ir::ShowTier& tier, const int64_t* frame, const ItemInfo& item, std::string& out);
  const std::string& slot_label(int32_t slot, const ItemInfo& item) const;
  // Another policy as a reader knows it: 《its title》 when it is decided in this run, else its name.
  std::string other_policy(const std::string& name) const;
  // A formatted amount in one of a few rotating buffers: valid for the next kScratch calls.
  std::string_view money(int64_t fen);

  Batch& b_;
  std::vector<Step> steps_;
  size_t n_ = 0;
  static constexpr size_t kScratch = 12;
  std::string scratch_[kScratch];
  size_t next_scratch_ = 0;
  std::string detail_, keys_, validity_from_, validity_to_;
  std::vector<std::vector<const std::string*>> slot_labels_;  // [item][slot]
  std::vector<int32_t> present_slot_of_;  // [slot]: the presence slot of an optional field, else -1
  std::vector<bool> month_slot_;          // [slot]: a year-month field (shown as 2025-03)
  bool names_only_ = false;  // describe() writes names, and collects the slots it read
  std::vector<std::pair<int32_t, Type>> used_slots_;
  bool policy_plain_ = true;  // no label or name of the policy needs JSON escaping
  bool user_text_ = false;    // an applicant-supplied text went into the step being built
  bool json_mode_ = false;    // writing JSON directly: applicant texts are escaped as appended
  Detail detail_level_ = Detail::Full;
  Lang lang_ = Lang::En;
  bool text_ = true;          // steps carry their sentences
  // Per clause: the title of the revision that last worded it, for a programme's amended
  // clauses ("" otherwise: the policy's own text).
  std::vector<std::string> clause_doc_;
  std::string discard_;       // where a brief step's (unwritten) sentence goes
};

// What became of an application, by name, in JSON (`status`), CSV and text: why an eligible
// application got less than its amount, or nothing.
enum class DecisionStatus : uint8_t {
  Granted, Capped, BudgetScaled, CapUsedUp, QuotaLost, NotDoubleSupported, NoAmount, Ineligible, InputError,
  AlreadyDecided, OtherLevel, Routed, Discretionary, CapRelaxable, Oversubscribed, BudgetUsedUp
};
DecisionStatus decision_status(const Batch& b, uint32_t a);
const char* status_name(DecisionStatus s);  // "granted", "quota_lost", …
const char* status_zh(DecisionStatus s);    // "予以支持", "符合条件，但未获名额，不予支持", …

// "第二条" for clause 二; "" for none.
std::string clause_title(const Policy& p, int clause);
void json_escape(std::string_view s, std::string& out);
// A summary of a batch for people, in `lang`: counts, totals per item and per year, budget scaling.
std::string batch_summary(const Batch& b, Lang lang);

}  // namespace pol
