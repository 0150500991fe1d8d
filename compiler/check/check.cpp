// Declarations: collects the library and policy files into one Policy, assigns slots
// (parameters, then fields), checks items, portfolio rules, validity and rules files.
#include "compiler/check/check.h"

#include <cstdlib>
#include <map>

#include "compiler/check/check_expr.h"
#include "compiler/diagnostics/messages_check.h"
#include "compiler/ir/ir.h"  // pack_duration: a duration parameter's value
#include "compiler/diagnostics/suggest.h"

namespace pol {
namespace {

// The roles a common field can play: what the batch engine needs of every application (it orders
// by the acceptance date then the id, keeps group caps per applicant, finds the item by number).
// The role names are part of the language, in English and in Chinese like the type names; which
// field plays each role is declared in Pol (`field id: text "申报编号" role application_id`, see
// stdlib/common.pol), so no policy's field names are written here.
struct FieldRole {
  const char* name;
  const char* chinese;
  Ty ty;
  int Policy::*field;  // where the checked policy keeps the field playing it
  bool needed = true;  // every application needs it; else the role may go unplayed and its field be optional
};
const FieldRole kFieldRoles[] = {
    {"application_id", "申报编号", Ty::Text, &Policy::field_id},
    {"applicant", "申报单位", Ty::Text, &Policy::field_enterprise},
    {"item", "申报事项", Ty::Text, &Policy::field_item},
    {"accepted_on", "受理日期", Ty::Date, &Policy::field_date},
    // The matter an application is for (扶持事项), kept with each decision in the grant ledger.
    {"matter", "扶持事项", Ty::Text, &Policy::field_matter, false},
};
constexpr size_t kRoleCount = sizeof kFieldRoles / sizeof kFieldRoles[0];

// `applicant`（申报单位）: how a message names a role.
std::string role_ref(const FieldRole& r) { return std::string("`") + r.name + "`（" + r.chinese + "）"; }

class Checker {
 public:
  Checker(Policy& p, Diagnostics& d) : p_(p), diags_(d), exprs_(p, units_, d) {}

  void run(const std::vector<const ast::File*>& files, const std::vector<const ast::File*>& rules) {
    // Types and units first: everything else refers to them.
    for (auto* f : files) for (const auto& e : f->enums) enum_decl(e);
    for (auto* f : files) for (const auto& u : f->units) unit_decl(u);
    const ast::File* main = files.empty() ? nullptr : files.back();
    if (main && main->policy) header(*main->policy);
    for (auto* f : files) {
      if (f != main && f->policy) {
        diags_.report(DiagCode::E0106, f->policy->span, msg(CheckMsg::LibraryDeclaresPolicy));
      }
    }
    if (!main || !main->policy) {
      Span s = main ? Span{main->file_id, 0, 0} : Span{};
      diags_.report(DiagCode::E0400, s, msg(CheckMsg::NoPolicyDeclared)).with_help(msg(CheckMsg::StartWithPolicy));
    }
    for (auto* f : files) for (const auto& pr : f->parameters) param_decl(pr);
    for (auto* f : files) for (const auto& fd : f->fields) field_decl(fd);
    require_roles(main);
    p_.slot_count = static_cast<int32_t>(p_.params.size());
    for (auto& f : p_.fields) f.slot = p_.slot_count++;
    for (auto* f : files) {
      for (const auto& s : f->preamble) p_.preamble.push_back(s.text);
      for (const auto& c : f->clauses) clause(c);
    }
    // Item inputs join the field table; their slots follow the common fields.
    for (auto& f : p_.fields)
      if (f.slot < 0) f.slot = p_.slot_count++;
    // Each field that may be missing (optional in `application`, or an optional input of some
    // item) has a bool slot saying whether the application gave it.
    std::vector<bool> optional(p_.fields.size(), false);
    for (size_t f = 0; f < p_.fields.size(); ++f) optional[f] = p_.fields[f].common && p_.fields[f].optional;
    for (const auto& item : p_.items)
      for (const auto& in : item.inputs) optional[in.field] = optional[in.field] || in.optional;
    for (size_t f = 0; f < p_.fields.size(); ++f)
      if (optional[f]) p_.fields[f].present_slot = p_.slot_count++;
    for (auto* f : files) for (const auto& r : f->portfolio) rule(r);
    award_inputs();
    check_shared();
    for (size_t i = 0; i < p_.items.size(); ++i) item_body(i);
    for (const auto& sh : shared_)
      if (!sh.used)
        diags_.report(DiagCode::E0104, sh.req->req.name.span,
                      msg(CheckMsg::SharedConditionGatesNoItem, {{"name", sh.req->req.name.text}}));
    check_group_limits();
    check_level_limits();
    for (auto* f : files)
      for (const auto& c : f->clauses)
        for (const auto& v : c.validity) validity(*v, c);
    for (auto* rf : rules) rules_file(*rf);
  }

 private:
  // ---- types, units, parameters, fields ----
  Type resolve_type(const ast::TypeRef& t) {
    Ty b;
    if (builtin_type(t.name.text, &b)) return T(b);
    for (size_t i = 0; i < p_.enums.size(); ++i)
      if (p_.enums[i].name == t.name.text) return Type{Ty::Enum, static_cast<uint16_t>(i)};
    std::vector<std::string> names = {"money", "rate", "int", "decimal", "bool", "text", "date", "duration"};
    for (const auto& e : p_.enums) names.push_back(e.name);
    auto& d = diags_.report(DiagCode::E0105, t.name.span, msg(MsgId::UnknownType, {{"name", t.name.text}}));
    if (auto s = did_you_mean(t.name.text, names)) d.with_help(msg(MsgId::DidYouMean, {{"name", *s}}));
    else d.with_help(msg(MsgId::TheTypesAre));
    return T(Ty::Error);
  }

  bool duplicate(const std::string& kind, const ast::Ident& name, Span previous) {
    auto& d = diags_.report(DiagCode::E0101, name.span, msg(MsgId::DeclaredTwice, {term("kind", kind), {"name", name.text}}));
    d.note(previous, msg(MsgId::FirstDeclaredHere));
    return true;
  }

  void enum_decl(const ast::EnumDecl& e) {
    for (const auto& x : p_.enums)
      if (x.name == e.name.text) {
        duplicate("enum", e.name, x.span);
        return;
      }
    EnumInfo info{e.name.text, e.label.text, {}, {}, -1, e.span};
    for (const auto& m : e.members) {
      bool dup = false;
      for (const auto& x : info.members) dup |= x == m.name.text;
      if (dup) {
        diags_.report(DiagCode::E0101, m.name.span, msg(CheckMsg::EnumMemberTwice, {{"name", m.name.text}}));
        continue;
      }
      if (m.otherwise && info.catch_all >= 0) {
        diags_.report(DiagCode::E0101, m.name.span, msg(CheckMsg::TwoOtherwiseMembers, {{"enum", e.name.text}}))
            .with_help(msg(CheckMsg::OneOtherwiseMember));
        continue;
      }
      // A label read as a member name would make the input ambiguous.
      for (size_t k = 0; k < info.members.size(); ++k)
        if ((!m.label.text.empty() && (m.label.text == info.member_labels[k] || m.label.text == info.members[k])) ||
            m.name.text == info.member_labels[k])
          diags_.report(DiagCode::E0101, m.name.span,
                        msg(CheckMsg::EnumMembersAmbiguous, {{"name", m.name.text}, {"other", info.members[k]}}));
      if (m.otherwise) info.catch_all = static_cast<int>(info.members.size());
      info.members.push_back(m.name.text);
      info.member_labels.push_back(m.label.text);
    }
    p_.enums.push_back(std::move(info));
  }

