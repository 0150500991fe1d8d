#include "runtime/testing/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/check/check_expr.h"
#include "compiler/driver/levels.h"
#include "compiler/diagnostics/messages_cli.h"
#include "compiler/diagnostics/messages_input.h"
#include "compiler/diagnostics/suggest.h"
#include "compiler/parse/parse.h"
#include "runtime/explain/explain.h"
#include "runtime/input/records.h"
#include "runtime/run/batch_run.h"
#include "values/date.h"
#include "values/fixed.h"

namespace fs = std::filesystem;

namespace pol::testing {

namespace {
RenderOptions plain(Lang lang) {
  RenderOptions o;
  o.lang = lang;
  return o;
}
}  // namespace

size_t TestFileResult::passed() const {
  size_t n = 0;
  for (const auto& c : cases) n += c.passed;
  return n;
}

size_t TestFileResult::failed() const { return cases.size() - passed(); }

// A policy loaded with one set of rules files and overrides, with the money units its files
// declare (to read `600万` in test records and expectations the way the policy reads it).
struct TestRunner::Cached {
  std::unique_ptr<LoadedPolicy> lp;
  std::string diagnostics;  // rendered, when it did not load
  std::vector<UnitInfo> units;
  bool ok() const { return lp && lp->ok(); }
};

TestRunner::TestRunner(RunOptions options) : opts_(std::move(options)) {}
TestRunner::~TestRunner() = default;

const TestRunner::Cached& TestRunner::load(const std::string& policy, const std::vector<std::string>& revisions,
                                           const std::vector<std::string>& rules, const std::vector<std::string>& sets,
                                           bool need_values) {
  std::string key = need_values ? "1" : "0";
  key += policy;
  for (const auto& r : revisions) key += '\x1f' + r;
  for (const auto& r : rules) key += '\x1e' + r;
  key += '\x1d';
  for (const auto& s : sets) key += '\x1e' + s;
  auto it = cache_.find(key);
  if (it != cache_.end()) return *it->second;
  auto c = std::make_unique<Cached>();
  LoadOptions lo;
  lo.policy_path = policy;
  lo.revision_paths = revisions;
  lo.rules_paths = rules;
  lo.sets = sets;
  lo.stdlib_dir = opts_.stdlib_dir;
  lo.need_parameter_values = need_values;
  c->lp = load_policy(lo);
  c->lp->diags.sort_by_position();
  if (!c->lp->ok()) {
    c->diagnostics = render_all(c->lp->diags, c->lp->sources, plain(opts_.lang));
  } else {
    // Units in declaration order (a unit may be defined by an earlier one).
    Policy scratch;
    Diagnostics d;
    ExprChecker ex(scratch, c->units, d);
    ex.allow_bare_money(true);  // units are defined in 元: `unit 万 = 10000`
    for (const auto& f : c->lp->files)
      for (const auto& u : f->units) {
        int64_t fen = 0;
        if (ex.constant(*u.value, T(Ty::Money), &fen)) c->units.push_back({u.name.text, fen, u.span});
      }
  }
  return *cache_.emplace(key, std::move(c)).first->second;
}

namespace {


std::string dir_of(const std::string& path) {
  fs::path p(path);
  return p.has_parent_path() ? p.parent_path().string() : ".";
}

std::string join_path(const std::string& dir, const std::string& rel) {
  fs::path r(rel);
  if (r.is_absolute()) return r.lexically_normal().string();
  return (fs::path(dir) / r).lexically_normal().string();
}

// Everything one test needs while it runs: the test file's sources and the policy it tests.
struct CaseContext {
  const SourceManager& sm;
  const Policy& policy;
  const std::vector<UnitInfo>& units;
  Lang lang = Lang::En;  // of the problems reported about a record's values

  uint32_t line(Span s) const { return s.file ? sm.position(s.file, s.begin).line : 0; }
  std::string source(Span s) const {
    std::string_view t = sm.text(s.file);
    if (s.begin > t.size() || s.end > t.size() || s.end < s.begin) return "";
    return std::string(t.substr(s.begin, s.end - s.begin));
  }

