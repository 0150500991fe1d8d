// Stable text form of the AST for `polc check --dump-ast` and for explanations.
#include <fmt/format.h>

#include "compiler/ast/ast.h"

namespace pol::ast {

const char* binop_text(BinOp op) {
  switch (op) {
    case BinOp::Mul: return "×";
    case BinOp::Div: return "÷";
    case BinOp::Of: return "of";
    case BinOp::Add: return "+";
    case BinOp::Sub: return "-";
    case BinOp::Lt: return "<";
    case BinOp::Le: return "<=";
    case BinOp::Gt: return ">";
    case BinOp::Ge: return ">=";
    case BinOp::Eq: return "=";
    case BinOp::Ne: return "!=";
    case BinOp::And: return "and";
    case BinOp::Or: return "or";
  }
  return "?";
}

const char* portfolio_kind_text(PortfolioKind k) {
  switch (k) {
    case PortfolioKind::Group: return "group";
    case PortfolioKind::Quota: return "quota";
    case PortfolioKind::Once: return "once";
    case PortfolioKind::Series: return "series";
    case PortfolioKind::Exclusive: return "exclusive";
    case PortfolioKind::Budget: return "budget";
    case PortfolioKind::Highest: return "highest";
    case PortfolioKind::Combined: return "combined";
    case PortfolioKind::Route: return "route";
  }
  return "?";
}

const char* prop_kind_text(PropKind k) {
  switch (k) {
    case PropKind::Items: return "items";
    case PropKind::Limit: return "limit";
    case PropKind::Per: return "per";
    case PropKind::Places: return "places";
    case PropKind::Rank: return "rank by";
    case PropKind::Key: return "key";
    case PropKind::Supports: return "supports at most";
    case PropKind::Within: return "within";
    case PropKind::Prefer: return "prefer highest award";
    case PropKind::Scale: return "scale pro rata";
    case PropKind::With: return "with";
    case PropKind::Above: return "above";
    case PropKind::To: return "to";
    case PropKind::FirstCome: return "first come first served";
    case PropKind::Consecutive: return "consecutive years at most";
  }
  return "?";
}

static const char* mode_text(RoundingMode m) { return rounding_name(m); }

std::string expr_to_string(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Number: return e.text;
    case ExprKind::Quantity: return e.text + e.suffix;
    case ExprKind::Duration: return e.text + " " + e.suffix;
    case ExprKind::Percent: return e.text + "%";
    case ExprKind::Date: return e.text;
    case ExprKind::String: return "\"" + e.text + "\"";
    case ExprKind::Bool: return e.text;
    case ExprKind::Name: return e.text;
    case ExprKind::Call: {
      std::string s = e.text + "(";
      for (size_t i = 0; i < e.args.size(); ++i) s += (i ? ", " : "") + expr_to_string(*e.args[i]);
      return s + ")";
    }
    case ExprKind::Neg: return "-" + expr_to_string(*e.args[0]);
    case ExprKind::Not: return "not " + expr_to_string(*e.args[0]);
    case ExprKind::Binary:
      return "(" + expr_to_string(*e.args[0]) + " " + binop_text(e.op) + " " + expr_to_string(*e.args[1]) + ")";
    case ExprKind::In: {
      std::string s = "(" + expr_to_string(*e.args[0]) + (e.negated ? " not in {" : " in {");
      for (size_t i = 1; i < e.args.size(); ++i) s += (i > 1 ? ", " : "") + expr_to_string(*e.args[i]);
      return s + "})";
    }
    case ExprKind::Round:
      return "(" + expr_to_string(*e.args[0]) + " rounded " + mode_text(e.mode) + " to " + expr_to_string(*e.args[1]) + ")";
    case ExprKind::OrElse:
      return "(" + expr_to_string(*e.args[0]) + " or else " + expr_to_string(*e.args[1]) + ")";
  }
  return "?";
}

static void value(std::string& out, const char* what, const ValueSpec* v) {
  if (!v) return;
  if (v->expr) {
    out += fmt::format("      {} {}\n", what, expr_to_string(*v->expr));
    return;
  }
  out += fmt::format("      {} tiers\n", what);
  for (const auto& t : v->tiers)
    out += t.when ? fmt::format("        {} when {}\n", expr_to_string(*t.value), expr_to_string(*t.when))
                  : fmt::format("        {} otherwise\n", expr_to_string(*t.value));
}

std::string dump(const File& f) {
  std::string out;
  for (const auto& i : f.imports) out += fmt::format("import \"{}\"\n", i.path.text);
  if (f.policy) out += fmt::format("policy {} \"{}\" issuer \"{}\"\n", f.policy->name.text, f.policy->title.text, f.policy->issuer.text);
  for (const auto& r : f.rules) {
    out += fmt::format("rules for {}\n", r.policy.text);
    for (const auto& s : r.sets) out += fmt::format("  {} = {}\n", s.name.text, expr_to_string(*s.value));
  }
  for (const auto& u : f.units) out += fmt::format("unit {} = {}\n", u.name.text, expr_to_string(*u.value));
  for (const auto& e : f.enums) {
    out += fmt::format("enum {}:", e.name.text);
    for (const auto& m : e.members) out += " " + m.name.text;
    out += "\n";
  }
  for (const auto& fd : f.fields)
    out += fmt::format("field {}: {}{}{}\n", fd.name.text, fd.type.name.text, fd.optional ? " optional" : "",
                       fd.role.text.empty() ? "" : " role " + fd.role.text);
  for (const auto& p : f.parameters) out += fmt::format("parameter {}: {}{}\n", p.name.text, p.type.name.text, p.optional ? " optional" : "");
  for (const auto& c : f.clauses) {
    out += fmt::format("clause {} \"{}\"{}\n", c.number.text, c.title.text, c.part.empty() ? "" : " in part " + c.part);
    for (const auto& v : c.validity)
      out += v->duration ? fmt::format("    valid from {} for {}\n", v->from_text.text, expr_to_string(*v->duration))
                         : fmt::format("    valid from {} to {}\n", v->from_text.text, v->to_text.text);
    for (const auto& it : c.items) {
      out += fmt::format("    item \"{}\" \"{}\"\n", it.number.text, it.title.text);
      for (const auto& in : it.inputs) out += fmt::format("      input {}: {}\n", in.name.text, in.type.name.text);
      for (const auto& l : it.lets) out += fmt::format("      let {} = {}\n", l.name.text, expr_to_string(*l.value));
      for (const auto& r : it.requires_) out += fmt::format("      require {}: {}\n", r.name.text, expr_to_string(*r.cond));
      value(out, "amount", it.amount.get());
      value(out, "cap", it.cap.get());
    }
  }
  for (const auto& d : f.portfolio) {
    out += fmt::format("{} {}{}\n", portfolio_kind_text(d.kind), d.name.text, d.clause.empty() ? "" : " in clause " + d.clause);
    for (const auto& p : d.props) {
      out += fmt::format("    {}", prop_kind_text(p.kind));
      for (const auto& s : p.items) out += " \"" + s.text + "\"";
      for (const auto& n : p.names) out += " " + n.text;
      if (p.value) out += " " + expr_to_string(*p.value);
      out += "\n";
    }
  }
  return out;
}

}  // namespace pol::ast
