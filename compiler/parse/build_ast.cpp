// The ANTLR wall: runs the generated lexer/parser over one file and turns the parse tree into
// the project's AST. No ANTLR type escapes this file. Syntax errors are rewritten into Pol
// diagnostics with byte spans (ANTLR counts code points; we map them back to bytes).
#include <antlr4-runtime.h>

#include <set>
#include <string>

#include "PolLexer.h"
#include "PolParser.h"
#include "compiler/diagnostics/messages_driver.h"
#include "compiler/parse/parse.h"

namespace pol {
namespace {

using P = antlr::PolParser;

// Maps ANTLR code-point indices to byte offsets of the UTF-8 text.
struct OffsetMap {
  std::vector<uint32_t> byte_of;  // size = code points + 1
  explicit OffsetMap(std::string_view text) {
    byte_of.reserve(text.size() + 1);
    for (uint32_t i = 0; i < text.size(); ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) byte_of.push_back(i);
    byte_of.push_back(static_cast<uint32_t>(text.size()));
  }
  uint32_t at(size_t cp) const { return cp < byte_of.size() ? byte_of[cp] : byte_of.back(); }
};

std::string token_display(antlr4::Token* t) {
  if (t->getType() == antlr4::Token::EOF) return "end of file";
  std::string s;
  for (char c : t->getText()) {  // control characters (a NUL above all) are shown, not sent
    if (static_cast<unsigned char>(c) < 0x20) {
      static const char* kHex = "0123456789abcdef";
      s += "\\x";
      s += kHex[(c >> 4) & 15];
      s += kHex[c & 15];
    } else {
      s += c;
    }
  }
  if (s.size() > 40) s = std::string(utf8_prefix(s, 40)) + "…";  // cut between characters
  return "`" + s + "`";
}

class SyntaxErrors : public antlr4::BaseErrorListener {
 public:
  SyntaxErrors(uint32_t file, const OffsetMap& map, Diagnostics& diags)
      : file_(file), map_(map), diags_(diags) {}
  void syntaxError(antlr4::Recognizer*, antlr4::Token* tok, size_t, size_t, const std::string& antlr_message,
                   std::exception_ptr) override {
    if (!tok) return;  // lexer errors cannot happen: ERROR_CHAR catches every character
    Span span{file_, map_.at(tok->getStartIndex()), map_.at(tok->getStopIndex() + 1)};
    if (tok->getType() == antlr4::Token::EOF) span.end = span.begin;
    std::string expecting;
    if (auto pos = antlr_message.find("expecting "); pos != std::string::npos) {
      expecting = antlr_message.substr(pos + 10);
      if (expecting.size() > 60) expecting.clear();
    }
    const bool with_expected = !expecting.empty();
    Msg message;
    switch (tok->getType()) {
      case antlr::PolLexer::UNTERMINATED_STRING:
        message.id = with_expected ? MsgId::UnterminatedTextExpected : MsgId::UnterminatedText;
        break;
      case antlr::PolLexer::ERROR_CHAR:
        message = msg(with_expected ? MsgId::UnexpectedCharExpected : MsgId::UnexpectedChar, {{"token", token_display(tok)}});
        break;
      default:
        message = msg(with_expected ? MsgId::UnexpectedTokenExpected : MsgId::UnexpectedToken, {{"token", token_display(tok)}});
    }
    if (with_expected) message.args.push_back({"expected", expecting});
    auto& d = diags_.report(DiagCode::E0001, span, std::move(message));
    if (tok->getType() == antlr::PolLexer::UNTERMINATED_STRING) d.with_help(msg(MsgId::CloseTextOnSameLine));
  }

 private:
  uint32_t file_;
  const OffsetMap& map_;
  Diagnostics& diags_;
};

// Decodes a string literal token (with quotes) into its text.
std::string unquote(const std::string& tok) {
  std::string out;
  for (size_t i = 1; i + 1 < tok.size(); ++i) {
    char c = tok[i];
    if (c == '\\' && i + 2 < tok.size()) {
      char e = tok[++i];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        default: out += e;
      }
    } else {
      out += c;
    }
  }
  return out;
}

class Builder {
 public:
  Builder(uint32_t file, const OffsetMap& map) : file_(file), map_(map) {}

