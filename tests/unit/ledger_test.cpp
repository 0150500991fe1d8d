// The grant ledger, end to end through the real polc binary: the ledger gives the same
// decisions as --history, a recorded batch is never granted twice, a run killed at any moment
// leaves all or none of its batch (and an intact file), a read-only ledger or a full disk is a
// clear error with nothing recorded, show/export/import work, and concurrent runs never double.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <simdjson.h>

#include "values/fixed.h"

namespace {

namespace fs = std::filesystem;

const std::string kPolc = POL_BINARY_DIR "/polc";
const std::string kPolicy = POL_SOURCE_DIR "/policies/longgang_ai_2025.pol";
const std::string kRules = POL_SOURCE_DIR "/policies/longgang_ai_2025_rules.pol";
const std::string kCases = POL_SOURCE_DIR "/tests/data/longgang_cases";
const std::string kGen = POL_SOURCE_DIR "/bench/gen_applications.py";

struct Result {
  int code = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> v;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line))
    if (!line.empty()) v.push_back(line);
  return v;
}

// Starts `exe args` with stdout/stderr in files; `in_child` runs after fork, before exec.
pid_t spawn(const std::string& exe, const std::vector<std::string>& args, const std::string& out_path,
            const std::string& err_path, const std::function<void()>& in_child = {}) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* o = std::fopen(out_path.c_str(), "wb");
    FILE* e = std::fopen(err_path.c_str(), "wb");
    if (!o || !e) _exit(126);
    dup2(fileno(o), 1);
    dup2(fileno(e), 2);
    if (in_child) in_child();
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(exe.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int wait_code(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// sqlite3 C API checks on a ledger file (opened read-write so a killed run's WAL is recovered).
struct Db {
  sqlite3* db = nullptr;
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      sqlite3_close(db);
      db = nullptr;
    }
  }
  ~Db() { sqlite3_close(db); }
  // First column of the first row as text ("" when none or on error).
  std::string one(const std::string& sql, std::string* error = nullptr) {
    sqlite3_stmt* s = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      if (error) *error = sqlite3_errmsg(db);
      return "";
    }
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_text(s, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE && error)
      *error = sqlite3_errmsg(db);
    sqlite3_finalize(s);
    return out;
  }
  bool has_decisions_table() {
    return one("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'decisions'") == "1";
  }
  int64_t count() { return has_decisions_table() ? std::stoll(one("SELECT count(*) FROM decisions")) : 0; }
};

int64_t fen(std::string_view text) {
  int64_t v = 0;
  EXPECT_EQ(pol::parse_decimal(text, 2, false, &v), pol::DecimalError::None) << text;
  return v;
}

// Value of a top-level string field `"name":"..."` in a one-line JSON object written by polc.
std::string field(const std::string& line, const std::string& name) {
  std::string key = "\"" + name + "\":\"";
  auto p = line.find(key);
  if (p == std::string::npos) return "";
  p += key.size();
  return line.substr(p, line.find('"', p) - p);
}

class Ledger : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "pol_ledger_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

  Result polc(const std::vector<std::string>& args, const std::function<void()>& in_child = {}) {
    static int n = 0;
    std::string o = path("out" + std::to_string(++n)), e = path("err" + std::to_string(n));
    Result r;
    r.code = wait_code(spawn(kPolc, args, o, e, in_child));
    r.out = slurp(o);
    r.err = slurp(e);
    return r;
  }
  // polc run POLICY APPS --rules RULES extra...
  Result run(const std::string& apps, std::vector<std::string> extra = {},
             const std::function<void()>& in_child = {}) {
    std::vector<std::string> args{"run", kPolicy, apps, "--rules", kRules, "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    return polc(args, in_child);
  }
  // N generated applications (bench/gen_applications.py), as JSON Lines in `name`.
  std::string generate(const std::string& name, int n, int seed) {
    std::string p = path(name);
    std::string cmd = "python3 " + kGen + " " + std::to_string(n) + " --seed " + std::to_string(seed) + " > " + p;
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return p;
  }

  std::string dir_;
};

