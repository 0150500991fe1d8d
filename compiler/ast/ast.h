// The Pol abstract syntax tree: what the author wrote, with spans, before names are resolved.
// Built by compiler/parse from the ANTLR parse tree; owned by a File; read by compiler/check.
// Nodes own their children (unique_ptr); spans point into the SourceManager that parsed them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/diagnostics/source.h"
#include "values/fixed.h"

namespace pol::ast {

struct Ident {
  std::string text;
  Span span;
};

struct Str {  // a string literal, escapes already decoded
  std::string text;
  Span span;
};

enum class ExprKind : uint8_t {
  Number,     // 30, 6,000,000, 0.01 — text holds the digits (commas removed)
  Quantity,   // 600万, 3年 — text: digits, suffix: the unit
  Duration,   // 3 years — text: digits, suffix: years/months/days
  Percent,    // 30% — text: digits before '%'
  Date,       // 2025-01-10
  String,
  Bool,       // text "true"/"false"
  Name,
  Call,       // text: function name, args
  Neg,
  Not,
  Binary,     // op, args[0], args[1]
  In,         // args[0] in {args[1..]}; negated
  Round,      // args[0] rounded <mode> to args[1]
  OrElse,     // args[0] or else args[1]: the value of an optional input, or a stated default
};

enum class BinOp : uint8_t { Mul, Div, Of, Add, Sub, Lt, Le, Gt, Ge, Eq, Ne, And, Or };
const char* binop_text(BinOp op);

struct Expr {
  ExprKind kind;
  Span span;
  std::string text;
  std::string suffix;
  Span suffix_span;
  BinOp op = BinOp::Add;
  bool negated = false;
  RoundingMode mode = RoundingMode::HalfUp;
  std::vector<std::unique_ptr<Expr>> args;
};
using ExprPtr = std::unique_ptr<Expr>;

struct Tier {
  ExprPtr value;
  ExprPtr when;  // null for `otherwise`
  Str label;
  Span span;
};

// `amount` and `cap` take either one expression or a list of tiers.
struct ValueSpec {
  ExprPtr expr;
  std::vector<Tier> tiers;
  Span span;
};

struct TypeRef {
  Ident name;
};

// `award of POLICY items "6" key project`: an input the run fills with the awards another
// policy (another level) granted to the same key.
struct AwardOf {
  enum class Kind : uint8_t { Award, Count, First, Sum } kind = Kind::Award;  // Count/First/Sum: this policy's earlier grants
  Ident policy;
  std::vector<Str> items;
  std::vector<Ident> keys;
  Span span;
};

struct InputDecl {
  Ident name;
  TypeRef type;
  bool optional = false;
  bool recorded = false;  // kept with the decision though no rule reads it (no unused warning)
  std::unique_ptr<AwardOf> award_of;
  Str label;
  Span span;
};

struct LetDecl {
  Ident name;
  ExprPtr value;
  Span span;
};

struct Require {
  Ident name;
  ExprPtr cond;
  Str reason;
  Span span;
};

// `cap … relaxable [when COND] ["reason"]`: 上限可适当放宽.
struct Relax {
  ExprPtr when;  // null: whenever the cap binds
  Str reason;
  Span span;
};

struct Item {
  Str number;  // "7.1"
  Str title;
  bool discretionary = false;  // `amount discretionary "…"`: the authority sets the amount
  Str discretion;
  std::unique_ptr<Relax> relax;
  std::vector<InputDecl> inputs;
  std::vector<LetDecl> lets;
  std::vector<Require> requires_;
  std::unique_ptr<ValueSpec> amount;
  std::unique_ptr<ValueSpec> cap;
  Span span;
  Span amount_keyword, cap_keyword;
};

enum class PortfolioKind : uint8_t { Group, Quota, Once, Series, Exclusive, Budget, Highest, Combined, Route };
const char* portfolio_kind_text(PortfolioKind k);

enum class PropKind : uint8_t { Items, Limit, Per, Places, Rank, Key, Supports, Within, Prefer, Scale, With, Above, To, FirstCome, Consecutive };
const char* prop_kind_text(PropKind k);

struct PortfolioProp {
  PropKind kind;
  Span span;
  std::vector<Str> items;      // Items; With: the other policy's items
  std::vector<Ident> names;    // Per (1), Rank (1), Key (n), With (1: the policy), To (1)
  ExprPtr value;               // Limit, Places, Supports, Within, Scale quantum, Above
  bool descending = true;      // Rank
  RoundingMode mode = RoundingMode::Down;  // Scale
};

struct PortfolioDecl {
  PortfolioKind kind;
  Ident name;
  Str label;
  std::vector<PortfolioProp> props;
  Span span;
  std::string clause;  // number of the enclosing clause, empty at top level
};

struct Validity {
  Str from_text;  // the date literal
  ExprPtr duration;  // `for 3 years`…
  Str to_text;       // …or `to 2029-06-28` (inclusive)
  Span span;
};

// `require NAME [for items "1", "2" | for part 二]: COND else "…"` in a clause: a condition of every
// item it names (all items of the policy when it names none).
struct SharedRequire {
  Require req;
  std::vector<Str> items;
  Ident part;
};

struct Clause {
  Ident number;     // 二十一
  Str title;
  std::vector<Str> leads;
  std::vector<Str> text;   // paragraphs, joined when shown
  std::vector<Item> items;
  std::vector<std::unique_ptr<Validity>> validity;
  std::vector<SharedRequire> requires_;  // conditions it states for many items
  std::string part;        // number of the enclosing part, if any
  Span span;
};

struct Part {
  Ident number;
  Str title;
  Span span;
};

struct Parameter {
  Ident name;
  TypeRef type;
  bool optional = false;
  Str label;
  Span span;
};

struct EnumMember {
  Ident name;
  Str label;
  bool otherwise = false;  // unlisted values of an application are read as this member
};

struct EnumDecl {
  Ident name;
  Str label;
  std::vector<EnumMember> members;
  Span span;
};

struct UnitDecl {
  Ident name;
  ExprPtr value;
  Span span;
};

struct FieldDecl {
  Ident name;
  TypeRef type;
  bool optional = false;
  Str label;
  Span span;
  Ident role;          // `role applicant`: empty text when the field plays no role
  Span optional_word;  // where `optional` is written, when it is
};

struct PolicyHeader {
  Ident name;
  Str title;
  Str short_title;         // 简称: how citations name the document (default: the title)
  Str issuer;
  Str number;              // 文号
  Ident status;            // final | draft (empty: final)
  std::vector<Str> notes;
  Str effective;           // revisions: the day it takes effect
  Ident base;              // revisions: the policy it amends
  Ident level;             // district | municipal | provincial | national (区级 …); empty: not said
  bool has_rounding = false;
  RoundingMode rounding = RoundingMode::HalfUp;
  ExprPtr rounding_quantum;
  Span span;
};

struct RuleSet {
  Ident name;
  ExprPtr value;
  Span span;
};

struct RulesDecl {
  Ident policy;
  std::vector<RuleSet> sets;
  Span span;
};

// ---- clause-behaviour tests ----
struct TestRecord {
  Str id;
  std::vector<std::pair<Ident, ExprPtr>> fields;
  Span span;
};

enum class ExpectKind : uint8_t {
  Eligible, Ineligible, Award, Error, Failed, Passed, Bound, NotBound, Rank, Tier, Discretionary, Ceiling, Relaxable
};

struct Expectation {
  ExpectKind kind;
  ExprPtr value;   // Award, Rank
  Ident name;      // Error (code, may be empty), Failed, Passed, Bound, NotBound
  Str label;       // Tier
  Span span;
};

struct TestExpect {
  Str target;  // application id
  std::vector<Expectation> expectations;
  Span span;
};

struct TestCase {
  Str name;
  std::vector<RuleSet> sets;
  std::vector<TestRecord> history;
  std::vector<TestRecord> applications;
  std::vector<TestExpect> expects;
  Span span;
};

struct TestsHeader {
  Str policy;
  std::vector<Str> revisions;
  std::vector<Str> rules;
  Span span;
};

// `amend clause 二 { … }` in a revision: what it replaces or adds in the clause of that number.
struct ClauseAmendment {
  Ident number;
  Str title;                // empty: unchanged
  std::vector<Str> leads;   // with has_leads: replaced
  bool has_leads = false;
  std::vector<Str> text;    // non-empty: replaced
  std::vector<Item> items;  // replace the item of the same number, or added
  std::vector<Item> item_amendments;  // `amend item`: statements replaced by name (amount, cap: whole)
  std::vector<Str> repealed_items;
  std::vector<Ident> repealed_rules;
  std::vector<SharedRequire> requires_;  // replace the condition of the same name, or added
  std::vector<PortfolioDecl> rules;  // replace the rule of the same name, or added
  std::vector<std::unique_ptr<Validity>> validity;
  Span span;
};

struct Import {
  Str path;
  Span span;
};

// One source file. A policy file has a header; a rules file has a `rules for` block;
// a stdlib file has neither.
struct File {
  uint32_t file_id = 0;
  // A `--set NAME=VALUE` given on the command line: its value is data, read like an
  // application's field (money in 元), not policy text (where money needs its unit).
  bool command_line = false;
  std::vector<Import> imports;
  std::unique_ptr<PolicyHeader> policy;
  std::unique_ptr<PolicyHeader> revision;  // a revision document (its header; base names the policy)
  std::vector<ClauseAmendment> amendments;
  std::vector<Ident> repealed_clauses;
  std::vector<RulesDecl> rules;
  std::vector<Parameter> parameters;
  std::vector<EnumDecl> enums;
  std::vector<UnitDecl> units;
  std::vector<FieldDecl> fields;
  std::vector<Str> preamble;
  std::vector<Part> parts;
  std::vector<Clause> clauses;
  std::vector<PortfolioDecl> portfolio;
  std::unique_ptr<TestsHeader> tests_for;
  std::vector<TestCase> tests;
};

// Prints the tree in a stable, indented form for `polc check --dump-ast`.
std::string dump(const File& file);
std::string expr_to_string(const Expr& e);

}  // namespace pol::ast
