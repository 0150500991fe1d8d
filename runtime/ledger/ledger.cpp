// The grant ledger: opening (and creating, migrating) the SQLite file, transactions, reading
// the recorded grants and decisions back, recording a batch.
// Every value reaches SQL through sqlite3_bind_*; the only SQL texts are constants.
#include "runtime/ledger/ledger.h"
#include "compiler/diagnostics/source.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

#include "compiler/driver/pipeline.h"
#include "runtime/explain/explain.h"
#include "runtime/portfolio/batch.h"
#include "values/date.h"
#include "values/fixed.h"

namespace pol::ledger {

// ---- Stmt ----

Stmt::Stmt(sqlite3* db, std::string_view sql) {
  rc_ = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s_, nullptr);
  if (rc_ != SQLITE_OK) {
    sqlite3_finalize(s_);
    s_ = nullptr;
  }
}
Stmt::~Stmt() { sqlite3_finalize(s_); }
Stmt::Stmt(Stmt&& o) noexcept : s_(o.s_), rc_(o.rc_) { o.s_ = nullptr; }
Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(s_);
    s_ = o.s_;
    rc_ = o.rc_;
    o.s_ = nullptr;
  }
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view text) {
  // A non-null pointer even for "": SQLite binds NULL for a null pointer.
  sqlite3_bind_text(s_, i, text.data() ? text.data() : "", static_cast<int>(text.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::bind_copy(int i, std::string_view text) {
  sqlite3_bind_text(s_, i, text.data() ? text.data() : "", static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}
int Stmt::step() { return rc_ = sqlite3_step(s_); }
void Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}
std::string_view Stmt::text(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, col))};
}
int64_t Stmt::integer(int col) const { return sqlite3_column_int64(s_, col); }
bool Stmt::null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

// ---- helpers ----

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

// Schema version 1. DDL only: no values, nothing to bind.
const char* const kSchemaV1[] = {
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    // The exact texts of every policy that decided something (policy, imports, rules, --set).
    "CREATE TABLE policies (\n"
    "  identity   TEXT PRIMARY KEY,  -- name@16 hex of SHA-256 of policy+imports+rules text\n"
    "  name       TEXT NOT NULL,\n"
    "  first_used TEXT NOT NULL,     -- UTC ISO time\n"
    "  sources    TEXT NOT NULL      -- JSON array of {path, text}\n"
    ")",
    "CREATE TABLE runs (\n"
    "  run_id          INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  kind            TEXT NOT NULL CHECK (kind IN ('run', 'import')),\n"
    "  started_at      TEXT NOT NULL,\n"
    "  recorded_at     TEXT NOT NULL,\n"
    "  policy          TEXT NOT NULL REFERENCES policies(identity),\n"
    "  input           TEXT NOT NULL,\n"
    "  applications    INTEGER NOT NULL,\n"
    "  decided         INTEGER NOT NULL,\n"
    "  eligible        INTEGER NOT NULL,\n"
    "  granted         INTEGER NOT NULL,\n"
    "  already_decided INTEGER NOT NULL,\n"
    "  errors          INTEGER NOT NULL,\n"
    "  total_fen       INTEGER NOT NULL\n"
    ")",
    "CREATE TABLE decisions (\n"
    "  seq         INTEGER PRIMARY KEY,         -- order of recording\n"
    "  id          TEXT NOT NULL UNIQUE,        -- application id: decided once\n"
    "  enterprise  TEXT NOT NULL,\n"
    "  item        TEXT NOT NULL,\n"
    "  date        TEXT NOT NULL,               -- YYYY-MM-DD\n"
    "  year        INTEGER NOT NULL,\n"
    "  project     TEXT,\n"
    "  eligible    INTEGER NOT NULL CHECK (eligible IN (0, 1)),\n"
    "  award_fen   INTEGER NOT NULL CHECK (award_fen >= 0),  -- 0.01 yuan\n"
    "  application TEXT NOT NULL,               -- the application as received (JSON)\n"
    "  decision    TEXT NOT NULL,               -- the decision with its explanation (JSON)\n"
    "  recorded_at TEXT NOT NULL,               -- UTC ISO time\n"
    "  policy      TEXT NOT NULL REFERENCES policies(identity),\n"
    "  run_id      INTEGER NOT NULL REFERENCES runs(run_id)\n"
    ")",
    "CREATE INDEX decisions_by_enterprise ON decisions(enterprise, year)",
    "CREATE INDEX decisions_by_run ON decisions(run_id)",
    // The record is never changed: a correction is a new ledger restored from a backup or
    // export, never an UPDATE (docs/ledger.md).
    "CREATE TRIGGER decisions_never_updated BEFORE UPDATE ON decisions "
    "BEGIN SELECT RAISE(ABORT, 'recorded decisions are never changed'); END",
    "CREATE TRIGGER decisions_never_deleted BEFORE DELETE ON decisions "
    "BEGIN SELECT RAISE(ABORT, 'recorded decisions are never deleted'); END",
    "CREATE TRIGGER runs_never_updated BEFORE UPDATE ON runs "
    "BEGIN SELECT RAISE(ABORT, 'recorded runs are never changed'); END",
    "CREATE TRIGGER runs_never_deleted BEFORE DELETE ON runs "
    "BEGIN SELECT RAISE(ABORT, 'recorded runs are never deleted'); END",
};