  void unit_decl(const ast::UnitDecl& u) {
    for (const auto& x : units_)
      if (x.name == u.name.text) {
        duplicate("unit", u.name, x.span);
        return;
      }
    int64_t fen = 0;
    exprs_.allow_bare_money(true);  // a unit is defined in 元: `unit 万 = 10000`
    bool ok = exprs_.constant(*u.value, T(Ty::Money), &fen);
    exprs_.allow_bare_money(false);
    if (!ok) return;
    units_.push_back({u.name.text, fen, u.span});
  }

  // `level municipal` (or 市级): which level of government issues the policy; shown where a
  // decision cites another level's award.
  void level(const ast::Ident& l) {
    if (l.text.empty()) return;
    static const char* kLevels[][2] = {
        {"district", "区级"}, {"municipal", "市级"}, {"provincial", "省级"}, {"national", "国家级"}};
    for (const auto& lv : kLevels)
      if (l.text == lv[0] || l.text == lv[1]) {
        p_.level = lv[0];
        return;
      }
    auto& d = diags_.report(DiagCode::E0400, l.span, msg(CheckMsg::UnknownLevel, {{"level", l.text}}));
    std::vector<std::string> names = {"district", "municipal", "provincial", "national"};
    if (auto sug = did_you_mean(l.text, names)) d.with_help(msg(MsgId::DidYouMean, {{"name", *sug}}));
    else d.with_help(msg(CheckMsg::WriteLevel));
  }

  void header(const ast::PolicyHeader& h) {
    p_.name = h.name.text;
    p_.title = h.title.text;
    p_.short_title = h.short_title.text;
    p_.issuer = h.issuer.text;
    p_.number = h.number.text;
    p_.span = h.span;
    if (!h.status.text.empty() && h.status.text != "final" && h.status.text != "draft")
      diags_.report(DiagCode::E0400, h.status.span, msg(CheckMsg::UnknownStatus, {{"status", h.status.text}}))
          .with_help(msg(CheckMsg::StatusHelp));
    p_.draft = h.status.text == "draft";
    level(h.level);
    if (!h.effective.text.empty())
      diags_.report(DiagCode::E0106, h.effective.span, msg(CheckMsg::EffectiveDatesRevision))
          .with_help(msg(CheckMsg::WriteValidity));
    if (h.has_rounding) {
      p_.rounding = h.rounding;
      int64_t q = 1;
      exprs_.allow_bare_money(true);
      bool ok = exprs_.constant(*h.rounding_quantum, T(Ty::Money), &q);
      exprs_.allow_bare_money(false);
      if (ok) {
        if (q > 0) p_.rounding_quantum = q;
        else diags_.report(DiagCode::E0206, h.rounding_quantum->span, msg(CheckMsg::RoundingStepZero))
                 .with_help(msg(CheckMsg::RoundToFen));
      }
    } else {
      diags_.report(DiagCode::E0400, h.name.span, msg(CheckMsg::NoRounding, {{"name", h.name.text}}))
          .with_help(msg(CheckMsg::AddRounding));
    }
  }

  void param_decl(const ast::Parameter& pr) {
    for (const auto& x : p_.params)
      if (x.name == pr.name.text) {
        duplicate("parameter", pr.name, x.span);
        return;
      }
    ParamInfo info;
    info.name = pr.name.text;
    info.label = pr.label.text;
    info.type = resolve_type(pr.type);
    if (info.type.ty == Ty::Enum) {
      diags_.report(DiagCode::E0105, pr.type.name.span, msg(CheckMsg::ParameterOfEnumType, {term("type", p_.type_name(info.type))}))
          .with_help(msg(CheckMsg::TheParameterTypesAre));
      info.type = T(Ty::Error);
    }
    info.optional = pr.optional;
    info.span = pr.span;
    info.slot = static_cast<int32_t>(p_.params.size());
    p_.params.push_back(std::move(info));
  }

  void field_decl(const ast::FieldDecl& fd) {
    for (const auto& x : p_.fields)
      if (x.name == fd.name.text) {
        duplicate("field", fd.name, x.span);
        return;
      }
    FieldInfo f;
    f.name = fd.name.text;
    f.label = fd.label.text;
    f.type = resolve_type(fd.type);
    f.year_month = fd.type.name.text == "month" || fd.type.name.text == "年月";
    f.common = true;
    f.optional = fd.optional;
    f.span = fd.span;
    p_.fields.push_back(std::move(f));
    if (!fd.role.text.empty()) field_role(fd, static_cast<int>(p_.fields.size()) - 1);
  }

  // `role …` on a common field: the field must be the only one with the role, of the role's
  // type, and not optional. A field refused here still counts as the role's, so the role is
  // not reported missing as well.
  void field_role(const ast::FieldDecl& fd, int field) {
    const FieldRole* role = nullptr;
    for (const auto& r : kFieldRoles)
      if (fd.role.text == r.name || fd.role.text == r.chinese) role = &r;
    if (!role) {
      std::vector<std::string> names, refs;
      for (const auto& r : kFieldRoles) {
        names.insert(names.end(), {r.name, r.chinese});
        refs.push_back(role_ref(r));
      }
      auto& d = diags_.report(DiagCode::E0107, fd.role.span, msg(CheckMsg::UnknownRole, {{"role", fd.role.text}}));
      if (auto s = did_you_mean(fd.role.text, names)) d.with_help(msg(MsgId::DidYouMean, {{"name", *s}}));
      else d.with_help(msg(CheckMsg::TheRolesAre, {nested("roles", list_msg(refs))}));
      return;
    }
    RoleClaim& claim = role_claims_[role - kFieldRoles];
    const FieldInfo& f = p_.fields[field];
    if (claim.field >= 0) {
      diags_.report(DiagCode::E0405, fd.role.span,
                    msg(CheckMsg::RoleGivenTwice,
                        {{"role", role_ref(*role)}, {"first", p_.fields[claim.field].name}, {"second", f.name}}))
          .note(claim.span, msg(CheckMsg::FirstGivenHere))
          .with_help(msg(CheckMsg::RemoveOneRole, {{"name", fd.role.text}}));
      return;
    }
    claim = {field, fd.role.span};
    if (f.type.ty != role->ty && f.type.ty != Ty::Error) {
      diags_.report(DiagCode::E0406, fd.type.name.span,
                    msg(CheckMsg::RoleFieldWrongType, {{"field", f.name}, term("type", p_.type_name(f.type)),
                                                       {"role", role_ref(*role)}, term("want", ty_name(role->ty))}))
          .note(fd.role.span, msg(CheckMsg::RoleGivenHere))
          .with_help(msg(CheckMsg::DeclareFieldAs, {{"field", f.name}, {"keyword", ty_name(role->ty)}}));
      return;
    }
    if (f.optional && role->needed) {
      diags_.report(DiagCode::E0407, fd.role.span, msg(CheckMsg::RoleFieldOptional, {{"role", role_ref(*role)}, {"field", f.name}}))
          .note(fd.optional_word, msg(MsgId::DeclaredOptionalHere))
          .with_help(msg(CheckMsg::RemoveOptionalFromField, {{"field", f.name}}));
      return;
    }
    if (f.type.ty != Ty::Error) p_.*(role->field) = field;
  }

  // Every role needs a field; the standard library declares them all.
  void require_roles(const ast::File* main) {
    Span at = main && main->policy ? main->policy->name.span : main ? Span{main->file_id, 0, 0} : Span{};
    for (size_t r = 0; r < kRoleCount; ++r) {
      if (role_claims_[r].field >= 0 || !kFieldRoles[r].needed) continue;
      const FieldRole& role = kFieldRoles[r];
      diags_.report(DiagCode::E0401, at, msg(CheckMsg::NoFieldPlaysRole, {{"role", role_ref(role)}}))
          .with_help(msg(CheckMsg::ImportCommonOrMarkRole, {{"keyword", ty_name(role.ty)}, {"name", role.name}}));
    }
  }

