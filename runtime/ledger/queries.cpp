// Ledger reports and imports: totals per enterprise, item, group and year (polc ledger show),
// every decision in recording order (export), and validation of an external grant list (import).
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "compiler/diagnostics/messages_cli.h"
#include "compiler/driver/pipeline.h"
#include "runtime/input/records.h"
#include "runtime/ledger/ledger.h"
#include "compiler/diagnostics/source.h"
#include "runtime/portfolio/batch.h"
#include "values/date.h"
#include "values/fixed.h"

namespace pol::ledger {
namespace {

// "7.1" < "10": dotted numbers compared part by part, other text after them.
bool item_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    size_t ei = i, ej = j;
    while (ei < a.size() && a[ei] >= '0' && a[ei] <= '9') ++ei;
    while (ej < b.size() && b[ej] >= '0' && b[ej] <= '9') ++ej;
    if (ei > i && ej > j) {
      std::string_view x(a.data() + i, ei - i), y(b.data() + j, ej - j);
      while (x.size() > 1 && x[0] == '0') x.remove_prefix(1);
      while (y.size() > 1 && y[0] == '0') y.remove_prefix(1);
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = ei;
      j = ej;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

// The filter as SQL: ?1 enterprise ('' = all), ?2 year (0 = all).
const char* const kWhere = " WHERE (?1 = '' OR enterprise = ?1) AND (?2 = 0 OR year = ?2)";

}  // namespace

bool Ledger::totals(const TotalsFilter& filter, const LoadedPolicy* lp, Totals& out, std::string& error) {
  out = Totals{};
  if (!has_schema_) return true;
  auto rows = [&](const std::string& sql, std::vector<Totals::Row>* list, Totals::Row* single) -> bool {
    Stmt q(db_, sql);
    if (!q.ok()) {
      error = fail(q.rc(), msg(CliMsg::LedgerDoingComputingTotals));
      return false;
    }
    q.bind(1, filter.enterprise).bind(2, int64_t{filter.year});
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      Totals::Row r;
      int c = 0;
      if (list) r.key = std::string(q.text(c++));
      r.decisions = q.integer(c++);
      r.eligible = q.integer(c++);
      r.grants = q.integer(c++);
      r.total_fen = q.integer(c++);
      if (list) list->push_back(std::move(r));
      else *single = r;
    }
    if (rc != SQLITE_DONE) {
      error = fail(rc, msg(CliMsg::LedgerDoingComputingTotals));
      return false;
    }
    return true;
  };
  const std::string agg =
      "count(*), coalesce(sum(eligible), 0), coalesce(sum(award_fen > 0), 0), coalesce(sum(award_fen), 0) "
      "FROM decisions";
  if (!rows("SELECT " + agg + kWhere, nullptr, &out.all) ||
      !rows("SELECT year, " + agg + kWhere + " GROUP BY year ORDER BY year", &out.per_year, nullptr) ||
      !rows("SELECT item, " + agg + kWhere + " GROUP BY item", &out.per_item, nullptr) ||
      !rows("SELECT enterprise, " + agg + kWhere + " GROUP BY enterprise ORDER BY enterprise", &out.per_enterprise,
            nullptr))
    return false;

  const Policy* p = lp ? lp->policy.get() : nullptr;
  std::sort(out.per_item.begin(), out.per_item.end(), [&](const Totals::Row& x, const Totals::Row& y) {
    int a = p ? p->find_item(x.key) : -1, b = p ? p->find_item(y.key) : -1;
    if (a >= 0 && b >= 0) return a < b;
    if ((a >= 0) != (b >= 0)) return a >= 0;
    return item_less(x.key, y.key);
  });
  if (p)
    for (const auto& r : out.per_item)
      if (p->find_item(r.key) < 0) out.unknown_items.push_back(r.key);

