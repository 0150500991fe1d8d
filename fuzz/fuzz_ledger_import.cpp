// libFuzzer target: a grant list for `polc ledger import` (JSON Lines; CSV when the input starts
// with "id,"), checked row by row like the command does, then recorded into a fresh ledger and
// read back: every accepted row has a non-negative award and valid UTF-8, the ledger passes its
// own check, and its grants decode as history.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <cstddef>
#include <cstdint>
#include <fstream>

#include "fuzz/fuzz_common.h"
#include "runtime/ledger/ledger.h"
#include "runtime/run/batch_run.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const pol::LoadedPolicy& lp = pol::fuzz::longgang();
  std::string text(reinterpret_cast<const char*>(data), size);
  bool csv = text.compare(0, 3, "id,") == 0;
  static const std::string dir = "/tmp/pol-fuzz-import-" + std::to_string(::getpid());
  static const bool made = [] { return ::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST; }();
  (void)made;
  std::string file = dir + (csv ? "/grants.csv" : "/grants.jsonl");
  std::ofstream(file, std::ios::binary) << text;
  std::vector<pol::ledger::ImportRow> rows;
  std::vector<std::string> errors;
  bool ok = pol::ledger::read_grants(lp, file, "", nullptr, rows, errors);
  for (const auto& e : errors)
    if (!pol::is_valid_utf8(e)) pol::fuzz::violated("import errors are UTF-8", e);
  if (!ok || rows.empty()) return 0;
  for (const auto& r : rows)
    if (r.award_fen < 0 || !pol::is_valid_utf8(r.application)) pol::fuzz::violated("accepted rows are sound", r.application);
  std::string path = dir + "/ledger.db";
  ::unlink(path.c_str());
  ::unlink((path + "-wal").c_str());
  ::unlink((path + "-shm").c_str());
  std::string error;
  auto led = pol::ledger::Ledger::open(path, pol::ledger::Access::Write, error);
  if (!led) pol::fuzz::violated("a fresh ledger opens", error);
  pol::ledger::RunInfo info;
  info.kind = "import";
  info.input = file;
  info.started_at = "2026-01-01T00:00:00Z";
  info.policy = &lp;
  pol::ledger::RecordStats stats;
  if (!led->begin_write(error)) pol::fuzz::violated("begin", error);
  if (!led->record_imports(rows, info, stats, error)) {
    led->rollback();
    return 0;  // e.g. sums beyond the fen counter: refused, nothing recorded
  }
  if (!led->commit(error)) pol::fuzz::violated("commit", error);
  pol::ledger::CheckReport report;
  if (!led->begin_read(error) || !led->check(report, error)) pol::fuzz::violated("the ledger reads back", error);
  led->rollback();
  if (!report.problems.empty()) pol::fuzz::violated("an imported ledger is sound", report.problems.front());
  pol::Batch b(*lp.policy, lp.program);
  std::vector<std::string> load_errors;
  if (!pol::load_ledger_history(*led, b, {}, load_errors))
    pol::fuzz::violated("imported grants decode as history", load_errors.empty() ? error : load_errors.front());
  return 0;
}