  // ---- clauses and items ----
  // 一 … 九十九 as a number; 0 when the text is not a Chinese numeral.
  static int chinese_number(const std::string& s) {
    static const char* kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    int value = 0, digit = -1;
    size_t i = 0;
    while (i < s.size()) {
      if (s.compare(i, 3, "十") == 0) {
        value += (digit < 0 ? 1 : digit) * 10;
        digit = -1;
        i += 3;
        continue;
      }
      int d = -1;
      for (int k = 0; k < 10; ++k)
        if (s.compare(i, 3, kDigits[k]) == 0) d = k;
      if (d < 0) return 0;
      digit = d;
      i += 3;
    }
    return value + (digit < 0 ? 0 : digit);
  }

  void clause(const ast::Clause& c) {
    int n = chinese_number(c.number.text);
    if (c.number.text.find('.') != std::string::npos) n = -1;  // a nested clause: ordered within its parent
    if (n == 0 && !c.number.text.empty() && isdigit(static_cast<unsigned char>(c.number.text[0])))
      n = std::atoi(c.number.text.c_str());
    if (n > 0 && last_clause_number_ > 0 && n <= last_clause_number_)
      diags_.report(DiagCode::W0001, c.number.span, msg(CheckMsg::ClauseOutOfOrder, {{"number", c.number.text}}))
          .with_help(msg(CheckMsg::KeepClauseOrder));
    if (n > 0) last_clause_number_ = n;
    for (const auto& x : p_.clauses)
      if (x.number == c.number.text) {
        duplicate("clause", c.number, x.span);
        return;
      }
    ClauseInfo info;
    info.number = c.number.text;
    info.title = c.title.text;
    info.part = c.part;
    for (const auto& l : c.leads) info.leads.push_back(l.text);
    for (const auto& t : c.text) info.text += t.text;
    info.span = c.span;
    p_.clauses.push_back(std::move(info));
    int ci = static_cast<int>(p_.clauses.size()) - 1;
    for (const auto& it : c.items) item_decl(it, ci);
    for (const auto& r : c.requires_) shared_.push_back({&r, ci, false});
  }

  // Whether a condition stated in a clause for many items gates item `i`.
  bool gates(const ast::SharedRequire& r, const ItemInfo& item) const {
    if (!r.items.empty())
      return std::any_of(r.items.begin(), r.items.end(), [&](const ast::Str& s) { return s.text == item.number; });
    if (!r.part.text.empty()) return item.clause >= 0 && p_.clauses[item.clause].part == r.part.text;
    return true;
  }

  // Items and parts named by shared conditions exist.
  void check_shared() {
    for (auto& sh : shared_) {
      for (const auto& s : sh.req->items)
        if (p_.find_item(s.text) < 0) {
          std::vector<std::string> names;
          for (const auto& it : p_.items) names.push_back(it.number);
          auto& d = diags_.report(DiagCode::E0104, s.span, msg(CheckMsg::NoSuchItem, {{"name", s.text}}));
          if (auto sug = did_you_mean(s.text, names)) d.with_help(msg(MsgId::DidYouMeanText, {{"name", *sug}}));
        }
      const std::string& part = sh.req->part.text;
      if (!part.empty() && std::none_of(p_.clauses.begin(), p_.clauses.end(), [&](const ClauseInfo& c) { return c.part == part; }))
        diags_.report(DiagCode::E0104, sh.req->part.span, msg(CheckMsg::NoSuchPart, {{"part", part}}));
    }
  }

  void item_decl(const ast::Item& it, int clause) {
    for (size_t i = 0; i < p_.items.size(); ++i)
      if (p_.items[i].number == it.number.text) {
        diags_.report(DiagCode::E0402, it.number.span, msg(MsgId::ItemDeclaredTwice, {{"number", it.number.text}}))
            .note(p_.items[i].span, msg(MsgId::FirstDeclaredHere));
        return;
      }
    ItemInfo info;
    info.number = it.number.text;
    info.title = it.title.text;
    info.clause = clause;
    info.span = it.span;
    for (const auto& in : it.inputs) {
      Type t = resolve_type(in.type);
      if (t.ty == Ty::Duration) {
        diags_.report(DiagCode::E0105, in.type.name.span, msg(CheckMsg::InputCannotBeDuration))
            .with_help(msg(CheckMsg::AskForDates));
        t = T(Ty::Error);
      }
      int f = p_.find_field(in.name.text);
      if (f >= 0 && p_.fields[f].common) {
        diags_.report(DiagCode::E0101, in.name.span, msg(CheckMsg::InputIsCommonField, {{"name", in.name.text}}))
            .note(p_.fields[f].span, msg(CheckMsg::DeclaredHere));
        continue;
      }
      if (f >= 0 && t.ty != Ty::Error && p_.fields[f].type.ty != Ty::Error && p_.fields[f].type != t) {
        diags_.report(DiagCode::E0205, in.type.name.span,
                      msg(CheckMsg::InputTypeDiffers, {{"name", in.name.text}, term("type", p_.type_name(t)),
                                                       term("other", p_.type_name(p_.fields[f].type))}))
            .note(p_.fields[f].span, msg(MsgId::FirstDeclaredHere))
            .with_help(msg(CheckMsg::SameInputNameSameMeaning));
        continue;
      }
      bool dup = false;
      for (const auto& x : info.inputs) dup |= x.field == f && f >= 0;
      if (dup) {
        diags_.report(DiagCode::E0101, in.name.span, msg(MsgId::InputDeclaredTwiceInItem, {{"name", in.name.text}}));
        continue;
      }
      bool year_month = in.type.name.text == "month" || in.type.name.text == "年月";
      if (f >= 0 && p_.fields[f].year_month != year_month && t.ty == Ty::Date) {
        diags_.report(DiagCode::E0205, in.type.name.span,
                      msg(CheckMsg::InputKindDiffers, {{"name", in.name.text}, term("kind", year_month ? "month" : "date"),
                                                       term("other", year_month ? "date" : "month")}))
            .note(p_.fields[f].span, msg(MsgId::FirstDeclaredHere));
        continue;
      }
      if (f < 0) {
        FieldInfo fi;
        fi.name = in.name.text;
        fi.label = in.label.text;
        fi.type = t;
        fi.year_month = year_month;
        fi.span = in.span;
        p_.fields.push_back(std::move(fi));
        f = static_cast<int>(p_.fields.size()) - 1;
      }
      info.inputs.push_back({f, in.label.text.empty() ? p_.fields[f].label : in.label.text, in.optional, in.recorded, in.span});
      pending_awards_.push_back({p_.items.size(), &in, f});
    }
    p_.items.push_back(std::move(info));
    item_ast_.push_back(&it);
  }

  void value_spec(ItemInfo& item, const ast::ValueSpec* v, ValueInfo& out, Span keyword, const char* what,
                  const Scope& scope) {
    if (!v) return;
    out.present = true;
    out.span = v->span;
    if (v->expr) {
      out.expr = exprs_.check_as(*v->expr, scope, T(Ty::Money), what);
      return;
    }
    bool otherwise = false;
    // A tier is reached only when the earlier tiers' conditions failed, and its value is taken
    // only when its own holds: what those prove given (`present(x)`) holds there.
    Scope reached = scope;
    for (const auto& t : v->tiers) {
      TierInfo ti;
      ti.label = t.label.text;
      ti.span = t.span;
      ti.value = exprs_.check_as(*t.value, t.when ? exprs_.given(*t.when, reached, true) : reached, T(Ty::Money), what);
      if (t.when) ti.when = exprs_.check_as(*t.when, reached, T(Ty::Bool), "a tier's condition");
      if (t.when) reached = exprs_.given(*t.when, reached, false);
      if (otherwise) diags_.report(DiagCode::E0106, t.span, msg(MsgId::TierAfterOtherwise));
      otherwise |= !t.when;
      out.tiers.push_back(std::move(ti));
    }
    if (!otherwise)
      diags_.report(DiagCode::E0106, keyword, msg(MsgId::TiersWithoutOtherwise, {term("what", what)}))
          .with_help(msg(MsgId::EndTiersWithOtherwise));
  }

