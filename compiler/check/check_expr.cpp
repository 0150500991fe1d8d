#include "compiler/check/check_expr.h"

#include <algorithm>

#include "compiler/diagnostics/messages_check.h"
#include "compiler/diagnostics/suggest.h"

namespace pol {

Msg list_msg(const std::vector<std::string>& items, size_t from) {
  if (from + 1 >= items.size()) return msg(CheckMsg::ListOne, {{"item", items.empty() ? "" : items.back()}});
  return msg(CheckMsg::ListMore, {{"item", items[from]}, nested("rest", list_msg(items, from + 1))});
}

TExprPtr make_const(Type t, int64_t v, Span span) {
  auto e = std::make_unique<TExpr>();
  e->op = TOp::Const;
  e->type = t;
  e->value = v;
  e->span = span;
  return e;
}

TExprPtr ExprChecker::error(Span span) { return make_const(T(Ty::Error), 0, span); }

static int scale_digits(Ty t) {
  switch (t) {
    case Ty::Money: return 2;
    case Ty::Rate: case Ty::Decimal: return 6;
    default: return 0;
  }
}

// "`12.345` has too many decimal places": the sentence for a literal that parse_decimal refused.
static CheckMsg literal_error(DecimalError err) {
  switch (err) {
    case DecimalError::Empty: return CheckMsg::LiteralIsEmpty;
    case DecimalError::Negative: return CheckMsg::LiteralNegative;
    case DecimalError::TooPrecise: return CheckMsg::LiteralTooPrecise;
    case DecimalError::Overflow: return CheckMsg::LiteralTooLarge;
    default: return CheckMsg::LiteralNotDecimal;
  }
}

// The same for a percentage: "invalid percentage: is too large".
static CheckMsg percent_error(DecimalError err) {
  switch (err) {
    case DecimalError::Empty: return CheckMsg::PercentEmpty;
    case DecimalError::Negative: return CheckMsg::PercentNegative;
    case DecimalError::TooPrecise: return CheckMsg::PercentTooPrecise;
    case DecimalError::Overflow: return CheckMsg::PercentTooLarge;
    default: return CheckMsg::PercentNotDecimal;
  }
}

static bool is_zero_literal(const std::string& s) {
  for (char c : s)
    if (c != '0' && c != '.' && c != ',') return false;
  return !s.empty();
}

bool ExprChecker::coerce(TExprPtr& e, Type want) {
  if (e->type.ty == Ty::Error || want.ty == Ty::Error) return true;
  if (e->type == want) return true;
  if (e->type.ty == Ty::Number && (want.ty == Ty::Money || want.ty == Ty::Rate) && !bare_money_ok_ &&
      !is_zero_literal(e->literal)) {
    // `cap 30` is 30 元 or 30万? `× 30` is 30 times or 30%? A number that means money or a
    // rate says which with its unit; only 0 means the same in every unit.
    bool money = want.ty == Ty::Money;
    diags_.report(DiagCode::E0209, e->span,
                  msg(money ? MsgId::PlainNumberForMoney : MsgId::PlainNumberForRate, {{"literal", e->literal}}))
        .with_label(msg(money ? MsgId::WhichUnit : MsgId::ShareNeedsPercent))
        .with_help(msg(money ? MsgId::WriteTheUnit : MsgId::WriteAsPercentage, {{"literal", e->literal}}));
    e->type = T(Ty::Error);
    return true;
  }
  if (e->type.ty == Ty::Number && (want.ty == Ty::Money || want.ty == Ty::Rate || want.ty == Ty::Int ||
                                   want.ty == Ty::Decimal)) {
    int64_t v = 0;
    DecimalError err = parse_decimal(e->literal, scale_digits(want.ty), false, &v);
    if (err != DecimalError::None) {
      CheckMsg why = err != DecimalError::TooPrecise ? literal_error(err)
                     : want.ty == Ty::Int                ? CheckMsg::LiteralNotWhole
                                                         : CheckMsg::LiteralMorePlacesThanType;
      auto& d = diags_.report(DiagCode::E0206, e->span, msg(why, {{"literal", e->literal}, term("type", ty_name(want.ty))}));
      d.with_label(msg(CheckMsg::ExpectedTypeHere, {term("type", ty_name(want.ty))}));
      if (want.ty == Ty::Money) d.with_help(msg(CheckMsg::MoneyAtMostTwoPlaces));
      e->type = T(Ty::Error);
      return true;  // reported here; the Error type silences the callers
    }
    e->type = want;
    e->value = v;
    return true;
  }
  if (e->type.ty == Ty::Int && want.ty == Ty::Decimal) {
    auto w = std::make_unique<TExpr>();
    w->op = TOp::IntToDecimal;
    w->type = want;
    w->span = e->span;
    w->args.push_back(std::move(e));
    e = std::move(w);
    return true;
  }
  return false;
}

TExprPtr ExprChecker::check_as(const ast::Expr& ae, const Scope& scope, Type want, const char* what) {
  TExprPtr e = check(ae, scope);
  if (e->type.ty == Ty::Error) return e;
  if (!coerce(e, want)) {
    DiagCode code = want.ty == Ty::Bool ? DiagCode::E0201 : want.ty == Ty::Money ? DiagCode::E0203 : DiagCode::E0200;
    auto& d = diags_.report(code, e->span,
                            msg(MsgId::MustBeFound, {term("what", what), term("want", p_.type_name(want)),
                                                     term("found", p_.type_name(e->type))}));
    d.with_label(msg(MsgId::ThisIsType, {term("type", p_.type_name(e->type))}));
    if (want.ty == Ty::Money && e->type.ty == Ty::Rate) d.with_help(msg(MsgId::ApplyRateToAmount));
    return error(e->span);
  }
  return e;
}

bool ExprChecker::constant(const ast::Expr& ae, Type want, int64_t* out, Duration* dur) {
  Scope none;
  none.allow_params = false;
  TExprPtr e = check(ae, none);
  if (e->type.ty == Ty::Error) return false;
  bool converted = coerce(e, want);
  if (e->type.ty == Ty::Error) return false;
  if (!converted || e->op != TOp::Const) {
    diags_.report(DiagCode::E0206, e->span,
                  msg(MsgId::ExpectedConstant, {term("want", p_.type_name(want)), term("found", p_.type_name(e->type))}))
        .with_label(msg(MsgId::NotAConstantOfThisType));
    return false;
  }
  if (e->type.ty == Ty::Error) return false;
  *out = e->value;
  if (dur) *dur = e->duration;
  return true;
}

static bool duration_suffix(const std::string& s, Duration* d, int64_t n) {
  if (s == "year" || s == "years" || s == "年") d->years = static_cast<int32_t>(n);
  else if (s == "month" || s == "months" || s == "个月" || s == "月") d->months = static_cast<int32_t>(n);
  else if (s == "day" || s == "days" || s == "日" || s == "天") d->days = static_cast<int32_t>(n);
  else return false;
  return true;
}

TExprPtr ExprChecker::literal(const ast::Expr& e) {
  auto t = std::make_unique<TExpr>();
  t->op = TOp::Const;
  t->span = e.span;
  switch (e.kind) {
    case ast::ExprKind::Number:
      t->type = T(Ty::Number);
      t->literal = e.text;
      return t;
    case ast::ExprKind::Percent: {
      int64_t v = 0;
      // 30% == 300000 ppm: the digits are read at 4 decimal places of percent.
      DecimalError err = parse_decimal(e.text, 4, false, &v);
      if (err != DecimalError::None) {
        diags_.report(DiagCode::E0004, e.span, msg(percent_error(err))).with_help(msg(CheckMsg::PercentAtMostFourPlaces));
        return error(e.span);
      }
      t->type = T(Ty::Rate);
      t->value = v;
      return t;
    }
    case ast::ExprKind::Date: {
      int32_t d = 0;
      if (!parse_date(e.text, &d)) {
        diags_.report(DiagCode::E0004, e.span, msg(CheckMsg::NotACalendarDate, {{"date", e.text}}));
        return error(e.span);
      }
      t->type = T(Ty::Date);
      t->value = d;
      return t;
    }
    case ast::ExprKind::String: {
      t->type = T(Ty::Text);
      t->value = static_cast<int64_t>(p_.texts.size());
      p_.texts.push_back(e.text);
      return t;
    }
    case ast::ExprKind::Bool:
      t->type = T(Ty::Bool);
      t->value = e.text == "true" ? 1 : 0;
      return t;
    case ast::ExprKind::Duration:
    case ast::ExprKind::Quantity: {
      Duration d;
      int64_t n = 0;
      if (duration_suffix(e.suffix, &d, 1)) {
        if (parse_decimal(e.text, 0, false, &n) != DecimalError::None || n > 10000) {
          diags_.report(DiagCode::E0004, e.span, msg(CheckMsg::DurationWholeNumber));
          return error(e.span);
        }
        duration_suffix(e.suffix, &d, n);
        t->type = T(Ty::Duration);
        t->duration = d;
        return t;
      }
      for (const auto& u : units_) {
        if (u.name != e.suffix) continue;
        int64_t micro = 0;
        DecimalError err = parse_decimal(e.text, 6, false, &micro);
        __int128 fen6 = static_cast<__int128>(micro) * u.fen;  // fen × 1e6
        if (err != DecimalError::None || fen6 % 1000000 != 0 || fen6 / 1000000 > INT64_MAX) {
          diags_.report(DiagCode::E0206, e.span, msg(MsgId::NotWholeFen, {{"literal", e.text + e.suffix}}))
              .with_label(msg(MsgId::MoneyHasFenPrecision));
          return error(e.span);
        }
        t->type = T(Ty::Money);
        t->value = static_cast<int64_t>(fen6 / 1000000);
        return t;
      }
      std::vector<std::string> names;
      for (const auto& u : units_) names.push_back(u.name);
      for (const char* s : {"years", "months", "days", "年", "个月", "天"}) names.emplace_back(s);
      auto& d2 = diags_.report(DiagCode::E0102, e.suffix_span, msg(MsgId::UnknownUnit, {{"unit", e.suffix}}));
      if (auto s = did_you_mean(e.suffix, names)) d2.with_help(msg(MsgId::DidYouMean, {{"name", *s}}));
      else d2.with_help(msg(MsgId::UnitsAreDeclared));
      return error(e.span);
    }
    default:
      return error(e.span);
  }
}

std::vector<std::string> ExprChecker::visible_names(const Scope& scope) const {
  std::vector<std::string> out;
  if (scope.item) {
    for (const auto& in : scope.item->inputs) out.push_back(p_.fields[in.field].name);
    for (const auto& l : scope.item->lets) out.push_back(l.name);
  }
  if (scope.allow_fields || scope.item)
    for (const auto& f : p_.fields)
      if (f.common) out.push_back(f.name);
  if (scope.allow_params)
    for (const auto& pr : p_.params) out.push_back(pr.name);
  if (scope.allow_item_cap) out.emplace_back("cap");
  return out;
}

int ExprChecker::optional_field(const ast::Expr& e, const Scope& scope) const {
  if (e.kind != ast::ExprKind::Name) return -1;
  if (scope.item) {
    for (const auto& l : scope.item->lets)
      if (l.name == e.text) return -1;
    for (const auto& in : scope.item->inputs)
      if (p_.fields[in.field].name == e.text) return in.optional || p_.fields[in.field].optional ? in.field : -1;
  }
  if (scope.allow_fields || scope.item)
    for (size_t f = 0; f < p_.fields.size(); ++f)
      if (p_.fields[f].common && p_.fields[f].name == e.text) return p_.fields[f].optional ? static_cast<int>(f) : -1;
  return -1;
}

static bool is_present_call(const ast::Expr& e) {
  return e.kind == ast::ExprKind::Call && (e.text == "present" || e.text == "已填写") && e.args.size() == 1;
}

Scope ExprChecker::given(const ast::Expr& cond, const Scope& scope, bool when_true) const {
  Scope s = scope;
  if (when_true && is_present_call(cond)) {
    int f = optional_field(*cond.args[0], scope);
    if (f >= 0) s.known_present.push_back(f);
  } else if (cond.kind == ast::ExprKind::Not) {
    return given(*cond.args[0], scope, !when_true);
  } else if (cond.kind == ast::ExprKind::Binary &&
             ((when_true && cond.op == ast::BinOp::And) || (!when_true && cond.op == ast::BinOp::Or))) {
    s = given(*cond.args[0], s, when_true);
    s = given(*cond.args[1], s, when_true);
  }
  return s;
}

// `x or else VALUE`: the optional field's value when the application gives it, VALUE otherwise.
TExprPtr ExprChecker::or_else(const ast::Expr& e, const Scope& scope) {
  int f = optional_field(*e.args[0], scope);
  if (f < 0) {
    TExprPtr a = check(*e.args[0], scope);
    if (a->type.ty == Ty::Error) return error(e.span);
    diags_.report(DiagCode::E0208, e.args[0]->span, msg(CheckMsg::OrElseNeedsOptional))
        .with_label(msg(CheckMsg::AlwaysHasValue))
        .with_help(msg(CheckMsg::RemoveOrElse));
    return error(e.span);
  }
  const FieldInfo& fi = p_.fields[f];
  TExprPtr dflt = enum_member(*e.args[1], fi.type, false);  // `level or else 省级`
  if (!dflt) dflt = check(*e.args[1], scope);
  if (dflt->type.ty == Ty::Error) return error(e.span);
  if (dflt->type.ty == Ty::Number || (dflt->type.ty == Ty::Int && fi.type.ty == Ty::Decimal)) coerce(dflt, fi.type);
  if (dflt->type.ty == Ty::Error) return error(e.span);
  if (dflt->type != fi.type) {
    diags_.report(DiagCode::E0202, dflt->span,
                  msg(CheckMsg::OrElseValueType, {{"name", fi.name}, term("want", p_.type_name(fi.type)),
                                                  term("found", p_.type_name(dflt->type))}))
        .with_label(msg(MsgId::ThisIsType, {term("type", p_.type_name(dflt->type))}));
    return error(e.span);
  }
  auto field = std::make_unique<TExpr>();
  field->op = TOp::Slot;
  field->type = fi.type;
  field->slot = fi.slot;
  field->span = e.args[0]->span;
  auto t = std::make_unique<TExpr>();
  t->op = TOp::OrElse;
  t->type = fi.type;
  t->span = e.span;
  t->slot = fi.present_slot;
  t->args.push_back(std::move(field));
  t->args.push_back(std::move(dflt));
  return t;
}

TExprPtr ExprChecker::name(const ast::Expr& e, const Scope& scope) {
  // An optional field read bare would need a value the application did not give: the author
  // says what its absence means, or tests `present(x)` first.
  int opt = optional_field(e, scope);
  if (opt >= 0 && std::find(scope.known_present.begin(), scope.known_present.end(), opt) == scope.known_present.end()) {
    const FieldInfo& fi = p_.fields[opt];
    const char* value = fi.type.ty == Ty::Money ? "0元" : fi.type.ty == Ty::Bool ? "false" : nullptr;
    diags_.report(DiagCode::E0207, e.span, msg(CheckMsg::OptionalSayAbsence, {{"name", e.text}}))
        .with_label(msg(CheckMsg::MayBeMissing))
        .with_help(value ? msg(CheckMsg::WriteOrElse, {{"name", e.text}, {"value", value}})
                         : msg(CheckMsg::WriteOrElseValue, {{"name", e.text}}));
    return error(e.span);
  }
  auto slot = [&](Type t, int32_t s) {
    auto x = std::make_unique<TExpr>();
    x->op = TOp::Slot;
    x->type = t;
    x->slot = s;
    x->span = e.span;
    return x;
  };
  if (scope.item) {
    for (const auto& l : scope.item->lets)
      if (l.name == e.text) return slot(l.value ? l.value->type : T(Ty::Error), l.slot);
    for (const auto& in : scope.item->inputs) {
      const auto& f = p_.fields[in.field];
      if (f.name == e.text) return slot(f.type, f.slot);
    }
  }
  if (scope.allow_fields || scope.item)
    for (const auto& f : p_.fields)
      if (f.common && f.name == e.text) return slot(f.type, f.slot);
  if (scope.allow_params)
    for (const auto& pr : p_.params)
      if (pr.name == e.text) {
        if (pr.optional && !scope.allow_optional_params) {
          diags_.report(DiagCode::E0106, e.span, msg(MsgId::OptionalParameterInExpression, {{"name", pr.name}}))
              .note(pr.span, msg(MsgId::DeclaredOptionalHere))
              .with_help(msg(MsgId::OptionalParametersOnlyBudget));
          return error(e.span);
        }
        return slot(pr.type, pr.slot);
      }
  if (scope.allow_item_cap && e.text == "cap") {
    auto x = std::make_unique<TExpr>();
    x->op = TOp::ItemCap;
    x->type = T(Ty::Money);
    x->span = e.span;
    return x;
  }
  // A field that exists but belongs to another item is a common slip: say so.
  auto& d = diags_.report(DiagCode::E0100, e.span, msg(MsgId::UnknownName, {{"name", e.text}}));
  if (auto s = did_you_mean(e.text, visible_names(scope))) d.with_help(msg(MsgId::DidYouMean, {{"name", *s}}));
  else if (p_.find_field(e.text) >= 0) d.with_help(msg(MsgId::InputOfAnotherItem, {{"name", e.text}}));
  for (const auto& en : p_.enums)
    for (const auto& m : en.members)
      if (m == e.text) {
        d.note(en.span, msg(MsgId::IsEnumMember, {{"name", e.text}, {"enum", en.name}}));
        return error(e.span);
      }
  return error(e.span);
}

TExprPtr ExprChecker::enum_member(const ast::Expr& e, Type type, bool report) {
  if (e.kind != ast::ExprKind::Name || type.ty != Ty::Enum) return nullptr;
  const auto& en = p_.enums[type.enum_id];
  for (size_t i = 0; i < en.members.size(); ++i)
    if (en.members[i] == e.text) return make_const(type, static_cast<int64_t>(i), e.span);
  if (!report) return nullptr;
  auto& d = diags_.report(DiagCode::E0103, e.span, msg(MsgId::NotEnumMember, {{"name", e.text}, {"enum", en.name}}));
  if (auto s = did_you_mean(e.text, en.members)) d.with_help(msg(MsgId::DidYouMean, {{"name", *s}}));
  d.note(en.span, msg(MsgId::EnumHasMembers, {{"enum", en.name}, nested("members", list_msg(en.members))}));
  return error(e.span);
}

Diagnostic& ExprChecker::mismatch(DiagCode code, Msg message, const TExpr& bad, const TExpr& other) {
  return mismatch_labels(diags_.report(code, bad.span, std::move(message)), bad, other);
}

Diagnostic& ExprChecker::mismatch_labels(Diagnostic& d, const TExpr& bad, const TExpr& other) {
  d.with_label(msg(MsgId::ThisIsType, {term("type", p_.type_name(bad.type))}));
  d.note(other.span, msg(MsgId::ThisIsType, {term("type", p_.type_name(other.type))}));
  return d;
}

// Result type of a binary arithmetic operator, or Error when the dimensions do not combine.
static Ty arith(ast::BinOp op, Ty a, Ty b) {
  auto is = [&](Ty x, Ty y) { return (a == x && b == y) || (a == y && b == x); };
  switch (op) {
    case ast::BinOp::Add:
    case ast::BinOp::Sub:
      if (a == b && (a == Ty::Money || a == Ty::Rate || a == Ty::Int || a == Ty::Decimal)) return a;
      if (is(Ty::Int, Ty::Decimal)) return Ty::Decimal;
      if (a == Ty::Date && b == Ty::Duration) return Ty::Date;
      return Ty::Error;
    case ast::BinOp::Of:
      if (a == Ty::Rate && (b == Ty::Money || b == Ty::Rate)) return b;
      return Ty::Error;
    case ast::BinOp::Mul:
      if (is(Ty::Rate, Ty::Money) || is(Ty::Money, Ty::Int) || is(Ty::Money, Ty::Decimal)) return Ty::Money;
      if (a == Ty::Int && b == Ty::Int) return Ty::Int;
      if (is(Ty::Decimal, Ty::Int) || (a == Ty::Decimal && b == Ty::Decimal)) return Ty::Decimal;
      if ((a == Ty::Rate && b == Ty::Rate) || is(Ty::Rate, Ty::Int)) return Ty::Rate;
      return Ty::Error;
    case ast::BinOp::Div:
      if (a == Ty::Money && b == Ty::Money) return Ty::Rate;
      if (a == Ty::Money && (b == Ty::Int || b == Ty::Decimal)) return Ty::Money;
      if ((a == Ty::Int || a == Ty::Decimal) && (b == Ty::Int || b == Ty::Decimal)) return Ty::Decimal;
      if (a == Ty::Rate && b == Ty::Int) return Ty::Rate;
      return Ty::Error;
    default:
      return Ty::Error;
  }
}

static const char* op_verb(ast::BinOp op) {
  switch (op) {
    case ast::BinOp::Add: return "add";
    case ast::BinOp::Sub: return "subtract";
    case ast::BinOp::Mul: case ast::BinOp::Of: return "multiply";
    case ast::BinOp::Div: return "divide";
    default: return "combine";
  }
}

TExprPtr ExprChecker::binary(const ast::Expr& e, const Scope& scope) {
  TExprPtr a = check(*e.args[0], scope);
  TExprPtr b = check(*e.args[1], scope);
  if (a->type.ty == Ty::Error || b->type.ty == Ty::Error) return error(e.span);
  // Unsuffixed literals take their type from the other side; in products they are counts or factors.
  bool product = e.op == ast::BinOp::Mul || e.op == ast::BinOp::Div || e.op == ast::BinOp::Of;
  auto literal_type = [&](const TExprPtr& lit, const TExprPtr& other) -> Type {
    if (product || other->type.ty == Ty::Number || !is_numeric(other->type.ty))
      return T(lit->literal.find('.') == std::string::npos ? Ty::Int : Ty::Decimal);
    return other->type;
  };
  if (a->type.ty == Ty::Number && b->type.ty == Ty::Number) {
    coerce(a, T(a->literal.find('.') == std::string::npos && b->literal.find('.') == std::string::npos &&
                        e.op != ast::BinOp::Div ? Ty::Int : Ty::Decimal));
    coerce(b, a->type);
  } else if (a->type.ty == Ty::Number || b->type.ty == Ty::Number) {
    TExprPtr& lit = a->type.ty == Ty::Number ? a : b;
    const TExprPtr& other = a->type.ty == Ty::Number ? b : a;
    // `fee × 30` multiplies by thirty, not 30%: a plain factor of money or a rate is refused
    // (a divisor, `÷ 2`, is a count and stays plain).
    bool divisor = e.op == ast::BinOp::Div && &lit == &b;
    if ((e.op == ast::BinOp::Mul || e.op == ast::BinOp::Of) && (other->type.ty == Ty::Money || other->type.ty == Ty::Rate) &&
        !divisor && !is_zero_literal(lit->literal)) {
      diags_.report(DiagCode::E0209, lit->span,
                    msg(MsgId::PlainNumberMultiplying, {{"literal", lit->literal}, term("type", p_.type_name(other->type))}))
          .with_label(msg(MsgId::ShareOrCount))
          .with_help(msg(MsgId::ShareIsWrittenWithPercent, {{"literal", lit->literal}}));
      return error(e.span);
    }
    coerce(lit, literal_type(lit, other));
  }
  if (a->type.ty == Ty::Error || b->type.ty == Ty::Error) return error(e.span);
  Ty r = arith(e.op, a->type.ty, b->type.ty);
  if (r == Ty::Error) {
    Msg message = e.op == ast::BinOp::Of
                      ? msg(MsgId::OfTakesRateAndAmount,
                            {term("left", p_.type_name(a->type)), term("right", p_.type_name(b->type))})
                      : msg(MsgId::CannotCombine, {term("verb", op_verb(e.op)), term("left", p_.type_name(a->type)),
                                                   term("right", p_.type_name(b->type))});
    // Point at the operand that does not fit: with a money left side, the right one.
    bool blame_right = a->type.ty == Ty::Money || a->type.ty == Ty::Date || e.op == ast::BinOp::Of ? b->type.ty != Ty::Money : true;
    if (e.op == ast::BinOp::Of && a->type.ty != Ty::Rate) blame_right = false;
    auto& d = mismatch(DiagCode::E0200, std::move(message), blame_right ? *b : *a, blame_right ? *a : *b);
    if ((e.op == ast::BinOp::Add || e.op == ast::BinOp::Sub) &&
        ((a->type.ty == Ty::Money && b->type.ty == Ty::Rate) || (a->type.ty == Ty::Rate && b->type.ty == Ty::Money)))
      {
        const ast::Expr& money_side = a->type.ty == Ty::Money ? *e.args[0] : *e.args[1];
        const ast::Expr& rate_side = a->type.ty == Ty::Money ? *e.args[1] : *e.args[0];
        std::string m = ast::expr_to_string(money_side), r = ast::expr_to_string(rate_side);
        d.with_help(msg(CheckMsg::WriteOutShare, {{"money", m}, {"op", e.op == ast::BinOp::Sub ? "-" : "+"}, {"rate", r}}));
      }
    if (e.op == ast::BinOp::Mul && a->type.ty == Ty::Money && b->type.ty == Ty::Money)
      d.with_help(msg(CheckMsg::MoneyTimesMoney));
    return error(e.span);
  }
  // int widens to decimal where the result is decimal
  if (r == Ty::Decimal) {
    if (a->type.ty == Ty::Int && b->type.ty == Ty::Decimal) coerce(a, T(Ty::Decimal));
    if (b->type.ty == Ty::Int && a->type.ty == Ty::Decimal) coerce(b, T(Ty::Decimal));
  }
  auto t = std::make_unique<TExpr>();
  t->op = e.op == ast::BinOp::Add ? TOp::Add : e.op == ast::BinOp::Sub ? TOp::Sub
        : e.op == ast::BinOp::Div ? TOp::Div : TOp::Mul;
  if (a->type.ty == Ty::Date) t->op = TOp::AddDuration;
  // A duration parameter (`startup_max_age`, set by the implementing rules) is added from its
  // slot; a literal (`3 years`) is packed into the instruction.
  if (t->op == TOp::AddDuration && b->op != TOp::Const) {
    t->negated = e.op == ast::BinOp::Sub;
  } else if (t->op == TOp::AddDuration) {
    t->duration = b->duration;
    if (e.op == ast::BinOp::Sub) {
      t->duration.years = -t->duration.years;
      t->duration.months = -t->duration.months;
      t->duration.days = -t->duration.days;
    }
  }
  t->type = T(r);
  t->span = e.span;
  t->mode = p_.rounding;
  t->quantum = p_.rounding_quantum;
  t->args.push_back(std::move(a));
  t->args.push_back(std::move(b));
  return t;
}

TExprPtr ExprChecker::compare(const ast::Expr& e, const Scope& scope) {
  TExprPtr a = check(*e.args[0], scope);
  if (a->type.ty == Ty::Error) return error(e.span);
  TExprPtr b = enum_member(*e.args[1], a->type, false);
  if (!b) {
    if (a->type.ty == Ty::Enum && e.args[1]->kind == ast::ExprKind::Name) {
      // A bare name beside an enum is read as a member when it is not a variable.
      Scope probe = scope;
      bool is_variable = false;
      for (const auto& n : visible_names(probe)) is_variable |= n == e.args[1]->text;
      b = is_variable ? check(*e.args[1], scope) : enum_member(*e.args[1], a->type, true);
    } else {
      b = check(*e.args[1], scope);
    }
  }
  if (b->type.ty == Ty::Error) return error(e.span);
  if (a->type.ty == Ty::Number && b->type.ty == Ty::Number) {
    coerce(a, T(Ty::Decimal));
    coerce(b, T(Ty::Decimal));
  } else if (a->type.ty == Ty::Number) {
    coerce(a, is_numeric(b->type.ty) ? b->type : T(Ty::Decimal));
  } else if (b->type.ty == Ty::Number) {
    coerce(b, is_numeric(a->type.ty) ? a->type : T(Ty::Decimal));
  }
  if (a->type.ty == Ty::Int && b->type.ty == Ty::Decimal) coerce(a, T(Ty::Decimal));
  if (b->type.ty == Ty::Int && a->type.ty == Ty::Decimal) coerce(b, T(Ty::Decimal));
  if (a->type.ty == Ty::Error || b->type.ty == Ty::Error) return error(e.span);
  CmpOp op = e.op == ast::BinOp::Lt ? CmpOp::Lt : e.op == ast::BinOp::Le ? CmpOp::Le
           : e.op == ast::BinOp::Gt ? CmpOp::Gt : e.op == ast::BinOp::Ge ? CmpOp::Ge
           : e.op == ast::BinOp::Ne ? CmpOp::Ne : CmpOp::Eq;
  if (a->type != b->type) {
    mismatch(DiagCode::E0202,
             msg(MsgId::CannotCompare, {term("left", p_.type_name(a->type)), term("right", p_.type_name(b->type))}), *b,
             *a);
    return error(e.span);
  }
  bool ordered = op == CmpOp::Eq || op == CmpOp::Ne || is_numeric(a->type.ty) || a->type.ty == Ty::Date;
  if (!ordered) {
    auto& d = diags_.report(DiagCode::E0202, e.span, msg(MsgId::NoOrder, {term("type", p_.type_name(a->type))}));
    d.with_help(msg(CheckMsg::CompareWithEquals));
    return error(e.span);
  }
  auto t = std::make_unique<TExpr>();
  t->op = TOp::Cmp;
  t->cmp = op;
  t->type = T(Ty::Bool);
  t->span = e.span;
  t->args.push_back(std::move(a));
  t->args.push_back(std::move(b));
  return t;
}

TExprPtr ExprChecker::in(const ast::Expr& e, const Scope& scope) {
  TExprPtr a = check(*e.args[0], scope);
  if (a->type.ty == Ty::Error) return error(e.span);
  if (a->type.ty == Ty::Number) coerce(a, T(Ty::Decimal));
  auto t = std::make_unique<TExpr>();
  t->op = TOp::In;
  t->type = T(Ty::Bool);
  t->span = e.span;
  t->negated = e.negated;
  bool bad = false;
  std::vector<TExprPtr> elems;
  for (size_t i = 1; i < e.args.size(); ++i) {
    TExprPtr x = a->type.ty == Ty::Enum ? enum_member(*e.args[i], a->type, e.args[i]->kind == ast::ExprKind::Name)
                                        : nullptr;
    if (!x) x = check(*e.args[i], scope);
    if (x->type.ty == Ty::Error) {
      bad = true;
      continue;
    }
    coerce(x, a->type);
    if (x->type.ty != Ty::Error && x->type != a->type) {
      mismatch(DiagCode::E0202,
               msg(MsgId::CannotCompare, {term("left", p_.type_name(a->type)), term("right", p_.type_name(x->type))}),
               *x, *a);
      bad = true;
      continue;
    }
    elems.push_back(std::move(x));
  }
  if (bad) return error(e.span);
  t->args.push_back(std::move(a));
  for (auto& x : elems) t->args.push_back(std::move(x));
  return t;
}

TExprPtr ExprChecker::call(const ast::Expr& e, const Scope& scope) {
  if (e.text == "present" || e.text == "已填写") {
    int f = e.args.size() == 1 ? optional_field(*e.args[0], scope) : -1;
    if (f < 0) {
      diags_.report(DiagCode::E0208, e.span, msg(CheckMsg::PresentTakesOptional, {{"name", e.text}}))
          .with_help(msg(CheckMsg::OnlyOptionalCanBeMissing));
      return error(e.span);
    }
    auto t = std::make_unique<TExpr>();
    t->op = TOp::Present;
    t->type = T(Ty::Bool);
    t->span = e.span;
    t->slot = p_.fields[f].present_slot;
    t->value = p_.fields[f].slot;  // the field itself, for "is this input used"
    return t;
  }
  std::vector<TExprPtr> args;
  for (const auto& a : e.args) {
    args.push_back(check(*a, scope));
    if (args.back()->type.ty == Ty::Error) return error(e.span);
  }
  auto t = std::make_unique<TExpr>();
  t->span = e.span;
  if (e.text == "min" || e.text == "max") {
    if (args.size() < 2) {
      diags_.report(DiagCode::E0204, e.span, msg(CheckMsg::TakesAtLeastTwoValues, {{"name", e.text}}));
      return error(e.span);
    }
    Type want = T(Ty::Error);
    for (auto& a : args)
      if (a->type.ty != Ty::Number) want = a->type;
    if (want.ty == Ty::Error) want = T(Ty::Decimal);
    for (auto& a : args) {
      coerce(a, want);
      if (a->type.ty == Ty::Error) return error(e.span);
      // Dates order like numbers: the earlier / later of several dates (a window's bounds).
      if (a->type != want || !(is_numeric(want.ty) || want.ty == Ty::Date)) {
        mismatch(DiagCode::E0204,
                 msg(CheckMsg::MinMaxOneType,
                     {{"name", e.text}, term("found", p_.type_name(a->type)), term("want", p_.type_name(want))}),
                 *a, *args[0]);
        return error(e.span);
      }
    }
    t->op = e.text == "min" ? TOp::Min : TOp::Max;
    t->type = want;
    for (auto& a : args) t->args.push_back(std::move(a));
    return t;
  }
  if (e.text == "year" || e.text == "年份") {
    if (args.size() != 1 || args[0]->type.ty != Ty::Date) {
      diags_.report(DiagCode::E0204, e.span, msg(CheckMsg::TakesOneDate, {{"name", "year"}}));
      return error(e.span);
    }
    t->op = TOp::Year;
    t->type = T(Ty::Int);
    t->args.push_back(std::move(args[0]));
    return t;
  }
  bool year_start = e.text == "start_of_year" || e.text == "年初";
  if (year_start || e.text == "start_of_month" || e.text == "月初") {
    if (args.size() != 1 || args[0]->type.ty != Ty::Date) {
      diags_.report(DiagCode::E0204, e.span, msg(CheckMsg::TakesOneDate, {{"name", e.text}}));
      return error(e.span);
    }
    t->op = TOp::StartOf;
    t->value = year_start ? 0 : 1;
    t->type = T(Ty::Date);
    t->args.push_back(std::move(args[0]));
    return t;
  }
  bool months = e.text == "months_between" || e.text == "月数";
  if (months || e.text == "years_between" || e.text == "年数") {
    if (args.size() != 2 || args[0]->type.ty != Ty::Date || args[1]->type.ty != Ty::Date) {
      diags_.report(DiagCode::E0204, e.span, msg(CheckMsg::TakesTwoDates, {{"name", e.text}}));
      return error(e.span);
    }
    t->op = months ? TOp::MonthsBetween : TOp::YearsBetween;
    t->type = T(Ty::Int);
    t->args.push_back(std::move(args[0]));
    t->args.push_back(std::move(args[1]));
    return t;
  }
  auto& d = diags_.report(DiagCode::E0204, e.suffix_span, msg(MsgId::UnknownFunction, {{"name", e.text}}));
  if (auto s = did_you_mean(e.text, {"min", "max", "year", "present", "months_between", "years_between", "start_of_year", "start_of_month"}))
    d.with_help(msg(MsgId::DidYouMean, {{"name", *s}}));
  else d.with_help(msg(MsgId::TheBuiltinFunctionsAre));
  return error(e.span);
}

TExprPtr ExprChecker::check(const ast::Expr& e, const Scope& scope) {
  switch (e.kind) {
    case ast::ExprKind::Name:
      return name(e, scope);
    case ast::ExprKind::Call:
      return call(e, scope);
    case ast::ExprKind::Neg: {
      TExprPtr a = check(*e.args[0], scope);
      if (a->type.ty == Ty::Error) return a;
      if (a->type.ty == Ty::Number) {
        diags_.report(DiagCode::E0206, e.span, msg(MsgId::NegativeAmountInPolicy));
        return error(e.span);
      }
      if (!is_numeric(a->type.ty)) {
        diags_.report(DiagCode::E0200, a->span, msg(MsgId::CannotNegate, {term("type", p_.type_name(a->type))}));
        return error(e.span);
      }
      auto t = std::make_unique<TExpr>();
      t->op = TOp::Neg;
      t->type = a->type;
      t->span = e.span;
      t->args.push_back(std::move(a));
      return t;
    }
    case ast::ExprKind::Not: {
      TExprPtr a = check_as(*e.args[0], scope, T(Ty::Bool), "the operand of `not`");
      auto t = std::make_unique<TExpr>();
      t->op = TOp::Not;
      t->type = a->type.ty == Ty::Error ? a->type : T(Ty::Bool);
      t->span = e.span;
      t->args.push_back(std::move(a));
      return t;
    }
    case ast::ExprKind::Binary:
      if (e.op == ast::BinOp::And || e.op == ast::BinOp::Or) {
        TExprPtr a = check_as(*e.args[0], scope, T(Ty::Bool), e.op == ast::BinOp::And ? "each side of `and`" : "each side of `or`");
        // The right side is only computed when the left did not decide: what the left proves
        // given (`present(x) and …`, `not present(x) or …`) holds there.
        TExprPtr b = check_as(*e.args[1], given(*e.args[0], scope, e.op == ast::BinOp::And), T(Ty::Bool),
                              e.op == ast::BinOp::And ? "each side of `and`" : "each side of `or`");
        if (a->type.ty == Ty::Error || b->type.ty == Ty::Error) return error(e.span);
        auto t = std::make_unique<TExpr>();
        t->op = e.op == ast::BinOp::And ? TOp::And : TOp::Or;
        t->type = T(Ty::Bool);
        t->span = e.span;
        t->args.push_back(std::move(a));
        t->args.push_back(std::move(b));
        return t;
      }
      if (e.op >= ast::BinOp::Lt && e.op <= ast::BinOp::Ne) return compare(e, scope);
      return binary(e, scope);
    case ast::ExprKind::In:
      return in(e, scope);
    case ast::ExprKind::OrElse:
      return or_else(e, scope);
    case ast::ExprKind::Round: {
      TExprPtr a = check(*e.args[0], scope);
      if (a->type.ty == Ty::Error) return a;
      if (a->type.ty != Ty::Money && a->type.ty != Ty::Rate && a->type.ty != Ty::Decimal) {
        diags_.report(DiagCode::E0200, a->span, msg(CheckMsg::OnlyRoundMoneyRatesDecimals, {term("type", p_.type_name(a->type))}))
            .with_label(msg(MsgId::ThisIsType, {term("type", p_.type_name(a->type))}));
        return error(e.span);
      }
      TExprPtr q = check(*e.args[1], scope);
      bare_money_ok_ = a->type.ty == Ty::Money;  // `rounded down to 0.01`: a step in 元, by convention
      coerce(q, a->type);
      bare_money_ok_ = false;
      if (q->type.ty == Ty::Error) return error(e.span);
      if (q->op != TOp::Const || q->type != a->type || q->value <= 0) {
        diags_.report(DiagCode::E0206, q->span, msg(CheckMsg::RoundingStepPositive, {term("type", p_.type_name(a->type))}))
            .with_help(msg(CheckMsg::RoundingStepExamples));
        return error(e.span);
      }
      auto t = std::make_unique<TExpr>();
      t->op = TOp::Round;
      t->type = a->type;
      t->span = e.span;
      t->mode = e.mode;
      t->quantum = q->value;
      t->args.push_back(std::move(a));
      return t;
    }
    default:
      return literal(e);
  }
}

}  // namespace pol
