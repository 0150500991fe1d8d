// `polc ledger check`: the whole database's integrity, its schema, that every decision names a
// policy recorded with its texts, that every recorded row reads back (valid UTF-8, the
// application and the decision as JSON objects, an award that is a non-negative amount), and
// that the sums the ledger reports fit the fen counter. Read-only.
#include <simdjson.h>
#include <sqlite3.h>

#include "compiler/diagnostics/source.h"
#include "compiler/diagnostics/messages_cli.h"
#include "runtime/ledger/ledger.h"
#include "values/fixed.h"

namespace pol::ledger {

bool Ledger::check(CheckReport& report, std::string& error) {
  report = CheckReport{};
  report.schema_version = version_;
  {
    Stmt q(db_, "PRAGMA integrity_check");
    if (!q.ok()) {
      error = fail(q.rc(), msg(CliMsg::LedgerDoingCheckingIntegrity));
      return false;
    }
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      std::string line(q.text(0));
      if (line != "ok") report.problems.push_back(say(CliMsg::LedgerCheckIntegrity, {{"line", line}}));
    }
    if (rc != SQLITE_DONE) {
      error = fail(rc, msg(CliMsg::LedgerDoingCheckingIntegrity));
      return false;
    }
  }
  if (!has_schema_) return true;  // a new, empty ledger
  {
    Stmt q(db_, "SELECT count(*) FROM decisions d WHERE NOT EXISTS (SELECT 1 FROM policies p WHERE p.identity = d.policy)");
    if (q.ok() && q.step() == SQLITE_ROW && q.integer(0) > 0)
      report.problems.push_back(say(CliMsg::LedgerCheckNoPolicyText, {{"count", std::to_string(q.integer(0))}}));
    Stmt r(db_, "SELECT count(*) FROM decisions d WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = d.run_id)");
    if (r.ok() && r.step() == SQLITE_ROW && r.integer(0) > 0)
      report.problems.push_back(say(CliMsg::LedgerCheckNoRun, {{"count", std::to_string(r.integer(0))}}));
    Stmt p(db_, "SELECT count(*) FROM policies");
    if (p.ok() && p.step() == SQLITE_ROW) report.policies = p.integer(0);
  }
  simdjson::dom::parser parser;
  int64_t total = 0;
  bool sum_ok = true;
  std::string scratch;
  bool ok = for_each(
      [&](const Entry& e) {
        ++report.decisions;
        const std::string id(e.id);
        auto object = [&](std::string_view text, CliMsg problem) {
          scratch.assign(text);
          simdjson::dom::element doc;
          if (parser.parse(scratch).get(doc) || !doc.is_object()) report.problems.push_back(say(problem, {{"id", id}}));
        };
        object(e.application, CliMsg::LedgerCheckNotJsonApplication);
        object(e.decision, CliMsg::LedgerCheckNotJsonDecision);
        if (e.award_fen < 0) report.problems.push_back(say(CliMsg::LedgerCheckNegative, {{"id", id}}));
        if (e.award_fen > 0 && !e.eligible) report.problems.push_back(say(CliMsg::LedgerCheckIneligibleAward, {{"id", id}}));
        if (sum_ok && !add_checked(total, e.award_fen, &total)) {
          sum_ok = false;
          report.problems.push_back(say(CliMsg::LedgerCheckSumTooLarge));
        }
        return true;
      },
      error);
  if (!ok) return false;
  for (const auto& id : damaged_ids_)
    report.problems.push_back(say(CliMsg::LedgerCheckNotUtf8, {{"id", id}}));
  report.total_fen = total;
  return true;
}

}  // namespace pol::ledger