  if (p) {
    // Group caps: used amount per rule, scope (enterprise or the whole programme) and period.
    struct Use {
      int64_t used = 0, grants = 0;
    };
    std::vector<std::map<std::pair<std::string, std::string>, Use>> per_rule(p->rules.size());
    Stmt q(db_,
           "SELECT enterprise, item, year, count(*), sum(award_fen) FROM decisions "
           "WHERE award_fen > 0 AND (?1 = '' OR enterprise = ?1) GROUP BY enterprise, item, year");
    if (!q.ok()) {
      error = fail(q.rc(), msg(CliMsg::LedgerDoingComputingGroupTotals));
      return false;
    }
    q.bind(1, filter.enterprise);
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      int item = p->find_item(q.text(1));
      if (item < 0) continue;
      int64_t year = q.integer(2);
      for (int ri : p->items[item].groups) {
        const RuleInfo& r = p->rules[ri];
        if (r.kind != RuleKind::Group) continue;
        if (r.scope_field >= 0 && r.scope_field != p->field_enterprise) continue;  // other scopes: not kept apart
        if (r.period == Period::Year && filter.year && year != filter.year) continue;
        std::string scope = r.scope_field >= 0 ? std::string(q.text(0)) : "(programme)";
        std::string period = r.period == Period::Year ? std::to_string(year) : "term";
        Use& u = per_rule[ri][{scope, period}];
        u.grants += q.integer(3);
        u.used += q.integer(4);
      }
    }
    if (rc != SQLITE_DONE) {
      error = fail(rc, msg(CliMsg::LedgerDoingComputingGroupTotals));
      return false;
    }
    for (size_t ri = 0; ri < p->rules.size(); ++ri) {
      const RuleInfo& r = p->rules[ri];
      if (r.kind != RuleKind::Group) continue;
      std::string limit;
      int64_t limit_fen = -1;
      const ir::RulePlan& plan = lp->program.rules[ri];
      if (plan.limit == ir::RulePlan::Limit::Constant) {
        limit_fen = plan.limit_fen;
        limit = money_plain_str(limit_fen);
      } else if (plan.limit == ir::RulePlan::Limit::ItemCap) {
        limit = render_msg(msg(CliMsg::GroupLimitIsItemCap), lang_);
      } else {
        limit = render_msg(msg(CliMsg::GroupLimitPerApplication), lang_);
      }
      for (const auto& [key, use] : per_rule[ri]) {
        Totals::GroupRow g;
        g.group = r.name;
        g.label = r.label;
        g.scope = key.first;
        g.period = key.second;
        g.limit = limit;
        g.limit_fen = limit_fen;
        g.used_fen = use.used;
        g.grants = use.grants;
        out.per_group.push_back(std::move(g));
      }
    }
  }

  Stmt runs(db_,
            "SELECT run_id, kind, recorded_at, policy, input, decided, granted, already_decided, errors, total_fen "
            "FROM runs ORDER BY run_id");
  if (!runs.ok()) {
    error = fail(runs.rc(), msg(CliMsg::LedgerDoingListingRuns));
    return false;
  }
  int rc;
  while ((rc = runs.step()) == SQLITE_ROW) {
    Totals::RunRow r;
    r.run_id = runs.integer(0);
    r.kind = std::string(runs.text(1));
    r.recorded_at = std::string(runs.text(2));
    r.policy = std::string(runs.text(3));
    r.input = std::string(runs.text(4));
    r.decided = runs.integer(5);
    r.granted = runs.integer(6);
    r.already = runs.integer(7);
    r.errors = runs.integer(8);
    r.total_fen = runs.integer(9);
    out.runs.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) {
    error = fail(rc, msg(CliMsg::LedgerDoingListingRuns));
    return false;
  }
  Stmt pol(db_, "SELECT policy, count(*) FROM decisions GROUP BY policy ORDER BY min(seq)");
  if (!pol.ok()) {
    error = fail(pol.rc(), msg(CliMsg::LedgerDoingListingPolicies));
    return false;
  }
  while ((rc = pol.step()) == SQLITE_ROW) out.policies.emplace_back(std::string(pol.text(0)), pol.integer(1));
  if (rc != SQLITE_DONE) {
    error = fail(rc, msg(CliMsg::LedgerDoingListingPolicies));
    return false;
  }
  return true;
}

