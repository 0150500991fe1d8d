// Linking the versions of a programme (programme.h): tables merged by name, each version's item
// programs relocated into the linked frame, rules restated unchanged merged into one.
#include "compiler/driver/programme.h"

#include <algorithm>
#include <map>
#include <string>

#include "compiler/diagnostics/messages_driver.h"

namespace pol {
namespace {

// Whether a revision's rule is the same rule as an earlier one (so the two share their state):
// everything but the items it covers and a group's limit (computed per application anyway).
bool same_rule(const RuleInfo& a, const Policy& pa, const RuleInfo& b, const Policy& pb) {
  auto field = [](const Policy& p, int f) { return f < 0 ? std::string() : p.fields[f].name; };
  auto fields = [&](const Policy& p, const std::vector<int>& fs) {
    std::vector<std::string> out;
    for (int f : fs) out.push_back(field(p, f));
    return out;
  };
  auto budget = [](const Policy& p, const RuleInfo& r) {
    if (r.budget_param >= 0) return "param " + p.params[r.budget_param].name;
    return r.limit && r.limit->op == TOp::Const ? std::to_string(r.limit->value) : std::string();
  };
  auto link = [&](const Policy& p, int l) {
    if (l < 0) return std::string();
    std::string out = p.level_links[l].policy;
    for (const auto& i : p.level_links[l].items) out += "\x1f" + i;
    for (const auto& k : fields(p, p.level_links[l].key_fields)) out += "\x1e" + k;
    return out;
  };
  auto threshold = [](const Policy& p, const RuleInfo& r) {
    return r.threshold_param >= 0 ? "param " + p.params[r.threshold_param].name : std::to_string(r.threshold);
  };
  if (link(pa, a.level_link) != link(pb, b.level_link) || a.route_to != b.route_to ||
      (a.kind == RuleKind::Route && threshold(pa, a) != threshold(pb, b)))
    return false;
  return a.kind == b.kind && field(pa, a.scope_field) == field(pb, b.scope_field) && a.period == b.period &&
         a.places == b.places && field(pa, a.rank_field) == field(pb, b.rank_field) && a.descending == b.descending &&
         fields(pa, a.key_fields) == fields(pb, b.key_fields) && a.max_supports == b.max_supports &&
         a.max_consecutive_years == b.max_consecutive_years &&
         a.within.years == b.within.years && a.within.months == b.within.months && a.within.days == b.within.days &&
         a.scale_mode == b.scale_mode && a.scale_quantum == b.scale_quantum && a.prefer_highest == b.prefer_highest &&
         a.ration == b.ration && field(pa, a.rank_field) == field(pb, b.rank_field) &&
         (a.kind != RuleKind::Budget || budget(pa, a) == budget(pb, b));
}

class Linker {
 public:
  Linker(std::vector<CheckedVersion>& vs, Policy& out, ir::Program& prog, Diagnostics& diags)
      : vs_(vs), out_(out), prog_(prog), diags_(diags) {}

  bool run() {
    const Policy& base = *vs_[0].policy;
    out_.name = base.name;
    out_.title = base.title;
    out_.short_title = base.short_title;
    out_.issuer = base.issuer;
    out_.number = base.number;
    out_.draft = base.draft;
    out_.level = base.level;
    out_.span = base.span;
    out_.rounding = base.rounding;
    out_.rounding_quantum = base.rounding_quantum;
    out_.preamble = base.preamble;
    out_.validity = base.validity;
    for (size_t v = 0; v < vs_.size(); ++v) tables(v);
    if (failed_) return false;
    slots();
    for (size_t v = 0; v < vs_.size(); ++v) version(v);
    prog_.frame_size = out_.slot_count;
    for (const auto& ip : prog_.items) prog_.frame_size = std::max(prog_.frame_size, ip.frame_size);
    ir::plan_rules(out_, prog_);
    // The rules keep their limits for the plan; nothing else after this reads a tree.
    for (auto& r : out_.rules) r.limit.reset();
    for (auto& it : out_.items)
      for (auto& l : it.level_limits) l.reset();
    auto role = [&](int f) { return f < 0 ? -1 : field_map_[0][f]; };
    out_.field_id = role(base.field_id);
    out_.field_enterprise = role(base.field_enterprise);
    out_.field_item = role(base.field_item);
    out_.field_date = role(base.field_date);
    out_.field_matter = role(base.field_matter);
    return !failed_;
  }