// Migrations: kMigrations[v - 1] takes a ledger from version v to v + 1 (none yet).
const std::vector<std::vector<const char*>> kMigrations = {};

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

std::string Ledger::fail(int rc, const Msg& doing) const {
  int primary = rc & 0xff;
  std::string error = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);  // SQLite's own text (English)
  int sys = db_ ? sqlite3_system_errno(db_) : 0;
  std::string system = sys ? std::string(": ") + std::strerror(sys) : "";
  auto with = [&](CliMsg id, std::initializer_list<MsgArg> more = {}) {
    Msg m = msg(id, {{"file", path_}, nested("doing", doing), {"error", error}});
    m.args.insert(m.args.end(), more.begin(), more.end());
    return render_msg(m, lang_);
  };
  // {system}: ": " and the system's error text, or nothing; a message ignores the arguments it does not name.
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return with(CliMsg::LedgerLocked, {{"seconds", fmt::format("{:.1f}", busy_ms_ / 1000.0)}});
    case SQLITE_READONLY: return with(CliMsg::LedgerReadOnly);
    case SQLITE_FULL: return with(CliMsg::LedgerDiskFull);
    case SQLITE_CANTOPEN: return with(CliMsg::LedgerCannotOpen, {{"system", system}});
    case SQLITE_NOTADB: return with(CliMsg::LedgerNotSqlite);
    case SQLITE_CORRUPT: return with(CliMsg::LedgerDamaged);
    case SQLITE_IOERR:
      if (sys == ENOSPC) return with(CliMsg::LedgerDiskFullSystem);
      if (sys == EFBIG) return with(CliMsg::LedgerFileTooLarge);
      if (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_TRUNCATE)
        return with(CliMsg::LedgerWriteFailed, {{"system", system}});
      return with(CliMsg::LedgerIoError, {{"code", std::to_string(rc)}, {"system", system}});
    default: return with(CliMsg::LedgerFailed);
  }
}

