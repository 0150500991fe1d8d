// The rules side of `polc diff`: what differs between two policies, read from the policies
// themselves — parameter values, the validity window and rounding, each item's amount, cap,
// conditions and clause, each portfolio rule's settings, and the clause texts. Items are matched
// by number, rules and parameters by name, clauses by number.
#include "runtime/diff/diff.h"
#include "runtime/diff/show.h"

#include "values/date.h"
#include "values/fixed.h"

namespace pol::diff {
namespace {

const char* kind_zh(RuleKind k) {
  switch (k) {
    case RuleKind::Group: return "合计上限";
    case RuleKind::Quota: return "名额";
    case RuleKind::Once: return "一次性支持";
    case RuleKind::Series: return "支持次数";
    case RuleKind::Exclusive: return "不予重复扶持";
    case RuleKind::Budget: return "总额控制";
    case RuleKind::Highest: return "与其他层级就高不重复";
    case RuleKind::Combined: return "与其他层级叠加上限";
    case RuleKind::Route: return "转由其他政策决定";
  }
  return "";
}

// Collects the changes, each citing its clause (the new policy's, else the old's).
class Comparer {
 public:
  Comparer(const LoadedPolicy& before, const LoadedPolicy& after)
      : a_(*before.policy), b_(*after.policy), pa_(before.program), pb_(after.program), sa_(before), sb_(after) {}

  std::vector<RuleChange> run() {
    params();
    policy_wide();
    items();
    rules();
    clauses();
    return std::move(out_);
  }

 private:
  void add(const char* scope, const std::string& name, const std::string& label, const char* aspect,
           const std::string& aspect_zh, const std::string& before, const std::string& after, int clause_a,
           int clause_b) {
    if (before == after) return;
    RuleChange c{scope, name, label, aspect, aspect_zh, before, after, "", "", ""};
    const Policy& p = clause_b >= 0 ? b_ : a_;
    int clause = clause_b >= 0 ? clause_b : clause_a;
    if (clause >= 0 && clause < static_cast<int>(p.clauses.size())) {
      c.clause = p.clauses[clause].number;
      c.clause_title = p.clauses[clause].title;
      c.clause_text = p.clauses[clause].text;
    }
    out_.push_back(std::move(c));
  }

  // The clause a parameter matters to: the first item or budget rule that reads it.
  static int clause_reading(const Policy& p, const ir::Program& prog, const PolicyShow& show, int param) {
    for (const auto& r : p.rules)
      if (r.kind == RuleKind::Budget && r.budget_param == param) return r.clause;
    for (size_t i = 0; i < p.items.size(); ++i)
      if (show.reads(static_cast<int>(i), p.params[param].slot)) return p.items[i].clause;
    (void)prog;
    return -1;
  }

  void params() {
    auto each = [&](const Policy& p, const ParamInfo& pr, bool in_new) {
      int other = (in_new ? a_ : b_).find_param(pr.name);
      if (!in_new && other >= 0) return;  // seen from the new side
      const ParamInfo* old_p = in_new ? (other >= 0 ? &a_.params[other] : nullptr) : &pr;
      const ParamInfo* new_p = in_new ? &pr : nullptr;
      std::string before = old_p ? sa_.param_value(*old_p) : "";
      std::string after = new_p ? sb_.param_value(*new_p) : "";
      int ca = old_p ? clause_reading(a_, pa_, sa_, static_cast<int>(old_p - a_.params.data())) : -1;
      int cb = new_p ? clause_reading(b_, pb_, sb_, static_cast<int>(new_p - b_.params.data())) : -1;
      add("parameter", pr.name, pr.label, "value", "参数值", before, after, ca, cb);
      (void)p;
    };
    for (const auto& pr : b_.params) each(b_, pr, true);
    for (const auto& pr : a_.params) each(a_, pr, false);
  }

  std::string validity(const Policy& p) const {
    if (!p.validity.present) return "不限";
    return date_str(p.validity.from) + " 至 " + date_str(p.validity.to);
  }
  std::string rounding(const Policy& p) const {
    std::string s = rounding_name_zh(p.rounding);
    s += "到 ";
    format_money(p.rounding_quantum, s);
    return s;
  }

  void policy_wide() {
    add("validity", "validity", "有效期", "window", "有效期", validity(a_), validity(b_), a_.validity.clause,
        b_.validity.clause);
    add("policy", "rounding", "金额取整", "rounding", "金额取整", rounding(a_), rounding(b_), -1, -1);
  }

  void items() {
    for (size_t j = 0; j < b_.items.size(); ++j) {
      int i = a_.find_item(b_.items[j].number);
      item(i, static_cast<int>(j));
    }
    for (size_t i = 0; i < a_.items.size(); ++i)
      if (b_.find_item(a_.items[i].number) < 0) item(static_cast<int>(i), -1);
  }