 private:
  // Lists, parameters, fields and texts of version v, matched by name with the ones before.
  void tables(size_t v) {
    const Policy& p = *vs_[v].policy;
    auto& enums = enum_map_.emplace_back();
    for (const auto& e : p.enums) {
      int found = -1;
      for (size_t i = 0; i < out_.enums.size(); ++i)
        if (out_.enums[i].name == e.name) found = static_cast<int>(i);
      if (found >= 0 && (out_.enums[found].members != e.members || out_.enums[found].catch_all != e.catch_all)) {
        diags_.report(DiagCode::E0410, e.span, msg(DriverMsg::ChangesListMembers, {{"name", e.name}}))
            .with_help(msg(DriverMsg::KeepEveryList));
        failed_ = true;
      }
      if (found < 0) {
        found = static_cast<int>(out_.enums.size());
        out_.enums.push_back(e);
      }
      enums.push_back(static_cast<uint16_t>(found));
    }
    auto type = [&](Type t) {
      if (t.ty == Ty::Enum) t.enum_id = enums[t.enum_id];
      return t;
    };
    auto& params = param_map_.emplace_back();
    for (const auto& pr : p.params) {
      int found = out_.find_param(pr.name);
      if (found >= 0 && out_.params[found].type != type(pr.type)) {
        diags_.report(DiagCode::E0410, pr.span, msg(DriverMsg::ChangesParameterType, {{"name", pr.name}}))
            .with_help(msg(DriverMsg::DeclareParameterWithAnotherName));
        failed_ = true;
      }
      if (found < 0) {
        found = static_cast<int>(out_.params.size());
        out_.params.push_back(pr);
        out_.params.back().type = type(pr.type);
      }
      params.push_back(found);
    }
    auto& fields = field_map_.emplace_back();
    for (const auto& f : p.fields) {
      int found = out_.find_field(f.name);
      if (found >= 0 && out_.fields[found].type != type(f.type)) {
        diags_.report(DiagCode::E0410, f.span, msg(DriverMsg::ChangesFieldType, {{"name", f.name}}))
            .with_help(msg(DriverMsg::FieldKeepsItsType));
        failed_ = true;
      }
      if (found < 0) {
        found = static_cast<int>(out_.fields.size());
        out_.fields.push_back(f);
        out_.fields.back().type = type(f.type);
        out_.fields.back().present_slot = -1;
        out_.fields.back().award_of = -1;  // linked with the version's rules (version())
        out_.fields.back().earlier = -1;
      }
      out_.fields[found].common = out_.fields[found].common || f.common;
      fields.push_back(found);
    }
    auto& texts = text_map_.emplace_back();
    for (const auto& t : p.texts) {
      auto [it, added] = text_index_.emplace(t, static_cast<int64_t>(out_.texts.size()));
      if (added) out_.texts.push_back(t);
      texts.push_back(it->second);
    }
  }

  // Linked slots: parameters, fields, then the presence slots of fields any version reads as optional.
  void slots() {
    int32_t n = 0;
    for (auto& pr : out_.params) pr.slot = n++;
    for (auto& f : out_.fields) f.slot = n++;
    for (size_t v = 0; v < vs_.size(); ++v) {
      const Policy& p = *vs_[v].policy;
      for (size_t f = 0; f < p.fields.size(); ++f)
        if (p.fields[f].present_slot >= 0 && out_.fields[field_map_[v][f]].present_slot < 0)
          out_.fields[field_map_[v][f]].present_slot = n++;
    }
    out_.slot_count = n;
  }