std::unique_ptr<Ledger> Ledger::open(const std::string& path, Access access, std::string& error, Lang lang) {
  std::unique_ptr<Ledger> l(new Ledger);
  l->path_ = path;
  l->lang_ = lang;
  if (const char* e = std::getenv("POL_LEDGER_BUSY_TIMEOUT_MS")) {
    int v = std::atoi(e);
    if (v >= 0) l->busy_ms_ = v;
  }
  if (path.empty()) {
    error = l->say(CliMsg::LedgerNoFile);
    return nullptr;
  }
  struct stat st {};
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {
    error = l->say(CliMsg::LedgerNotRegular, {{"file", path}});
    return nullptr;
  }
  // An empty file is not a ledger polc created (that always has its schema): reading it as an
  // empty ledger would forget every earlier grant without a word.
  if (exists && st.st_size == 0) {
    error = l->say(CliMsg::LedgerEmptyFile, {{"file", path}});
    return nullptr;
  }
  if (access == Access::Read && !exists) {
    error = l->say(CliMsg::LedgerMissing, {{"file", path}});
    return nullptr;
  }
  if (access == Access::Write) {
    // A file without any write permission is read-only on purpose, even for root.
    if (exists && ((st.st_mode & 0222) == 0 || ::access(path.c_str(), W_OK) != 0)) {
      error = l->say(CliMsg::LedgerReadOnlyMode, {{"file", path}, {"mode", fmt::format("{:04o}", st.st_mode & 07777)}});
      return nullptr;
    }
    std::string dir = parent_dir(path);
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
      int e = errno;
      error = l->say(CliMsg::LedgerDirNotWritable, {{"dir", dir}, {"file", path}, {"reason", std::strerror(e)}});
      return nullptr;
    }
  }
  if (access == Access::Write && !exists) {
    // A new ledger is built under a temporary name and linked into place whole, so no ledger
    // polc creates is ever seen empty — an empty file at the path is never one of ours. When
    // another run links its new ledger first, this one opens that.
    std::string tmp = path + ".new-" + std::to_string(::getpid());
    ::unlink(tmp.c_str());
    {
      std::unique_ptr<Ledger> fresh(new Ledger);
      fresh->path_ = path;
      fresh->busy_ms_ = l->busy_ms_;
      fresh->lang_ = lang;
      int rc = sqlite3_open_v2(tmp.c_str(), &fresh->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
      if (rc != SQLITE_OK || !fresh->setup(Access::Write, error)) {
        if (rc != SQLITE_OK) error = fresh->fail(rc, msg(CliMsg::LedgerDoingCreating));
        fresh.reset();
        ::unlink(tmp.c_str());
        return nullptr;
      }
    }  // closed: its WAL is checkpointed into the file
    if (::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
      int e = errno;
      ::unlink(tmp.c_str());
      error = l->say(CliMsg::LedgerCannotCreate, {{"file", path}, {"reason", std::strerror(e)}});
      return nullptr;
    }
    ::unlink(tmp.c_str());
  }
  int flags = access == Access::Write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
  int rc = sqlite3_open_v2(path.c_str(), &l->db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    error = l->fail(rc, msg(CliMsg::LedgerDoingOpening));
    return nullptr;
  }
  sqlite3_extended_result_codes(l->db_, 1);
  sqlite3_busy_timeout(l->db_, l->busy_ms_);
  if (access == Access::Write && sqlite3_db_readonly(l->db_, "main") == 1) {
    error = l->say(CliMsg::LedgerReadOnlySqlite, {{"file", path}});
    return nullptr;
  }
  if (!l->setup(access, error)) return nullptr;
  return l;
}

Ledger::~Ledger() {
  if (in_tx_) rollback();
  if (db_) sqlite3_close_v2(db_);
}

bool Ledger::setup(Access access, std::string& error) {
  auto pragma = [&](const char* sql, std::string* result) -> bool {
    Stmt s(db_, sql);
    if (!s.ok()) {
      error = fail(s.rc(), msg(CliMsg::LedgerDoingSettingUp, {{"sql", sql}}));
      return false;
    }
    int rc = s.step();
    if (rc == SQLITE_ROW && result) *result = std::string(s.text(0));
    while (rc == SQLITE_ROW) rc = s.step();
    if (rc != SQLITE_DONE) {
      error = fail(rc, msg(CliMsg::LedgerDoingSettingUp, {{"sql", sql}}));
      return false;
    }
    return true;
  };
  if (access == Access::Write) {
    std::string mode;
    if (!pragma("PRAGMA journal_mode=WAL", &mode)) return false;
    if (mode != "wal") {
      error = say(CliMsg::LedgerNotWal, {{"file", path_}, {"mode", mode}});
      return false;
    }
    // FULL: a commit is on disk before polc reports it; the WAL keeps a killed run harmless.
    if (!pragma("PRAGMA synchronous=FULL", nullptr) || !pragma("PRAGMA foreign_keys=ON", nullptr) ||
        !pragma("PRAGMA cache_size=-65536", nullptr) || !pragma("PRAGMA journal_size_limit=67108864", nullptr))
      return false;
  } else {
    if (!pragma("PRAGMA query_only=ON", nullptr)) return false;
  }
  if (!migrate(access, error)) return false;
  // Never record into a damaged database: say so, and record nothing.
  if (access == Access::Write && has_schema_) {
    std::string verdict;
    if (!pragma("PRAGMA integrity_check(1)", &verdict)) return false;
    if (verdict != "ok") {
      error = say(CliMsg::LedgerDamagedIntegrity, {{"file", path_}, {"verdict", verdict}});
      return false;
    }
  }
  return true;
}