bool Ledger::for_each(const std::function<bool(const Entry&)>& fn, std::string& error) {
  if (!has_schema_) return true;
  Stmt q(db_,
         "SELECT d.seq, d.id, d.enterprise, d.item, d.date, d.year, d.project, d.eligible, d.award_fen, "
         "d.application, d.decision, d.recorded_at, d.policy, d.run_id, r.kind "
         "FROM decisions d JOIN runs r ON r.run_id = d.run_id ORDER BY d.seq");
  if (!q.ok()) {
    error = fail(q.rc(), msg(CliMsg::LedgerDoingReadingDecisions));
    return false;
  }
  int rc;
  Entry e;
  std::string clean[8];  // the row's texts with bad bytes as U+FFFD, when it has any
  while ((rc = q.step()) == SQLITE_ROW) {
    e.seq = q.integer(0);
    e.id = q.text(1);
    e.enterprise = q.text(2);
    e.item = q.text(3);
    e.date = q.text(4);
    e.year = q.integer(5);
    e.has_project = !q.null(6);
    e.project = q.text(6);
    e.eligible = q.integer(7) != 0;
    e.award_fen = q.integer(8);
    e.application = q.text(9);
    e.decision = q.text(10);
    e.recorded_at = q.text(11);
    e.policy = q.text(12);
    e.run_id = q.integer(13);
    e.kind = q.text(14);
    // A ledger written by an older version may hold text that is not UTF-8: shown, exported and
    // counted with U+FFFD in place of the bad bytes, and reported — never dropped.
    std::string_view* texts[] = {&e.id, &e.enterprise, &e.item, &e.date, &e.project, &e.application, &e.decision, &e.kind};
    bool damaged = false;
    for (size_t t = 0; t < 8; ++t) {
      std::string_view v = valid_utf8(*texts[t], clean[t]);
      damaged |= v.data() != texts[t]->data();
      *texts[t] = v;
    }
    if (damaged) note_damaged(std::string(e.id));
    if (!fn(e)) return true;
  }
  if (rc != SQLITE_DONE) {
    error = fail(rc, msg(CliMsg::LedgerDoingReadingDecisions));
    return false;
  }
  return true;
}

bool read_grants(const LoadedPolicy& lp, const std::string& path, const std::string& format, Ledger* ledger,
                 std::vector<ImportRow>& rows, std::vector<std::string>& errors) {
  input::ReadOptions how;
  how.format = format;
  return read_grants(lp, path, how, ledger, rows, errors);
}

