// The grant ledger: the programme's memory of every decision, in one SQLite file (WAL mode).
// Group caps, one-off keys, quotas, platform limits and the annual budget all count earlier
// grants; the ledger keeps them so that a later batch is decided against them, an application
// is never decided twice, and any past decision can be re-explained (the application as
// received, the decision with its explanation, the time and the identity of the policy).
//
// Guarantees: one batch is recorded in one transaction (all or nothing, synchronous=FULL);
// a run that records holds the write lock from reading the earlier grants to its commit, so
// two runs never decide against a stale memory; decisions are never updated or deleted
// (triggers refuse it). All SQL is parameterised. Schema: docs/ledger.md.
#pragma once

#include <algorithm>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostics/messages_cli.h"
#include "runtime/input/records.h"
#include "runtime/portfolio/progress.h"

struct sqlite3;
struct sqlite3_stmt;

namespace pol {

struct Batch;  // record_batch reads a decided batch; the ledger never writes into one
struct LoadedPolicy;

namespace ledger {

constexpr int kSchemaVersion = 1;
constexpr int kDefaultBusyMs = 5000;  // override: environment POL_LEDGER_BUSY_TIMEOUT_MS

enum class Access {
  Read,   // the file must exist; opened read-only
  Write,  // created (with its schema) when missing; migrated to kSchemaVersion
};

// A prepared statement; binds copy nothing (SQLITE_STATIC) unless told, so bound buffers
// must stay alive until the next step()/reset().
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, std::string_view sql);  // check ok() / rc()
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept;
  Stmt& operator=(Stmt&& o) noexcept;

  bool ok() const { return s_ != nullptr; }
  int rc() const { return rc_; }
  Stmt& bind(int i, std::string_view text);          // 1-based
  Stmt& bind_copy(int i, std::string_view text);
  Stmt& bind(int i, int64_t v);
  Stmt& bind_null(int i);
  int step();   // SQLITE_ROW, SQLITE_DONE or an error code (extended)
  void reset();  // also clears bindings
  std::string_view text(int col) const;
  int64_t integer(int col) const;
  bool null(int col) const;

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = 0;
};

// What a run or an import adds.
struct RunInfo {
  std::string kind = "run";  // "run" or "import"
  std::string input;         // the applications / grants file as named on the command line
  std::string started_at;    // UTC ISO time the run began (utc_now())
  const LoadedPolicy* policy = nullptr;  // identity, name and source texts are recorded
  const ProgressHook* progress = nullptr;  // told how recording goes (BatchStep::Recording)
};

struct RecordStats {
  int64_t run_id = 0;
  size_t decided = 0, eligible = 0, granted = 0, already = 0, errors = 0;
  int64_t total_fen = 0;
};

// One valid row of an import: an earlier grant from outside polc.
struct ImportRow {
  std::string id, enterprise, item, date, project, application;
  int year = 0;
  int64_t award_fen = 0;
  std::string source;  // "file:line"
};

struct Totals {
  struct Row {
    std::string key;  // enterprise / item / year (as text)
    int64_t decisions = 0, eligible = 0, grants = 0, total_fen = 0;
  };
  struct GroupRow {  // used amount of a group cap in one scope and period (needs the policy)
    std::string group, label, scope, period, limit;  // limit: "6000000.00", or a description
    int64_t used_fen = 0, grants = 0;
    int64_t limit_fen = -1;  // -1: not a constant
  };
  struct RunRow {
    int64_t run_id = 0, decided = 0, granted = 0, already = 0, errors = 0, total_fen = 0;
    std::string kind, recorded_at, policy, input;
  };
  Row all;
  std::vector<Row> per_year, per_item, per_enterprise;
  std::vector<GroupRow> per_group;
  std::vector<std::string> unknown_items;  // items in the ledger the given policy does not have
  std::vector<RunRow> runs;
  std::vector<std::pair<std::string, int64_t>> policies;  // identity, decisions
};

struct TotalsFilter {
  std::string enterprise;  // empty: all
  int year = 0;            // 0: all
};

// One recorded decision, for export.
struct Entry {
  int64_t seq = 0, run_id = 0, year = 0, award_fen = 0;
  bool eligible = false, has_project = false;
  std::string_view id, enterprise, item, date, project, application, decision, recorded_at, policy, kind;
};

// One recorded eligible decision as the history of a later run reads it.
struct RecordedGrant {
  std::string id;
  std::string application;  // as received: one JSON object (one line unless the row is damaged)
  int64_t award_fen = 0;
  std::string policy;       // the name of the policy that decided it
};

// The recorded decision of one application of a batch.
struct RecordedDecision {
  size_t index = 0;         // position of its id in the ids asked about
  std::string decision;     // as recorded: one JSON line with its explanation
  std::string application;  // as received
};

// What `polc ledger check` found: empty `problems` means the ledger is sound.
struct CheckReport {
  int schema_version = 0;
  int64_t decisions = 0, policies = 0, total_fen = 0;
  std::vector<std::string> problems;
};

class Ledger {
 public:
  // Opens the ledger; on failure returns null with a message naming the file. `lang`: the
  // language of the messages this ledger gives (opening, checking, SQLite's failures; SQLite's own
  // error text quoted in them stays English).
  static std::unique_ptr<Ledger> open(const std::string& path, Access access, std::string& error, Lang lang = Lang::En);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  const std::string& path() const { return path_; }
  sqlite3* db() const { return db_; }
  int schema_version() const { return version_; }

  // Transactions. begin_write is BEGIN IMMEDIATE: it waits up to the busy timeout for another
  // writer, then fails ("locked by another run"). begin_read starts a snapshot.
  bool begin_write(std::string& error);
  bool begin_read(std::string& error);