  Span span(antlr4::ParserRuleContext* ctx) const {
    if (!ctx || !ctx->start) return {file_, 0, 0};
    auto* stop = ctx->stop ? ctx->stop : ctx->start;
    size_t b = ctx->start->getStartIndex();
    size_t e = stop->getStopIndex() + 1;
    if (stop->getType() == antlr4::Token::EOF || e < b) e = b;
    return {file_, map_.at(b), map_.at(e)};
  }
  Span span(antlr4::Token* t) const {
    if (!t) return {file_, 0, 0};
    return {file_, map_.at(t->getStartIndex()), map_.at(t->getStopIndex() + 1)};
  }
  Span span(antlr4::tree::TerminalNode* n) const { return n ? span(n->getSymbol()) : Span{file_, 0, 0}; }

  ast::Ident ident(P::NameContext* n) const {
    if (!n) return {};
    return {n->getText(), span(n)};
  }
  ast::Ident ident(P::ClauseNoContext* n) const {
    if (!n) return {};
    return {n->getText(), span(n)};
  }
  ast::Str str(antlr4::tree::TerminalNode* n) const {
    if (!n) return {};
    return {unquote(n->getText()), span(n)};
  }
  ast::Str str(antlr4::Token* t) const {
    if (!t) return {};
    return {unquote(t->getText()), span(t)};
  }
  ast::TypeRef type(P::TypeRefContext* t) const { return {t ? ident(t->name()) : ast::Ident{}}; }

  static RoundingMode mode(P::RoundModeContext* m) {
    if (!m) return RoundingMode::HalfUp;
    std::string t = m->getText();
    if (t == "halfup") return RoundingMode::HalfUp;
    if (t == "halfeven") return RoundingMode::HalfEven;
    if (t == "down") return RoundingMode::Down;
    return RoundingMode::Up;
  }

  ast::ExprPtr expr(P::ExprContext* ctx) {
    auto e = std::make_unique<ast::Expr>();
    e->span = span(ctx);
    if (!ctx) {
      e->kind = ast::ExprKind::Number;
      e->text = "0";
      return e;
    }
    if (auto* c = dynamic_cast<P::PrimaryExprContext*>(ctx)) return primary(c->primary());
    if (auto* c = dynamic_cast<P::NegExprContext*>(ctx)) {
      e->kind = ast::ExprKind::Neg;
      e->args.push_back(expr(c->expr()));
    } else if (auto* c = dynamic_cast<P::NotExprContext*>(ctx)) {
      e->kind = ast::ExprKind::Not;
      e->args.push_back(expr(c->expr()));
    } else if (auto* c = dynamic_cast<P::MulExprContext*>(ctx)) {
      binary(*e, c->expr(0), c->expr(1));
      std::string op = c->op ? c->op->getText() : "*";
      e->op = (op == "/" || op == "÷") ? ast::BinOp::Div : op == "of" ? ast::BinOp::Of : ast::BinOp::Mul;
    } else if (auto* c = dynamic_cast<P::AddExprContext*>(ctx)) {
      binary(*e, c->expr(0), c->expr(1));
      e->op = (c->op && c->op->getText() == "-") ? ast::BinOp::Sub : ast::BinOp::Add;
    } else if (auto* c = dynamic_cast<P::CmpExprContext*>(ctx)) {
      binary(*e, c->expr(0), c->expr(1));
      std::string op = c->op ? c->op->getText() : "=";
      e->op = op == "<" ? ast::BinOp::Lt : op == "<=" || op == "≤" ? ast::BinOp::Le
            : op == ">" ? ast::BinOp::Gt : op == ">=" || op == "≥" ? ast::BinOp::Ge
            : op == "!=" || op == "≠" ? ast::BinOp::Ne : ast::BinOp::Eq;
    } else if (auto* c = dynamic_cast<P::OrElseExprContext*>(ctx)) {
      e->kind = ast::ExprKind::OrElse;
      e->args.push_back(expr(c->expr(0)));
      e->args.push_back(expr(c->expr(1)));
    } else if (auto* c = dynamic_cast<P::AndExprContext*>(ctx)) {
      binary(*e, c->expr(0), c->expr(1));
      e->op = ast::BinOp::And;
    } else if (auto* c = dynamic_cast<P::OrExprContext*>(ctx)) {
      binary(*e, c->expr(0), c->expr(1));
      e->op = ast::BinOp::Or;
    } else if (auto* c = dynamic_cast<P::InExprContext*>(ctx)) {
      e->kind = ast::ExprKind::In;
      e->negated = c->negated != nullptr;
      for (auto* x : c->expr()) e->args.push_back(expr(x));
    } else if (auto* c = dynamic_cast<P::RoundExprContext*>(ctx)) {
      e->kind = ast::ExprKind::Round;
      e->mode = mode(c->roundMode());
      e->args.push_back(expr(c->expr(0)));
      e->args.push_back(expr(c->expr(1)));
    } else {
      e->kind = ast::ExprKind::Number;
      e->text = "0";
    }
    return e;
  }