bool Ledger::migrate(Access access, std::string& error) {
  if (!(access == Access::Write ? begin_write(error) : begin_read(error))) return false;
  auto bail = [&](int rc, const Msg& doing) {
    error = fail(rc, doing);
    rollback();
    return false;
  };
  int64_t has_version = 0, tables = 0;
  {
    Stmt q(db_,
           "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1), "
           "(SELECT count(*) FROM sqlite_master)");
    if (!q.ok()) return bail(q.rc(), msg(CliMsg::LedgerDoingReadingSchema));
    q.bind(1, std::string_view("schema_version"));
    int rc = q.step();
    if (rc != SQLITE_ROW) return bail(rc, msg(CliMsg::LedgerDoingReadingSchema));
    has_version = q.integer(0);
    tables = q.integer(1);
  }
  if (!has_version) {
    if (tables > 0) {
      error = say(CliMsg::LedgerNotPol, {{"file", path_}});
      rollback();
      return false;
    }
    if (access == Access::Read) {  // created but never written: an empty ledger
      has_schema_ = false;
      version_ = 0;
      rollback();
      return true;
    }
    for (const char* ddl : kSchemaV1) {
      char* msg = nullptr;
      int rc = sqlite3_exec(db_, ddl, nullptr, nullptr, &msg);
      sqlite3_free(msg);
      if (rc != SQLITE_OK) return bail(rc, pol::msg(CliMsg::LedgerDoingCreatingSchema));
    }
    Stmt ins(db_, "INSERT INTO schema_version(version) VALUES (?1)");
    if (!ins.ok()) return bail(ins.rc(), msg(CliMsg::LedgerDoingCreatingSchema));
    ins.bind(1, int64_t{1});
    int rc = ins.step();
    if (rc != SQLITE_DONE) return bail(rc, msg(CliMsg::LedgerDoingCreatingSchema));
    version_ = 1;
  } else {
    Stmt q(db_, "SELECT version FROM schema_version");
    if (!q.ok()) return bail(q.rc(), msg(CliMsg::LedgerDoingReadingVersion));
    int rc = q.step();
    if (rc != SQLITE_ROW) {
      error = say(CliMsg::LedgerEmptyVersion, {{"file", path_}});
      rollback();
      return false;
    }
    version_ = static_cast<int>(q.integer(0));
  }
  if (version_ > kSchemaVersion) {
    error = say(CliMsg::LedgerTooNew,
                {{"file", path_}, {"version", std::to_string(version_)}, {"supported", std::to_string(kSchemaVersion)}});
    rollback();
    return false;
  }
  if (version_ < kSchemaVersion) {
    if (access == Access::Read) {
      error = say(CliMsg::LedgerNeedsMigration,
                  {{"file", path_}, {"version", std::to_string(version_)}, {"supported", std::to_string(kSchemaVersion)}});
      rollback();
      return false;
    }
    for (int v = version_; v < kSchemaVersion; ++v) {
      for (const char* ddl : kMigrations[static_cast<size_t>(v - 1)]) {
        char* msg = nullptr;
        int rc = sqlite3_exec(db_, ddl, nullptr, nullptr, &msg);
        sqlite3_free(msg);
        if (rc != SQLITE_OK)
          return bail(rc, pol::msg(CliMsg::LedgerDoingMigratingFrom, {{"version", std::to_string(v)}}));
      }
    }
    Stmt up(db_, "UPDATE schema_version SET version = ?1");
    if (!up.ok()) return bail(up.rc(), msg(CliMsg::LedgerDoingMigrating));
    up.bind(1, int64_t{kSchemaVersion});
    int rc = up.step();
    if (rc != SQLITE_DONE) return bail(rc, msg(CliMsg::LedgerDoingMigrating));
    version_ = kSchemaVersion;
  }
  has_schema_ = true;
  if (access == Access::Write) return commit(error);
  rollback();  // a read transaction: nothing to keep
  return true;
}

// ---- transactions ----

bool Ledger::begin_write(std::string& error) { return begin("BEGIN IMMEDIATE", CliMsg::LedgerDoingWriteLock, error); }

bool Ledger::begin_read(std::string& error) { return begin("BEGIN", CliMsg::LedgerDoingStartRead, error); }

bool Ledger::begin(const char* sql, CliMsg doing, std::string& error) {
  if (in_tx_) {
    error = say(CliMsg::LedgerInternalTxOpen);
    return false;
  }
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    error = fail(rc, msg(doing));
    return false;
  }
  in_tx_ = true;
  return true;
}