  void item_body(size_t index) {
    size_t errors_before = diags_.error_count();
    ItemInfo& item = p_.items[index];
    const ast::Item& it = *item_ast_[index];
    Scope scope;
    scope.item = &item;
    for (const auto& l : it.lets) {
      for (const auto& x : item.lets)
        if (x.name == l.name.text) diags_.report(DiagCode::E0101, l.name.span, msg(CheckMsg::DefinedTwice, {{"name", l.name.text}}));
      TExprPtr v = exprs_.check(*l.value, scope);
      if (v->type.ty == Ty::Number) exprs_.coerce(v, T(v->literal.find('.') == std::string::npos ? Ty::Int : Ty::Decimal));
      // Lets live in the first temporaries after the application's fields.
      int32_t slot = p_.slot_count + static_cast<int32_t>(item.lets.size());
      item.lets.push_back({l.name.text, std::move(v), slot, l.span});
    }
    // Conditions stated once for many items come first: they gate the item before its own.
    for (size_t k = 0; k < shared_.size(); ++k) {
      const ast::SharedRequire& sr = *shared_[k].req;
      if (!gates(sr, item)) continue;
      shared_[k].used = true;
      ConditionInfo ci{sr.req.name.text, sr.req.reason.text, exprs_.check_as(*sr.req.cond, scope, T(Ty::Bool), "a condition"),
                       sr.req.span, shared_[k].clause, static_cast<int>(k)};
      item.conditions.push_back(std::move(ci));
    }
    for (const auto& r : it.requires_) {
      for (const auto& x : item.conditions)
        if (x.name == r.name.text) diags_.report(DiagCode::E0101, r.name.span, msg(CheckMsg::ConditionDefinedTwice, {{"name", r.name.text}}));
      item.conditions.push_back({r.name.text, r.reason.text, exprs_.check_as(*r.cond, scope, T(Ty::Bool), "a condition"), r.span});
    }
    // Decisions keep one bit per condition and per application value: past the limit the
    // policy is refused here rather than evaluated wrongly.
    if (item.conditions.size() > kMaxItemConditions) {
      diags_.report(DiagCode::E0403, item.conditions[kMaxItemConditions].span,
                    msg(CheckMsg::TooManyRequirements, {{"number", item.number},
                                                        {"count", std::to_string(item.conditions.size())},
                                                        {"max", std::to_string(kMaxItemConditions)}}))
          .with_help(msg(CheckMsg::CombineRequirements));
    }
    size_t values = item.inputs.size();
    for (const auto& f : p_.fields) values += f.common;
    if (values > kMaxApplicationValues) {
      diags_.report(DiagCode::E0404, it.number.span,
                    msg(CheckMsg::TooManyValues, {{"number", item.number},
                                                  {"count", std::to_string(values)},
                                                  {"max", std::to_string(kMaxApplicationValues)}}))
          .with_help(msg(CheckMsg::SplitItemOrDropInputs));
    }
    if (!it.amount && !it.discretionary) {
      diags_.report(DiagCode::E0106, it.number.span, msg(CheckMsg::ItemHasNoAmount, {{"number", item.number}}))
          .with_help(msg(CheckMsg::SayHowMuch));
    }
    if (it.amount && it.discretionary)
      diags_.report(DiagCode::E0101, it.amount_keyword, msg(CheckMsg::AmountAndDiscretionary, {{"number", item.number}}))
          .with_help(msg(CheckMsg::KeepFormulaOrDiscretionary));
    value_spec(item, it.amount.get(), item.amount, it.amount_keyword, "the amount", scope);
    if (it.discretionary && !it.amount) {
      // Nothing is computed: the decision is eligible, with the cap as its ceiling.
      item.discretionary = true;
      item.discretion = it.discretion.text;
      auto zero = std::make_unique<TExpr>();
      zero->op = TOp::Const;
      zero->type = T(Ty::Money);
      zero->span = it.amount_keyword;
      item.amount.expr = std::move(zero);
      item.amount.present = true;
      item.amount.span = it.amount_keyword;
    }
    value_spec(item, it.cap.get(), item.cap, it.cap_keyword, "the cap", scope);
    if (it.relax) {
      item.cap_relaxable = true;
      item.relax_reason = it.relax->reason.text;
      if (it.relax->when) item.relax_when = exprs_.check_as(*it.relax->when, scope, T(Ty::Bool), "when a cap may be relaxed");
      if (item.discretionary)
        diags_.report(DiagCode::E0106, it.relax->span, msg(CheckMsg::DiscretionaryNotRelaxable))
            .with_help(msg(CheckMsg::RemoveRelaxable));
    }
    if (item.cap.expr) warn_if_negative(item.cap.expr.get(), CheckMsg::CapCanGoNegative, item.cap.span);
    for (const auto& t : item.cap.tiers) warn_if_negative(t.value.get(), CheckMsg::CapTierCanGoNegative, t.span);
    // Unused inputs are usually a typo or an unfinished clause; after an error in the item the
    // failed expression no longer shows its uses, so say nothing then.
    if (diags_.error_count() > errors_before) return;
    for (const auto& in : item.inputs) {
      const auto& f = p_.fields[in.field];
      bool used = in.recorded || uses_slot(item, f.slot) || used_by_rules(f, static_cast<int>(index));
      if (!used)
        diags_.report(DiagCode::W0002, in.span, msg(MsgId::InputNeverUsed, {{"name", f.name}}))
            .with_help(msg(MsgId::UseItOrRemove));
    }
  }

  static bool expr_uses(const TExpr* e, int32_t slot) {
    if (!e) return false;
    if (e->op == TOp::Slot && e->slot == slot) return true;
    if (e->op == TOp::Present && e->value == slot) return true;  // `present(x)` reads x
    for (const auto& a : e->args)
      if (expr_uses(a.get(), slot)) return true;
    return false;
  }
  static bool value_uses(const ValueInfo& v, int32_t slot) {
    if (expr_uses(v.expr.get(), slot)) return true;
    for (const auto& t : v.tiers)
      if (expr_uses(t.value.get(), slot) || expr_uses(t.when.get(), slot)) return true;
    return false;
  }
  bool uses_slot(const ItemInfo& item, int32_t slot) const {
    for (const auto& l : item.lets)
      if (expr_uses(l.value.get(), slot)) return true;
    for (const auto& c : item.conditions)
      if (expr_uses(c.cond.get(), slot)) return true;
    for (const auto& l : item.level_limits)
      if (expr_uses(l.get(), slot)) return true;
    return value_uses(item.amount, slot) || value_uses(item.cap, slot) || expr_uses(item.relax_when.get(), slot);
  }
  bool used_by_rules(const FieldInfo& f, int item) const {
    int fi = p_.find_field(f.name);
    for (const auto& l : p_.earlier_links)  // a key of inputs computed from earlier grants
      for (int k : l.key_fields)
        if (k == fi) return true;
    for (const auto& l : p_.level_links)
      for (int k : l.key_fields)
        if (k == fi) return true;
    for (const auto& r : p_.rules) {
      if (!r.applies_to(item)) continue;
      if (r.rank_field == fi || r.scope_field == fi) return true;
      for (int k : r.key_fields)
        if (k == fi) return true;
    }
    return false;
  }