  void binary(ast::Expr& e, P::ExprContext* a, P::ExprContext* b) {
    e.kind = ast::ExprKind::Binary;
    e.args.push_back(expr(a));
    e.args.push_back(expr(b));
  }

  static std::string digits(std::string s) {
    std::string out;
    for (char c : s)
      if (c != ',') out += c;
    return out;
  }

  ast::ExprPtr primary(P::PrimaryContext* ctx) {
    auto e = std::make_unique<ast::Expr>();
    e->span = span(ctx);
    if (auto* c = dynamic_cast<P::NumberLitContext*>(ctx)) {
      e->text = digits(c->NUMBER() ? c->NUMBER()->getText() : "0");
      if (c->durationWord()) {
        e->kind = ast::ExprKind::Duration;
        e->suffix = c->durationWord()->getText();
        e->suffix_span = span(c->durationWord());
      } else {
        e->kind = ast::ExprKind::Number;
      }
    } else if (auto* c = dynamic_cast<P::QuantityLitContext*>(ctx)) {
      e->kind = ast::ExprKind::Quantity;
      std::string t = c->getText();
      size_t i = 0;
      while (i < t.size() && (isdigit(static_cast<unsigned char>(t[i])) || t[i] == ',' || t[i] == '.')) ++i;
      e->text = digits(t.substr(0, i));
      e->suffix = t.substr(i);
      e->suffix_span = {e->span.file, e->span.begin + static_cast<uint32_t>(i), e->span.end};
    } else if (auto* c = dynamic_cast<P::PercentLitContext*>(ctx)) {
      e->kind = ast::ExprKind::Percent;
      std::string t = c->getText();
      size_t i = 0;
      while (i < t.size() && (isdigit(static_cast<unsigned char>(t[i])) || t[i] == ',' || t[i] == '.')) ++i;
      e->text = digits(t.substr(0, i));
    } else if (dynamic_cast<P::DateLitContext*>(ctx)) {
      e->kind = ast::ExprKind::Date;
      e->text = ctx->getText();
    } else if (auto* c = dynamic_cast<P::StringLitContext*>(ctx)) {
      e->kind = ast::ExprKind::String;
      e->text = unquote(c->STRING()->getText());
    } else if (dynamic_cast<P::BoolLitContext*>(ctx)) {
      e->kind = ast::ExprKind::Bool;
      e->text = ctx->getText();
    } else if (auto* c = dynamic_cast<P::CallExprContext*>(ctx)) {
      e->kind = ast::ExprKind::Call;
      e->text = c->name()->getText();
      e->suffix_span = span(c->name());
      for (auto* x : c->expr()) e->args.push_back(expr(x));
    } else if (auto* c = dynamic_cast<P::NameRefContext*>(ctx)) {
      e->kind = ast::ExprKind::Name;
      e->text = c->name()->getText();
    } else if (auto* c = dynamic_cast<P::ParenExprContext*>(ctx)) {
      auto inner = expr(c->expr());
      return inner;
    } else {
      e->kind = ast::ExprKind::Number;
      e->text = "0";
    }
    return e;
  }

  std::unique_ptr<ast::ValueSpec> value_spec(P::ValueSpecContext* ctx) {
    auto v = std::make_unique<ast::ValueSpec>();
    v->span = span(ctx);
    if (!ctx) return v;
    if (ctx->expr()) {
      v->expr = expr(ctx->expr());
      return v;
    }
    for (auto* t : ctx->tier()) {
      ast::Tier tier;
      tier.span = span(t);
      if (auto* w = dynamic_cast<P::WhenTierContext*>(t)) {
        tier.value = expr(w->expr(0));
        tier.when = expr(w->expr(1));
        tier.label = str(w->STRING());
      } else if (auto* o = dynamic_cast<P::OtherwiseTierContext*>(t)) {
        tier.value = expr(o->expr());
      }
      v->tiers.push_back(std::move(tier));
    }
    return v;
  }

  ast::Item item(P::ItemDeclContext* ctx) {
    ast::Item it = item_statements(ctx->STRING(0), ctx->itemStmt(), span(ctx));
    if (ctx->STRING().size() > 1) it.title = str(ctx->STRING(1));
    return it;
  }