bool Ledger::commit(std::string& error) {
  int rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    error = fail(rc, msg(CliMsg::LedgerDoingCommitting));
    rollback();
    return false;
  }
  in_tx_ = false;
  return true;
}

void Ledger::rollback() {
  if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  in_tx_ = false;
}

// ---- reading ----

int64_t Ledger::count() {
  if (!has_schema_) return 0;
  Stmt q(db_, "SELECT count(*) FROM decisions");
  if (!q.ok() || q.step() != SQLITE_ROW) return -1;
  return q.integer(0);
}

bool Ledger::contains(std::string_view id, int64_t* run_id, std::string* recorded_at) {
  if (!has_schema_) return false;
  Stmt q(db_, "SELECT run_id, recorded_at FROM decisions WHERE id = ?1");
  if (!q.ok()) return false;
  q.bind(1, id);
  if (q.step() != SQLITE_ROW) return false;
  if (run_id) *run_id = q.integer(0);
  if (recorded_at) *recorded_at = std::string(q.text(1));
  return true;
}

bool Ledger::recorded_grants(std::vector<RecordedGrant>& grants, std::string& error) {
  grants.clear();
  if (!has_schema_) return true;
  Stmt q(db_, "SELECT id, application, award_fen, policy FROM decisions WHERE eligible = 1 ORDER BY seq");
  if (!q.ok()) {
    error = fail(q.rc(), msg(CliMsg::LedgerDoingReadingGrants));
    return false;
  }
  int rc;
  std::string clean_app, clean_id;
  while ((rc = q.step()) == SQLITE_ROW) {
    std::string_view id = q.text(0), app = q.text(1);
    // A row recorded by an older version that let a non-UTF-8 cell through is still counted,
    // with U+FFFD in place of the bad bytes, and reported.
    std::string_view valid_id = valid_utf8(id, clean_id), valid_app = valid_utf8(app, clean_app);
    if (valid_app.data() != app.data() || valid_id.data() != id.data()) note_damaged(std::string(valid_id));
    std::string_view identity = q.text(3);  // name@hash
    grants.push_back(RecordedGrant{std::string(valid_id), std::string(valid_app), q.integer(2),
                                   std::string(identity.substr(0, identity.find('@')))});
  }
  if (rc != SQLITE_DONE) {
    error = fail(rc, msg(CliMsg::LedgerDoingReadingGrants));
    return false;
  }
  return true;
}

bool Ledger::recorded_decisions(const std::vector<std::string_view>& ids, std::vector<RecordedDecision>& found,
                                std::string& error) {
  found.clear();
  if (!has_schema_) return true;
  {
    Stmt any(db_, "SELECT EXISTS (SELECT 1 FROM decisions)");
    int rc = any.ok() ? any.step() : any.rc();
    if (rc != SQLITE_ROW) {
      error = fail(rc, msg(CliMsg::LedgerDoingLookingUp));
      return false;
    }
    if (!any.integer(0)) return true;
  }
  Stmt q(db_, "SELECT decision, application FROM decisions WHERE id = ?1");
  if (!q.ok()) {
    error = fail(q.rc(), msg(CliMsg::LedgerDoingLookingUp));
    return false;
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i].empty()) continue;
    q.bind(1, ids[i]);
    int rc = q.step();
    if (rc == SQLITE_ROW) {
      found.push_back(RecordedDecision{i, std::string(q.text(0)), std::string(q.text(1))});
    } else if (rc != SQLITE_DONE) {
      error = fail(rc, msg(CliMsg::LedgerDoingLookingUp));
      return false;
    }
    q.reset();
  }
  return true;
}

// ---- writing ----

bool Ledger::ensure_policy(const LoadedPolicy& lp, const std::string& now, std::string& error) {
  std::string sources = "[";
  for (uint32_t f = 1; f <= lp.sources.file_count(); ++f) {
    if (f > 1) sources += ',';
    sources += "{\"path\":\"";
    json_escape(lp.sources.path(f), sources);
    sources += "\",\"text\":\"";
    json_escape(lp.sources.text(f), sources);
    sources += "\"}";
  }
  sources += ']';
  Stmt ins(db_, "INSERT OR IGNORE INTO policies(identity, name, first_used, sources) VALUES (?1, ?2, ?3, ?4)");
  if (!ins.ok()) {
    error = fail(ins.rc(), msg(CliMsg::LedgerDoingRecordingPolicy));
    return false;
  }
  ins.bind(1, lp.identity).bind(2, lp.policy->name).bind(3, now).bind(4, sources);
  int rc = ins.step();
  if (rc != SQLITE_DONE) {
    error = fail(rc, msg(CliMsg::LedgerDoingRecordingPolicy));
    return false;
  }
  return true;
}

