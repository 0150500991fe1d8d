// Applying a revision's amendments to the amended policy's syntax tree (amend.h).
#include "compiler/driver/amend.h"

#include <algorithm>

#include "compiler/diagnostics/messages_driver.h"
#include "compiler/diagnostics/suggest.h"

namespace pol {
namespace {

template <class T>
void move_all(std::vector<T>& from, std::vector<T>& to) {
  for (auto& x : from) to.push_back(std::move(x));
  from.clear();
}

class Amender {
 public:
  Amender(ast::File& p, ast::File& r, Diagnostics& d, bool report) : p_(p), r_(r), diags_(d), report_(report) {}

  void run() {
    for (auto& a : r_.amendments) amend(a);
    for (const auto& number : r_.repealed_clauses) repeal_clause(number);
    // What the revision adds: new clauses with their rules, and declarations they need.
    move_all(r_.clauses, p_.clauses);
    move_all(r_.portfolio, p_.portfolio);
    move_all(r_.parameters, p_.parameters);
    move_all(r_.enums, p_.enums);
    move_all(r_.units, p_.units);
    move_all(r_.fields, p_.fields);
  }

 private:
  void nothing(Span at, const std::string& what, const std::string& name, const std::vector<std::string>& names) {
    if (!report_) return;
    std::string base = p_.policy ? p_.policy->name.text : "the policy";
    auto& d = diags_.report(DiagCode::E0411, at, msg(DriverMsg::AmendsWhatItLacks, {term("what", what), {"name", name}, {"base", base}}));
    if (auto s = did_you_mean(name, names)) d.with_help(msg(MsgId::DidYouMean, {{"name", *s}}));
    else d.with_help(msg(DriverMsg::AmendmentNamesBy));
  }

  ast::Clause* find_clause(const std::string& number) {
    for (auto& c : p_.clauses)
      if (c.number.text == number) return &c;
    return nullptr;
  }
  std::vector<std::string> clause_numbers() const {
    std::vector<std::string> out;
    for (const auto& c : p_.clauses) out.push_back(c.number.text);
    return out;
  }
  std::vector<std::string> rule_names() const {
    std::vector<std::string> out;
    for (const auto& r : p_.portfolio) out.push_back(r.name.text);
    return out;
  }

  void amend(ast::ClauseAmendment& a) {
    ast::Clause* c = find_clause(a.number.text);
    if (!c) {
      nothing(a.number.span, "clause", a.number.text, clause_numbers());
      return;
    }
    if (!a.title.text.empty()) c->title = a.title;
    if (a.has_leads) c->leads = a.leads;
    if (!a.text.empty()) c->text = a.text;
    if (!a.validity.empty()) {
      c->validity.clear();
      move_all(a.validity, c->validity);
    }
    for (auto& it : a.items) {
      auto old = std::find_if(c->items.begin(), c->items.end(), [&](const ast::Item& x) { return x.number.text == it.number.text; });
      if (old != c->items.end()) *old = std::move(it);
      else c->items.push_back(std::move(it));
    }
    for (auto& change : a.item_amendments) amend_item(*c, change);
    for (auto& r : a.requires_) {
      auto old = std::find_if(c->requires_.begin(), c->requires_.end(),
                              [&](const ast::SharedRequire& x) { return x.req.name.text == r.req.name.text; });
      if (old != c->requires_.end()) *old = std::move(r);
      else c->requires_.push_back(std::move(r));
    }
    for (const auto& number : a.repealed_items) {
      auto old = std::find_if(c->items.begin(), c->items.end(), [&](const ast::Item& x) { return x.number.text == number.text; });
      if (old == c->items.end()) {
        std::vector<std::string> numbers;
        for (const auto& x : c->items) numbers.push_back(x.number.text);
        nothing(number.span, "item", number.text, numbers);
        continue;
      }
      c->items.erase(old);
    }
    for (auto& rule : a.rules) {
      auto old = std::find_if(p_.portfolio.begin(), p_.portfolio.end(),
                              [&](const ast::PortfolioDecl& x) { return x.name.text == rule.name.text; });
      if (old != p_.portfolio.end()) *old = std::move(rule);
      else p_.portfolio.push_back(std::move(rule));
    }
    for (const auto& name : a.repealed_rules) {
      auto old = std::find_if(p_.portfolio.begin(), p_.portfolio.end(),
                              [&](const ast::PortfolioDecl& x) { return x.name.text == name.text; });
      if (old == p_.portfolio.end()) nothing(name.span, "rule", name.text, rule_names());
      else p_.portfolio.erase(old);
    }
  }

  // `amend item "2" { … }`: each statement replaces the one of the same name (input, let,
  // require) or the item's amount or cap, or is added.
  void amend_item(ast::Clause& c, ast::Item& change) {
    auto it = std::find_if(c.items.begin(), c.items.end(), [&](const ast::Item& x) { return x.number.text == change.number.text; });
    if (it == c.items.end()) {
      std::vector<std::string> numbers;
      for (const auto& x : c.items) numbers.push_back(x.number.text);
      nothing(change.number.span, "item", change.number.text, numbers);
      return;
    }
    auto replace = [](auto& list, auto& stmt) {
      auto old = std::find_if(list.begin(), list.end(), [&](const auto& x) { return x.name.text == stmt.name.text; });
      if (old != list.end()) *old = std::move(stmt);
      else list.push_back(std::move(stmt));
    };
    for (auto& s : change.inputs) replace(it->inputs, s);
    for (auto& s : change.lets) replace(it->lets, s);
    for (auto& s : change.requires_) replace(it->requires_, s);
    if (change.amount) {
      it->amount = std::move(change.amount);
      it->amount_keyword = change.amount_keyword;
    }
    if (change.cap) {
      it->cap = std::move(change.cap);
      it->cap_keyword = change.cap_keyword;
    }
  }

  void repeal_clause(const ast::Ident& number) {
    auto c = std::find_if(p_.clauses.begin(), p_.clauses.end(), [&](const ast::Clause& x) { return x.number.text == number.text; });
    if (c == p_.clauses.end()) {
      nothing(number.span, "clause", number.text, clause_numbers());
      return;
    }
    p_.portfolio.erase(std::remove_if(p_.portfolio.begin(), p_.portfolio.end(),
                                      [&](const ast::PortfolioDecl& r) { return r.clause == number.text; }),
                       p_.portfolio.end());
    p_.clauses.erase(c);
  }

  ast::File& p_;
  ast::File& r_;
  Diagnostics& diags_;
  bool report_;
};

}  // namespace

void apply_revision(ast::File& policy, ast::File& revision, Diagnostics& diags, bool report) {
  Amender(policy, revision, diags, report).run();
}

}  // namespace pol