  ast::Item item_statements(antlr4::tree::TerminalNode* number, const std::vector<P::ItemStmtContext*>& stmts, Span where) {
    ast::Item it;
    it.span = where;
    it.number = str(number);
    for (auto* s : stmts) {
      if (auto* c = dynamic_cast<P::InputStmtContext*>(s)) {
        ast::InputDecl in;
        in.name = ident(c->name());
        in.type = type(c->typeRef());
        in.optional = c->optional != nullptr;
        in.recorded = c->recorded != nullptr;
        if (auto* a = c->awardOf()) {
          in.award_of = std::make_unique<ast::AwardOf>();
          auto names = a->name();
          size_t first_key = 0;
          if (a->what) {
            std::string w = a->what->getText();
            in.award_of->kind = w == "count" ? ast::AwardOf::Kind::Count : w == "first" ? ast::AwardOf::Kind::First
                                                                                     : ast::AwardOf::Kind::Sum;
          } else {
            in.award_of->policy = ident(names[0]);
            first_key = 1;
          }
          for (size_t k = first_key; k < names.size(); ++k) in.award_of->keys.push_back(ident(names[k]));
          for (auto* s : a->STRING()) in.award_of->items.push_back(str(s));
          in.award_of->span = span(a);
        }
        in.label = str(c->STRING());
        in.span = span(c);
        it.inputs.push_back(std::move(in));
      } else if (auto* c = dynamic_cast<P::LetStmtContext*>(s)) {
        it.lets.push_back({ident(c->name()), expr(c->expr()), span(c)});
      } else if (auto* c = dynamic_cast<P::RequireStmtContext*>(s)) {
        it.requires_.push_back({ident(c->name()), expr(c->expr()), str(c->STRING()), span(c)});
      } else if (auto* c = dynamic_cast<P::AmountStmtContext*>(s)) {
        it.amount = value_spec(c->valueSpec());
        it.amount_keyword = span(c->getStart());
      } else if (auto* c = dynamic_cast<P::CapStmtContext*>(s)) {
        it.cap = value_spec(c->valueSpec());
        it.cap_keyword = span(c->getStart());
        if (auto* r = c->relaxSpec()) {
          it.relax = std::make_unique<ast::Relax>();
          if (r->expr()) it.relax->when = expr(r->expr());
          it.relax->reason = str(r->STRING());
          it.relax->span = span(r);
        }
      } else if (auto* c = dynamic_cast<P::DiscretionaryStmtContext*>(s)) {
        it.discretionary = true;
        it.discretion = str(c->reason);
        it.amount_keyword = span(c->getStart());
      }
    }
    return it;
  }

  ast::PortfolioDecl portfolio(P::PortfolioDeclContext* ctx, const std::string& clause) {
    ast::PortfolioDecl d;
    d.span = span(ctx);
    d.clause = clause;
    std::string k = ctx->kind ? ctx->kind->getText() : "group";
    d.kind = k == "quota" ? ast::PortfolioKind::Quota : k == "once" ? ast::PortfolioKind::Once
           : k == "series" ? ast::PortfolioKind::Series : k == "exclusive" ? ast::PortfolioKind::Exclusive
           : k == "budget" ? ast::PortfolioKind::Budget : k == "highest" ? ast::PortfolioKind::Highest
           : k == "combined" ? ast::PortfolioKind::Combined : k == "route" ? ast::PortfolioKind::Route
           : ast::PortfolioKind::Group;
    d.name = ident(ctx->name());
    d.label = str(ctx->STRING());
    for (auto* p : ctx->portfolioProp()) {
      ast::PortfolioProp prop;
      prop.span = span(p);
      if (auto* c = dynamic_cast<P::ItemsPropContext*>(p)) {
        prop.kind = ast::PropKind::Items;
        for (auto* s : c->STRING()) prop.items.push_back(str(s));
      } else if (auto* c = dynamic_cast<P::LimitPropContext*>(p)) {
        prop.kind = ast::PropKind::Limit;
        prop.value = expr(c->expr());
      } else if (auto* c = dynamic_cast<P::PerPropContext*>(p)) {
        prop.kind = ast::PropKind::Per;
        prop.names.push_back(ident(c->name()));
      } else if (auto* c = dynamic_cast<P::PlacesPropContext*>(p)) {
        prop.kind = ast::PropKind::Places;
        prop.value = expr(c->expr());
      } else if (auto* c = dynamic_cast<P::RankPropContext*>(p)) {
        prop.kind = ast::PropKind::Rank;
        prop.names.push_back(ident(c->name()));
        prop.descending = !(c->order && c->order->getText() == "ascending");
      } else if (auto* c = dynamic_cast<P::KeyPropContext*>(p)) {
        prop.kind = ast::PropKind::Key;
        for (auto* n : c->name()) prop.names.push_back(ident(n));
      } else if (auto* c = dynamic_cast<P::SupportsPropContext*>(p)) {
        prop.kind = ast::PropKind::Supports;
        prop.value = expr(c->expr());
      } else if (auto* c = dynamic_cast<P::WithinPropContext*>(p)) {
        prop.kind = ast::PropKind::Within;
        prop.value = expr(c->expr());
      } else if (dynamic_cast<P::PreferPropContext*>(p)) {
        prop.kind = ast::PropKind::Prefer;
      } else if (auto* c = dynamic_cast<P::ScalePropContext*>(p)) {
        prop.kind = ast::PropKind::Scale;
        prop.mode = mode(c->roundMode());
        prop.value = expr(c->expr());
      } else if (auto* c = dynamic_cast<P::WithPropContext*>(p)) {
        prop.kind = ast::PropKind::With;
        prop.names.push_back(ident(c->name()));
        for (auto* s : c->STRING()) prop.items.push_back(str(s));
      } else if (auto* c = dynamic_cast<P::AbovePropContext*>(p)) {
        prop.kind = ast::PropKind::Above;
        prop.value = expr(c->expr());
      } else if (auto* c = dynamic_cast<P::ConsecutivePropContext*>(p)) {
        prop.kind = ast::PropKind::Consecutive;
        prop.value = expr(c->expr());
      } else if (dynamic_cast<P::FirstComePropContext*>(p)) {
        prop.kind = ast::PropKind::FirstCome;
      } else if (auto* c = dynamic_cast<P::ToPropContext*>(p)) {
        prop.kind = ast::PropKind::To;
        prop.names.push_back(ident(c->name()));
      } else {
        continue;
      }
      d.props.push_back(std::move(prop));
    }
    return d;
  }