bool Ledger::insert_run(const RunInfo& info, const RecordStats& st, const std::string& now, std::string& error) {
  Stmt ins(db_,
           "INSERT INTO runs(kind, started_at, recorded_at, policy, input, applications, decided, eligible, granted, "
           "already_decided, errors, total_fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  if (!ins.ok()) {
    error = fail(ins.rc(), msg(CliMsg::LedgerDoingRecordingRun));
    return false;
  }
  ins.bind(1, info.kind)
      .bind(2, info.started_at.empty() ? now : info.started_at)
      .bind(3, now)
      .bind(4, info.policy->identity)
      .bind(5, info.input)
      .bind(6, static_cast<int64_t>(st.decided + st.already + st.errors))
      .bind(7, static_cast<int64_t>(st.decided))
      .bind(8, static_cast<int64_t>(st.eligible))
      .bind(9, static_cast<int64_t>(st.granted))
      .bind(10, static_cast<int64_t>(st.already))
      .bind(11, static_cast<int64_t>(st.errors))
      .bind(12, st.total_fen);
  int rc = ins.step();
  if (rc != SQLITE_DONE) {
    error = fail(rc, msg(CliMsg::LedgerDoingRecordingRun));
    return false;
  }
  return true;
}

namespace {
const char* const kInsertDecision =
    "INSERT INTO decisions(id, enterprise, item, date, year, project, eligible, award_fen, application, decision, "
    "recorded_at, policy, run_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
}

// Every sum the ledger reports (per enterprise, item, year, in all) must stay exact: a batch
// whose awards would take the ledger's total past the fen counter is refused, not wrapped.
bool Ledger::room_for(int64_t batch_total, std::string& error) {
  Stmt q(db_, "SELECT coalesce(sum(award_fen), 0) FROM decisions");
  int rc = q.ok() ? q.step() : q.rc();
  int64_t total = 0;
  if (rc != SQLITE_ROW || !add_checked(q.integer(0), batch_total, &total)) {
    error = say(CliMsg::LedgerSumTooLarge);
    return false;
  }
  return true;
}

bool Ledger::record_batch(Batch& b, const RunInfo& info, RecordStats& st, std::string& error) {
  st = RecordStats{};
  if (!in_tx_ || !info.policy) {
    error = say(CliMsg::LedgerInternalNoTx);
    return false;
  }
  for (const Decision& d : b.decisions) {
    switch (d.status) {
      case Status::Error: ++st.errors; break;
      case Status::Recorded: ++st.already; break;
      case Status::Eligible:
      case Status::Ineligible:
      case Status::Routed:  // decided here, though another policy pays: it counts for nothing
        ++st.decided;
        st.eligible += d.status == Status::Eligible;
        st.granted += d.award > 0;
        if (!add_checked(st.total_fen, d.award, &st.total_fen)) {
          error = say(CliMsg::LedgerSumTooLarge);
          return false;
        }
        break;
      case Status::Pending: break;
    }
  }
  if (st.decided == 0) return true;
  if (!room_for(st.total_fen, error)) return false;
  const std::string now = utc_now();
  if (!ensure_policy(*info.policy, now, error) || !insert_run(info, st, now, error)) return false;
  st.run_id = sqlite3_last_insert_rowid(db_);
  Stmt ins(db_, kInsertDecision);
  if (!ins.ok()) {
    error = fail(ins.rc(), msg(CliMsg::LedgerDoingRecordingDecisions));
    return false;
  }
  const Policy& p = *b.policy;
  int project = p.field_matter;  // the field playing `role matter`, if the policy has one
  Explainer ex(b);
  std::string line, date;
  line.reserve(1 << 14);
  for (uint32_t i = 0; i < b.apps.size(); ++i) {
    report_progress(info.progress, BatchStep::Recording, i, b.apps.size());
    const Decision& d = b.decisions[i];
    if (d.status != Status::Eligible && d.status != Status::Ineligible && d.status != Status::Routed) continue;
    const Application& app = b.apps[i];
    if (app.raw.empty()) {
      error = say(CliMsg::LedgerInternalNoRaw);
      return false;
    }
    const int64_t* frame = b.load(app);
    std::string_view enterprise = b.texts[frame[p.fields[p.field_enterprise].slot]];
    std::string_view proj;
    if (project >= 0) {
      int64_t v = frame[p.fields[project].slot];
      if (v != b.empty_text) proj = b.texts[v];
    }
    line.clear();
    ex.json_line(i, line);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    date.clear();
    format_date(app.date, date);
    DecisionRow row{app.id,   enterprise, p.items[app.item].number, date, year_of(app.date), proj,
                    d.status == Status::Eligible, d.award, app.raw, line};
    if (!insert_decision(ins, row, now, info, st.run_id, /*grant=*/false, error)) return false;
  }
  return true;
}