  void item(int i, int j) {
    const ItemInfo* x = i >= 0 ? &a_.items[i] : nullptr;
    const ItemInfo* y = j >= 0 ? &b_.items[j] : nullptr;
    const ItemInfo& any = y ? *y : *x;
    int ca = x ? x->clause : -1, cb = y ? y->clause : -1;
    auto put = [&](const char* aspect, const std::string& zh, const std::string& before, const std::string& after) {
      add("item", any.number, any.title, aspect, zh, before, after, ca, cb);
    };
    if (!x || !y) {
      put("item", "事项", x ? x->title : "", y ? y->title : "");
      return;
    }
    put("title", "名称", x->title, y->title);
    put("clause", "所属条款", clause_title(a_, x->clause), clause_title(b_, y->clause));
    put("amount", "支持金额", sa_.amount(i), sb_.amount(j));
    auto cap = [](const std::string& c) { return c.empty() ? std::string("无单笔上限") : c; };
    put("cap", "单笔上限", cap(sa_.cap(i)), cap(sb_.cap(j)));
    // Conditions by name: changed, added, removed.
    const ir::ItemProgram& px = pa_.items[i];
    const ir::ItemProgram& py = pb_.items[j];
    auto condition = [&](const PolicyShow& s, int item, const ir::ItemProgram& ip, const ConditionInfo& c, size_t k) {
      std::string t = s.expr(item, ip.condition_show[k]);
      if (!c.reason.empty()) t += "（否则：" + c.reason + "）";
      return t;
    };
    for (size_t k = 0; k < y->conditions.size(); ++k) {
      const ConditionInfo& c = y->conditions[k];
      std::string before;
      for (size_t m = 0; m < x->conditions.size(); ++m)
        if (x->conditions[m].name == c.name) before = condition(sa_, i, px, x->conditions[m], m);
      put("condition", "条件「" + c.name + "」", before, condition(sb_, j, py, c, k));
    }
    for (size_t m = 0; m < x->conditions.size(); ++m) {
      const ConditionInfo& c = x->conditions[m];
      bool kept = false;
      for (const auto& n : y->conditions) kept |= n.name == c.name;
      if (!kept) put("condition", "条件「" + c.name + "」", condition(sa_, i, px, c, m), "");
    }
  }

  // A rule's settings, each as one readable line, in a fixed order.
  std::vector<std::pair<std::string, std::string>> settings(const Policy& p, const ir::Program& prog,
                                                            const PolicyShow& show, const RuleInfo& r) const {
    const ir::RulePlan& plan = prog.rules[&r - p.rules.data()];
    std::vector<std::pair<std::string, std::string>> s;
    s.push_back({"种类", kind_zh(r.kind)});
    s.push_back({"名称", r.label});
    std::string items;
    for (int it : r.items) items += (items.empty() ? "" : "、") + p.items[it].number;
    s.push_back({"适用事项", items.empty() ? "全部事项" : items});
    auto field = [&](int f) { return f >= 0 ? (p.fields[f].label.empty() ? p.fields[f].name : p.fields[f].label) : ""; };
    std::string keys;
    for (int f : r.key_fields) keys += (keys.empty() ? "" : "、") + field(f);
    std::string period = r.period == Period::Year ? "每年" : "有效期内";
    switch (r.kind) {
      case RuleKind::Group: {
        std::string limit;
        switch (plan.limit) {
          case ir::RulePlan::Limit::Constant: format_money(plan.limit_fen, limit); break;
          case ir::RulePlan::Limit::ItemCap: limit = "单笔上限"; break;
          case ir::RulePlan::Limit::PerApplication: {
            // Read from the first item it covers, where the program computes it.
            for (size_t it = 0; it < p.items.size() && limit.empty(); ++it)
              for (size_t g = 0; g < p.items[it].groups.size(); ++g)
                if (&p.rules[p.items[it].groups[g]] == &r && limit.empty())
                  limit = show.slot_source(static_cast<int>(it), prog.items[it].group_limit_slots[g]);
            break;
          }
          case ir::RulePlan::Limit::None: break;
        }
        s.push_back({"上限", limit});
        s.push_back({"范围", r.scope_field >= 0 ? "每个" + field(r.scope_field) : "全部申报"});
        s.push_back({"期间", period});
        break;
      }
      case RuleKind::Quota:
        s.push_back({"名额", std::to_string(r.places) + " 个"});
        s.push_back({"期间", period});
        s.push_back({"排序", field(r.rank_field) + (r.descending ? " 从高到低" : " 从低到高")});
        break;
      case RuleKind::Once:
        s.push_back({"事项键", keys});
        s.push_back({"期间", r.period == Period::Year ? "每年一次" : "有效期内一次"});
        break;
      case RuleKind::Series:
        s.push_back({"事项键", keys});
        s.push_back({"至多次数", r.max_supports > 0 ? std::to_string(r.max_supports) + " 次" : "不限"});
        s.push_back({"年限", r.within.years > 0 ? std::to_string(r.within.years) + " 年内" : "不限"});
        s.push_back({"连续年数", r.max_consecutive_years > 0 ? "至多连续 " + std::to_string(r.max_consecutive_years) + " 年" : "不限"});
        break;
      case RuleKind::Exclusive:
        s.push_back({"事项键", keys});
        s.push_back({"选取", r.prefer_highest ? "金额最高者" : "最早者"});
        break;
      case RuleKind::Budget: {
        std::string limit;
        if (plan.budget_param >= 0) limit = "参数 " + p.params[plan.budget_param].name;
        else format_money(plan.budget_limit, limit);
        s.push_back({"资金总额", limit});
        s.push_back({"期间", period});
        std::string scale = "按比例调减，";
        scale += rounding_name_zh(r.scale_mode);
        scale += "到 ";
        format_money(r.scale_quantum, scale);
        s.push_back({"调减", scale});
        break;
      }
      case RuleKind::Highest:
      case RuleKind::Combined: {
        const LevelLink& l = p.level_links[r.level_link];
        std::string other = "《" + l.policy + "》事项";
        for (size_t k = 0; k < l.items.size(); ++k) other += (k ? "、" : " ") + l.items[k];
        s.push_back({"其他层级", other});
        s.push_back({"事项键", keys});
        if (r.kind == RuleKind::Combined) {
          std::string limit;
          for (size_t it = 0; it < p.items.size() && limit.empty(); ++it)
            for (size_t g = 0; g < p.items[it].levels.size(); ++g)
              if (&p.rules[p.items[it].levels[g]] == &r && limit.empty())
                limit = show.slot_source(static_cast<int>(it), prog.items[it].level_limit_slots[g]);
          s.push_back({"两级合计上限", limit});
        }
        break;
      }
      case RuleKind::Route: {
        std::string limit;
        if (plan.threshold_param >= 0) limit = "参数 " + p.params[plan.threshold_param].name;
        else format_money(plan.threshold_fen, limit);
        s.push_back({"超过", limit});
        s.push_back({"转由", "《" + r.route_to + "》"});
        break;
      }
    }
    return s;
  }