  bool commit(std::string& error);
  void rollback();
  bool in_transaction() const { return in_tx_; }

  // Reading for a run. The ledger only returns what it holds; the batch-run API
  // (runtime/run/batch_run.h) decodes the grants into a batch's history and marks the
  // applications it already decided.

  // Every recorded eligible decision, award 0 included, in recording order: within a batch an
  // earlier eligible application counts for one-off keys and series whatever its award, so a
  // decision recorded in an earlier round must count the same. Texts written by an older
  // version that are not valid UTF-8 come back with U+FFFD (see damaged_ids()).
  bool recorded_grants(std::vector<RecordedGrant>& grants, std::string& error);

  // The recorded decisions of those of `ids` that are recorded (empty ids are never), in the
  // order of `ids`.
  bool recorded_decisions(const std::vector<std::string_view>& ids, std::vector<RecordedDecision>& found,
                          std::string& error);

  // Inside begin_write: records every newly decided application (Eligible/Ineligible) with its
  // explanation, and a row in `runs` (none when nothing was decided). The caller commits.
  bool record_batch(Batch& batch, const RunInfo& info, RecordStats& stats, std::string& error);

  // Inside begin_write: records imported grants (one `runs` row of kind "import").
  bool record_imports(const std::vector<ImportRow>& rows, const RunInfo& info, RecordStats& stats,
                      std::string& error);

  // True when `id` is recorded; sets `run_id` and `recorded_at` when given.
  bool contains(std::string_view id, int64_t* run_id = nullptr, std::string* recorded_at = nullptr);
  int64_t count();  // number of recorded decisions

  // Totals for `polc ledger show`; the policy (optional) gives item order and group caps.
  bool totals(const TotalsFilter& filter, const LoadedPolicy* policy, Totals& out, std::string& error);

  // Recorded decisions whose texts were not valid UTF-8 (written by an older version), met while
  // reading: they are used with U+FFFD in place of the bad bytes; callers report these ids.
  const std::vector<std::string>& damaged_ids() const { return damaged_ids_; }
  void note_damaged(std::string id) {
    if (std::find(damaged_ids_.begin(), damaged_ids_.end(), id) == damaged_ids_.end()) damaged_ids_.push_back(std::move(id));
  }

  // Integrity, schema, policy identities, every row read back, sums (see check.cpp). false only
  // when the ledger cannot be read at all (`error`); problems found are in `report`.
  bool check(CheckReport& report, std::string& error);

  // Every decision in recording order; the callback returns false to stop.
  bool for_each(const std::function<bool(const Entry&)>& fn, std::string& error);

 private:
  bool begin(const char* sql, CliMsg doing, std::string& error);
  // A message of the command-line catalogue in this ledger's language.
  std::string say(CliMsg id, std::initializer_list<MsgArg> args = {}) const { return pol::say(lang_, id, args); }
  Lang lang_ = Lang::En;

  // One row of the decisions table; the views must live until insert_decision returns.
  struct DecisionRow {
    std::string_view id, enterprise, item, date;
    int year;
    std::string_view project;
    bool eligible;
    int64_t award_fen;
    std::string_view application, decision;
  };
  bool insert_decision(Stmt& ins, const DecisionRow& r, const std::string& now, const RunInfo& info, int64_t run_id,
                       bool grant, std::string& error);  // grant: an imported grant, not a decided application

  Ledger() = default;
  bool setup(Access access, std::string& error);
  bool migrate(Access access, std::string& error);
  bool ensure_policy(const LoadedPolicy& lp, const std::string& now, std::string& error);
  bool room_for(int64_t batch_total, std::string& error);
  bool insert_run(const RunInfo& info, const RecordStats& stats, const std::string& now, std::string& error);
  // SQLite's failure `rc` as one catalogue sentence in this ledger's language, naming the file and
  // what the ledger was `doing` (a CliMsg::LedgerDoing* message).
  std::string fail(int rc, const Msg& doing) const;

  sqlite3* db_ = nullptr;
  std::string path_;
  int version_ = 0;
  bool has_schema_ = false;
  bool in_tx_ = false;
  std::vector<std::string> damaged_ids_;
  int busy_ms_ = kDefaultBusyMs;
};

// Reads a grant list (application fields plus `award`; JSON Lines, CSV or .xlsx as `how` says)
// and checks every row like a --history record (the Decoder: types, amounts, dates, known
// item, `award`), and more: id, enterprise, item and date must be given, and the key fields of
// the one-off and series rules of the row's item (a grant without them would silently not
// count); an id repeated in the file or already in `ledger` (may be null) is bad too. Each bad row gives one message "FILE:LINE: problem". Returns true when all rows are
// good (then `rows` holds them, in file order).
// `unreadable` (if given) is set when the file as a whole cannot be read (missing, neither UTF-8 nor
// GBK, a damaged workbook): then `errors` holds that one message.
bool read_grants(const LoadedPolicy& lp, const std::string& path, const input::ReadOptions& how, Ledger* ledger,
                 std::vector<ImportRow>& rows, std::vector<std::string>& errors, bool* unreadable = nullptr,
                 Lang lang = Lang::En);  // lang: of the row messages
// The same, the format named ("jsonl", "csv", "xlsx", "" = by extension), the encoding detected.
bool read_grants(const LoadedPolicy& lp, const std::string& path, const std::string& format, Ledger* ledger,
                 std::vector<ImportRow>& rows, std::vector<std::string>& errors);

// "2025-11-27T10:03:00Z"
std::string utc_now();

}  // namespace ledger
}  // namespace pol