  // ---- portfolio rules ----
  const ast::PortfolioProp* prop(const ast::PortfolioDecl& d, ast::PropKind k) {
    const ast::PortfolioProp* found = nullptr;
    for (const auto& p : d.props)
      if (p.kind == k) {
        if (found && k != ast::PropKind::Per) diags_.report(DiagCode::E0101, p.span, msg(CheckMsg::PropertyGivenTwice, {{"property", ast::prop_kind_text(k)}}));
        found = &p;
      }
    return found;
  }

  int field_for_rule(const ast::Ident& n, const RuleInfo& r, const char* role) {
    int f = p_.find_field(n.text);
    std::vector<std::string> names;
    for (const auto& x : p_.fields) names.push_back(x.name);
    if (f < 0) {
      auto& d = diags_.report(DiagCode::E0100, n.span, msg(MsgId::UnknownFieldAsRole, {{"name", n.text}, term("role", role)}));
      if (auto s = did_you_mean(n.text, names)) d.with_help(msg(MsgId::DidYouMean, {{"name", *s}}));
      return -1;
    }
    if (!p_.fields[f].common) {
      for (int i : r.items) {
        bool has = false;
        for (const auto& in : p_.items[i].inputs) has |= in.field == f;
        if (!has) {
          diags_.report(DiagCode::E0205, n.span, msg(CheckMsg::ItemHasNoInput, {{"number", p_.items[i].number}, {"name", n.text}}))
              .note(p_.items[i].span, msg(CheckMsg::ItemDeclaredHere));
        }
      }
      if (r.items.empty()) {
        diags_.report(DiagCode::E0205, n.span, msg(CheckMsg::RuleMustListItems, {{"name", n.text}}));
      }
    }
    return f;
  }