bool read_grants(const LoadedPolicy& lp, const std::string& path, const input::ReadOptions& how, Ledger* ledger,
                 std::vector<ImportRow>& rows, std::vector<std::string>& errors, bool* unreadable, Lang lang) {
  auto say = [lang](CliMsg id, std::initializer_list<MsgArg> args = {}) { return render_msg(msg(id, args), lang); };
  std::string text, err;
  std::unique_ptr<input::RecordReader> reader;
  if (!input::read_file(path, text, err, lang) || !(reader = input::open_input(text, path, how, err))) {
    errors.push_back(err);
    if (unreadable) *unreadable = true;
    return false;
  }
  const Policy& p = *lp.policy;
  Batch b(p, lp.program);
  Decoder dec(b);
  dec.set_lang(lang);
  int project = p.field_matter;  // the field playing `role matter`, if the policy has one
  auto label = [&](int field) {
    const FieldInfo& fi = p.fields[field];
    if (fi.label.empty()) return "`" + fi.name + "`";
    return say(CliMsg::LedgerImportFieldLabel, {{"name", fi.name}, {"label", fi.label}});
  };
  std::unordered_map<std::string, size_t> seen;  // id -> line
  input::RawRecord rec, app_rec;
  std::vector<std::string> problems;
  std::string application;
  while (reader->next(rec)) {
    std::string where = path + ":" + std::to_string(rec.line) + ": ";
    if (!rec.error.empty()) {
      errors.push_back(where + (rec.problem.id != MsgId::None ? render_msg(rec.problem, lang) : rec.error));
      continue;
    }
    problems.clear();
    auto given = [&](int field) -> const input::RawField* {
      if (field < 0) return nullptr;
      for (const auto& fld : rec.fields)
        if (fld.name == p.fields[field].name)
          return fld.kind == input::RawKind::Null || (fld.kind == input::RawKind::String && fld.text.empty()) ? nullptr
                                                                                                             : &fld;
      return nullptr;
    };
    // Every grant needs the fields the ledger keys it by; the checks of a history record
    // (types, amounts, dates, known item, `award`) come from the Decoder.
    for (int field : {p.field_id, p.field_enterprise, p.field_item, p.field_date})
      if (field >= 0 && !given(field)) problems.push_back(say(CliMsg::ImportMissingField, {{"field", label(field)}}));
    size_t before = b.history.size();
    if (!dec.add_history(rec, err)) problems.push_back(err);
    if (b.history.size() == before) {
      if (problems.empty()) problems.push_back(say(CliMsg::ImportUnreadableRow));
    } else {
      const Application& a = b.history.back();
      // A grant counts for one-off and series rules by their key fields: without them it
      // would silently not count, so they are required.
      for (const RuleInfo& r : p.rules) {
        if ((r.kind != RuleKind::Once && r.kind != RuleKind::Series) || !r.applies_to(a.item)) continue;
        for (int kf : r.key_fields)
          if (kf >= 0 && !given(kf))
            problems.push_back(
                say(CliMsg::ImportMissingKeyField, {{"field", label(kf)}, {"item", p.items[a.item].number}, {"rule", r.name}}));
      }
    }
    std::string id = given(p.field_id) ? std::string(given(p.field_id)->text) : "";
    if (!id.empty()) {
      auto [it, fresh] = seen.emplace(id, rec.line);
      if (!fresh)
        problems.push_back(say(CliMsg::ImportIdUsed, {{"id", id}, {"line", std::to_string(it->second)}}));
      else if (ledger) {
        int64_t run = 0;
        std::string at;
        if (ledger->contains(id, &run, &at))
          problems.push_back(say(CliMsg::ImportIdInLedger, {{"id", id}, {"run", std::to_string(run)}, {"at", at}}));
      }
    }
    if (!problems.empty()) {
      std::string all = problems[0];
      for (size_t i = 1; i < problems.size(); ++i)
        all = say(CliMsg::LedgerImportProblemAnd, {{"problems", all}, {"problem", problems[i]}});
      errors.push_back(where + all);
      continue;
    }
    const Application& a = b.history.back();
    const int64_t* frame = b.load(a);
    app_rec.line = rec.line;
    app_rec.fields.clear();
    for (const auto& fld : rec.fields)
      if (fld.name != "award") app_rec.fields.push_back(fld);
    application.clear();
    record_to_json(app_rec, application);
    ImportRow r;
    r.id = std::string(a.id);
    r.enterprise = std::string(b.texts[frame[p.fields[p.field_enterprise].slot]]);
    r.item = p.items[a.item].number;
    format_date(a.date, r.date);
    r.year = year_of(a.date);
    if (project >= 0) {
      int64_t v = frame[p.fields[project].slot];
      if (v != b.empty_text) r.project = std::string(b.texts[v]);
    }
    r.application = application;
    r.award_fen = a.award;
    r.source = path + ":" + std::to_string(rec.line);
    rows.push_back(std::move(r));
  }
  // A message may quote the row as it came (an id, a value): every line shown is valid UTF-8.
  std::string scratch;
  for (auto& e : errors) e = std::string(valid_utf8(e, scratch));
  return errors.empty();
}

}  // namespace pol::ledger