bool Ledger::insert_decision(Stmt& ins, const DecisionRow& r, const std::string& now, const RunInfo& info,
                             int64_t run_id, bool grant, std::string& error) {
  ins.bind(1, r.id).bind(2, r.enterprise).bind(3, r.item).bind(4, r.date).bind(5, static_cast<int64_t>(r.year));
  if (r.project.empty()) ins.bind_null(6);
  else ins.bind(6, r.project);
  ins.bind(7, int64_t{r.eligible})
      .bind(8, r.award_fen)
      .bind(9, r.application)
      .bind(10, r.decision)
      .bind(11, now)
      .bind(12, info.policy->identity)
      .bind(13, run_id);
  int rc = ins.step();
  ins.reset();
  if (rc == SQLITE_DONE) return true;
  const std::string id(r.id);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    error = say(grant ? CliMsg::LedgerGrantRecorded : CliMsg::LedgerApplicationRecorded, {{"id", id}, {"file", path_}});
  else
    error = fail(rc, msg(grant ? CliMsg::LedgerDoingRecordingGrant : CliMsg::LedgerDoingRecordingApplication,
                         {{"id", id}}));
  return false;
}

bool Ledger::record_imports(const std::vector<ImportRow>& rows, const RunInfo& info, RecordStats& st,
                            std::string& error) {
  st = RecordStats{};
  if (!in_tx_ || !info.policy) {
    error = say(CliMsg::LedgerInternalNoTx);
    return false;
  }
  for (const auto& r : rows) {
    ++st.decided;
    ++st.eligible;
    st.granted += r.award_fen > 0;
    if (!add_checked(st.total_fen, r.award_fen, &st.total_fen)) {
      error = say(CliMsg::LedgerSumTooLarge);
      return false;
    }
  }
  if (rows.empty()) return true;
  if (!room_for(st.total_fen, error)) return false;
  const std::string now = utc_now();
  if (!ensure_policy(*info.policy, now, error) || !insert_run(info, st, now, error)) return false;
  st.run_id = sqlite3_last_insert_rowid(db_);
  Stmt ins(db_, kInsertDecision);
  if (!ins.ok()) {
    error = fail(ins.rc(), msg(CliMsg::LedgerDoingRecordingGrants));
    return false;
  }
  std::string decision;
  for (const auto& r : rows) {
    decision = "{\"id\":\"";
    json_escape(r.id, decision);
    decision += "\",\"enterprise\":\"";
    json_escape(r.enterprise, decision);
    decision += "\",\"item\":\"";
    json_escape(r.item, decision);
    decision += "\",\"date\":\"" + r.date + "\",\"eligible\":true,\"award\":\"" + money_plain_str(r.award_fen) +
                "\",\"imported\":true,\"source\":\"";
    json_escape(r.source, decision);
    decision += "\",\"explanation\":[{\"step\":\"imported\",\"clause\":\"\",\"text\":\"";
    json_escape(fmt::format("earlier grant of {} imported from {} on {} (policy {}); not decided by polc",
                            money_str(r.award_fen), r.source, now, info.policy->identity),
                decision);
    decision += "\"}]}";
    DecisionRow row{r.id, r.enterprise, r.item, r.date, r.year, r.project, true, r.award_fen, r.application, decision};
    if (!insert_decision(ins, row, now, info, st.run_id, /*grant=*/true, error)) {
      return false;
    }
  }
  return true;
}

}  // namespace pol::ledger