  void rule(const ast::PortfolioDecl& d) {
    for (const auto& x : p_.rules)
      if (x.name == d.name.text) {
        duplicate("rule", d.name, x.span);
        return;
      }
    RuleInfo r;
    r.kind = static_cast<RuleKind>(d.kind);
    r.name = d.name.text;
    r.label = d.label.text;
    r.span = d.span;
    for (size_t i = 0; i < p_.clauses.size(); ++i)
      if (p_.clauses[i].number == d.clause) r.clause = static_cast<int>(i);
    using K = ast::PropKind;
    // Which properties each kind takes, and which it needs.
    struct Allowed { RuleKind kind; std::vector<K> allowed, needed; };
    static const Allowed kAllowed[] = {
        {RuleKind::Group, {K::Items, K::Limit, K::Per}, {K::Items, K::Limit}},
        {RuleKind::Quota, {K::Items, K::Places, K::Per, K::Rank}, {K::Items, K::Places, K::Rank}},
        {RuleKind::Once, {K::Items, K::Key, K::Per}, {K::Items, K::Key}},
        {RuleKind::Series, {K::Items, K::Key, K::Supports, K::Within, K::Consecutive}, {K::Items, K::Key}},
        {RuleKind::Exclusive, {K::Items, K::Key, K::Prefer}, {K::Key}},
        {RuleKind::Budget, {K::Items, K::Limit, K::Per, K::Scale, K::FirstCome, K::Rank}, {K::Limit}},
        {RuleKind::Highest, {K::Items, K::With, K::Key}, {K::Items, K::With, K::Key}},
        {RuleKind::Combined, {K::Items, K::With, K::Key, K::Limit}, {K::Items, K::With, K::Key, K::Limit}},
        {RuleKind::Route, {K::Items, K::Above, K::To}, {K::Items, K::Above, K::To}},
    };
    const Allowed& allow = kAllowed[static_cast<int>(r.kind)];
    for (const auto& pr : d.props) {
      bool ok = false;
      for (K k : allow.allowed) ok |= k == pr.kind;
      if (!ok) {
        std::vector<std::string> props;
        for (K k : allow.allowed) props.push_back("`" + std::string(ast::prop_kind_text(k)) + "`");
        diags_.report(DiagCode::E0106, pr.span,
                      msg(d.kind == ast::PortfolioKind::Exclusive ? CheckMsg::PropertyNotInRuleAn : CheckMsg::PropertyNotInRule,
                          {{"property", ast::prop_kind_text(pr.kind)}, {"kind", ast::portfolio_kind_text(d.kind)}}))
            .with_help(msg(CheckMsg::RuleTakes, {{"kind", ast::portfolio_kind_text(d.kind)}, nested("list", list_msg(props))}));
      }
    }
    for (K k : allow.needed)
      if (!prop(d, k))
        diags_.report(DiagCode::E0106, d.name.span,
                      msg(CheckMsg::RuleNeedsProperty, {{"kind", ast::portfolio_kind_text(d.kind)}, {"name", d.name.text},
                                                        {"property", ast::prop_kind_text(k)}}));
    if (auto* items = prop(d, K::Items)) {
      for (const auto& s : items->items) {
        int i = p_.find_item(s.text);
        if (i < 0) {
          std::vector<std::string> names;
          for (const auto& it : p_.items) names.push_back(it.number);
          auto& dg = diags_.report(DiagCode::E0104, s.span, msg(CheckMsg::NoSuchItem, {{"name", s.text}}));
          if (auto sug = did_you_mean(s.text, names)) dg.with_help(msg(MsgId::DidYouMeanText, {{"name", *sug}}));
          continue;
        }
        r.items.push_back(i);
      }
    }
    for (const auto& pr : d.props) {
      if (pr.kind != K::Per) continue;
      const std::string& n = pr.names[0].text;
      if (n == "year" || n == "年") r.period = Period::Year;
      else if (n == "term" || n == "期") r.period = Period::Term;
      else if (r.kind == RuleKind::Group) r.scope_field = field_for_rule(pr.names[0], r, "a scope");
      else
        diags_.report(DiagCode::E0106, pr.span, msg(CheckMsg::OnlyPerYearOrTerm));
    }
    // A one-off rule holds for the whole term unless it says `per year` (once in each year).
    if (r.kind == RuleKind::Once) {
      r.period = Period::Term;
      for (const auto& pr : d.props)
        if (pr.kind == K::Per && (pr.names[0].text == "year" || pr.names[0].text == "年")) r.period = Period::Year;
    }
    if (r.kind == RuleKind::Group || r.kind == RuleKind::Quota || r.kind == RuleKind::Budget) {
      bool period = false;
      for (const auto& pr : d.props)
        if (pr.kind == K::Per && (pr.names[0].text == "year" || pr.names[0].text == "term" ||
                                  pr.names[0].text == "年" || pr.names[0].text == "期"))
          period = true;
      if (!period)
        diags_.report(DiagCode::E0106, d.name.span,
                      msg(CheckMsg::RuleNeedsPeriod, {{"kind", ast::portfolio_kind_text(d.kind)}, {"name", d.name.text}}));
    }
    if (auto* pl = prop(d, K::Places)) {
      int64_t v = 0;
      if (exprs_.constant(*pl->value, T(Ty::Int), &v)) r.places = v;
    }
    if (auto* rk = prop(d, K::Rank)) {
      r.rank_field = field_for_rule(rk->names[0], r, "a ranking");
      r.descending = rk->descending;
      if (r.rank_field >= 0 && !is_numeric(p_.fields[r.rank_field].type.ty)) {
        diags_.report(DiagCode::E0205, rk->names[0].span,
                      msg(CheckMsg::RankByNumber, {{"name", rk->names[0].text}, term("type", p_.type_name(p_.fields[r.rank_field].type))}));
      }
    }
    if (auto* k = prop(d, K::Key))
      for (const auto& n : k->names) r.key_fields.push_back(field_for_rule(n, r, "a key"));
    if (auto* w = prop(d, K::With)) {
      LevelLink link;
      link.policy = w->names[0].text;
      for (const auto& s : w->items) link.items.push_back(s.text);
      link.key_fields = r.key_fields;
      link.rule = static_cast<int>(p_.rules.size());
      link.span = w->span;
      if (link.policy == p_.name)
        diags_.report(DiagCode::E0106, w->names[0].span, msg(CheckMsg::WithNamesAnotherPolicy))
            .with_help(msg(CheckMsg::WithinOnePolicy));
      level_keys(prop(d, K::Key), r.key_fields);
      r.level_link = static_cast<int>(p_.level_links.size());
      p_.level_links.push_back(std::move(link));
    }
    if (auto* a = prop(d, K::Above)) {
      // A threshold names a parameter or one amount, as a budget does.
      if (a->value->kind == ast::ExprKind::Name && p_.find_param(a->value->text) >= 0) {
        r.threshold_param = p_.find_param(a->value->text);
        if (p_.params[r.threshold_param].type.ty != Ty::Money)
          diags_.report(DiagCode::E0203, a->value->span, msg(CheckMsg::ThresholdMustBe, {term("type", "money")}));
        if (p_.params[r.threshold_param].optional)
          diags_.report(DiagCode::E0206, a->value->span, msg(CheckMsg::ThresholdNotOptional))
              .with_help(msg(CheckMsg::MakeThresholdRequired));
      } else {
        Scope scope;
        TExprPtr t = exprs_.check_as(*a->value, scope, T(Ty::Money), "a threshold");
        if (t->type.ty != Ty::Error && t->op != TOp::Const)
          diags_.report(DiagCode::E0206, a->value->span, msg(CheckMsg::ThresholdParameterOrAmount));
        else if (t->type.ty != Ty::Error) r.threshold = t->value;
      }
    }
    if (auto* t = prop(d, K::To)) r.route_to = t->names[0].text;
    if (auto* c = prop(d, K::Consecutive)) {
      int64_t v = 0;
      if (exprs_.constant(*c->value, T(Ty::Int), &v)) {
        if (v < 1) diags_.report(DiagCode::E0206, c->span, msg(CheckMsg::AtLeastOneYearInARow));
        else r.max_consecutive_years = v;
      }
    }
    if (auto* s = prop(d, K::Supports)) {
      int64_t v = 0;
      if (exprs_.constant(*s->value, T(Ty::Int), &v)) r.max_supports = v;
    }
    if (auto* w = prop(d, K::Within)) {
      int64_t v = 0;
      Duration dur;
      if (exprs_.constant(*w->value, T(Ty::Duration), &v, &dur)) {
        r.within = dur;
        if (dur.months || dur.days)
          diags_.report(DiagCode::E0206, w->span, msg(CheckMsg::WindowInWholeYears));
      }
    }
    r.prefer_highest = prop(d, K::Prefer) != nullptr;
    if (r.kind == RuleKind::Budget) {
      // How an oversubscribed pool is shared is the text's to say: pro rata, by acceptance date, or
      // by rank. Said twice is an error; not said, the run reports the oversubscription.
      std::vector<const ast::PortfolioProp*> said;
      for (K k : {K::Scale, K::FirstCome, K::Rank})
        if (auto* pr = prop(d, k)) said.push_back(pr);
      if (said.size() > 1)
        diags_.report(DiagCode::E0106, said[1]->span, msg(CheckMsg::BudgetSharedOneWay))
            .with_help(msg(CheckMsg::KeepTheOneTheTextStates));
      r.ration = prop(d, K::Scale) ? Ration::ProRata : prop(d, K::FirstCome) ? Ration::FirstCome
               : prop(d, K::Rank)  ? Ration::Ranked  : Ration::Unstated;
      if (said.empty())
        diags_.report(DiagCode::W0005, d.name.span, msg(CheckMsg::BudgetSharingUnstated, {{"name", d.name.text}}))
            .with_help(msg(CheckMsg::StateSharingRule));
    }
    if (auto* sc = prop(d, K::Scale)) {
      r.scale_mode = sc->mode;
      int64_t q = 1;
      exprs_.allow_bare_money(true);  // a rounding step: `rounded down to 0.01`
      bool ok = exprs_.constant(*sc->value, T(Ty::Money), &q);
      exprs_.allow_bare_money(false);
      if (ok && q > 0) r.scale_quantum = q;
      // Scaled shares rounded any way but down can add up to more than the budget (100 rounded
      // up to 1万 paid 300 times the limit): refused rather than corrected behind the author's back.
      if (sc->mode != RoundingMode::Down) {
        CheckMsg which = sc->mode == RoundingMode::Up       ? CheckMsg::ScaleRoundedUp
                         : sc->mode == RoundingMode::HalfEven ? CheckMsg::ScaleRoundedHalfEven
                                                              : CheckMsg::ScaleRoundedHalfUp;
        diags_.report(DiagCode::E0304, sc->span, msg(which)).with_help(msg(CheckMsg::RoundScaledDown));
      }
    }
    if (auto* lim = prop(d, K::Limit)) {
      if (r.kind == RuleKind::Budget) {
        // A budget names a parameter (optional: no control while unset) or a constant.
        if (lim->value->kind == ast::ExprKind::Name && p_.find_param(lim->value->text) >= 0) {
          r.budget_param = p_.find_param(lim->value->text);
          if (p_.params[r.budget_param].type.ty != Ty::Money)
            diags_.report(DiagCode::E0203, lim->value->span, msg(CheckMsg::BudgetMustBe, {term("type", "money")}));
        } else {
          Scope scope;
          r.limit = exprs_.check_as(*lim->value, scope, T(Ty::Money), "a budget");
          if (r.limit->type.ty != Ty::Error && r.limit->op != TOp::Const)
            diags_.report(DiagCode::E0206, lim->value->span, msg(CheckMsg::BudgetParameterOrAmount))
                .with_help(msg(CheckMsg::DeclareBudgetParameter));
        }
      } else if (r.kind == RuleKind::Combined) {
        level_limits_.push_back({p_.rules.size(), lim->value.get()});
      } else {
        pending_limits_.push_back({p_.rules.size(), lim->value.get()});
      }
    }
    p_.rules.push_back(std::move(r));
    int ri = static_cast<int>(p_.rules.size()) - 1;
    if (p_.rules[ri].kind == RuleKind::Group)
      for (int i : p_.rules[ri].items) p_.items[i].groups.push_back(ri);
    if (p_.rules[ri].kind == RuleKind::Highest || p_.rules[ri].kind == RuleKind::Combined)
      for (int i : p_.rules[ri].items) {
        p_.items[i].levels.push_back(ri);
        p_.items[i].level_limits.emplace_back();
      }
  }

  // Keys that match another policy's records are compared as texts (a project code, a credit
  // code): a number or a date could be written two ways in two policies' records.
  void level_keys(const ast::PortfolioProp* key, const std::vector<int>& fields) {
    if (!key) return;
    for (size_t k = 0; k < fields.size() && k < key->names.size(); ++k)
      if (fields[k] >= 0 && p_.fields[fields[k]].type.ty != Ty::Text && p_.fields[fields[k]].type.ty != Ty::Error)
        diags_.report(DiagCode::E0205, key->names[k].span,
                      msg(CheckMsg::LevelKeyMustBe, {term("want", "text"), {"name", key->names[k].text},
                                                     term("type", p_.type_name(p_.fields[fields[k]].type))}));
  }