// A public Longgang case written out as files, the way run_cases.py feeds it to polc.
struct Case {
  std::string name, apps, history;
  std::vector<std::string> sets;
  std::vector<std::tuple<std::string, bool, std::string, bool>> expected;  // id, eligible, award, error
};

Case load_case(const std::string& file, const std::string& dir) {
  Case c;
  c.name = fs::path(file).stem().string();
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(file);
  std::string apps, hist;
  for (auto a : doc["applications"].get_array()) apps += simdjson::minify(a) + "\n";
  c.apps = dir + "/" + c.name + ".apps.jsonl";
  spit(c.apps, apps);
  simdjson::dom::array h;
  if (doc["history"].get(h) == simdjson::SUCCESS && h.size() > 0) {
    for (auto x : h) hist += simdjson::minify(x) + "\n";
    c.history = dir + "/" + c.name + ".history.jsonl";
    spit(c.history, hist);
  }
  simdjson::dom::object params;
  if (doc["params"].get(params) == simdjson::SUCCESS)
    for (auto kv : params) {
      std::string_view s;
      std::string value = kv.value.get(s) == simdjson::SUCCESS ? std::string(s) : simdjson::minify(kv.value);
      c.sets.push_back("--set");
      c.sets.push_back(std::string(kv.key) + "=" + value);
    }
  for (auto e : doc["expected"].get_array()) {
    std::string_view id, award;
    bool eligible = false, error = false;
    // Absent keys leave the defaults.
    if (e["id"].get(id) || e["award"].get(award)) award = "";
    if (e["eligible"].get(eligible)) eligible = false;
    if (e["error"].get(error)) error = false;
    c.expected.emplace_back(std::string(id), eligible, std::string(award), error);
  }
  return c;
}

// 1. Every public case with a history: the history imported into a ledger, and the case's
//    applications run with --ledger instead of --history, give the same decisions, line for line.
TEST_F(Ledger, PublicCasesSameDecisionsWithLedgerAsWithHistory) {
  int with_history = 0;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(kCases))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty()) << "no cases in " << kCases;
  for (const auto& file : files) {
    Case c = load_case(file, dir_);
    if (c.history.empty()) continue;
    ++with_history;
    SCOPED_TRACE(c.name);
    Result h = run(c.apps, [&] {
      auto v = c.sets;
      v.insert(v.end(), {"--history", c.history});
      return v;
    }());
    ASSERT_EQ(h.code, 0) << h.err;
    std::string ledger = path(c.name + ".db");
    Result imp = polc({"ledger", "import", ledger, c.history, "--policy", kPolicy, "--rules", kRules});
    ASSERT_EQ(imp.code, 0) << imp.err;
    Result l = run(c.apps, [&] {
      auto v = c.sets;
      v.insert(v.end(), {"--ledger", ledger});
      return v;
    }());
    ASSERT_EQ(l.code, 0) << l.err;
    EXPECT_EQ(l.out, h.out);
    // And both are the case's expected decisions.
    auto got = lines_of(l.out);
    ASSERT_EQ(got.size(), c.expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
      auto& [id, eligible, award, error] = c.expected[i];
      EXPECT_EQ(field(got[i], "id"), id);
      if (error) continue;
      EXPECT_NE(got[i].find(eligible ? "\"eligible\":true" : "\"eligible\":false"), std::string::npos) << got[i];
      EXPECT_EQ(field(got[i], "award"), award) << got[i];
    }
    // Recording the batch on top, then running it again: nothing is decided twice.
    Result rec = run(c.apps, [&] {
      auto v = c.sets;
      v.insert(v.end(), {"--ledger", ledger, "--record"});
      return v;
    }());
    ASSERT_EQ(rec.code, 0) << rec.err;
    EXPECT_EQ(rec.out, h.out);
    Result again = run(c.apps, [&] {
      auto v = c.sets;
      v.insert(v.end(), {"--ledger", ledger, "--record"});
      return v;
    }());
    for (const auto& line : lines_of(again.out))
      EXPECT_EQ(line.rfind("{\"already_decided\":true,", 0), 0u) << line;
  }
  EXPECT_GE(with_history, 5);
}