  void rules() {
    auto one = [&](const RuleInfo* x, const RuleInfo* y) {
      const RuleInfo& any = y ? *y : *x;
      int ca = x ? x->clause : -1, cb = y ? y->clause : -1;
      std::string label = any.label.empty() ? any.name : any.label;
      if (!x || !y) {
        auto whole = [&](const Policy& p, const ir::Program& prog, const PolicyShow& s, const RuleInfo& r) {
          std::string t;
          for (const auto& [k, v] : settings(p, prog, s, r)) t += (t.empty() ? "" : "；") + k + " " + v;
          return t;
        };
        add("rule", any.name, label, "rule", "规则", x ? whole(a_, pa_, sa_, *x) : "", y ? whole(b_, pb_, sb_, *y) : "",
            ca, cb);
        return;
      }
      auto sx = settings(a_, pa_, sa_, *x), sy = settings(b_, pb_, sb_, *y);
      for (const auto& [k, v] : sy) {
        std::string before;
        for (const auto& [k2, v2] : sx)
          if (k2 == k) before = v2;
        add("rule", any.name, label, "setting", k, before, v, ca, cb);
      }
    };
    for (const auto& r : b_.rules) {
      const RuleInfo* x = nullptr;
      for (const auto& o : a_.rules)
        if (o.name == r.name) x = &o;
      one(x, &r);
    }
    for (const auto& o : a_.rules) {
      bool kept = false;
      for (const auto& r : b_.rules) kept |= r.name == o.name;
      if (!kept) one(&o, nullptr);
    }
  }

  void clauses() {
    for (size_t j = 0; j < b_.clauses.size(); ++j) {
      const ClauseInfo& c = b_.clauses[j];
      const ClauseInfo* old = nullptr;
      int i = -1;
      for (size_t k = 0; k < a_.clauses.size(); ++k)
        if (a_.clauses[k].number == c.number) old = &a_.clauses[i = static_cast<int>(k)];
      add("clause", c.number, c.title, "text", "条文", old ? old->text : "", c.text, i, static_cast<int>(j));
    }
    for (size_t k = 0; k < a_.clauses.size(); ++k) {
      bool kept = false;
      for (const auto& c : b_.clauses) kept |= c.number == a_.clauses[k].number;
      if (!kept)
        add("clause", a_.clauses[k].number, a_.clauses[k].title, "text", "条文", a_.clauses[k].text, "",
            static_cast<int>(k), -1);
    }
  }

  const Policy& a_;
  const Policy& b_;
  const ir::Program& pa_;
  const ir::Program& pb_;
  PolicyShow sa_, sb_;
  std::vector<RuleChange> out_;
};

}  // namespace

std::vector<RuleChange> compare_policies(const LoadedPolicy& before, const LoadedPolicy& after) {
  return Comparer(before, after).run();
}

}  // namespace pol::diff