  // A clause nested in another (第二条第（三）项第1目) is a clause of its own whose number is the
  // path: "二.三.1".
  void clause(P::ClauseDeclContext* ctx, const std::string& part, ast::File& f, const std::string& parent = "") {
    ast::Clause cl;
    cl.span = span(ctx);
    cl.number = ident(ctx->clauseNo());
    if (!parent.empty()) cl.number.text = parent + "." + cl.number.text;
    cl.title = str(ctx->STRING());
    cl.part = part;
    std::vector<P::ClauseDeclContext*> nested;
    for (auto* m : ctx->clauseMember()) {
      if (auto* c = dynamic_cast<P::SubclauseMemberContext*>(m)) {
        nested.push_back(c->clauseDecl());
        continue;
      }
      if (auto* c = dynamic_cast<P::LeadMemberContext*>(m)) {
        for (auto* s : c->STRING()) cl.leads.push_back(str(s));
      } else if (auto* c = dynamic_cast<P::TextMemberContext*>(m)) {
        for (auto* s : c->STRING()) cl.text.push_back(str(s));
      } else if (auto* c = dynamic_cast<P::ItemMemberContext*>(m)) {
        cl.items.push_back(item(c->itemDecl()));
      } else if (auto* c = dynamic_cast<P::PortfolioMemberContext*>(m)) {
        f.portfolio.push_back(portfolio(c->portfolioDecl(), cl.number.text));
      } else if (auto* c = dynamic_cast<P::ValidityMemberContext*>(m)) {
        cl.validity.push_back(validity(c));
      } else if (auto* c = dynamic_cast<P::ClauseRequireMemberContext*>(m)) {
        cl.requires_.push_back(shared_require(c));
      }
    }
    std::string number = cl.number.text;
    f.clauses.push_back(std::move(cl));
    for (auto* n : nested) clause(n, part, f, number);
  }

  ast::SharedRequire shared_require(P::ClauseRequireMemberContext* c) {
    ast::SharedRequire r;
    r.req = {ident(c->name()), expr(c->expr()), str(c->reason), span(c)};
    for (auto* t : c->items) r.items.push_back(str(t));
    if (c->part) r.part = ident(c->part);
    return r;
  }

  std::unique_ptr<ast::Validity> validity(P::ValidityMemberContext* c) {
    auto v = std::make_unique<ast::Validity>();
    v->from_text = {c->DATE(0)->getText(), span(c->DATE(0))};
    if (c->expr()) v->duration = expr(c->expr());
    if (c->to) v->to_text = {c->to->getText(), span(c->to)};
    v->span = span(c);
    return v;
  }