// 1b. A batch recorded in round 1; round 2 against the ledger decides exactly as round 2 with
//     round 1's grants as --history.
TEST_F(Ledger, LaterRoundAgainstLedgerEqualsHistory) {
  std::string all = generate("all.jsonl", 3000, 7);
  auto rows = lines_of(slurp(all));
  ASSERT_EQ(rows.size(), 3000u);
  std::string r1, r2;
  for (size_t i = 0; i < rows.size(); ++i) (i < 1500 ? r1 : r2) += rows[i] + "\n";
  spit(path("round1.jsonl"), r1);
  spit(path("round2.jsonl"), r2);
  std::string ledger = path("grants.db");
  Result one = run(path("round1.jsonl"), {"--ledger", ledger, "--record"});
  ASSERT_EQ(one.code, 0) << one.err;
  // Round 1's grants as a history file: each application with its award.
  auto decided = lines_of(one.out);
  ASSERT_EQ(decided.size(), 1500u);
  std::string hist;
  for (size_t i = 0; i < 1500; ++i) {
    ASSERT_EQ(field(decided[i], "id"), field(rows[i], "id"));
    std::string award = field(decided[i], "award");
    ASSERT_FALSE(award.empty()) << decided[i];
    hist += rows[i].substr(0, rows[i].size() - 1) + ",\"award\":\"" + award + "\"}\n";
  }
  spit(path("history.jsonl"), hist);
  Result with_history = run(path("round2.jsonl"), {"--history", path("history.jsonl")});
  Result with_ledger = run(path("round2.jsonl"), {"--ledger", ledger});
  Result alone = run(path("round2.jsonl"));
  ASSERT_EQ(with_history.code, 0) << with_history.err;
  ASSERT_EQ(with_ledger.code, 0) << with_ledger.err;
  EXPECT_EQ(lines_of(with_ledger.out).size(), 1500u);
  EXPECT_EQ(with_ledger.out, with_history.out);
  EXPECT_NE(alone.out, with_history.out) << "round 1 should change round 2's decisions";
  // Exported grants, imported into a second ledger, are the same memory.
  Result exp = polc({"ledger", "export", ledger, "--grants", "-o", path("grants.jsonl")});
  ASSERT_EQ(exp.code, 0) << exp.err;
  Result imp = polc({"ledger", "import", path("copy.db"), path("grants.jsonl"), "--policy", kPolicy, "--rules", kRules});
  ASSERT_EQ(imp.code, 0) << imp.err;
  Result with_copy = run(path("round2.jsonl"), {"--ledger", path("copy.db")});
  EXPECT_EQ(with_copy.out, with_history.out);
  // Recording round 2 too: the ledger holds both rounds once.
  Result two = run(path("round2.jsonl"), {"--ledger", ledger, "--record"});
  ASSERT_EQ(two.code, 0) << two.err;
  EXPECT_EQ(two.out, with_history.out);
  Db db(ledger);
  EXPECT_EQ(db.count(), 3000);
  EXPECT_EQ(db.one("SELECT count(*) FROM runs"), "2");
  EXPECT_EQ(db.one("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(db.one("SELECT version FROM schema_version"), "1");
}

// 2. Re-running a recorded batch grants nothing twice.
TEST_F(Ledger, RerunGrantsNothingTwice) {
  std::string apps = generate("apps.jsonl", 800, 3);
  std::string ledger = path("grants.db");
  Result first = run(apps, {"--ledger", ledger, "--record"});
  ASSERT_EQ(first.code, 0) << first.err;
  auto before = lines_of(first.out);
  ASSERT_EQ(before.size(), 800u);
  Result show1 = polc({"ledger", "show", ledger, "--format", "json"});
  ASSERT_EQ(show1.code, 0) << show1.err;
  int64_t count1 = Db(ledger).count();
  EXPECT_EQ(count1, 800);

  Result again = polc({"run", kPolicy, apps, "--rules", kRules, "--ledger", ledger, "--record"});
  ASSERT_EQ(again.code, 0) << again.err;
  auto after = lines_of(again.out);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i)
    EXPECT_EQ(after[i], "{\"already_decided\":true," + before[i].substr(1));
  EXPECT_NE(again.err.find("800 already decided"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("nothing new to record"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("total 0.00"), std::string::npos) << again.err;
  Result show2 = polc({"ledger", "show", ledger, "--format", "json"});
  EXPECT_EQ(show2.out, show1.out);
  Db db(ledger);
  EXPECT_EQ(db.count(), count1);
  EXPECT_EQ(db.one("SELECT count(*) FROM runs"), "1");
  EXPECT_EQ(db.one("SELECT count(DISTINCT id) FROM decisions"), std::to_string(count1));

  // A batch with 200 new applications after the 800 recorded ones: only the new are decided.
  std::string more = generate("more.jsonl", 1000, 3);  // same seed: the first 800 are the same
  Result mixed = run(more, {"--ledger", ledger, "--record"});
  ASSERT_EQ(mixed.code, 0) << mixed.err;
  auto m = lines_of(mixed.out);
  ASSERT_EQ(m.size(), 1000u);
  size_t already = 0;
  for (const auto& line : m) already += line.rfind("{\"already_decided\":true,", 0) == 0;
  EXPECT_EQ(already, 800u);
  EXPECT_EQ(db.count(), 1000);
  // Recorded decisions keep what is needed to re-explain them.
  EXPECT_EQ(db.one("SELECT count(*) FROM decisions WHERE application NOT LIKE '{%' OR decision NOT LIKE "
                   "'%\"explanation\":[%' OR policy NOT LIKE 'longgang_ai_2025@%' OR recorded_at NOT LIKE '____-__-__T%Z'"),
            "0");
  EXPECT_EQ(db.one("SELECT count(*) FROM policies WHERE sources LIKE '%clause 二%'"), "1");
  // The record is never changed.
  std::string err;
  db.one("UPDATE decisions SET award_fen = 0", &err);
  EXPECT_NE(err.find("never changed"), std::string::npos) << err;
}

// 3. Kill test: polc run --record SIGKILLed at random moments leaves none or all of the batch,
//    never a part, and the file passes PRAGMA integrity_check.
TEST_F(Ledger, KilledRunLeavesAllOrNothing) {
  const int n = 50000;
  std::string apps = generate("big.jsonl", n, 11);
  std::string early = generate("early.jsonl", 1000, 5);  // ids B0000001..B0001000, other contents
  // A complete run: the batch's size in the ledger, and how long a run takes.
  std::string ref = path("ref.db");
  auto t0 = std::chrono::steady_clock::now();
  Result full = run(apps, {"--ledger", ref, "--record", "-o", path("ref.out")});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(full.code, 0) << full.err;
  const int64_t all = Db(ref).count();
  ASSERT_EQ(all, n);

  std::mt19937 rng(20251127);
  std::uniform_real_distribution<double> when(0.02, 1.0);
  const int runs = 10;
  int none = 0, whole = 0, killed_writing = 0;
  for (int k = 0; k < runs; ++k) {
    std::string ledger = path("kill" + std::to_string(k) + ".db");
    // Half the runs start from a ledger that already holds an earlier batch, which must survive.
    int64_t base = 0;
    if (k % 2) {
      Result pre = run(early, {"--ledger", ledger, "--record"});
      ASSERT_EQ(pre.code, 0) << pre.err;
      base = 1000;
    }
    double delay = when(rng) * seconds;
    pid_t pid = spawn(kPolc, {"run", kPolicy, apps, "--rules", kRules, "-q", "--ledger", ledger, "--record", "-o",
                              path("kill.out")},
                      path("kill.stdout"), path("kill.stderr"));
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    kill(pid, SIGKILL);
    int code = wait_code(pid);
    std::error_code ec;
    auto wal = fs::file_size(ledger + "-wal", ec);
    bool wal_written = !ec && wal > 0;
    Db db(ledger);
    ASSERT_NE(db.db, nullptr);
    int64_t count = db.count();
    SCOPED_TRACE("run " + std::to_string(k) + ": killed after " + std::to_string(delay) + " s (exit " +
                 std::to_string(code) + ")");
    // With an earlier batch, the new batch adds n - 1000 (its first 1000 ids are already decided).
    int64_t complete = base ? base + (n - 1000) : n;
    EXPECT_TRUE(count == base || count == complete) << "ledger holds " << count << " decisions";
    EXPECT_EQ(db.one("PRAGMA integrity_check"), "ok");
    if (base) {
      EXPECT_EQ(db.one("SELECT count(*) FROM decisions WHERE run_id = 1"), "1000");
    }
    none += count == base;
    whole += count == complete;
    killed_writing += count == base && wal_written;
  }
  std::cout << "[ kill test ] " << runs << " runs of " << n << " applications (a full run takes " << seconds
            << " s): " << none << " left nothing (" << killed_writing << " of them while writing), " << whole
            << " left the whole batch\n";
  EXPECT_EQ(none + whole, runs);
}

// 4. A read-only ledger is a clear error, with nothing recorded and no decision written.
TEST_F(Ledger, ReadOnlyLedgerIsAClearError) {
  std::string apps = generate("apps.jsonl", 200, 4);
  std::string more = generate("more.jsonl", 300, 9);
  std::string ledger = path("grants.db");
  ASSERT_EQ(run(apps, {"--ledger", ledger, "--record"}).code, 0);
  ASSERT_EQ(chmod(ledger.c_str(), 0444), 0);
  Result r = run(more, {"--ledger", ledger, "--record"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("read-only"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(ledger), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was recorded"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  // Reading a read-only ledger is fine.
  Result ro = run(more, {"--ledger", ledger});
  EXPECT_EQ(ro.code, 0) << ro.err;
  Result show = polc({"ledger", "show", ledger});
  EXPECT_EQ(show.code, 0) << show.err;
  ASSERT_EQ(chmod(ledger.c_str(), 0644), 0);
  EXPECT_EQ(Db(ledger).count(), 200);

  // Not a ledger at all.
  spit(path("junk.db"), std::string(8192, 'x'));
  Result junk = run(more, {"--ledger", path("junk.db"), "--record"});
  EXPECT_EQ(junk.code, 2);
  EXPECT_NE(junk.err.find("not a Pol ledger"), std::string::npos) << junk.err;
  // A missing ledger without --record.
  Result missing = run(more, {"--ledger", path("none.db")});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(path("none.db")));
}

// 4b. The disk fills up while recording (a file size limit stands in for a full disk):
//     a clear error, nothing recorded, the ledger intact.
TEST_F(Ledger, FullDiskRecordsNothing) {
  std::string apps = generate("apps.jsonl", 100, 4);
  std::string more = generate("more.jsonl", 5000, 8);
  std::string ledger = path("grants.db");
  ASSERT_EQ(run(apps, {"--ledger", ledger, "--record"}).code, 0);
  rlim_t limit = static_cast<rlim_t>(fs::file_size(ledger) + 256 * 1024);
  Result r = run(more, {"--ledger", ledger, "--record"}, [limit] {
    signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG, as it would with ENOSPC
    struct rlimit rl{limit, limit};
    setrlimit(RLIMIT_FSIZE, &rl);
  });
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("nothing was recorded"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(ledger), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  Db db(ledger);
  EXPECT_EQ(db.count(), 100);
  EXPECT_EQ(db.one("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(db.one("SELECT count(*) FROM runs"), "1");
}

// 5. polc ledger show prints per-enterprise totals of a recorded batch.
TEST_F(Ledger, ShowPrintsPerEnterpriseTotals) {
  std::string apps = generate("apps.jsonl", 400, 6);
  std::string ledger = path("grants.db");
  Result r = run(apps, {"--ledger", ledger, "--record"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::map<std::string, int64_t> totals;
  int64_t sum = 0;
  for (const auto& line : lines_of(r.out)) {
    int64_t a = fen(field(line, "award"));
    totals[field(line, "enterprise")] += a;
    sum += a;
  }
  ASSERT_GT(totals.size(), 10u);
  Result show = polc({"ledger", "show", ledger});
  ASSERT_EQ(show.code, 0) << show.err;
  auto text = show.out;
  auto section = text.find("Per enterprise");
  ASSERT_NE(section, std::string::npos) << text;
  for (const auto& [enterprise, total] : totals) {
    auto at = text.find("  " + enterprise + " ", section);
    ASSERT_NE(at, std::string::npos) << enterprise;
    std::string line = text.substr(at, text.find('\n', at) - at);
    std::string yuan = pol::money_str(total);
    yuan = yuan.substr(0, yuan.rfind(" 元"));
    EXPECT_EQ(line.substr(line.size() - yuan.size()), yuan) << line;
  }
  EXPECT_NE(text.find("total " + pol::money_str(sum)), std::string::npos) << text.substr(0, 200);
  // The same in JSON, every enterprise.
  simdjson::dom::parser parser;
  Result json = polc({"ledger", "show", ledger, "--format", "json"});
  ASSERT_EQ(json.code, 0) << json.err;
  simdjson::dom::element doc = parser.parse(json.out);
  size_t seen = 0;
  for (auto e : doc["per_enterprise"].get_array()) {
    std::string_view name, total;
    ASSERT_EQ(e["enterprise"].get(name), simdjson::SUCCESS);
    ASSERT_EQ(e["total"].get(total), simdjson::SUCCESS);
    EXPECT_EQ(fen(total), totals[std::string(name)]) << name;
    ++seen;
  }
  EXPECT_EQ(seen, totals.size());
  // With the policy: group caps per enterprise; filters.
  Result groups = polc({"ledger", "show", ledger, "--policy", kPolicy, "--rules", kRules});
  ASSERT_EQ(groups.code, 0) << groups.err;
  EXPECT_NE(groups.out.find("Per group cap"), std::string::npos);
  EXPECT_NE(groups.out.find("G2 "), std::string::npos);
  const std::string one = totals.begin()->first;
  Result only = polc({"ledger", "show", ledger, "--enterprise", one});
  ASSERT_EQ(only.code, 0) << only.err;
  EXPECT_NE(only.out.find("total " + pol::money_str(totals.begin()->second)), std::string::npos) << only.out;
  // Export: one line per decision.
  Result exp = polc({"ledger", "export", ledger});
  ASSERT_EQ(exp.code, 0) << exp.err;
  EXPECT_EQ(lines_of(exp.out).size(), 400u);
  Result csv = polc({"ledger", "export", ledger, "--format", "csv"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("seq,id,enterprise,item,date,year,project,eligible,award,", 0), 0u);
}

// Import: every bad row is named, and nothing is imported unless all rows are good.
TEST_F(Ledger, ImportChecksEveryRowAllOrNothing) {
  std::string ledger = path("grants.db");
  spit(path("grants.csv"),
       "id,enterprise,item,date,model,award\n"
       "G1,91440300MA5G000001,5,2025-03-01,LG-1,100.00\n"
       "G2,91440300MA5G000001,5,2025-03-01,,100.00\n"
       "G3,91440300MA5G000001,9,2025-03-01,,100.00\n"
       "G1,91440300MA5G000001,2,2025-03-01,,-5\n"
       "G5,,2,2025-02-30,,5.00\n"
       "G6,91440300MA5G000001,2,2025-03-01,,\n");
  Result bad = polc({"ledger", "import", ledger, path("grants.csv"), "--policy", kPolicy, "--rules", kRules});
  EXPECT_EQ(bad.code, 1);
  for (int line : {3, 4, 5, 6, 7})
    EXPECT_NE(bad.err.find("grants.csv:" + std::to_string(line) + ": "), std::string::npos) << line << "\n" << bad.err;
  EXPECT_EQ(bad.err.find("grants.csv:2: "), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("`model`"), std::string::npos);
  EXPECT_NE(bad.err.find("this policy has no item"), std::string::npos);
  EXPECT_NE(bad.err.find("nothing was imported"), std::string::npos);
  EXPECT_EQ(Db(ledger).count(), 0);

  spit(path("good.jsonl"),
       "{\"id\":\"G1\",\"enterprise\":\"91440300MA5G000001\",\"item\":\"5\",\"date\":\"2025-03-01\",\"model\":\"LG-1\","
       "\"award\":\"100.00\"}\n"
       "{\"id\":\"G2\",\"enterprise\":\"91440300MA5G000001\",\"item\":\"2\",\"date\":\"2025-03-02\",\"award\":5000000}\n");
  Result good = polc({"ledger", "import", ledger, path("good.jsonl"), "--policy", kPolicy, "--rules", kRules});
  EXPECT_EQ(good.code, 0) << good.err;
  EXPECT_EQ(Db(ledger).count(), 2);
  Result twice = polc({"ledger", "import", ledger, path("good.jsonl"), "--policy", kPolicy, "--rules", kRules});
  EXPECT_EQ(twice.code, 1);
  EXPECT_NE(twice.err.find("already in the ledger"), std::string::npos) << twice.err;
  EXPECT_EQ(Db(ledger).count(), 2);
  // The imported grants count: G2 used 5,000,000 of G2's 6,000,000 in 2025.
  spit(path("app.jsonl"),
       "{\"id\":\"A1\",\"enterprise\":\"91440300MA5G000001\",\"item\":\"2\",\"date\":\"2025-06-01\","
       "\"compute_fee\":\"10000000\"}\n");
  Result r = run(path("app.jsonl"), {"--ledger", ledger});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(field(r.out, "award"), "1000000.00") << r.out;
}

// Two runs recording at once: one waits for the other (or fails clearly); nothing is doubled.
TEST_F(Ledger, ConcurrentRecordsNeverDouble) {
  std::string apps = generate("apps.jsonl", 5000, 12);
  std::string ledger = path("grants.db");
  auto args = std::vector<std::string>{"run", kPolicy, apps, "--rules", kRules, "-q", "--ledger", ledger, "--record"};
  pid_t a = spawn(kPolc, args, path("a.out"), path("a.err"));
  pid_t b = spawn(kPolc, args, path("b.out"), path("b.err"));
  int ca = wait_code(a), cb = wait_code(b);
  std::string ea = slurp(path("a.err")), eb = slurp(path("b.err"));
  for (auto [code, err] : {std::pair{ca, ea}, std::pair{cb, eb}})
    EXPECT_TRUE(code == 0 || (code == 2 && err.find("locked by another run") != std::string::npos)) << code << err;
  EXPECT_TRUE(ca == 0 || cb == 0);
  Db db(ledger);
  EXPECT_EQ(db.count(), 5000);
  EXPECT_EQ(db.one("SELECT count(*) FROM runs"), "1");
  if (ca == 0 && cb == 0) {  // the later one saw the earlier one's decisions
    auto la = lines_of(slurp(path("a.out"))), lb = lines_of(slurp(path("b.out")));
    bool a_first = la.front().rfind("{\"already_decided\"", 0) != 0;
    for (const auto& line : a_first ? lb : la) EXPECT_EQ(line.rfind("{\"already_decided\":true,", 0), 0u);
  }
  // A writer holding the lock: polc waits for the busy timeout, then says so.
  ASSERT_EQ(sqlite3_exec(db.db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::string more = generate("more.jsonl", 50, 13);
  Result r = run(more, {"--ledger", ledger, "--record"}, [] { setenv("POL_LEDGER_BUSY_TIMEOUT_MS", "300", 1); });
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("locked by another run"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was recorded"), std::string::npos) << r.err;
  sqlite3_exec(db.db, "ROLLBACK", nullptr, nullptr, nullptr);
  EXPECT_EQ(db.count(), 5000);
}

}  // namespace
