// The checked policy: every name resolved to a slot, every expression typed. Produced by
// check(), lowered to IR by compiler/ir, read by the runtime for labels, clauses and rules.
// Owns its typed expressions; spans point into the SourceManager used to check it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/check/types.h"
#include "compiler/diagnostics/source.h"
#include "values/date.h"
#include "values/fixed.h"

namespace pol {

// Limits of one evaluation, checked by the checker (E0403, E0404): a decision keeps one bit per
// requirement, an application one presence bit per value.
constexpr size_t kMaxItemConditions = 64;
constexpr size_t kMaxApplicationValues = 64;

enum class CmpOp : uint8_t { Lt, Le, Gt, Ge, Eq, Ne };

enum class TOp : uint8_t {
  Const,      // value (text: index into Policy::texts)
  Slot,       // slot
  ItemCap,    // the per-application cap of the item being evaluated (group limits only)
  Neg, Not, And, Or,
  Add, Sub, Mul, Div,
  Cmp,        // cmp
  In,         // args[0] in args[1..]
  Round,      // args[0] rounded mode to quantum (value)
  Min, Max,
  Year,       // calendar year of a date
  AddDuration,  // date + duration (duration packed in `duration`)
  IntToDecimal,
  Present,    // whether the optional field of `slot` was given (slot: its presence slot)
  OrElse,     // args[0] (a Slot of an optional field) if given, else args[1]; `slot`: the presence slot
  MonthsBetween, YearsBetween,  // whole calendar months / years from date args[0] to date args[1]
  StartOf,    // the first day of the year (value 0) or month (value 1) of date args[0]
};

struct TExpr {
  TOp op = TOp::Const;
  Type type;
  Span span;
  int64_t value = 0;
  int32_t slot = -1;
  CmpOp cmp = CmpOp::Eq;
  bool negated = false;
  RoundingMode mode = RoundingMode::HalfUp;
  int64_t quantum = 1;  // Round, and money products (fen)
  Duration duration;
  std::string literal;  // exact text of an unsuffixed literal (Ty::Number), for coercion
  std::vector<std::unique_ptr<TExpr>> args;
};
using TExprPtr = std::unique_ptr<TExpr>;

struct EnumInfo {
  std::string name, label;
  std::vector<std::string> members, member_labels;
  int catch_all = -1;  // the member an unlisted input value is read as (`otherwise`), or -1
  Span span;
};

// A named value an application carries: a common field (id, enterprise, …) or an item input.
// Inputs of the same name share one slot across items, so portfolio keys and history
// records find them in the same place whatever the item.
struct FieldInfo {
  std::string name, label;
  Type type;
  bool common = false;    // declared in `application { … }`
  bool optional = false;  // for common fields
  int32_t slot = -1;
  int32_t present_slot = -1;  // a bool slot: 1 when the application gave the field (optional fields only)
  int award_of = -1;  // an input the run fills from another policy's awards: index into Policy::level_links
  int earlier = -1;   // an input the run fills from this policy's earlier grants: index into Policy::earlier_links
  bool year_month = false;  // declared `month` (年月): given as YYYY-MM, held as the month's first day
  Span span;
};

struct ParamInfo {
  std::string name, label;
  Type type;
  bool optional = false;
  int32_t slot = -1;
  Span span;
  bool has_value = false;
  int64_t value = 0;
  std::string origin;  // "rules file path:line" or "--set"
  Span value_span;
};

// How a reader cites a clause by its number: "二" → 第二条; a nested one, "二.三.1" → 第二条第（三）项第1目.
std::string cite_clause(std::string_view number);

struct ClauseInfo {
  std::string number, title, part;
  int version = 0;  // the version of a programme it belongs to
  std::vector<std::string> leads;
  std::string text;
  Span span;
};

struct InputInfo {
  int field = -1;  // index into Policy::fields
  std::string label;
  bool optional = false;
  bool recorded = false;
  Span span;
};

struct LetInfo {
  std::string name;
  TExprPtr value;
  int32_t slot = -1;
  Span span;
};

struct ConditionInfo {
  std::string name, reason;
  TExprPtr cond;
  Span span;
  int clause = -1;  // a condition stated for many items: the clause that states it (else the item's)
  int shared = -1;  // …and its index among such conditions (one coverage element for all its items)
};

struct TierInfo {
  std::string label;
  TExprPtr value, when;  // when == null: otherwise
  Span span;
};

// `amount` or `cap`: one expression, or tiers chosen by conditions.
struct ValueInfo {
  TExprPtr expr;
  std::vector<TierInfo> tiers;
  Span span;
  bool present = false;
};

struct ItemInfo {
  std::string number, title;
  int clause = -1;
  int version = 0;  // index into Policy::versions when the policy has several versions
  Span span;
  std::vector<InputInfo> inputs;
  std::vector<LetInfo> lets;
  std::vector<ConditionInfo> conditions;
  ValueInfo amount, cap;
  bool discretionary = false;  // `amount discretionary`: eligible, the amount is the authority's (cap: the ceiling)
  std::string discretion;      // the text's words for how it is set (根据投入和运营情况确定, 一事一议)
  bool cap_relaxable = false;  // `cap … relaxable`: when the cap binds the authority may grant more
  TExprPtr relax_when;         // …only when this holds (null: whenever the cap binds)
  std::string relax_reason;
  std::vector<int> groups;  // rules of kind Group that contain this item, in declaration order
  // Rules of kind Highest and Combined that cover this item, in declaration order, with the
  // combined limit as this item computes it (null for Highest).
  std::vector<int> levels;
  std::vector<TExprPtr> level_limits;
};

// Group … Budget act within one policy; Highest (就高不重复), Combined (叠加上限) and Route (转报)
// relate it to a policy of another level (docs/language.md §13.7).
enum class RuleKind : uint8_t { Group, Quota, Once, Series, Exclusive, Budget, Highest, Combined, Route };
enum class Period : uint8_t { Year, Term };
// How a budget pool is shared when the applications of a period ask for more than is left.
enum class Ration : uint8_t { Unstated, ProRata, FirstCome, Ranked };

// A portfolio rule: evaluated across a batch by runtime/portfolio.
struct RuleInfo {
  RuleKind kind;
  std::string name, label;
  int clause = -1;
  Span span;
  std::vector<int> items;            // empty: every item
  TExprPtr limit;                    // Group: money, may use `cap`; Budget: money
  int scope_field = -1;              // Group: `per enterprise` — field index; -1: whole programme
  Period period = Period::Year;      // Group, Quota, Budget
  int64_t places = 0;                // Quota
  int rank_field = -1;               // Quota
  bool descending = true;
  std::vector<int> key_fields;       // Once, Series, Exclusive
  int64_t max_supports = 0;          // Series
  int64_t max_consecutive_years = 0; // Series: `consecutive years at most N` (连续支持不超过N年); 0: no limit
  Duration within;                   // Series: calendar years counted from the first support
  Ration ration = Ration::Unstated;  // Budget
  RoundingMode scale_mode = RoundingMode::Down;  // Budget
  int64_t scale_quantum = 1;
  int budget_param = -1;             // Budget: the parameter giving the limit (optional params allowed)
  bool prefer_highest = false;       // Exclusive: `prefer highest award`; otherwise the earliest wins
  int level_link = -1;               // Highest, Combined: index into Policy::level_links
  std::string route_to;              // Route: the policy that decides applications above the threshold
  int threshold_param = -1;          // Route: the threshold is this parameter…
  int64_t threshold = -1;            // …or this amount (fen)
  // A rule that continues across the versions of a programme: its label as each version words
  // it ("" where a version does not state the rule); empty for a policy of one document.
  std::vector<std::string> version_labels;
  bool applies_to(int item) const;
  const std::string& label_in(int version) const {
    return static_cast<size_t>(version) < version_labels.size() && !version_labels[version].empty() ? version_labels[version]
                                                                                                     : label;
  }
};

// What a policy reads of another policy (another level): the awards that policy granted under
// `items` to applications with the same values of `key_fields` (this policy's fields; the other
// policy's fields of the same names). Used by a Highest or Combined rule, or an `award of` input.
struct LevelLink {
  std::string policy;               // the other policy's name (it may or may not be decided in the run)
  std::vector<std::string> items;   // its item numbers
  std::vector<int> key_fields;      // text fields of this policy
  int rule = -1;                    // the rule that reads it, or
  int field = -1;                   // the input it fills
  Span span;
};

// What an input reads of this policy's earlier grants to the same key (`count|first|sum of earlier
// grants items … key …`): grants in the history and ledger, and — for count and first — the
// applications of the batch found eligible before it in processing order.
struct EarlierLink {
  enum class Kind : uint8_t { Count, First, Sum } kind = Kind::Count;
  std::vector<std::string> items;  // item numbers (every version's item of that number)
  std::vector<int> key_fields;
  int field = -1;                  // the input it fills
  Span span;
};

struct Validity {
  bool present = false;
  int32_t from = 0, to = 0;  // inclusive
  Duration term;
  int clause = -1;
  Span span;
};

// One version of a programme: a document (the measures, or a revision of them) and the text in
// force from a date. A policy of one document has no versions; one with revisions has one per
// document, the first being the original, and every item belongs to one of them.
struct VersionInfo {
  std::string name, title, issuer, number;  // the document: its name in Pol, 标题, 发文机关, 文号
  std::string short_title;                  // 简称, for citations ("" : the title)
  bool draft = false;                       // 征求意见稿
  int32_t in_force_from = INT32_MIN;        // applications accepted from this day are judged by it
  Validity validity;                        // clause indexes into Policy::clauses
  std::vector<std::string> notes;           // what the document says of itself (e.g. text not available)
  std::vector<std::string> amended_clauses; // clause numbers a revision amends or adds
  Span span;
};

struct Policy {
  std::string name, title, issuer;
  std::string short_title;  // 简称, for citations ("" : the title)
  std::string number;  // 文号
  bool draft = false;
  std::string level;   // district | municipal | provincial | national, or "" when the policy does not say
  Span span;
  RoundingMode rounding = RoundingMode::HalfUp;
  int64_t rounding_quantum = 1;  // fen
  std::vector<std::string> preamble;
  std::vector<EnumInfo> enums;
  std::vector<ParamInfo> params;
  std::vector<FieldInfo> fields;
  std::vector<ClauseInfo> clauses;
  std::vector<ItemInfo> items;
  std::vector<RuleInfo> rules;
  std::vector<LevelLink> level_links;
  std::vector<EarlierLink> earlier_links;
  std::vector<std::string> texts;  // text constants used by expressions
  Validity validity;
  std::vector<VersionInfo> versions;  // empty: one document
  int field_id = -1, field_enterprise = -1, field_item = -1, field_date = -1;
  int field_matter = -1;  // the field playing `role matter` (扶持事项), if any
  int32_t slot_count = 0;  // params + fields; temporaries of item programs come after

  int find_item(std::string_view number) const;
  int find_field(std::string_view name) const;
  int find_param(std::string_view name) const;
  std::string type_name(Type t) const;
  // The validity window that judges applications for `item` (its version's, or the policy's).
  const Validity& validity_of(int item) const {
    return versions.empty() ? validity : versions[items[item].version].validity;
  }
  const ClauseInfo* clause_of_item(int item) const {
    int c = items[item].clause;
    return c >= 0 ? &clauses[c] : nullptr;
  }
};

}  // namespace pol