  void header_props(const std::vector<P::PolicyPropContext*>& props, ast::PolicyHeader& h) {
    for (auto* p : props) {
      if (auto* x = dynamic_cast<P::TitlePropContext*>(p)) h.title = str(x->STRING());
      else if (auto* x = dynamic_cast<P::IssuerPropContext*>(p)) h.issuer = str(x->STRING());
      else if (auto* x = dynamic_cast<P::NumberPropContext*>(p)) h.number = str(x->STRING());
      else if (auto* x = dynamic_cast<P::StatusPropContext*>(p)) h.status = ident(x->name());
      else if (auto* x = dynamic_cast<P::NotePropContext*>(p)) h.notes.push_back(str(x->STRING()));
      else if (auto* x = dynamic_cast<P::EffectivePropContext*>(p)) h.effective = {x->DATE()->getText(), span(x->DATE())};
      else if (auto* x = dynamic_cast<P::LevelPropContext*>(p)) h.level = ident(x->name());
      else if (auto* x = dynamic_cast<P::ShortPropContext*>(p)) h.short_title = str(x->STRING());
      else if (auto* x = dynamic_cast<P::RoundingPropContext*>(p)) {
        h.has_rounding = true;
        h.rounding = mode(x->roundMode());
        h.rounding_quantum = expr(x->expr());
      }
    }
  }

  void amendment(P::AmendDeclContext* ctx, ast::File& f) {
    ast::ClauseAmendment a;
    a.span = span(ctx);
    a.number = ident(ctx->clauseNo());
    a.title = str(ctx->STRING());
    for (auto* m : ctx->amendMember()) {
      if (auto* r = dynamic_cast<P::ReplaceMemberContext*>(m)) {
        auto* cm = r->clauseMember();
        if (auto* c = dynamic_cast<P::LeadMemberContext*>(cm)) {
          a.has_leads = true;
          for (auto* s : c->STRING()) a.leads.push_back(str(s));
        } else if (auto* c = dynamic_cast<P::TextMemberContext*>(cm)) {
          for (auto* s : c->STRING()) a.text.push_back(str(s));
        } else if (auto* c = dynamic_cast<P::ItemMemberContext*>(cm)) {
          a.items.push_back(item(c->itemDecl()));
        } else if (auto* c = dynamic_cast<P::PortfolioMemberContext*>(cm)) {
          a.rules.push_back(portfolio(c->portfolioDecl(), a.number.text));
        } else if (auto* c = dynamic_cast<P::ValidityMemberContext*>(cm)) {
          a.validity.push_back(validity(c));
        } else if (auto* c = dynamic_cast<P::ClauseRequireMemberContext*>(cm)) {
          a.requires_.push_back(shared_require(c));
        }
      } else if (auto* c = dynamic_cast<P::AmendItemMemberContext*>(m)) {
        a.item_amendments.push_back(item_statements(c->STRING(), c->itemStmt(), span(c)));
      } else if (auto* c = dynamic_cast<P::RepealItemMemberContext*>(m)) {
        a.repealed_items.push_back(str(c->STRING()));
      } else if (auto* c = dynamic_cast<P::RepealRuleMemberContext*>(m)) {
        a.repealed_rules.push_back(ident(c->name()));
      }
    }
    f.amendments.push_back(std::move(a));
  }