  // `input x: money award of POLICY items "6" key project`: filled by the run, never by the
  // applicant. The same input name means the same thing in every item that declares it.
  void award_inputs() {
    for (const auto& [item, in, field] : pending_awards_) {
      FieldInfo& f = p_.fields[field];
      if (!in->award_of) continue;
      const ast::AwardOf& a = *in->award_of;
      if (a.kind != ast::AwardOf::Kind::Award) {
        earlier_input(item, *in, field);
        continue;
      }
      if (f.type.ty != Ty::Money && f.type.ty != Ty::Error)
        diags_.report(DiagCode::E0203, in->type.name.span,
                      msg(CheckMsg::AwardOfIsMoney, {term("want", "money"), term("type", p_.type_name(f.type))}));
      if (in->optional)
        diags_.report(DiagCode::E0106, in->span, msg(CheckMsg::AwardOfNeverOptional))
            .with_help(msg(CheckMsg::RemoveOptionalRequireAward));
      if (a.policy.text == p_.name)
        diags_.report(DiagCode::E0106, a.policy.span, msg(CheckMsg::AwardOfNamesAnotherPolicy));
      LevelLink link;
      link.policy = a.policy.text;
      for (const auto& s : a.items) link.items.push_back(s.text);
      link.field = field;
      link.span = a.span;
      RuleInfo scope;  // the key fields must be common fields or inputs of this item
      scope.items.push_back(static_cast<int>(item));
      for (const auto& k : a.keys) link.key_fields.push_back(field_for_rule(k, scope, "a key"));
      ast::PortfolioProp keys;
      for (const auto& k : a.keys) keys.names.push_back(k);
      level_keys(&keys, link.key_fields);
      if (f.award_of >= 0) {
        const LevelLink& first = p_.level_links[f.award_of];
        if (first.policy != link.policy || first.items != link.items || first.key_fields != link.key_fields) {
          diags_.report(DiagCode::E0205, a.span, msg(CheckMsg::FilledDifferently, {{"name", in->name.text}}))
              .note(first.span, msg(MsgId::FirstDeclaredHere))
              .with_help(msg(CheckMsg::SameInputNameSameMeaning));
        }
        continue;
      }
      f.award_of = static_cast<int>(p_.level_links.size());
      p_.level_links.push_back(std::move(link));
    }
    for (const auto& [item, in, field] : pending_awards_) {
      const FieldInfo& f = p_.fields[field];
      if (!in->award_of && f.earlier >= 0) {
        diags_.report(DiagCode::E0205, in->name.span, msg(CheckMsg::ComputedHereGivenThere, {{"name", in->name.text}}))
            .note(p_.earlier_links[f.earlier].span, msg(CheckMsg::ComputedHere))
            .with_help(msg(CheckMsg::SameInputNameSameMeaning));
      }
      if (in->award_of || f.award_of < 0) continue;
      diags_.report(DiagCode::E0205, in->name.span, msg(CheckMsg::FilledHereGivenThere, {{"name", in->name.text}}))
          .note(p_.level_links[f.award_of].span, msg(CheckMsg::FilledFromPolicyHere, {{"policy", p_.level_links[f.award_of].policy}}))
          .with_help(msg(CheckMsg::SameInputNameSameMeaning));
    }
  }

  // `input n: int count of earlier grants items "12.1" key enterprise`: the run computes it (docs/language.md §13.11).
  void earlier_input(size_t item, const ast::InputDecl& in, int field) {
    const ast::AwardOf& a = *in.award_of;
    FieldInfo& f = p_.fields[field];
    using K = ast::AwardOf::Kind;
    Ty want = a.kind == K::Count ? Ty::Int : a.kind == K::First ? Ty::Date : Ty::Money;
    CheckMsg what = a.kind == K::Count ? CheckMsg::EarlierCountIs : a.kind == K::First ? CheckMsg::EarlierFirstIs
                                                                                       : CheckMsg::EarlierSumIs;
    if (f.type.ty != want && f.type.ty != Ty::Error)
      diags_.report(DiagCode::E0203, in.type.name.span,
                    msg(what, {term("want", p_.type_name(T(want))), term("type", p_.type_name(f.type))}));
    // With no earlier grant there is no first date: the input is then absent, so it is optional.
    if (a.kind == K::First && !in.optional)
      diags_.report(DiagCode::E0106, in.span, msg(CheckMsg::FirstGrantOptional))
          .with_help(msg(CheckMsg::PresentOrElseFirstGranted));
    if (a.kind != K::First && in.optional)
      diags_.report(DiagCode::E0106, in.span,
                    msg(a.kind == K::Count ? CheckMsg::EarlierCountNeverAbsent : CheckMsg::EarlierSumNeverAbsent));
    EarlierLink link;
    link.kind = a.kind == K::Count ? EarlierLink::Kind::Count : a.kind == K::First ? EarlierLink::Kind::First : EarlierLink::Kind::Sum;
    for (const auto& s : a.items) {
      if (p_.find_item(s.text) < 0) {
        std::vector<std::string> names;
        for (const auto& it : p_.items) names.push_back(it.number);
        auto& d = diags_.report(DiagCode::E0104, s.span, msg(CheckMsg::NoSuchItem, {{"name", s.text}}));
        if (auto sug = did_you_mean(s.text, names)) d.with_help(msg(MsgId::DidYouMeanText, {{"name", *sug}}));
      }
      link.items.push_back(s.text);
    }
    RuleInfo scope;  // the key fields must be common fields or inputs of this item
    scope.items.push_back(static_cast<int>(item));
    for (const auto& k : a.keys) link.key_fields.push_back(field_for_rule(k, scope, "a key"));
    link.field = field;
    link.span = a.span;
    if (f.earlier >= 0) {
      const EarlierLink& first = p_.earlier_links[f.earlier];
      if (first.kind != link.kind || first.items != link.items || first.key_fields != link.key_fields) {
        diags_.report(DiagCode::E0205, a.span, msg(CheckMsg::ComputedDifferently, {{"name", in.name.text}}))
            .note(first.span, msg(MsgId::FirstDeclaredHere))
            .with_help(msg(CheckMsg::SameInputNameSameMeaning));
      }
      return;
    }
    f.earlier = static_cast<int>(p_.earlier_links.size());
    p_.earlier_links.push_back(std::move(link));
  }

  // A combined cap is computed for each application, so each listed item computes it with its
  // own inputs (`limit 50% of investment`) and its cap.
  void check_level_limits() {
    for (auto& [ri, expr] : level_limits_) {
      RuleInfo& r = p_.rules[ri];
      for (int i : r.items) {
        ItemInfo& item = p_.items[i];
        Scope scope;
        scope.item = &item;
        scope.allow_item_cap = true;
        TExprPtr lim = exprs_.check_as(*expr, scope, T(Ty::Money), "a combined limit");
        warn_if_negative(lim.get(), CheckMsg::LimitCanGoNegative, expr->span);
        if (uses_cap(lim.get()) && !item.cap.present)
          diags_.report(DiagCode::E0106, expr->span, msg(CheckMsg::LimitUsesCapWithoutCap, {{"number", item.number}}))
              .note(item.span, msg(CheckMsg::ItemDeclaredHere));
        for (size_t k = 0; k < item.levels.size(); ++k)
          if (item.levels[k] == static_cast<int>(ri)) item.level_limits[k] = std::move(lim);
      }
    }
  }