  void version(size_t v) {
    Policy& p = *vs_[v].policy;
    const ir::Program& src = vs_[v].program;
    // Old slot -> linked slot: the version's inputs by name, its own slots after the linked ones.
    const int32_t shift = out_.slot_count - p.slot_count;
    std::vector<int32_t> map(static_cast<size_t>(p.slot_count), -1);
    for (size_t i = 0; i < p.params.size(); ++i) map[p.params[i].slot] = out_.params[param_map_[v][i]].slot;
    for (size_t f = 0; f < p.fields.size(); ++f) {
      const FieldInfo& lf = out_.fields[field_map_[v][f]];
      map[p.fields[f].slot] = lf.slot;
      if (p.fields[f].present_slot >= 0) map[p.fields[f].present_slot] = lf.present_slot;
    }
    auto slot = [&](int32_t s) { return s < 0 ? s : s < p.slot_count ? map[s] : s + shift; };
    const int clause_base = static_cast<int>(out_.clauses.size());
    for (auto& c : p.clauses) {
      out_.clauses.push_back(c);
      out_.clauses.back().version = static_cast<int>(v);
    }
    const auto& amended = vs_[v].info.amended_clauses;
    auto amends = [&](int c) {
      return c >= 0 && std::find(amended.begin(), amended.end(), p.clauses[c].number) != amended.end();
    };
    auto clause = [&](int c) { return c < 0 ? c : c + clause_base; };

    VersionInfo info = vs_[v].info;
    info.validity = p.validity;
    info.validity.clause = clause(p.validity.clause);
    out_.versions.push_back(std::move(info));

    // Rules: one restated unchanged continues the earlier rule of the same name.
    std::vector<int> rule_map(p.rules.size(), -1);
    const int item_base = static_cast<int>(out_.items.size());
    for (size_t r = 0; r < p.rules.size(); ++r) {
      RuleInfo& ru = p.rules[r];
      std::vector<int> covered;
      for (size_t i = 0; i < p.items.size(); ++i)
        if (ru.applies_to(static_cast<int>(i))) covered.push_back(item_base + static_cast<int>(i));
      int found = -1;
      for (size_t k = 0; k < out_.rules.size(); ++k)
        if (out_.rules[k].name == ru.name && rule_version_[k] < static_cast<int>(v) &&
            same_rule(out_.rules[k], out_, ru, p))  // a linked rule's indexes are into the linked tables
          found = static_cast<int>(k);
      if (covered.empty()) continue;  // a version without items: nothing for the rule to cover
      if (found >= 0) {
        RuleInfo& merged = out_.rules[found];
        merged.items.insert(merged.items.end(), covered.begin(), covered.end());
        // Each version's applications read the rule as their own text words it.
        merged.version_labels.resize(vs_.size());
        merged.version_labels[v] = ru.label;
        if (amends(ru.clause)) merged.clause = clause(ru.clause);  // cited where the revision restates it
        rule_version_[found] = static_cast<int>(v);
        rule_map[r] = found;
        continue;
      }
      // A new rule: the version's own, with its indexes into the linked tables.
      RuleInfo nr = std::move(ru);
      nr.clause = clause(nr.clause);
      nr.items = covered;  // never "every item": the items of one version only
      nr.version_labels.assign(vs_.size(), std::string());
      nr.version_labels[v] = nr.label;
      auto f = [&](int x) { return x < 0 ? x : field_map_[v][x]; };
      nr.scope_field = f(nr.scope_field);
      nr.rank_field = f(nr.rank_field);
      for (int& k : nr.key_fields) k = f(k);
      nr.budget_param = nr.budget_param < 0 ? -1 : param_map_[v][nr.budget_param];
      nr.threshold_param = nr.threshold_param < 0 ? -1 : param_map_[v][nr.threshold_param];
      if (nr.level_link >= 0) nr.level_link = link(v, p.level_links[nr.level_link], static_cast<int>(out_.rules.size()), -1);
      rule_map[r] = static_cast<int>(out_.rules.size());
      out_.rules.push_back(std::move(nr));
      rule_version_.push_back(static_cast<int>(v));
    }

    // `award of` inputs: the field keeps the link of the first version that declares it; a later
    // version that fills it another way changes what the field means.
    for (size_t f = 0; f < p.fields.size(); ++f) {
      if (p.fields[f].award_of < 0) continue;
      FieldInfo& lf = out_.fields[field_map_[v][f]];
      int l = link(v, p.level_links[p.fields[f].award_of], -1, field_map_[v][f]);
      if (lf.award_of < 0) {
        lf.award_of = l;
      } else if (same_link(out_.level_links[lf.award_of], out_.level_links[l])) {
        out_.level_links.pop_back();
      } else {
        diags_.report(DiagCode::E0410, p.level_links[p.fields[f].award_of].span,
                      msg(DriverMsg::FillsFromOtherAwards, {{"name", lf.name}}))
            .with_help(msg(DriverMsg::DeclareInputWithAnotherName));
        failed_ = true;
      }
    }
    for (size_t f = 0; f < p.fields.size(); ++f) {
      if (p.fields[f].earlier < 0) continue;
      FieldInfo& lf = out_.fields[field_map_[v][f]];
      EarlierLink l = p.earlier_links[p.fields[f].earlier];
      for (int& k : l.key_fields) k = k < 0 ? k : field_map_[v][k];
      l.field = field_map_[v][f];
      if (lf.earlier < 0) {
        lf.earlier = static_cast<int>(out_.earlier_links.size());
        out_.earlier_links.push_back(std::move(l));
      } else {
        const EarlierLink& first = out_.earlier_links[lf.earlier];
        if (first.kind != l.kind || first.items != l.items || first.key_fields != l.key_fields) {
          diags_.report(DiagCode::E0410, l.span, msg(DriverMsg::ComputesFromOtherGrants, {{"name", lf.name}}))
              .with_help(msg(DriverMsg::DeclareInputWithAnotherName));
          failed_ = true;
        }
      }
    }
    for (size_t i = 0; i < p.items.size(); ++i) {
      ItemInfo it = std::move(p.items[i]);
      it.version = static_cast<int>(v);
      it.clause = clause(it.clause);
      for (auto& in : it.inputs) in.field = field_map_[v][in.field];
      for (auto& l : it.lets) {
        l.slot = slot(l.slot);
        l.value.reset();
      }
      it.relax_when.reset();
      for (auto& c : it.conditions) {
        c.cond.reset();
        c.clause = clause(c.clause);
      }
      for (ValueInfo* val : {&it.amount, &it.cap}) {
        val->expr.reset();
        for (auto& t : val->tiers) {
          t.value.reset();
          t.when.reset();
        }
      }
      for (int& g : it.groups) g = rule_map[g];
      for (int& g : it.levels) g = rule_map[g];
      out_.items.push_back(std::move(it));

      ir::ItemProgram ip = src.items[i];
      for (auto& in : ip.code) {
        bool text_const = in.op == ir::Op::Const && in.dst >= 0 && ip.slot_types[in.dst] == Ty::Text;
        in.dst = slot(in.dst);
        if (ir::op_is_jump(in.op)) {
          in.a = slot(in.a);
          continue;
        }
        in.a = slot(in.a);
        in.b = slot(in.b);
        if (text_const && in.imm >= 0 && in.imm < static_cast<int64_t>(text_map_[v].size())) in.imm = text_map_[v][in.imm];
        else if (text_const) in.imm = static_cast<int64_t>(out_.texts.size());  // the empty text follows the table
      }
      for (auto& ch : ip.chains)
        for (auto& f : ch.factors) f.slot = slot(f.slot);
      std::vector<Ty> types(static_cast<size_t>(ip.frame_size + shift), Ty::Error);
      for (int32_t s = 0; s < ip.frame_size; ++s)
        if (int32_t t = slot(s); t >= 0) types[t] = ip.slot_types[s];
      for (const auto& pr : out_.params) types[pr.slot] = pr.type.ty;
      for (const auto& f : out_.fields) {
        types[f.slot] = f.type.ty;
        if (f.present_slot >= 0) types[f.present_slot] = Ty::Bool;
      }
      ip.slot_types = std::move(types);
      for (auto* list : {&ip.condition_slots, &ip.let_flag_slots, &ip.let_slots, &ip.group_limit_slots, &ip.level_limit_slots})
        for (auto& s : *list) s = slot(s);
      ip.amount_slot = slot(ip.amount_slot);
      ip.amount_tier_slot = slot(ip.amount_tier_slot);
      ip.cap_slot = slot(ip.cap_slot);
      ip.cap_tier_slot = slot(ip.cap_tier_slot);
      ip.relax_slot = slot(ip.relax_slot);
      for (auto& n : ip.show) {
        n.slot = slot(n.slot);
        if (n.type.ty == Ty::Enum) n.type.enum_id = enum_map_[v][n.type.enum_id];
        if (n.op == TOp::Const && n.type.ty == Ty::Text && n.value >= 0 &&
            n.value < static_cast<int64_t>(text_map_[v].size()))
          n.value = text_map_[v][n.value];
      }
      ip.frame_size += shift;
      prog_.items.push_back(std::move(ip));
    }
  }

