// The portfolio engine: docs/interpretation.md §4 as generic rules. Every rule it applies comes from
// the policy's declarations (group / quota / once / series / exclusive / budget); it knows
// nothing of any particular policy. History and earlier decisions of the batch are counted
// in processing order (date, then id).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "compiler/diagnostics/messages_input.h"
#include "runtime/interp/interpreter.h"
#include "runtime/portfolio/batch.h"
#include "values/date.h"
#include "values/fixed.h"

namespace pol {
namespace {

struct GroupKey {
  int32_t rule = 0, period = 0;
  int64_t scope = 0;
  bool operator==(const GroupKey& o) const { return rule == o.rule && period == o.period && scope == o.scope; }
};

struct GroupKeyHash {
  size_t operator()(const GroupKey& k) const {
    uint64_t h = static_cast<uint64_t>(k.scope) * 0x9E3779B97F4A7C15ull;
    h ^= (static_cast<uint64_t>(k.rule) << 32 | static_cast<uint32_t>(k.period)) + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

struct SeriesState {
  int32_t count = 0;
  int32_t first_year = 0;
  std::vector<int32_t> years;  // the calendar years with a support (for `consecutive years at most`)
  void add(int32_t year) {
    count += 1;
    first_year = std::min(first_year, year);
    if (std::find(years.begin(), years.end(), year) == years.end()) years.push_back(year);
  }
  // How many calendar years in a row end with the year before `year`.
  int32_t run_before(int32_t year) const {
    int32_t n = 0;
    while (std::find(years.begin(), years.end(), year - 1 - n) != years.end()) ++n;
    return n;
  }
};

void append_number(std::string& out, int64_t v) {
  char buf[24];
  int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  out.append(buf, static_cast<size_t>(n));
}

class Engine {
 public:
  explicit Engine(Batch& b) : b_(b), p_(*b.policy), prog_(*b.program), plan_(b.program->rules) {
    // Which keyed rules (once, series, quota, exclusive) apply to each item, once for all.
    keyed_rules_.resize(p_.items.size());
    for (const auto& f : p_.fields) ncommon_ += f.common;
    // Inputs computed from earlier grants: for each item, the links it fills and where; for
    // each link, the items whose grants it counts (by number: every version's item).
    earlier_inputs_.resize(p_.items.size());
    earlier_counts_.assign(p_.earlier_links.size(), std::vector<uint8_t>(p_.items.size(), 0));
    for (size_t l = 0; l < p_.earlier_links.size(); ++l)
      for (size_t i = 0; i < p_.items.size(); ++i) {
        const auto& numbers = p_.earlier_links[l].items;
        earlier_counts_[l][i] = std::find(numbers.begin(), numbers.end(), p_.items[i].number) != numbers.end();
      }
    for (size_t i = 0; i < p_.items.size(); ++i)
      for (size_t k = 0; k < p_.items[i].inputs.size(); ++k)
        if (int l = p_.fields[p_.items[i].inputs[k].field].earlier; l >= 0)
          earlier_inputs_[i].push_back({l, static_cast<uint32_t>(ncommon_ + k)});
    for (size_t ri = 0; ri < plan_.size(); ++ri) {
      RuleKind k = plan_[ri].kind;
      if (k == RuleKind::Group || k == RuleKind::Budget) continue;
      for (size_t i = 0; i < p_.items.size(); ++i)
        if (plan_[ri].applies[i]) keyed_rules_[i].push_back(static_cast<int>(ri));
    }
  }

  void run() {
    reject_repeated_ids();
    prepare_levels();
    order();
    absorb_history();
    // Processing order jumps around the input-ordered arrays; prefetching a few applications
    // ahead hides most of the cache misses.
    const size_t n = order_.size();
    for (size_t k = 0; k < n; ++k) {
      if (k + 16 < n) __builtin_prefetch(&b_.apps[order_[k + 16]]);
      if (k + 8 < n) prefetch_decision(order_[k + 8], true);
      own_conditions(order_[k]);
    }
    // The rest of the batch plan, stage by stage, as lowering ordered it.
    for (const ir::Stage& st : prog_.stages) {
      switch (st.kind) {
        case ir::StageKind::OwnConditions: break;  // done above, with the once and series rules of each item
        case ir::StageKind::Quota: quotas(); break;
        case ir::StageKind::Exclusive: exclusives(); break;
        case ir::StageKind::Levels: levels(); break;
        case ir::StageKind::GroupCaps:
          for (size_t k = 0; k < n; ++k) {
            if (k + 8 < n) prefetch_decision(order_[k + 8], false);
            group_caps(order_[k]);
          }
          break;
        case ir::StageKind::Budget: budgets(st.rules); break;
      }
    }
    // Every sum a report prints (the batch's total, per item, per year) must be exact too.
    int64_t total = 0;
    for (uint32_t a : order_) add(total, b_.decisions[a].award);
  }

 private:
  // Sums of grants: exact, and a sum beyond the range of the fen counter stops the run
  // rather than wrapping around into a wrong cap.
  void add(int64_t& sum, int64_t v) {
    if (!add_checked(sum, v, &sum) && b_.fatal.empty()) fatal(msg(InputMsg::SumsOutOfRange));
  }

  // A problem of the whole batch: nothing is decided (Batch::fatal, in English, and fatal_msg).
  void fatal(Msg m) {
    b_.fatal = render_msg(m, Lang::En);
    b_.fatal_msg = std::move(m);
  }

  // Whether instruction `pc` failed because a divisor was zero (not an overflow).
  static bool divided_by_zero(const ir::ItemProgram& ip, int pc, const int64_t* frame) {
    const ir::Instr& in = ip.code[pc];
    if (in.op == ir::Op::MulChain) {
      for (const auto& f : ip.chains[in.imm].factors)
        if (f.divides && frame[f.slot] == 0) return true;
      return false;
    }
    return ir::op_divides(in.op) && in.b >= 0 && frame[in.b] == 0;
  }

  void prefetch_decision(uint32_t a, bool values) {
    const char* d = reinterpret_cast<const char*>(&b_.decisions[a]);
    __builtin_prefetch(d);
    __builtin_prefetch(d + 64);
    if (values) {
      const int64_t* v = b_.values.data() + b_.apps[a].values;
      __builtin_prefetch(v);
      __builtin_prefetch(v + 8);
    }
  }

  // Composite key of a rule's key fields from the loaded frame. false when a key field is
  // absent or an empty text, whatever its type: such an application is exempt from the rule
  // (docs/language.md §13), never pooled with others under a default value.
  bool key(const ir::RulePlan& r, const int64_t* frame, std::string& out) {
    return key_of(&r - plan_.data(), r.key_fields, frame, out);
  }
  // The key `tag` + the values of `fields`: what key() and the earlier-grants links share.
  bool key_of(int64_t tag, const std::vector<int32_t>& fields, const int64_t* frame, std::string& out) {
    out.clear();
    append_number(out, tag);
    for (int f : fields) {
      if (f < 0 || !b_.given(frame, f)) return false;
      out += '\x1f';
      append_number(out, frame[p_.fields[f].slot]);  // equal texts share one index: every part is a number
    }
    return true;
  }

  // A one-off key: once for the whole term, or (`per year`) once in each calendar year.
  bool once_key(const ir::RulePlan& r, const int64_t* frame, int32_t date, std::string& out) {
    if (!key(r, frame, out)) return false;
    if (r.per_year) {
      out += '\x1e';
      append_number(out, year_of(date));
    }
    return true;
  }

  // Scope of a group: the rule, the period and the whole value of its `per` field (texts by
  // their shared index). The caller has made sure the field has a value.
  GroupKey group_key(const ir::RulePlan& r, const int64_t* frame, int32_t date) {
    GroupKey k;
    k.rule = static_cast<int32_t>(&r - plan_.data());
    k.period = r.per_year ? year_of(date) : 0;
    k.scope = r.scope_field >= 0 ? frame[p_.fields[r.scope_field].slot] : 0;
    return k;
  }

  // The first `per` field of the item's groups that `app` leaves absent or empty, or -1. A
  // group cap kept per project cannot be applied to an application without a project.
  int missing_scope(const Application& app, const int64_t* frame, int32_t* rule) const {
    for (int g : p_.items[app.item].groups) {
      int f = plan_[g].scope_field;
      if (f >= 0 && !b_.given(frame, f)) {
        *rule = g;
        return f;
      }
    }
    return -1;
  }

  static uint64_t prefix8(std::string_view id) {
    uint64_t prefix = 0;
    for (size_t k = 0; k < 8; ++k) prefix = prefix << 8 | (k < id.size() ? static_cast<unsigned char>(id[k]) : 0);
    return prefix;
  }

  // An id used twice: the first application in input order keeps it, the later ones are input
  // errors (docs/interpretation.md §6).
  void reject_repeated_ids() {
    // An application whose id is a grant of the history was decided before: deciding it again
    // would grant it twice (the ledger marks such applications as already decided instead).
    if (!b_.history.empty()) {
      std::unordered_map<std::string_view, uint32_t> granted;
      for (const auto& h : b_.history)
        if (!h.id.empty()) granted.emplace(h.id, h.line);
      for (uint32_t i = 0; i < b_.apps.size(); ++i) {
        auto it = b_.decisions[i].status == Status::Pending ? granted.find(b_.apps[i].id) : granted.end();
        if (it == granted.end()) continue;
        Decision& d = b_.decisions[i];
        d.status = Status::Error;
        d.error_code = DiagCode::E0607;
        d.error = static_cast<uint32_t>(b_.errors.size());
        b_.errors.push_back(msg(InputMsg::DecidedInHistory, {{"id", std::string(b_.apps[i].id)}, {"line", std::to_string(it->second)}}));
      }
    }
    struct Key {
      uint64_t prefix;
      uint32_t index;
    };
    std::vector<Key> keys;
    for (uint32_t i = 0; i < b_.apps.size(); ++i)
      if (b_.decisions[i].status == Status::Pending && !b_.apps[i].id.empty()) keys.push_back({prefix8(b_.apps[i].id), i});
    std::sort(keys.begin(), keys.end(), [&](const Key& x, const Key& y) {
      if (x.prefix != y.prefix) return x.prefix < y.prefix;
      int c = b_.apps[x.index].id.compare(b_.apps[y.index].id);
      return c != 0 ? c < 0 : x.index < y.index;
    });
    std::string label = p_.field_id >= 0 && !p_.fields[p_.field_id].label.empty() ? "（" + p_.fields[p_.field_id].label + "）" : "";
    size_t first = 0;  // the first (earliest in input) application of the current run of one id
    for (size_t k = 1; k < keys.size(); ++k) {
      if (keys[k].prefix != keys[k - 1].prefix || b_.apps[keys[k].index].id != b_.apps[keys[k - 1].index].id) {
        first = k;
        continue;
      }
      Decision& d = b_.decisions[keys[k].index];
      d.status = Status::Error;
      d.error_code = DiagCode::E0607;
      d.error = static_cast<uint32_t>(b_.errors.size());
      b_.errors.push_back(msg(InputMsg::DuplicateId, {{"label", label},
                                                      {"id", std::string(b_.apps[keys[k].index].id)},
                                                      {"line", std::to_string(b_.apps[keys[first].index].line)}}));
    }
  }

  void order() {
    for (uint32_t i = 0; i < b_.apps.size(); ++i)
      if (b_.decisions[i].status == Status::Pending) order_.push_back(i);
    // Sort on (date, first 8 bytes of the id) and compare whole ids only on ties.
    struct Key {
      int32_t date;
      uint64_t prefix;
      uint32_t index;
    };
    std::vector<Key> keys;
    keys.reserve(order_.size());
    for (uint32_t i : order_) keys.push_back({b_.apps[i].date, prefix8(b_.apps[i].id), i});
    std::sort(keys.begin(), keys.end(), [&](const Key& x, const Key& y) {
      if (x.date != y.date) return x.date < y.date;
      if (x.prefix != y.prefix) return x.prefix < y.prefix;
      int c = b_.apps[x.index].id.compare(b_.apps[y.index].id);
      if (c != 0) return c < 0;
      return x.index < y.index;
    });
    for (size_t k = 0; k < keys.size(); ++k) order_[k] = keys[k].index;
    position_.assign(b_.apps.size(), 0);
    for (uint32_t k = 0; k < order_.size(); ++k) position_[order_[k]] = k;
  }

  void absorb_history() {
    std::string k;
    for (const auto& h : b_.history) {
      if (h.award < 0) continue;
      // An earlier eligible decision that got nothing (quota, no double support, a cap used up)
      // still counts for one-off keys and series, as an earlier application of the batch does;
      // places, matters and sums count only what was granted.
      bool granted = h.award > 0;
      const int64_t* frame = b_.load(h);
      int year = year_of(h.date);
      for (size_t ri = 0; ri < plan_.size(); ++ri) {
        const ir::RulePlan& r = plan_[ri];
        if (!r.applies[h.item]) continue;
        switch (r.kind) {
          case RuleKind::Group:
            if (!granted) break;
            if (r.scope_field >= 0 && !b_.given(frame, r.scope_field)) {
              if (b_.fatal.empty())
                fatal(msg(InputMsg::HistoryGroupKeyMissing, {{"id", std::string(h.id)},
                                                             {"name", p_.fields[r.scope_field].name},
                                                             {"rule", p_.rules[ri].name}}));
              break;
            }
            // A cap for the whole term counts only grants made within the term.
            if (!r.per_year) {
              const Validity& v = p_.validity_of(h.item);
              if (v.present && (h.date < v.from || h.date > v.to)) break;
            }
            add(group_used_[group_key(r, frame, h.date)], h.award);
            break;
          case RuleKind::Quota:
            if (granted) quota_history_[{static_cast<int>(ri), r.per_year ? year : 0}] += 1;
            break;
          case RuleKind::Once:
            if (once_key(r, frame, h.date, k)) once_seen_.emplace(k, -1);
            break;
          case RuleKind::Series:
            if (key(r, frame, k)) series_.emplace(k, SeriesState{0, year, {}}).first->second.add(year);
            break;
          case RuleKind::Exclusive:
            if (granted && key(r, frame, k)) exclusive_history_.emplace(k);
            break;
          case RuleKind::Budget:
            if (granted) add(budget_history_[{static_cast<int>(ri), r.per_year ? year : 0}], h.award);
            break;
          case RuleKind::Highest: case RuleKind::Combined: case RuleKind::Route:
            break;  // they read another policy's grants (prepare_levels)
        }
      }
      count_earlier(h, frame, h.award);
    }
  }

  // Step 1: validity, the item's conditions, one-off keys and series limits; base award.
  void own_conditions(uint32_t a) {
    const Application& app = b_.apps[a];
    Decision& d = b_.decisions[a];
    const ItemInfo& item = p_.items[app.item];
    const ir::ItemProgram& ip = prog_.items[app.item];
    int64_t* frame = b_.load(app);
    int32_t scope_rule = -1;
    int scope_field = missing_scope(app, frame, &scope_rule);
    if (scope_field >= 0) {
      const FieldInfo& f = p_.fields[scope_field];
      const RuleInfo& r = p_.rules[scope_rule];  // its name and label, for the message
      d.status = Status::Error;
      d.error_code = DiagCode::E0601;
      d.error = static_cast<uint32_t>(b_.errors.size());
      b_.errors.push_back(msg(InputMsg::GroupKeyMissing, {{"name", f.name},
                                                          {"label", f.label.empty() ? "" : "（" + f.label + "）"},
                                                          {"rule", r.label.empty() ? r.name : r.label}}));
      return;
    }
    if (!earlier_inputs_[app.item].empty()) frame = fill_earlier(a, frame);
    ItemRun run;
    run_item(ip, frame, b_.texts.data(), run);
    d.conditions = run.held;
    d.unknown_conditions = run.unknown;
    bool eligible = true;
    const Validity& validity = p_.validity_of(app.item);
    if (validity.present && (app.date < validity.from || app.date > validity.to)) {
      eligible = false;
      d.cause = Cause::Validity;
    } else if (run.failed) {
      eligible = false;
      d.cause = Cause::Condition;
    }
    // A computation that failed decides nothing when the application is already ineligible
    // (a condition that failed, or the validity window); otherwise it is an input error.
    int bad = run.cond_error >= 0 ? run.cond_error : run.value_error;
    if (bad >= 0 && eligible) {
      d.status = Status::Error;
      d.error_code = DiagCode::E0500;
      d.error = static_cast<uint32_t>(b_.errors.size());
      b_.errors.push_back(msg(divided_by_zero(ip, bad, frame) ? InputMsg::DivisionByZero : InputMsg::AmountOutOfRange,
                              {{"item", item.number}}));
      return;
    }
    if (run.value_error >= 0) {
      d.status = Status::Ineligible;
      d.amount = d.base = d.award = 0;
      return;
    }
    d.amount = std::max<int64_t>(0, frame[ip.amount_slot]);  // a formula below zero grants nothing
    d.amount_tier = static_cast<int32_t>(ip.amount_tier_slot >= 0 ? frame[ip.amount_tier_slot] : -1);
    // A cap that computes below zero caps at zero: it never means "no cap".
    d.cap = ip.cap_slot >= 0 ? std::max<int64_t>(0, frame[ip.cap_slot]) : -1;
    d.cap_tier = static_cast<int32_t>(ip.cap_tier_slot >= 0 ? frame[ip.cap_tier_slot] : -1);
    d.base = d.cap >= 0 ? std::min(d.amount, d.cap) : d.amount;
    d.discretionary = item.discretionary;
    d.ceiling = item.discretionary ? d.cap : -1;
    d.relaxable = item.cap_relaxable && d.cap >= 0 && d.amount > d.cap && (ip.relax_slot < 0 || frame[ip.relax_slot] != 0);
    // Above a `route` threshold the application belongs to another policy: a decision of its
    // own, which counts for nothing here (no one-off key, no series, no cap).
    if (eligible)
      for (int ri : keyed_rules_[app.item]) {
        const ir::RulePlan& r = plan_[ri];
        if (r.kind != RuleKind::Route) continue;
        int64_t threshold = r.threshold_fen;
        if (r.threshold_param >= 0) {
          if (!p_.params[r.threshold_param].has_value) continue;
          threshold = p_.params[r.threshold_param].value;
        }
        if (threshold >= 0 && d.base > threshold) {
          d.status = Status::Routed;
          d.route_rule = static_cast<int32_t>(ri);
          d.award = 0;
          return;
        }
      }
    int year = year_of(app.date);
    // One-off keys and series limits count earlier grants and earlier eligible applications.
    for (int ri : keyed_rules_[app.item]) {
      if (!eligible) break;
      const ir::RulePlan& r = plan_[ri];
      if (r.kind == RuleKind::Once && once_key(r, frame, app.date, scratch_) && once_seen_.count(scratch_)) {
        eligible = false;
        d.cause = Cause::Once;
        d.cause_rule = static_cast<int32_t>(ri);
      } else if (r.kind == RuleKind::Series && key(r, frame, scratch_)) {
        auto it = series_.find(scratch_);
        if (it == series_.end()) continue;
        bool too_many = r.max_supports > 0 && it->second.count >= r.max_supports;
        bool too_late = r.within_years > 0 && year - it->second.first_year >= r.within_years;
        // A support this year would make a run longer than allowed (one more in the same year does not).
        bool too_long = r.max_consecutive > 0 && it->second.run_before(year) >= r.max_consecutive &&
                        std::find(it->second.years.begin(), it->second.years.end(), year) == it->second.years.end();
        if (too_many || too_late || too_long) {
          eligible = false;
          d.cause = Cause::Series;
          d.cause_rule = static_cast<int32_t>(ri);
          d.series_count = it->second.count;
          d.series_first_year = it->second.first_year;
          d.series_run = it->second.run_before(year);
        }
      }
    }
    d.status = eligible ? Status::Eligible : Status::Ineligible;
    d.award = eligible ? d.base : 0;
    if (!eligible) return;
    // A later application of the batch counts this one as an earlier grant (its number and date;
    // its award is not final yet, so sums read the history only).
    count_earlier(app, frame, -1);
    for (int ri : keyed_rules_[app.item]) {
      const ir::RulePlan& r = plan_[ri];
      switch (r.kind) {
        case RuleKind::Once:
          if (once_key(r, frame, app.date, scratch_)) once_seen_.emplace(scratch_, static_cast<int32_t>(a));
          break;
        case RuleKind::Series:
          if (key(r, frame, scratch_)) series_.emplace(scratch_, SeriesState{0, year, {}}).first->second.add(year);
          break;
        case RuleKind::Quota: {
          int64_t rank = r.rank_field >= 0 ? frame[p_.fields[r.rank_field].slot] : 0;
          quota_candidates_[{static_cast<int>(ri), r.per_year ? year : 0}].push_back({a, rank});
          break;
        }
        case RuleKind::Exclusive:
          if (key(r, frame, scratch_)) exclusive_candidates_[scratch_].push_back(a);
          break;
        default:
          break;
      }
    }
    // Group limits are evaluated now (they may depend on this application's cap).
    d.groups_begin = static_cast<uint32_t>(b_.group_steps.size());
    for (size_t g = 0; g < item.groups.size(); ++g) {
      GroupStep s;
      s.rule = item.groups[g];
      s.limit = ip.group_limit_slots[g] >= 0 ? frame[ip.group_limit_slots[g]] : 0;
      b_.group_steps.push_back(s);
    }
    d.groups_count = static_cast<uint32_t>(item.groups.size());
    // Combined limits are computed now, like group limits (`limit 50% of investment`).
    for (size_t k = 0; k < item.levels.size() && k < d.levels_count; ++k)
      if (ip.level_limit_slots[k] >= 0) b_.level_steps[d.levels_begin + k].limit = std::max<int64_t>(0, frame[ip.level_limit_slots[k]]);
    group_scope_.resize(b_.group_steps.size());
    for (size_t g = 0; g < item.groups.size(); ++g)
      group_scope_[d.groups_begin + g] = group_key(plan_[item.groups[g]], frame, app.date);
  }

  // Step 2: places of a quota go to the best ranked eligible applications of the period.
  void quotas() {
    for (auto& [k, cands] : quota_candidates_) {
      const ir::RulePlan& r = plan_[k.first];
      int64_t taken = quota_history_.count(k) ? quota_history_[k] : 0;
      int64_t free = std::max<int64_t>(0, r.places - taken);
      std::stable_sort(cands.begin(), cands.end(), [&](const auto& x, const auto& y) {
        if (x.second != y.second) return r.descending ? x.second > y.second : x.second < y.second;
        return position_[x.first] < position_[y.first];
      });
      for (size_t i = 0; i < cands.size(); ++i) {
        Decision& d = b_.decisions[cands[i].first];
        d.quota_rule = static_cast<int32_t>(k.first);
        d.quota_rank = static_cast<int32_t>(i + 1);
        d.quota_places = static_cast<int32_t>(free);
        d.quota_candidates = static_cast<int32_t>(cands.size());
        if (static_cast<int64_t>(i) >= free) d.award = 0;
      }
    }
  }

  // Step 3: one matter, one grant — an earlier grant wins; otherwise the highest base award.
  void exclusives() {
    for (auto& [k, cands] : exclusive_candidates_) {
      int rule = std::atoi(k.c_str());
      bool history = exclusive_history_.count(k) > 0;
      int32_t winner = -1;
      for (uint32_t a : cands) {
        const Decision& d = b_.decisions[a];
        if (history || d.award <= 0) continue;
        if (winner < 0) winner = static_cast<int32_t>(a);
        else {
          const Decision& w = b_.decisions[winner];
          // `prefer highest award`: the highest base, the earlier on a tie; otherwise the earliest.
          bool earlier = position_[a] < position_[winner];
          if (plan_[rule].prefer_highest ? d.base > w.base || (d.base == w.base && earlier) : earlier)
            winner = static_cast<int32_t>(a);
        }
      }
      for (uint32_t a : cands) {
        Decision& d = b_.decisions[a];
        d.exclusive_rule = static_cast<int32_t>(rule);
        d.exclusive_history = history;
        d.exclusive_winner = winner;
        if (history || static_cast<int32_t>(a) != winner) d.award = 0;
      }
    }
  }

  // The key of an earlier-grants link in the application loaded in `frame`; false when a key
  // field is absent (such an application neither counts nor is counted).
  bool earlier_key(size_t l, const int64_t* frame, std::string& out) {
    return key_of(static_cast<int64_t>(l), p_.earlier_links[l].key_fields, frame, out);
  }

  // Counts a grant (history: its award; award -1: an application of this batch found eligible).
  void count_earlier(const Application& g, const int64_t* frame, int64_t award) {
    for (size_t l = 0; l < p_.earlier_links.size(); ++l) {
      if (!earlier_counts_[l][g.item] || !earlier_key(l, frame, scratch_)) continue;
      EarlierState& st = earlier_[scratch_];
      st.count += 1;
      if (!st.any || g.date < st.first) st.first = g.date;
      st.any = true;
      if (award > 0) add(st.sum, award);
    }
  }

  // Fills the application's inputs computed from earlier grants, in its values (so explanations
  // read them too); returns the frame reloaded with them.
  int64_t* fill_earlier(uint32_t a, int64_t* frame) {
    Application& app = b_.apps[a];
    Decision& d = b_.decisions[a];
    for (const auto& [l, k] : earlier_inputs_[app.item]) {
      const EarlierLink& link = p_.earlier_links[l];
      auto it = earlier_key(l, frame, scratch_) ? earlier_.find(scratch_) : earlier_.end();
      bool any = it != earlier_.end() && it->second.any;
      int64_t v = 0;
      bool given = true;
      switch (link.kind) {
        case EarlierLink::Kind::Count: v = any ? it->second.count : 0; break;
        case EarlierLink::Kind::Sum: v = any ? it->second.sum : 0; break;
        case EarlierLink::Kind::First: v = any ? it->second.first : 0; given = any; break;
      }
      b_.values[app.values + k] = v;
      if (given) app.present |= uint64_t{1} << k;
      else app.present &= ~(uint64_t{1} << k);
      for (uint32_t s = d.levels_begin; s < d.levels_begin + d.levels_count; ++s)
        if (b_.level_steps[s].earlier && b_.level_steps[s].field == link.field) {
          b_.level_steps[s].other = v;
          b_.level_steps[s].found = given ? 1 : 0;
        }
    }
    return b_.load(app);
  }

  // Between steps 3 and 4: another level's award for the same key. `highest`: the applicant ends
  // with the higher of the two, never both — this policy pays what its award exceeds the other's,
  // or nothing. `combined`: the two together stay within the limit.
  void levels() {
    for (uint32_t a : order_) {
      Decision& d = b_.decisions[a];
      if (d.status != Status::Eligible) continue;
      for (uint32_t s = d.levels_begin; s < d.levels_begin + d.levels_count; ++s) {
        LevelStep& st = b_.level_steps[s];
        if (st.rule < 0) continue;
        st.before = d.award;
        if (plan_[st.rule].kind == RuleKind::Highest) st.after = st.other >= st.before ? 0 : st.before - st.other;
        else st.after = std::min(st.before, std::max<int64_t>(0, st.limit - st.other));
        d.award = st.after;
      }
    }
  }

  // The grants of other policies that the level links read: the history's (decoded with the
  // batch) and those of the policies decided before this one in the run. A grant found both ways
  // (recorded in the ledger by this run) counts once.
  void collect_other_grants() {
    std::unordered_set<std::string> seen;
    for (const auto& g : b_.other_grants) seen.insert(std::string(g.policy) + '\x1f' + std::string(g.id));
    for (Batch* ob : b_.other_batches) {
      const Policy& op = *ob->policy;
      std::vector<int> fields;
      for (const auto& n : b_.other_key_names) {
        int f = op.find_field(n);
        fields.push_back(f >= 0 && op.fields[f].type.ty == Ty::Text ? f : -1);
      }
      for (uint32_t i = 0; i < ob->apps.size(); ++i) {
        const Decision& od = ob->decisions[i];
        if (od.status != Status::Eligible || od.award <= 0) continue;
        const Application& oa = ob->apps[i];
        if (!seen.insert(op.name + '\x1f' + std::string(oa.id)).second) continue;
        OtherGrant g;
        g.policy = op.name;
        g.id = oa.id;
        g.item = op.items[oa.item].number;
        g.award = od.award;
        const int64_t* frame = ob->load(oa);
        for (int f : fields) g.keys.push_back(f >= 0 && ob->given(frame, f) ? ob->texts[frame[op.fields[f].slot]] : std::string_view());
        b_.other_grants.push_back(std::move(g));
      }
    }
  }

  // The key of level link `l` in another policy's grant; false when a key field is absent.
  bool other_key(const LevelLink& l, const OtherGrant& g, std::string& out) {
    out.clear();
    for (int f : l.key_fields) {
      const std::string& name = p_.fields[f].name;
      size_t k = std::find(b_.other_key_names.begin(), b_.other_key_names.end(), name) - b_.other_key_names.begin();
      if (k >= g.keys.size() || g.keys[k].empty()) return false;
      out.append(g.keys[k]);
      out += '\x1f';
    }
    return true;
  }

  // The same key in this batch's application loaded in `frame`; the first key field it lacks, or -1.
  int own_key(const LevelLink& l, const int64_t* frame, std::string& out) {
    out.clear();
    for (int f : l.key_fields) {
      if (!b_.given(frame, f)) return f;
      out.append(b_.texts[frame[p_.fields[f].slot]]);
      out += '\x1f';
    }
    return -1;
  }

  // Before step 1: what other policies granted to each application's keys. Each `award of` input
  // is filled (the application must not give it: the decoder refused that), and each `highest`
  // and `combined` rule of its item gets a step with the other award (fixed before this batch is
  // decided, so the order of processing does not change it).
  void prepare_levels() {
    if (p_.level_links.empty() && p_.earlier_links.empty()) return;
    collect_other_grants();
    std::vector<std::unordered_map<std::string, uint32_t>> tables(p_.level_links.size());
    b_.level_found.emplace_back();  // index 0: nothing found
    std::string k;
    for (uint32_t g = 0; g < b_.other_grants.size(); ++g) {
      const OtherGrant& og = b_.other_grants[g];
      if (og.award <= 0) continue;
      for (size_t l = 0; l < p_.level_links.size(); ++l) {
        const LevelLink& link = p_.level_links[l];
        if (og.policy != link.policy || std::find(link.items.begin(), link.items.end(), og.item) == link.items.end()) continue;
        if (!other_key(link, og, k)) continue;
        auto [it, fresh] = tables[l].emplace(k, static_cast<uint32_t>(b_.level_found.size()));
        if (fresh) b_.level_found.emplace_back();
        LevelFound& found = b_.level_found[it->second];
        add(found.total, og.award);
        found.grants.push_back(g);
      }
    }
    for (uint32_t a = 0; a < b_.apps.size(); ++a) {
      Decision& d = b_.decisions[a];
      if (d.status != Status::Pending) continue;
      Application& app = b_.apps[a];
      const ItemInfo& item = p_.items[app.item];
      size_t filled = 0;
      for (const auto& in : item.inputs) filled += p_.fields[in.field].award_of >= 0 || p_.fields[in.field].earlier >= 0;
      if (item.levels.empty() && filled == 0) continue;
      const int64_t* frame = b_.load(app);
      d.levels_begin = static_cast<uint32_t>(b_.level_steps.size());
      auto find = [&](int l, LevelStep& st) {
        const LevelLink& link = p_.level_links[l];
        int missing = own_key(link, frame, k);
        if (missing >= 0) {
          const FieldInfo& f = p_.fields[missing];
          d = Decision{};
          d.status = Status::Error;
          d.error_code = DiagCode::E0601;
          d.error = static_cast<uint32_t>(b_.errors.size());
          b_.errors.push_back(msg(InputMsg::LevelKeyMissing, {{"name", f.name},
                                                              {"label", f.label.empty() ? "" : "（" + f.label + "）"},
                                                              {"policy", link.policy}}));
          return false;
        }
        auto it = tables[l].find(k);
        st.found = it == tables[l].end() ? 0 : it->second;
        st.other = b_.level_found[st.found].total;
        return true;
      };
      bool ok = true;
      for (int r : item.levels) {
        LevelStep st;
        st.rule = r;
        ok = ok && find(plan_[r].level_link, st);
        b_.level_steps.push_back(st);
      }
      size_t k_value = ncommon_;
      for (const auto& in : item.inputs) {
        if (p_.fields[in.field].earlier >= 0 && ok) {  // computed in processing order (fill_earlier)
          LevelStep st;
          st.field = in.field;
          st.earlier = true;
          b_.level_steps.push_back(st);
        }
        int l = p_.fields[in.field].award_of;
        if (l >= 0 && ok) {
          LevelStep st;
          st.field = in.field;
          ok = find(l, st);
          b_.values[app.values + k_value] = st.other;
          app.present |= uint64_t{1} << k_value;
          b_.level_steps.push_back(st);
        }
        ++k_value;
      }
      if (!ok) {
        b_.level_steps.resize(d.levels_begin);
        continue;
      }
      d.levels_count = static_cast<uint32_t>(b_.level_steps.size() - d.levels_begin);
    }
  }

  // Step 4: each group cap takes what is left of its limit in the period, in processing order.
  void group_caps(uint32_t a) {
    Decision& d = b_.decisions[a];
    if (d.status != Status::Eligible) return;
    if (d.discretionary) {
      // The authority sets the amount later, so nothing is taken from a group here; the most it
      // may set is what each group has left in the period (grants so far), never above the cap.
      for (uint32_t g = d.groups_begin; g < d.groups_begin + d.groups_count; ++g) {
        GroupStep& s = b_.group_steps[g];
        s.used = group_used_[group_scope_[g]];
        s.before = d.ceiling;
        int64_t avail = std::max<int64_t>(0, s.limit - s.used);
        s.after = d.ceiling < 0 ? avail : std::min(d.ceiling, avail);
        d.ceiling = s.after;
      }
      return;
    }
    if (d.award <= 0) {  // nothing left to limit (quota or no double support took it)
      d.groups_count = 0;
      return;
    }
    for (uint32_t g = d.groups_begin; g < d.groups_begin + d.groups_count; ++g) {
      GroupStep& s = b_.group_steps[g];
      s.used = group_used_[group_scope_[g]];
      s.before = d.award;
      int64_t avail = std::max<int64_t>(0, s.limit - s.used);
      s.after = std::min(d.award, avail);
      d.award = s.after;
    }
    for (uint32_t g = d.groups_begin; g < d.groups_begin + d.groups_count; ++g) add(group_used_[group_scope_[g]], d.award);
  }

  // Step 5: a period's awards beyond the remaining budget are scaled down pro rata.
  void budgets(const std::vector<int32_t>& rules) {
    for (int32_t ri : rules) {
      const ir::RulePlan& r = plan_[ri];
      int64_t budget = 0;
      if (r.budget_param >= 0) {
        if (!p_.params[r.budget_param].has_value) continue;  // optional and unset: no control
        budget = p_.params[r.budget_param].value;
      } else if (r.budget_limit >= 0) {
        budget = r.budget_limit;
      } else {
        continue;
      }
      std::map<int, BudgetYear> years;
      for (uint32_t a : order_) {
        const Decision& d = b_.decisions[a];
        if (d.status != Status::Eligible || d.award <= 0 || !r.applies[b_.apps[a].item]) continue;
        int y = r.per_year ? year_of(b_.apps[a].date) : 0;
        auto& by = years[y];
        add(by.total, d.award);
      }
      for (auto& [y, by] : years) {
        by.rule = static_cast<int32_t>(ri);
        by.year = y;
        by.budget = budget;
        auto h = budget_history_.find({static_cast<int>(ri), y});
        by.history = h == budget_history_.end() ? 0 : h->second;
        int64_t remaining = std::max<int64_t>(0, budget - by.history);
        by.scaled = by.total > remaining;
        auto in_period = [&, y = y](uint32_t a) {  // a structured binding is captured by copy (C++17)
          const Decision& d = b_.decisions[a];
          return d.status == Status::Eligible && d.award > 0 && r.applies[b_.apps[a].item] &&
                 (r.per_year ? year_of(b_.apps[a].date) : 0) == y;
        };
        if (by.scaled && r.ration == Ration::Unstated) {
          // The text does not say how to share: nothing is chosen silently. The awards stand and
          // every decision of the period says the pool is oversubscribed (the summary too).
          by.scaled = false;
          by.oversubscribed = true;
          for (uint32_t a : order_)
            if (in_period(a)) b_.decisions[a].budget_rule = static_cast<int32_t>(ri);
        } else if (by.scaled && (r.ration == Ration::FirstCome || r.ration == Ration::Ranked)) {
          // Granted in order (acceptance date, or the rank field) until the pool is used up.
          std::vector<uint32_t> queue;
          for (uint32_t a : order_)
            if (in_period(a)) queue.push_back(a);
          if (r.ration == Ration::Ranked) {
            int32_t slot = p_.fields[r.rank_field].slot;
            std::vector<int64_t> rank(queue.size());
            for (size_t k = 0; k < queue.size(); ++k) rank[k] = b_.load(b_.apps[queue[k]])[slot];
            std::vector<size_t> idx(queue.size());
            for (size_t k = 0; k < idx.size(); ++k) idx[k] = k;
            std::stable_sort(idx.begin(), idx.end(), [&](size_t x, size_t y) {
              return r.descending ? rank[x] > rank[y] : rank[x] < rank[y];
            });
            std::vector<uint32_t> sorted;
            for (size_t k : idx) sorted.push_back(queue[k]);
            queue.swap(sorted);
          }
          int64_t left = remaining;
          for (uint32_t a : queue) {
            Decision& d = b_.decisions[a];
            d.before_budget = d.award;
            d.budget_left = left;
            d.budget_rule = static_cast<int32_t>(ri);
            d.award = std::min(d.award, left);
            left -= d.award;
          }
        } else if (by.scaled) {
          for (uint32_t a : order_) {
            Decision& d = b_.decisions[a];
            if (d.status != Status::Eligible || d.award <= 0 || !r.applies[b_.apps[a].item]) continue;
            if ((r.per_year ? year_of(b_.apps[a].date) : 0) != y) continue;
            int64_t scaled = 0;
            round_div(static_cast<__int128>(d.award) * remaining, static_cast<__int128>(by.total) * r.scale_quantum,
                      r.scale_mode, &scaled);
            d.before_budget = d.award;
            d.budget_rule = static_cast<int32_t>(ri);
            d.award = scaled * r.scale_quantum;
          }
        }
        b_.budget_years.push_back(by);
      }
    }
  }

  Batch& b_;
  const Policy& p_;
  const ir::Program& prog_;
  size_t ncommon_ = 0;  // an application's values: the common fields first
  struct EarlierState {
    int64_t count = 0, sum = 0;
    int32_t first = 0;
    bool any = false;
  };
  std::vector<std::vector<std::pair<int, uint32_t>>> earlier_inputs_;  // [item]: (link, value index)
  std::vector<std::vector<uint8_t>> earlier_counts_;                  // [link][item]
  std::unordered_map<std::string, EarlierState> earlier_;
  const std::vector<ir::RulePlan>& plan_;
  std::vector<std::vector<int>> keyed_rules_;
  std::vector<uint32_t> order_;
  std::vector<uint32_t> position_;
  std::string scratch_;
  std::unordered_map<GroupKey, int64_t, GroupKeyHash> group_used_;
  std::vector<GroupKey> group_scope_;
  std::map<std::pair<int, int>, int64_t> quota_history_, budget_history_;
  std::map<std::pair<int, int>, std::vector<std::pair<uint32_t, int64_t>>> quota_candidates_;
  std::unordered_map<std::string, int32_t> once_seen_;
  std::unordered_map<std::string, SeriesState> series_;
  std::unordered_map<std::string, std::vector<uint32_t>> exclusive_candidates_;
  std::unordered_set<std::string> exclusive_history_;
};

}  // namespace

void evaluate(Batch& batch) {
  Engine e(batch);
  e.run();
}

}  // namespace pol