  void top(P::TopDeclContext* t, ast::File& f) {
    if (auto* c = t->policyDecl()) {
      auto h = std::make_unique<ast::PolicyHeader>();
      h->span = span(c);
      h->name = ident(c->name());
      h->title = str(c->STRING());
      header_props(c->policyProp(), *h);
      f.policy = std::move(h);
    } else if (auto* c = t->revisionDecl()) {
      auto h = std::make_unique<ast::PolicyHeader>();
      h->span = span(c);
      h->name = ident(c->name(0));
      h->base = ident(c->name(1));
      header_props(c->policyProp(), *h);
      f.revision = std::move(h);
    } else if (auto* c = t->amendDecl()) {
      amendment(c, f);
    } else if (auto* c = t->repealClauseDecl()) {
      f.repealed_clauses.push_back(ident(c->clauseNo()));
    } else if (auto* c = t->rulesDecl()) {
      ast::RulesDecl r;
      r.span = span(c);
      r.policy = ident(c->name());
      for (auto* s : c->ruleSet()) r.sets.push_back({ident(s->name()), expr(s->expr()), span(s)});
      f.rules.push_back(std::move(r));
    } else if (auto* c = t->parameterDecl()) {
      f.parameters.push_back({ident(c->name()), type(c->typeRef()), c->optional != nullptr, str(c->STRING()), span(c)});
    } else if (auto* c = t->enumDecl()) {
      ast::EnumDecl e;
      e.span = span(c);
      e.name = ident(c->name());
      e.label = str(c->STRING());
      for (auto* m : c->enumMember()) e.members.push_back({ident(m->name()), str(m->STRING()), m->catchall != nullptr});
      f.enums.push_back(std::move(e));
    } else if (auto* c = t->unitDecl()) {
      f.units.push_back({ident(c->name()), expr(c->expr()), span(c)});
    } else if (auto* c = t->applicationDecl()) {
      for (auto* fd : c->fieldDecl())
        f.fields.push_back({ident(fd->name(0)), type(fd->typeRef()), fd->optional != nullptr, str(fd->STRING()), span(fd),
                            ident(fd->role), fd->optional ? span(fd->optional) : Span{}});
    } else if (auto* c = t->preambleDecl()) {
      for (auto* s : c->STRING()) f.preamble.push_back(str(s));
    } else if (auto* c = t->partDecl()) {
      ast::Part p{ident(c->clauseNo()), str(c->STRING()), span(c)};
      for (auto* cl : c->clauseDecl()) clause(cl, p.number.text, f);
      f.parts.push_back(std::move(p));
    } else if (auto* c = t->clauseDecl()) {
      clause(c, "", f);
    } else if (auto* c = t->portfolioDecl()) {
      f.portfolio.push_back(portfolio(c, ""));
    } else if (auto* c = t->testsHeader()) {
      auto h = std::make_unique<ast::TestsHeader>();
      h->span = span(c);
      h->policy = str(c->STRING(0));
      for (auto* r : c->rules) h->rules.push_back(str(r));
      // After the policy, before `rules`: the revisions that amend it.
      for (size_t i = 1; i < c->STRING().size() - c->rules.size(); ++i) h->revisions.push_back(str(c->STRING(i)));
      f.tests_for = std::move(h);
    } else if (auto* c = t->testDecl()) {
      f.tests.push_back(test(c));
    }
  }

  ast::Str record_id(P::RecordIdContext* c) {
    if (!c) return {};
    if (c->STRING()) return str(c->STRING());
    return {c->getText(), span(c)};
  }

  ast::TestRecord record(P::RecordContext* c) {
    ast::TestRecord r;
    r.span = span(c);
    r.id = record_id(c->recordId());
    for (auto* fi : c->fieldInit()) r.fields.emplace_back(ident(fi->name()), expr(fi->expr()));
    return r;
  }

  ast::TestCase test(P::TestDeclContext* c) {
    ast::TestCase t;
    t.span = span(c);
    t.name = str(c->STRING());
    for (auto* st : c->testStmt()) {
      if (auto* x = dynamic_cast<P::TestSetContext*>(st)) {
        t.sets.push_back({ident(x->name()), expr(x->expr()), span(x)});
      } else if (auto* x = dynamic_cast<P::TestHistoryContext*>(st)) {
        for (auto* r : x->record()) t.history.push_back(record(r));
      } else if (auto* x = dynamic_cast<P::TestApplicationContext*>(st)) {
        t.applications.push_back(record(x->record()));
      } else if (auto* x = dynamic_cast<P::TestExpectContext*>(st)) {
        ast::TestExpect e;
        e.span = span(x);
        e.target = record_id(x->recordId());
        for (auto* ex : x->expectation()) {
          ast::Expectation exp;
          exp.span = span(ex);
          if (dynamic_cast<P::ExpEligibleContext*>(ex)) exp.kind = ast::ExpectKind::Eligible;
          else if (dynamic_cast<P::ExpIneligibleContext*>(ex)) exp.kind = ast::ExpectKind::Ineligible;
          else if (auto* y = dynamic_cast<P::ExpAwardContext*>(ex)) {
            exp.kind = ast::ExpectKind::Award;
            exp.value = expr(y->expr());
          } else if (auto* y = dynamic_cast<P::ExpErrorContext*>(ex)) {
            exp.kind = ast::ExpectKind::Error;
            if (y->name()) exp.name = ident(y->name());
          } else if (auto* y = dynamic_cast<P::ExpFailedContext*>(ex)) {
            exp.kind = ast::ExpectKind::Failed;
            exp.name = ident(y->name());
          } else if (auto* y = dynamic_cast<P::ExpPassedContext*>(ex)) {
            exp.kind = ast::ExpectKind::Passed;
            exp.name = ident(y->name());
          } else if (auto* y = dynamic_cast<P::ExpBoundContext*>(ex)) {
            exp.kind = ast::ExpectKind::Bound;
            exp.name = ident(y->name());
          } else if (auto* y = dynamic_cast<P::ExpNotBoundContext*>(ex)) {
            exp.kind = ast::ExpectKind::NotBound;
            exp.name = ident(y->name());
          } else if (auto* y = dynamic_cast<P::ExpRankContext*>(ex)) {
            exp.kind = ast::ExpectKind::Rank;
            exp.value = expr(y->expr());
          } else if (auto* y = dynamic_cast<P::ExpTierContext*>(ex)) {
            exp.kind = ast::ExpectKind::Tier;
            exp.label = str(y->STRING());
          } else if (dynamic_cast<P::ExpDiscretionaryContext*>(ex)) {
            exp.kind = ast::ExpectKind::Discretionary;
          } else if (auto* y = dynamic_cast<P::ExpCeilingContext*>(ex)) {
            exp.kind = ast::ExpectKind::Ceiling;
            exp.value = expr(y->expr());
          } else if (dynamic_cast<P::ExpRelaxableContext*>(ex)) {
            exp.kind = ast::ExpectKind::Relaxable;
          }
          e.expectations.push_back(std::move(exp));
        }
        t.expects.push_back(std::move(e));
      }
    }
    return t;
  }