  // Version v's link, into the linked tables: a new entry of out_.level_links.
  int link(size_t v, const LevelLink& l, int rule, int field) {
    LevelLink nl = l;
    for (int& k : nl.key_fields) k = k < 0 ? k : field_map_[v][k];
    nl.rule = rule;
    nl.field = field;
    out_.level_links.push_back(std::move(nl));
    return static_cast<int>(out_.level_links.size()) - 1;
  }
  static bool same_link(const LevelLink& a, const LevelLink& b) {
    return a.policy == b.policy && a.items == b.items && a.key_fields == b.key_fields;
  }

  std::vector<CheckedVersion>& vs_;
  Policy& out_;
  ir::Program& prog_;
  Diagnostics& diags_;
  bool failed_ = false;
  std::vector<std::vector<uint16_t>> enum_map_;
  std::vector<std::vector<int>> param_map_, field_map_;
  std::vector<std::vector<int64_t>> text_map_;
  std::map<std::string, int64_t> text_index_;
  std::vector<int> rule_version_;            // per linked rule: the last version that stated it
};

}  // namespace

bool link_versions(std::vector<CheckedVersion>& versions, Policy& out, ir::Program& prog, Diagnostics& diags) {
  if (versions.empty()) return false;
  return Linker(versions, out, prog, diags).run();
}

}  // namespace pol