  void check_group_limits() {
    for (auto& [ri, expr] : pending_limits_) {
      RuleInfo& r = p_.rules[ri];
      Scope scope;
      scope.allow_item_cap = true;
      r.limit = exprs_.check_as(*expr, scope, T(Ty::Money), "a group limit");
      warn_if_negative(r.limit.get(), CheckMsg::LimitCanGoNegative, expr->span);
      if (!uses_cap(r.limit.get())) continue;
      for (int i : r.items)
        if (!p_.items[i].cap.present)
          diags_.report(DiagCode::E0106, expr->span, msg(CheckMsg::LimitUsesCapWithoutCap, {{"number", p_.items[i].number}}))
              .note(p_.items[i].span, msg(CheckMsg::ItemDeclaredHere));
    }
  }
  // Whether `e` can compute below zero: inputs and parameters never do (negative amounts are
  // refused), a subtraction can. A cap below zero caps at zero, but the author should know.
  static bool can_go_negative(const TExpr* e) {
    if (!e) return false;
    switch (e->op) {
      case TOp::Const: return e->value < 0;
      case TOp::Sub: case TOp::Neg: return true;
      case TOp::Max: {
        bool all = true;
        for (const auto& a : e->args) all = all && can_go_negative(a.get());
        return all;  // max(x, 0元) is never negative
      }
      default:
        for (const auto& a : e->args)
          if (can_go_negative(a.get())) return true;
        return false;
    }
  }
  // `what`: CapCanGoNegative, CapTierCanGoNegative or LimitCanGoNegative.
  void warn_if_negative(const TExpr* e, CheckMsg what, Span span) {
    if (!can_go_negative(e)) return;
    diags_.report(DiagCode::W0003, span, msg(what)).with_help(msg(CheckMsg::SaySoWithMax));
  }

  static bool uses_cap(const TExpr* e) {
    if (!e) return false;
    if (e->op == TOp::ItemCap) return true;
    for (const auto& a : e->args)
      if (uses_cap(a.get())) return true;
    return false;
  }

  void validity(const ast::Validity& v, const ast::Clause& c) {
    if (p_.validity.present) {
      diags_.report(DiagCode::E0101, v.span, msg(CheckMsg::ValidityTwice));
      return;
    }
    int32_t from = 0;
    if (!parse_date(v.from_text.text, &from)) {
      diags_.report(DiagCode::E0004, v.from_text.span, msg(CheckMsg::NotACalendarDate, {{"date", v.from_text.text}}));
      return;
    }
    Duration d;
    int32_t to = 0;
    if (v.duration) {
      int64_t unused = 0;
      if (!exprs_.constant(*v.duration, T(Ty::Duration), &unused, &d)) return;
      if (!term_end(from, d, &to) || to < from) {
        diags_.report(DiagCode::E0206, v.duration->span, msg(CheckMsg::TermNotUsable, {{"term", duration_str(d)}}));
        return;
      }
    } else {
      // `to DATE`: the last day in force, inclusive.
      if (!parse_date(v.to_text.text, &to)) {
        diags_.report(DiagCode::E0004, v.to_text.span, msg(CheckMsg::NotACalendarDate, {{"date", v.to_text.text}}));
        return;
      }
      if (to < from) {
        diags_.report(DiagCode::E0206, v.to_text.span,
                      msg(CheckMsg::ValidityEndsBeforeBegins, {{"to", v.to_text.text}, {"from", v.from_text.text}}));
        return;
      }
    }
    p_.validity.present = true;
    p_.validity.from = from;
    p_.validity.term = d;
    p_.validity.to = to;
    p_.validity.span = v.span;
    for (size_t i = 0; i < p_.clauses.size(); ++i)
      if (p_.clauses[i].number == c.number.text) p_.validity.clause = static_cast<int>(i);
  }

  // ---- rules files and --set ----
  void rules_file(const ast::File& f) {
    if (f.policy) diags_.report(DiagCode::E0106, f.policy->span, msg(CheckMsg::RulesFileDeclaresPolicy));
    if (f.rules.empty() && !f.policy)
      diags_.report(DiagCode::E0106, Span{f.file_id, 0, 0}, msg(CheckMsg::RulesFileEmpty));
    for (const auto& r : f.rules) {
      if (!p_.name.empty() && r.policy.text != p_.name) {
        diags_.report(DiagCode::E0303, r.policy.span, msg(CheckMsg::RulesForAnotherPolicy, {{"for", r.policy.text}, {"policy", p_.name}}))
            .note(p_.span, msg(CheckMsg::PolicyDeclaredHere));
        continue;
      }
      std::map<std::string, Span> seen;
      for (const auto& s : r.sets) {
        auto [it, fresh] = seen.emplace(s.name.text, s.span);
        if (!fresh) {
          diags_.report(DiagCode::E0101, s.name.span, msg(CheckMsg::ParameterSetTwice, {{"name", s.name.text}}))
              .note(it->second, msg(CheckMsg::FirstSetHere));
          continue;
        }
        exprs_.allow_bare_money(f.command_line);
        set_param(s);
        exprs_.allow_bare_money(false);
      }
    }
  }

  void set_param(const ast::RuleSet& s) {
    int i = p_.find_param(s.name.text);
    if (i < 0) {
      std::vector<std::string> names;
      for (const auto& x : p_.params) names.push_back(x.name);
      auto& d = diags_.report(DiagCode::E0301, s.name.span, msg(MsgId::NoSuchParameter, {{"name", s.name.text}}));
      if (auto sug = did_you_mean(s.name.text, names)) d.with_help(msg(MsgId::DidYouMean, {{"name", *sug}}));
      return;
    }
    ParamInfo& pr = p_.params[i];
    if (pr.type.ty == Ty::Error) return;
    int64_t v = 0;
    Duration dur;
    if (!exprs_.constant(*s.value, pr.type, &v, &dur)) return;
    if (pr.type.ty == Ty::Duration) {
      if (dur.years < 0 || dur.months < 0 || dur.days < 0) {
        diags_.report(DiagCode::E0206, s.value->span, msg(CheckMsg::NegativeDuration));
        return;
      }
      v = ir::pack_duration(dur);  // a duration slot holds the packed years, months and days
    }
    if (is_numeric(pr.type.ty) && v < 0) {
      diags_.report(DiagCode::E0206, s.value->span, msg(CheckMsg::NegativeParameterValue));
      return;
    }
    pr.has_value = true;
    pr.value = v;
    pr.value_span = s.span;
  }

  Policy& p_;
  Diagnostics& diags_;
  std::vector<UnitInfo> units_;
  ExprChecker exprs_;
  std::vector<const ast::Item*> item_ast_;
  int last_clause_number_ = 0;
  struct RoleClaim {
    int field = -1;  // the first field given the role
    Span span;       // its `role` word
  };
  RoleClaim role_claims_[kRoleCount];
  std::vector<std::pair<size_t, const ast::Expr*>> pending_limits_, level_limits_;
  struct PendingAward {
    size_t item;
    const ast::InputDecl* input;
    int field;
  };
  std::vector<PendingAward> pending_awards_;
  struct Shared {
    const ast::SharedRequire* req;
    int clause;
    bool used;
  };
  std::vector<Shared> shared_;
};

}  // namespace

std::unique_ptr<Policy> check(const std::vector<const ast::File*>& policy_files,
                              const std::vector<const ast::File*>& rules_files, Diagnostics& diags) {
  auto p = std::make_unique<Policy>();
  Checker c(*p, diags);
  c.run(policy_files, rules_files);
  return p;
}

bool check_parameter_values(const Policy& policy, Diagnostics& diags) {
  bool ok = true;
  for (const auto& pr : policy.params) {
    if (pr.optional || pr.has_value) continue;
    diags.report(DiagCode::E0300, pr.span, msg(CheckMsg::ParameterHasNoValue, {{"name", pr.name}}))
        .with_help(msg(CheckMsg::GiveParameterValue, {{"name", pr.name}}));
    ok = false;
  }
  return ok;
}

}  // namespace pol
