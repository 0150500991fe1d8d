// Typing of one expression: name resolution through a Scope, literal coercion and the
// dimension rules (money × rate → money; money + rate is an error at the operand's span).
// Used by check.cpp for item bodies, group limits, units and rules-file values.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/check/policy.h"
#include "compiler/diagnostics/diagnostic.h"

namespace pol {

// `items` as a list in the reader's language: "a, b, c" in English, "a、b、c" in Chinese (the
// items are shown as given). `items` must not be empty.
Msg list_msg(const std::vector<std::string>& items, size_t from = 0);

// What a bare name can mean where an expression is checked.
struct Scope {
  const ItemInfo* item = nullptr;       // item inputs and lets visible
  bool allow_fields = false;            // common application fields
  bool allow_params = true;
  bool allow_item_cap = false;          // `cap` in a group limit
  bool allow_optional_params = false;
  // Optional fields known to be given here (`present(x) and …`, a tier `when present(x)`): they
  // may be used bare. Anywhere else an optional field needs `x or else VALUE`.
  std::vector<int> known_present;
};

struct UnitInfo {
  std::string name;
  int64_t fen = 0;  // value of one unit in fen
  Span span;
};

class ExprChecker {
 public:
  ExprChecker(Policy& policy, const std::vector<UnitInfo>& units, Diagnostics& diags)
      : p_(policy), units_(units), diags_(diags) {}

  TExprPtr check(const ast::Expr& e, const Scope& scope);
  // Checks and converts to `want` (literals adopt it; int widens to decimal). Reports a
  // mismatch with `what` naming the construct ("the amount", "a condition").
  TExprPtr check_as(const ast::Expr& e, const Scope& scope, Type want, const char* what);
  // Converts an untyped literal (or int) to `want`; false after reporting E0206.
  bool coerce(TExprPtr& e, Type want);
  // A literal that must be a constant of type `want` (units, quota places, rules values).
  bool constant(const ast::Expr& e, Type want, int64_t* out, Duration* dur = nullptr);

  // `scope` plus the optional fields that `cond` being true (or false) proves given.
  Scope given(const ast::Expr& cond, const Scope& scope, bool when_true) const;

 private:
  // The optional field `e` names in `scope` (an optional input or common field), or -1.
  int optional_field(const ast::Expr& e, const Scope& scope) const;
  TExprPtr or_else(const ast::Expr& e, const Scope& scope);
  TExprPtr name(const ast::Expr& e, const Scope& scope);
  TExprPtr binary(const ast::Expr& e, const Scope& scope);
  TExprPtr compare(const ast::Expr& e, const Scope& scope);
  TExprPtr in(const ast::Expr& e, const Scope& scope);
  TExprPtr call(const ast::Expr& e, const Scope& scope);
  TExprPtr literal(const ast::Expr& e);
  // Resolves `e` as a member of enum `type` if it is a bare name naming one.
  TExprPtr enum_member(const ast::Expr& e, Type type, bool report);
  TExprPtr error(Span span);
  Diagnostic& mismatch(DiagCode code, Msg message, const TExpr& bad, const TExpr& other);
  Diagnostic& mismatch_labels(Diagnostic& d, const TExpr& bad, const TExpr& other);  // "this is `T`" twice
  std::vector<std::string> visible_names(const Scope& scope) const;

  Policy& p_;
  const std::vector<UnitInfo>& units_;
  Diagnostics& diags_;
  bool bare_money_ok_ = false;  // while checking a rounding step (`to 0.01`)

 public:
  // The policy header's `rounding … to 0.01` step may be a plain number (元).
  void allow_bare_money(bool on) { bare_money_ok_ = on; }
};

TExprPtr make_const(Type t, int64_t v, Span span);

}  // namespace pol