 private:
  uint32_t file_;
  const OffsetMap& map_;
};

}  // namespace

std::unique_ptr<ast::File> parse(uint32_t file_id, const SourceManager& sources, Diagnostics& diags) {
  auto file = std::make_unique<ast::File>();
  file->file_id = file_id;
  std::string_view text = sources.text(file_id);
  if (auto bad = first_invalid_utf8(text)) {
    uint32_t b = *bad;
    diags.report(DiagCode::E0005, {file_id, b, b + 1}, msg(DriverMsg::NotUtf8Here)).with_help(msg(DriverMsg::SaveAsUtf8));
    return file;
  }
  OffsetMap map(text);
  antlr4::ANTLRInputStream input(std::string{text});
  antlr::PolLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();

  // Refuse pathological nesting before the recursive-descent parser can exhaust the stack:
  // deep brackets, and operator chains so long that their trees would be as deep.
  // Every operator of one expression counts — `in {…}` and `rounded … to …` too, whose braces
  // and words do not end the expression — until a word that starts another statement.
  static const std::set<std::string> kOperators = {"+", "-", "*", "/", "×", "÷", "of", "and", "or", "not", "in",
                                                   "<", "<=", ">", ">=", "=", "==", "!=", "≠", "≥", "≤", "rounded"};
  static const std::set<std::string> kStatements = {
      "require", "amount", "cap", "let", "input", "item", "clause", "part", "group", "quota", "once", "series",
      "exclusive", "budget", "limit", "per", "items", "key", "rank", "places", "within", "supports", "scale", "prefer",
      "text", "lead", "valid", "policy", "rules", "test", "expect", "application", "field", "enum", "unit",
      "parameter", "import", "when", "otherwise", "title", "issuer", "rounding"};
  int depth = 0, chain = 0;
  for (auto* t : tokens.getTokens()) {
    std::string s = t->getType() == antlr4::Token::EOF ? "" : t->getText();
    if (kOperators.count(s)) {
      if (++chain > kMaxOperators) {
        diags.report(DiagCode::E0002, {file_id, map.at(t->getStartIndex()), map.at(t->getStopIndex() + 1)},
                     msg(DriverMsg::TooManyOperators, {{"count", std::to_string(kMaxOperators)}}))
            .with_help(msg(DriverMsg::SplitWithLet));
        return file;
      }
    } else if (kStatements.count(s) || t->getType() == antlr4::Token::EOF) {
      chain = 0;  // another statement begins
    }
    if (s == "(" || s == "{") {
      if (++depth > kMaxNesting) {
        diags.report(DiagCode::E0002, {file_id, map.at(t->getStartIndex()), map.at(t->getStopIndex() + 1)},
                     msg(DriverMsg::NestedTooDeep, {{"count", std::to_string(kMaxNesting)}}));
        return file;
      }
    } else if (s == ")" || s == "}") {
      if (depth > 0) --depth;
    }
  }

  antlr::PolParser parser(&tokens);
  parser.removeErrorListeners();
  SyntaxErrors listener(file_id, map, diags);
  parser.addErrorListener(&listener);
  P::FileContext* tree = parser.file();
  if (parser.getNumberOfSyntaxErrors() > 0) return file;

  Builder b(file_id, map);
  for (auto* imp : tree->importDecl()) file->imports.push_back({b.str(imp->STRING()), b.span(imp)});
  for (auto* t : tree->topDecl()) b.top(t, *file);
  return file;
}

}  // namespace pol