  // Evaluates a constant of the test file (`600万`, `3`) as `want`; false with `err` otherwise.
  bool constant(const ast::Expr& e, Type want, int64_t* out, std::string& err) const {
    Policy scratch;
    Diagnostics d;
    ExprChecker ex(scratch, units, d);
    if (ex.constant(e, want, out)) return true;
    err = d.empty() ? render_msg(msg(InputMsg::TestValueNotConstant, {{"text", source(e.span)}}), lang)
                    : text_in(d.all().front().message, d.all().front().message_msg, lang);
    return false;
  }
};

// A test record as the untyped record a reader would produce from JSON input.
struct RecordBuffer {
  std::deque<std::string> store;
  input::RawRecord rec;
  std::string_view keep(std::string s) {
    store.push_back(std::move(s));
    return store.back();
  }
};

bool to_raw(const CaseContext& cx, const ast::TestRecord& r, RecordBuffer& buf, std::string& err) {
  buf.store.clear();
  buf.rec.fields.clear();
  buf.rec.error.clear();
  buf.rec.line = cx.line(r.span);
  // The record's name is its application id, under whatever field the policy gives that role.
  const Policy& p = cx.policy;
  const std::string id_field = p.field_id >= 0 ? p.fields[p.field_id].name : "id";
  bool has_id = false;
  for (const auto& [name, value] : r.fields) has_id |= name.text == id_field;
  if (!has_id) buf.rec.fields.push_back({buf.keep(id_field), input::RawKind::String, buf.keep(r.id.text)});
  for (const auto& field : r.fields) {
    // Not a structured binding: a lambda below captures the name, which C++17 forbids for
    // bindings (clang rejects it; GCC accepts).
    const auto& name = field.first;
    const ast::Expr& e = *field.second;
    std::string_view n = buf.keep(name.text);
    auto money = [&](const ast::Expr& x, bool negative) {
      int64_t fen = 0;
      if (!cx.constant(x, T(Ty::Money), &fen, err)) {
        err = render_msg(msg(InputMsg::TestFieldProblem, {{"name", name.text}, {"problem", err}}), cx.lang);
        return false;
      }
      buf.rec.fields.push_back({n, input::RawKind::Number, buf.keep((negative ? "-" : "") + money_plain_str(fen))});
      return true;
    };
    switch (e.kind) {
      case ast::ExprKind::String:
      case ast::ExprKind::Name:
      case ast::ExprKind::Date:
        buf.rec.fields.push_back({n, input::RawKind::String, buf.keep(e.text)});
        break;
      case ast::ExprKind::Percent:
      case ast::ExprKind::Duration:
        buf.rec.fields.push_back({n, input::RawKind::String, buf.keep(cx.source(e.span))});
        break;
      case ast::ExprKind::Number:
        buf.rec.fields.push_back({n, input::RawKind::Number, buf.keep(e.text)});
        break;
      case ast::ExprKind::Bool:
        buf.rec.fields.push_back(
            {n, e.text == "true" ? input::RawKind::True : input::RawKind::False, buf.keep(e.text)});
        break;
      case ast::ExprKind::Neg:
        if (e.args.size() == 1 && e.args[0]->kind == ast::ExprKind::Number) {
          buf.rec.fields.push_back({n, input::RawKind::Number, buf.keep("-" + e.args[0]->text)});
          break;
        }
        if (!money(*e.args[0], true)) return false;
        break;
      default:
        if (!money(e, false)) return false;
    }
  }
  return true;
}

std::string code_and_message(const Batch& b, const Decision& d, Lang lang) {
  std::string out;
  for (const InputError& e : b.input_errors(d))  // every problem of the application
    out += (out.empty() ? "" : "; ") + say(lang, CliMsg::TestInputError, {{"code", code_name(e.code)}, {"message", e.text(lang)}});
  return out;
}

// What the decision was, in words, for "got …".
std::string actual_state(const Batch& b, uint32_t a, Lang lang) {
  const Decision& d = b.decisions[a];
  const Policy& p = *b.policy;
  if (d.status == Status::Error) return code_and_message(b, d, lang);
  if (d.status == Status::Eligible && d.discretionary) return say(lang, CliMsg::TestStateDiscretionary);
  if (d.status == Status::Eligible) return say(lang, CliMsg::TestStateAward, {{"amount", money_str(d.award)}});
  if (d.status == Status::Routed)
    return say(lang, CliMsg::TestStateRouted, {{"to", p.rules[d.route_rule].route_to}, {"rule", p.rules[d.route_rule].name}});
  switch (d.cause) {
    case Cause::Validity: return say(lang, CliMsg::TestStateOutsideValidity);
    case Cause::Condition: {
      const ItemInfo& item = p.items[b.apps[a].item];
      for (size_t c = 0; c < item.conditions.size(); ++c)
        if (!(d.conditions >> c & 1)) return say(lang, CliMsg::TestStateFailedCondition, {{"name", item.conditions[c].name}});
      return say(lang, CliMsg::TestStateIneligible);
    }
    case Cause::Once:
    case Cause::Series:
      return say(lang, CliMsg::TestStateRefusedBy, {{"rule", p.rules[d.cause_rule].name}});
    default: return say(lang, CliMsg::TestStateIneligible);
  }
}

int find_rule(const Policy& p, const std::string& name) {
  for (size_t r = 0; r < p.rules.size(); ++r)
    if (p.rules[r].name == name) return static_cast<int>(r);
  return -1;
}

bool tier_matches(const TierInfo& t, const std::string& label) {
  if (t.label == label) return true;
  return t.label.empty() && (label == "其他情形" || label == "otherwise");
}

std::string tier_name(const TierInfo& t) { return t.label.empty() ? "其他情形" : t.label; }

// Checks one expectation; returns "" when it holds, else the failure message.
std::string check_expectation(const CaseContext& cx, const ast::Expectation& x, const Batch& b, uint32_t a, Lang lang) {
  const Policy& p = *b.policy;
  const Application& app = b.apps[a];
  const Decision& d = b.decisions[a];
  bool error = d.status == Status::Error;
  std::string want;  // "award 1,500,000.00 元" etc., for the message
  auto expected = [&](const std::string& want, const std::string& got) {
    return say(lang, CliMsg::TestExpected, {{"want", want}, {"got", got}});
  };
  auto state = [&] { return actual_state(b, a, lang); };
  auto got_error = [&](const std::string& want) { return expected(want, code_and_message(b, d, lang)); };
  // "bad expectation `award 5`: why"
  auto bad = [&](const std::string& expect, const std::string& why) {
    return say(lang, CliMsg::TestBadExpectation, {{"expect", expect}, {"why", why}});
  };
  const ItemInfo* item = error || app.item < 0 ? nullptr : &p.items[app.item];

  switch (x.kind) {
    case ast::ExpectKind::Discretionary:
      if (d.status == Status::Eligible && d.discretionary) return "";
      return expected(say(lang, CliMsg::TestWantDiscretionary), state());
    case ast::ExpectKind::Relaxable:
      if (d.status == Status::Eligible && d.relaxable) return "";
      return expected(say(lang, CliMsg::TestWantRelaxable),
                      d.status == Status::Eligible ? say(lang, CliMsg::TestGotNotRelaxable) : state());
    case ast::ExpectKind::Ceiling: {
      int64_t v = 0;
      std::string err;
      if (!cx.constant(*x.value, T(Ty::Money), &v, err)) return bad("ceiling " + cx.source(x.value->span), err);
      want = say(lang, CliMsg::TestWantCeiling, {{"amount", money_str(v)}});
      if (error) return got_error(want);
      if (d.ceiling == v) return "";
      return expected(want, d.ceiling >= 0 ? money_str(d.ceiling) : say(lang, CliMsg::TestGotNoCeiling));
    }
    case ast::ExpectKind::Eligible:
      if (d.status == Status::Eligible) return "";
      return expected(say(lang, CliMsg::TestStateEligible), state());
    case ast::ExpectKind::Ineligible:
      if (d.status == Status::Ineligible) return "";
      return expected(say(lang, CliMsg::TestStateIneligible), state());
    case ast::ExpectKind::Award: {
      int64_t v = 0;
      std::string err;
      if (!cx.constant(*x.value, T(Ty::Money), &v, err)) return bad("award " + cx.source(x.value->span), err);
      want = say(lang, CliMsg::TestWantAward, {{"amount", money_str(v)}});
      if (error) return got_error(want);
      if (d.award == v) return "";
      return expected(want, d.status == Status::Ineligible
                                ? say(lang, CliMsg::TestGotAwardIneligible, {{"amount", money_str(d.award)}})
                                : money_str(d.award));
    }
    case ast::ExpectKind::Error: {
      std::string code = x.name.text;
      if (!code.empty() && !code_from_name(code))
        return bad("error " + code, say(lang, CliMsg::TestNoSuchCode));
      want = code.empty() ? say(lang, CliMsg::TestWantInputError) : say(lang, CliMsg::TestWantErrorCode, {{"code", code}});
      if (!error) return expected(want, state());
      if (code.empty()) return "";
      for (const InputError& e : b.input_errors(d))  // any of the application's problems
        if (*code_from_name(code) == e.code) return "";
      return got_error(want);
    }
    case ast::ExpectKind::Failed:
    case ast::ExpectKind::Passed: {
      bool expect_pass = x.kind == ast::ExpectKind::Passed;
      const std::string& name = x.name.text;
      auto passed = [&](bool pass, const std::string& what) {
        return say(lang, pass ? CliMsg::TestWantPassed : CliMsg::TestWantFailed, {{"name", what}});
      };
      const std::string expect = (expect_pass ? "passed " : "failed ") + name;  // as written in the test
      want = passed(expect_pass, name);
      if (error) return got_error(want);
      if (name == "validity") {
        if (!p.validity.present) return bad(expect, say(lang, CliMsg::TestNoValidity));
        bool inside = app.date >= p.validity.from && app.date <= p.validity.to;
        if (inside == expect_pass) return "";
        return say(lang, CliMsg::TestExpectedValidity,
                   {{"want", want}, {"got", passed(inside, "validity")}, {"date", date_str(app.date)},
                    {"from", date_str(p.validity.from)}, {"to", date_str(p.validity.to)}});
      }
      for (size_t c = 0; c < item->conditions.size(); ++c) {
        if (item->conditions[c].name != name) continue;
        bool held = d.conditions >> c & 1;
        if (held == expect_pass) return "";
        return expected(want, passed(held, name));
      }
      int r = find_rule(p, name);
      if (r >= 0 && (p.rules[r].kind == RuleKind::Once || p.rules[r].kind == RuleKind::Series)) {
        if (!p.rules[r].applies_to(app.item))
          return bad(expect, say(lang, CliMsg::TestRuleNotForItem, {{"rule", name}, {"item", item->number}}));
        bool refused = d.status == Status::Ineligible && d.cause_rule == r;
        bool checked = refused || d.status == Status::Eligible || d.cause == Cause::Once || d.cause == Cause::Series;
        if (!expect_pass && refused) return "";
        if (expect_pass && d.status == Status::Eligible) return "";
        if (!checked) return expected(want, say(lang, CliMsg::TestGotNotChecked, {{"state", state()}}));
        return expected(want, passed(!refused, name));
      }
      std::vector<std::string> names{"validity"};
      for (const auto& c : item->conditions) names.push_back(c.name);
      for (const auto& rule : p.rules)
        if ((rule.kind == RuleKind::Once || rule.kind == RuleKind::Series) && rule.applies_to(app.item))
          names.push_back(rule.name);
      if (auto s = did_you_mean(name, names))
        return bad(expect, say(lang, CliMsg::TestNoConditionNear, {{"item", item->number}, {"name", name}, {"near", *s}}));
      std::string list;
      for (size_t i = 0; i < names.size(); ++i) list += (i ? ", " : "") + names[i];
      return bad(expect, say(lang, CliMsg::TestNoConditionList, {{"item", item->number}, {"name", name}, {"list", list}}));
    }
    case ast::ExpectKind::Bound:
    case ast::ExpectKind::NotBound: {
      bool expect_bound = x.kind == ast::ExpectKind::Bound;
      const std::string& name = x.name.text;
      auto bound_text = [&](bool is_bound) {
        return say(lang, is_bound ? CliMsg::TestWantBound : CliMsg::TestWantNotBound, {{"name", name}});
      };
      const std::string expect = (expect_bound ? "bound " : "not bound ") + name;  // as written in the test
      want = bound_text(expect_bound);
      if (error) return got_error(want);
      bool bound = false;
      if (name == "cap") {
        if (!item->cap.present) return bad(expect, say(lang, CliMsg::TestNoCap, {{"item", item->number}}));
        bound = d.cap >= 0 && d.amount > d.cap;
      } else {
        int r = find_rule(p, name);
        if (r < 0) {
          std::vector<std::string> names{"cap"};
          for (const auto& rule : p.rules)
            if (rule.applies_to(app.item)) names.push_back(rule.name);
          if (auto s = did_you_mean(name, names))
            return bad(expect, say(lang, CliMsg::TestNoRuleNear, {{"name", name}, {"near", *s}}));
          return bad(expect, say(lang, CliMsg::TestNoRule, {{"name", name}}));
        }
        const RuleInfo& rule = p.rules[r];
        if (!rule.applies_to(app.item))
          return bad(expect, say(lang, CliMsg::TestRuleNotForItem, {{"rule", name}, {"item", item->number}}));
        switch (rule.kind) {
          case RuleKind::Group:
            for (uint32_t g = d.groups_begin; d.status == Status::Eligible && g < d.groups_begin + d.groups_count; ++g) {
              const GroupStep& s = b.group_steps[g];
              if (s.rule == r) bound = s.after < s.before;
            }
            break;
          case RuleKind::Quota: bound = d.quota_rule == r && d.quota_rank > d.quota_places; break;
          case RuleKind::Exclusive:
            bound = d.exclusive_rule == r && (d.exclusive_history || d.exclusive_winner != static_cast<int32_t>(a));
            break;
          case RuleKind::Budget: bound = d.budget_rule == r; break;
          case RuleKind::Once:
          case RuleKind::Series: bound = d.status == Status::Ineligible && d.cause_rule == r; break;
          case RuleKind::Highest:
          case RuleKind::Combined:
            for (uint32_t s = d.levels_begin; d.status == Status::Eligible && s < d.levels_begin + d.levels_count; ++s) {
              const LevelStep& st = b.level_steps[s];
              if (st.rule == r) bound = st.after < st.before;
            }
            break;
          case RuleKind::Route: bound = d.status == Status::Routed && d.route_rule == r; break;
        }
      }
      if (bound == expect_bound) return "";
      return expected(want, bound_text(bound));
    }
    case ast::ExpectKind::Rank: {
      int64_t v = 0;
      std::string err;
      if (!cx.constant(*x.value, T(Ty::Int), &v, err)) return bad("rank " + cx.source(x.value->span), err);
      want = say(lang, CliMsg::TestWantRank, {{"rank", std::to_string(v)}});
      if (error) return got_error(want);
      if (d.quota_rule < 0) return expected(want, say(lang, CliMsg::TestGotNoRank, {{"state", state()}}));
      if (d.quota_rank == v) return "";
      return expected(want, say(lang, CliMsg::TestGotRank,
                                {{"rank", std::to_string(d.quota_rank)}, {"of", std::to_string(d.quota_candidates)},
                                 {"places", std::to_string(d.quota_places)}}));
    }
    case ast::ExpectKind::Tier: {
      want = say(lang, CliMsg::TestWantTier, {{"tier", x.label.text}});
      if (error) return got_error(want);
      if (item->amount.tiers.empty() && item->cap.tiers.empty())
        return bad("tier \"" + x.label.text + "\"", say(lang, CliMsg::TestNoTiers, {{"item", item->number}}));
      bool known = false;
      for (const auto* v : {&item->amount, &item->cap})
        for (const auto& t : v->tiers) known |= tier_matches(t, x.label.text);
      if (!known) {
        std::string tiers;
        for (const auto* v : {&item->amount, &item->cap})
          for (const auto& t : v->tiers) tiers += (tiers.empty() ? "「" : "、「") + tier_name(t) + "」";
        return bad("tier 「" + x.label.text + "」", say(lang, CliMsg::TestTiersAre, {{"item", item->number}, {"tiers", tiers}}));
      }
      std::string got;
      if (d.amount_tier >= 0 && d.amount_tier < static_cast<int>(item->amount.tiers.size())) {
        if (tier_matches(item->amount.tiers[d.amount_tier], x.label.text)) return "";
        got = say(lang, CliMsg::TestGotAmountTier, {{"tier", tier_name(item->amount.tiers[d.amount_tier])}});
      }
      if (d.cap_tier >= 0 && d.cap_tier < static_cast<int>(item->cap.tiers.size())) {
        if (tier_matches(item->cap.tiers[d.cap_tier], x.label.text)) return "";
        std::string cap = say(lang, CliMsg::TestGotCapTier, {{"tier", tier_name(item->cap.tiers[d.cap_tier])}});
        got = got.empty() ? cap : say(lang, CliMsg::TestGotBothTiers, {{"amount", got}, {"cap", cap}});
      }
      return expected(want, got.empty() ? say(lang, CliMsg::TestGotNoTier) : got);
    }
  }
  return "";
}

// Decides one test's batch through the batch-run API, its records given as a reader would give
// them. Problems with the records (in record order: history, then applications) are failures of
// the test; false when there are any, or when the batch could not be decided.
// Where the applications of a test were decided: one policy's batch, or the batches of the
// policies a test decides together (levels); each application name with its batch and index.
struct CaseBatches {
  BatchRun single;
  LevelsRun levels;
  std::map<std::string, std::pair<Batch*, uint32_t>> where;
  std::vector<Batch*> batches;  // parallel to the policies given
};

bool decide_case(const CaseContext& cx, const std::vector<const LoadedPolicy*>& lps, const ast::TestCase& tc,
                 CaseResult& cr, CaseBatches& out, Lang lang) {
  std::map<std::string, uint32_t> index;
  // A RecordBuffer never moves once made: its record refers to its texts.
  std::deque<RecordBuffer> bufs;
  std::string err;
  std::vector<input::RawRecord> history, applications;
  std::vector<size_t> history_of;  // the test's history record of each entry of `history`
  std::vector<std::pair<size_t, Failure>> history_failures;  // by the test's history record
  for (size_t h = 0; h < tc.history.size(); ++h) {
    const auto& r = tc.history[h];
    if (!to_raw(cx, r, bufs.emplace_back(), err)) {
      history_failures.push_back(
          {h, {cx.line(r.span), r.id.text, say(lang, CliMsg::TestHistoryRecord, {{"name", r.id.text}, {"message", err}}), ""}});
      continue;
    }
    history.push_back(bufs.back().rec);
    history_of.push_back(h);
  }
  std::vector<Failure> application_failures;
  for (const auto& r : tc.applications) {
    if (!index.emplace(r.id.text, static_cast<uint32_t>(applications.size())).second) {
      application_failures.push_back(
          {cx.line(r.span), r.id.text, say(lang, CliMsg::TestTwoApplicationsNamed, {{"name", r.id.text}}), ""});
      continue;
    }
    if (!to_raw(cx, r, bufs.emplace_back(), err)) {
      application_failures.push_back(
          {cx.line(r.span), r.id.text, say(lang, CliMsg::TestApplicationRecord, {{"name", r.id.text}, {"message", err}}), ""});
      index.erase(r.id.text);
      continue;
    }
    applications.push_back(bufs.back().rec);
  }
  BatchRequest req;
  req.lang = lang;
  req.history_records = &history;
  req.application_records = &applications;
  std::vector<std::string> errors;
  bool decided = false;
  std::vector<const BatchRun*> runs;
  if (lps.size() == 1) {
    decided = decide_batch(*lps[0], req, out.single, errors);
    runs.push_back(&out.single);
  } else {
    decided = decide_levels(lps, req, out.levels, errors);
    for (const auto& r : out.levels.runs) runs.push_back(&r);
  }
  std::vector<BadRecord> bad_history;
  for (const BatchRun* r : runs) bad_history.insert(bad_history.end(), r->bad_history.begin(), r->bad_history.end());
  for (const BadRecord& bad : bad_history) {
    const auto& r = tc.history[history_of[bad.index]];
    history_failures.push_back(
        {history_of[bad.index],
         {cx.line(r.span), r.id.text, say(lang, CliMsg::TestHistoryRecord, {{"name", r.id.text}, {"message", bad.message}}), ""}});
  }
  std::stable_sort(history_failures.begin(), history_failures.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& f : history_failures) cr.failures.push_back(std::move(f.second));
  cr.failures.insert(cr.failures.end(), application_failures.begin(), application_failures.end());
  cr.applications = applications.size();
  if (!decided && bad_history.empty() && cr.failures.empty())
    for (const auto& e : errors) cr.failures.push_back({cr.line, "", say(lang, CliMsg::TestCannotDecide, {{"message", e}}), ""});
  if (!cr.failures.empty()) return false;
  // Each application by its name: records are numbered by their line in the test file.
  std::map<size_t, std::pair<Batch*, uint32_t>> by_line;
  for (const BatchRun* r : runs)
    for (uint32_t i = 0; i < r->batch->apps.size(); ++i) by_line[r->batch->apps[i].line] = {r->batch.get(), i};
  for (const auto& [name, k] : index) {
    auto it = by_line.find(applications[k].line);
    if (it != by_line.end()) out.where[name] = it->second;
  }
  for (const auto* lp : lps)
    for (const BatchRun* r : runs)
      if (r->batch->policy == lp->policy.get()) out.batches.push_back(r->batch.get());
  return true;
}

}  // namespace

TestFileResult TestRunner::run_file(const std::string& path) {
  TestFileResult res;
  res.path = path;
  SourceManager sm;
  std::string text;
  if (!read_source_file(path, text)) {
    res.error = say(opts_.lang, CliMsg::TestCannotRead, {{"file", path}}) + "\n";
    return res;
  }
  uint32_t fid = sm.add(path, std::move(text));
  Diagnostics diags;
  std::unique_ptr<ast::File> file = parse(fid, sm, diags);
  auto line_of = [&](Span s) { return s.file ? sm.position(s.file, s.begin).line : 0u; };
  auto fail_all = [&](const std::string& why) {
    for (const auto& tc : file->tests) {
      if (!opts_.filter.empty() && tc.name.text.find(opts_.filter) == std::string::npos) continue;
      CaseResult cr;
      cr.name = tc.name.text;
      cr.line = line_of(tc.span);
      cr.failures.push_back({cr.line, "", why, ""});
      res.cases.push_back(std::move(cr));
    }
  };
  if (diags.has_errors()) {
    res.error = render_all(diags, sm, plain(opts_.lang));
    return res;
  }
  if (!file->tests_for) {
    res.error = say(opts_.lang, CliMsg::TestNoHeader, {{"file", path}}) + "\n";
    fail_all(say(opts_.lang, CliMsg::TestNamesNoPolicy));
    return res;
  }
  if (file->policy || !file->clauses.empty() || !file->rules.empty())
    diags.report(DiagCode::E0106, file->policy ? file->policy->span : Span{fid, 0, 0},
                 msg(CliMsg::TestFileHoldsTestsOnly));
  // Names of tests must be unique: a report names a test by its name.
  for (size_t i = 0; i < file->tests.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (file->tests[i].name.text == file->tests[j].name.text)
        diags.report(DiagCode::E0101, file->tests[i].name.span, msg(CliMsg::TestDeclaredTwice, {{"name", file->tests[i].name.text}}))
            .note(file->tests[j].name.span, msg(CliMsg::TestFirstDeclaredHere));
  if (diags.has_errors()) {
    res.error = render_all(diags, sm, plain(opts_.lang));
    fail_all(say(opts_.lang, CliMsg::TestFileHasErrors));
    return res;
  }
  std::string dir = dir_of(path);
  res.policy_path = join_path(dir, file->tests_for->policy.text);
  for (const auto& r : file->tests_for->revisions) res.revision_paths.push_back(join_path(dir, r.text));
  for (const auto& r : file->tests_for->rules) res.rules_paths.push_back(join_path(dir, r.text));

  // Policies of different levels tested together (`tests for "district.pol", "municipal.pol"`):
  // the documents split where a policy, not a revision, begins; each rules file goes to the
  // policy it is for.
  struct Group {
    std::string policy, name;
    std::vector<std::string> revisions, rules;
  };
  std::vector<Group> groups{{res.policy_path, document_info(res.policy_path).name, {}, {}}};
  for (const auto& r : res.revision_paths) {
    DocumentInfo info = document_info(r);
    if (info.kind == DocumentInfo::Kind::Policy) groups.push_back({r, info.name, {}, {}});
    else groups.back().revisions.push_back(r);
  }
  for (const auto& r : res.rules_paths) {
    size_t g = 0;
    std::string target = groups.size() > 1 ? document_info(r).name : "";
    for (size_t k = 0; k < groups.size(); ++k)
      if (groups[k].name == target) g = k;
    groups[g].rules.push_back(r);
  }
  if (groups.size() > 1) res.revision_paths = groups[0].revisions;
  std::vector<const Cached*> bases;
  for (const auto& g : groups) {
    // Every required parameter needs a value only where a test decides: a test may `set` one
    // the rules files leave open.
    const Cached& c = load(g.policy, g.revisions, g.rules, {}, false);
    if (!c.ok()) {
      res.error = say(opts_.lang, CliMsg::TestPolicyDoesNotLoadAt,
                      {{"file", path}, {"line", std::to_string(line_of(file->tests_for->span))}}) +
                  "\n" + c.diagnostics;
      fail_all(say(opts_.lang, CliMsg::TestPolicyDoesNotLoad));
      return res;
    }
    bases.push_back(&c);
  }
  if (bases.size() > 1) {
    std::vector<LoadedPolicy*> all;
    for (const Cached* c : bases) all.push_back(c->lp.get());
    if (!check_level_links(all)) {
      res.error = say(opts_.lang, CliMsg::TestPoliciesDoNotFitAt,
                      {{"file", path}, {"line", std::to_string(line_of(file->tests_for->span))}}) + "\n";
      for (auto* lp : all) {
        res.error += render_all(lp->diags, lp->sources, plain(opts_.lang));
        lp->diags.clear();
      }
      fail_all(say(opts_.lang, CliMsg::TestPoliciesDoNotFit));
      return res;
    }
  }
  const Cached& base = *bases[0];
  std::vector<PolicyCoverage*> covs(groups.size(), nullptr);
  for (size_t k = 0; opts_.coverage && k < groups.size(); ++k) {
    std::error_code ec;
    fs::path canon = fs::weakly_canonical(groups[k].policy, ec);
    // A programme (the policy with revisions) is covered apart from the policy alone.
    std::string key = ec ? groups[k].policy : canon.string(), shown = groups[k].policy;
    for (const auto& r : groups[k].revisions) {
      key += " + " + r;
      shown += " + " + r;
    }
    covs[k] = &coverage_.of(key, *bases[k]->lp, shown);
  }

  for (const auto& tc : file->tests) {
    if (!opts_.filter.empty() && tc.name.text.find(opts_.filter) == std::string::npos) continue;
    auto t0 = std::chrono::steady_clock::now();
    CaseResult cr;
    cr.name = tc.name.text;
    cr.line = line_of(tc.span);
    auto finish = [&] {
      cr.passed = cr.failures.empty();
      cr.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      res.cases.push_back(std::move(cr));
    };
    // Parameter overrides: exactly what `--set NAME=VALUE` does, with the value as written, for
    // the policy that declares the parameter (the first one, when none does).
    std::vector<std::vector<std::string>> sets(groups.size());
    bool any_set = false;
    for (const auto& s : tc.sets) {
      size_t g = 0;
      for (size_t k = groups.size(); k-- > 0;)
        if (bases[k]->lp->policy->find_param(s.name.text) >= 0) g = k;
      sets[g].push_back(s.name.text + "=" + CaseContext{sm, *base.lp->policy, base.units}.source(s.value->span));
      any_set = true;
    }
    std::vector<const LoadedPolicy*> use;
    std::string not_loaded;
    for (size_t k = 0; k < groups.size(); ++k) {
      const Cached& c = load(groups[k].policy, groups[k].revisions, groups[k].rules, sets[k], true);
      if (!c.ok()) not_loaded += c.diagnostics;
      use.push_back(c.lp.get());
    }
    if (!not_loaded.empty()) {
      cr.failures.push_back({any_set ? line_of(tc.sets.front().span) : cr.line, "",
                             say(opts_.lang, any_set ? CliMsg::TestOverridesDoNotLoad : CliMsg::TestNeedsParameters) + "\n" +
                                 not_loaded,
                             ""});
      finish();
      continue;
    }
    CaseContext cx{sm, *use[0]->policy, base.units, opts_.lang};
    CaseBatches decided;
    if (!decide_case(cx, use, tc, cr, decided, opts_.lang)) {
      finish();
      continue;
    }
    for (size_t k = 0; k < covs.size() && k < decided.batches.size(); ++k)
      if (covs[k]) covs[k]->observe(*decided.batches[k]);
    std::map<const Batch*, std::unique_ptr<Explainer>> explainers;
    std::map<std::pair<const Batch*, uint32_t>, std::string> explained;
    const auto& index = decided.where;
    for (const auto& e : tc.expects) {
      auto it = index.find(e.target.text);
      if (it == index.end()) {
        std::vector<std::string> names;
        for (const auto& [n, i] : index) names.push_back(n);
        std::string msg = say(opts_.lang, CliMsg::TestNoApplicationNamed, {{"name", e.target.text}});
        if (auto s = did_you_mean(e.target.text, names))
          msg = say(opts_.lang, CliMsg::TestNoApplicationNamedNear, {{"name", e.target.text}, {"near", *s}});
        cr.failures.push_back({line_of(e.span), e.target.text, msg, ""});
        continue;
      }
      Batch& batch = *it->second.first;
      uint32_t at = it->second.second;
      for (const auto& x : e.expectations) {
        ++cr.expectations;
        std::string msg = check_expectation(cx, x, batch, at, opts_.lang);
        if (msg.empty()) continue;
        auto [ex_it, fresh] = explained.emplace(std::make_pair(&batch, at), "");
        if (fresh) {
          auto& ex = explainers[&batch];
          if (!ex) ex = std::make_unique<Explainer>(batch);
          ex->text_block(at, ex_it->second);
        }
        cr.failures.push_back({line_of(x.span), e.target.text, msg, ex_it->second});
      }
    }
    if (cr.expectations == 0 && cr.failures.empty())
      cr.failures.push_back({cr.line, "", say(opts_.lang, CliMsg::TestExpectsNothing), ""});
    finish();
  }
  return res;
}

TestFileResult run_test_file(const std::string& path, const RunOptions& options) {
  TestRunner r(options);
  return r.run_file(path);
}

std::vector<std::string> find_test_files(const std::vector<std::string>& paths, std::vector<std::string>& errors, Lang lang) {
  std::vector<std::string> out;
  auto is_test = [](const fs::path& p) {
    std::string n = p.filename().string();
    return n.size() > 9 && n.compare(n.size() - 9, 9, ".test.pol") == 0;
  };
  for (const auto& p : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      errors.push_back(say(lang, CliMsg::TestPathMissing, {{"path", p}}));
      continue;
    }
    if (!fs::is_directory(st)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (it->is_directory(ec) && !name.empty() && name[0] == '.') {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec) && is_test(it->path())) found.push_back(it->path().lexically_normal().string());
    }
    if (ec) errors.push_back(say(lang, CliMsg::TestCannotList, {{"path", p}, {"reason", ec.message()}}));
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace pol::testing
