// Reproducers of what sanitizers and fuzzing found (issue #9), each a regression test: deep
// expressions, colliding scopes, unchecked sums, a budget that paid past its limit, bad UTF-8
// on the way out, a history grant decided again, quadratic suggestions, and smaller ones.
#include <gtest/gtest.h>

#include "compiler/driver/compiled.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/source.h"
#include "compiler/parse/parse.h"
#include "runtime/explain/explain.h"
#include "runtime/input/records.h"
#include "runtime/ledger/ledger.h"
#include "tests/unit/cli_fixture.h"
#include "tests/unit/policy_fixture.h"

namespace {

using pol::testing::decide;
using pol::testing::Outcome;
namespace fs = std::filesystem;

using pol::testing::polc;
using pol::testing::PolcRun;
using Ledgered = pol::testing::TempDirTest;

const char* kHead = "import \"common\"\npolicy p { rounding half up to 0.01 }\nclause 一 \"a\" {\n  item \"1\" \"x\" {\n"
                    "    input fee: money \"f\"\n";

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// 13,400 chained `in {…}` or 37,600 `rounded down to 1元` crashed the AST builder (SIGSEGV).
TEST(Reliability, DeepChainsOfInAndRoundedAreADiagnosticNotACrash) {
  for (const std::string& body : {"    require r: fee" + repeat(" in {1元}", 13400) + " else \"x\"\n    amount fee\n",
                                  "    amount fee" + repeat(" rounded down to 1元", 37600) + "\n"}) {
    Outcome o = decide(kHead + body + "  }\n}\n", "");
    EXPECT_NE(o.diagnostics.find("error[E0002]"), std::string::npos) << o.diagnostics.substr(0, 300);
  }
}

// 1. A non-UTF-8 byte in a column no rule reads was granted and recorded, and then every run
//    of the ledger stopped ("invalid UTF-8 … nothing was decided"). A CSV file is now read as
//    UTF-8 or GBK as a whole: the GBK byte pair is 企 in the ledger, and a file that is neither
//    is refused before anything is decided or recorded.
TEST_F(Ledgered, NothingThatIsNotUtf8EntersTheLedger) {
  std::string csv = write("a.csv", "id,enterprise,item,date,compute_fee,note\n"
                                   "A1,E1,2,2025-03-01,100,\xC6\xF3\n"
                                   "A2,E2,2,2025-03-01,100,ok\n");
  std::string led = path("g.db");
  PolcRun r = polc("run -q " + policy() + " --ledger " + led + " --record " + csv);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(pol::is_valid_utf8(r.out));
  std::string bad = write("b.csv", "id,enterprise,item,date,compute_fee,note\n"
                                   "A3,E1,2,2025-04-01,100,\xFF\xFF\n");
  PolcRun refused = polc("run -q " + policy() + " --ledger " + led + " --record " + bad);
  EXPECT_EQ(refused.status, 2) << refused.err;
  EXPECT_NE(refused.err.find("neither UTF-8 nor GBK"), std::string::npos) << refused.err;
  std::string next = write("b.jsonl", R"({"id":"A4","enterprise":"E1","item":"2","date":"2025-04-01","compute_fee":"100"})" "\n");
  PolcRun again = polc("run -q " + policy() + " --ledger " + led + " " + next);
  EXPECT_EQ(again.status, 0) << again.err;
  PolcRun exp = polc("ledger export " + led + " --grants");
  EXPECT_EQ(exp.status, 0) << exp.err;
  EXPECT_TRUE(pol::is_valid_utf8(exp.out));
  EXPECT_NE(exp.out.find("企"), std::string::npos) << exp.out;
  EXPECT_NE(exp.out.find("\"A2\""), std::string::npos);
  EXPECT_EQ(exp.out.find("\"A3\""), std::string::npos) << "a refused file records nothing";
}

// … and a ledger that already holds such a row (an older version) is still usable, the row is
// counted and exported with U+FFFD, and reported.
TEST_F(Ledgered, ALedgerHoldingANonUtf8RowIsStillUsable) {
  std::string apps = write("a.jsonl", R"({"id":"A1","enterprise":"E1","item":"2","date":"2025-03-01","compute_fee":"30000000"})" "\n");
  std::string led = path("g.db");
  ASSERT_EQ(polc("run -q " + policy() + " --ledger " + led + " --record " + apps).status, 0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(led.c_str(), &db), SQLITE_OK);
  // As an older polc would have written it (the trigger that keeps decisions immutable is set
  // aside only to plant the row).
  const char* sql = "DROP TRIGGER decisions_never_updated; UPDATE decisions SET application = substr(application, 1, length(application) - 1) || "
                    "',\"note\":\"' || CAST(x'C6F3' AS TEXT) || '\"}' WHERE id = 'A1'";
  char* msg = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &msg), SQLITE_OK) << (msg ? msg : "");
  sqlite3_close(db);
  std::string next = write("b.jsonl", R"({"id":"A2","enterprise":"E1","item":"2","date":"2025-04-01","compute_fee":"30000000"})" "\n");
  PolcRun r = polc("run -q " + policy() + " --ledger " + led + " " + next);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("not UTF-8"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\"award\":\"0.00\""), std::string::npos) << "A1's grant still counts toward the year's cap: " << r.out;
  PolcRun exp = polc("ledger export " + led + " --grants");
  EXPECT_EQ(exp.status, 0) << exp.err;
  EXPECT_NE(exp.out.find("\"A1\""), std::string::npos) << exp.out;
  EXPECT_TRUE(pol::is_valid_utf8(exp.out));
}

// 7. Every output line is valid UTF-8: messages cut between characters, ids from a GBK sheet.
TEST_F(Ledgered, EveryOutputIsValidUtf8) {
  std::string csv = write("a.csv", "id,enterprise,item,date,compute_fee\n"
                                   "\xC6\xF3\xD2\xB5,E1,2,2025-03-01,100\n"
                                   "A2,E1,\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87"
                                   "\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87"
                                   "\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87x,2025-03-01,100\n");
  for (const char* fmt : {"json", "csv", "text"}) {
    PolcRun r = polc("run -q " + policy() + " --format " + fmt + " " + csv);
    EXPECT_EQ(r.status, 1) << fmt;
    EXPECT_TRUE(pol::is_valid_utf8(r.out)) << fmt << ": " << r.out;
    EXPECT_TRUE(pol::is_valid_utf8(r.err)) << fmt;
  }
}

// 9. "did you mean" took 47 s for a 100,000-character identifier with a typo, 9 s for a 10 MB
//    unknown JSON key: suggestions are for names a person types, and stop past 64 characters.
TEST(Reliability, SuggestionsAreBoundedForHugeNames) {
  std::string name(100000, 'a');
  std::string typo = name;
  typo[50000] = 'b';
  Outcome o = decide(std::string(kHead) + "    let " + name + " = fee\n    amount " + typo + "\n  }\n}\n", "");
  EXPECT_NE(o.diagnostics.find("error[E0100]"), std::string::npos);
  EXPECT_EQ(o.diagnostics.find("did you mean"), std::string::npos);
  std::string key(10 << 20, 'k');
  Outcome d = decide(std::string(kHead) + "    amount fee\n  }\n}\n",
                     R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","fee":"1",")" + key + R"(":1})");
  ASSERT_EQ(d.decisions.size(), 1u) << d.diagnostics;
  EXPECT_EQ(d.decisions[0]["award"], "1.00");
}

TEST(Reliability, SuggestionsStillHelpWithOrdinaryNames) {
  Outcome o = decide(std::string(kHead) + "    amount fe\n  }\n}\n", "");
  EXPECT_NE(o.diagnostics.find("did you mean `fee`?"), std::string::npos) << o.diagnostics;
}

// 5. Sums of awards wrapped around (even negative) in the summary and the ledger, after which
//    `ledger show` failed for good: every sum of money is checked.
TEST_F(Ledgered, SumsOfAwardsNeverWrap) {
  std::string pol = write("big.pol", std::string(kHead) + "    amount fee\n  }\n}\n");
  auto app = [](const char* id, const char* fee) {
    return std::string(R"({"id":")") + id + R"(","enterprise":"E","item":"1","date":"2025-03-01","fee":")" + fee + "\"}\n";
  };
  std::string two = write("two.jsonl", app("A", "60000000000000000") + app("B", "60000000000000000"));
  PolcRun r = polc("run " + pol + " " + two);
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("92,233,720,368,547,758.07"), std::string::npos) << r.err;
  std::string led = path("g.db");
  std::string one = write("one.jsonl", app("A", "60000000000000000"));
  ASSERT_EQ(polc("run -q " + pol + " --ledger " + led + " --record " + one).status, 0);
  std::string other = write("other.jsonl", app("B", "60000000000000000"));
  PolcRun second = polc("run -q " + pol + " --ledger " + led + " --record " + other);
  EXPECT_EQ(second.status, 2) << second.err;
  EXPECT_NE(second.err.find("nothing was recorded"), std::string::npos) << second.err;
  PolcRun show = polc("ledger show " + led);
  EXPECT_EQ(show.status, 0) << show.err;
  EXPECT_NE(show.out.find("total 60,000,000,000,000,000.00 元"), std::string::npos) << show.out;
}

// 2. A cap that computed below zero meant no cap (5,000,000.00 paid); the checker now warns.
TEST(Reliability, ACapThatCanGoBelowZeroIsWarnedAbout) {
  std::string body = "    input received: money \"已获支持\"\n    amount fee\n    cap 100万 - received\n  }\n}\n";
  Outcome o = decide(std::string(kHead) + body,
                     R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","fee":"5000000","received":"1000000.01"})");
  EXPECT_NE(o.diagnostics.find("warning[W0003]"), std::string::npos) << o.diagnostics;
  ASSERT_EQ(o.decisions.size(), 1u);
  EXPECT_EQ(o.decisions[0]["award"], "0.00");
  Outcome said = decide(std::string(kHead) + "    input received: money \"已获支持\"\n    amount fee\n    cap max(100万 - received, 0元)\n  }\n}\n", "");
  EXPECT_EQ(said.diagnostics.find("W0003"), std::string::npos) << said.diagnostics;
}

// 6. `scale pro rata rounded up to 1万` turned awards of 100 into 10,000 against a budget of 100.
TEST(Reliability, ProRataScalingMustRoundDown) {
  for (const char* mode : {"up", "half up", "half even"}) {
    std::string p = std::string(kHead) + "    amount fee\n  }\n  budget B \"总额\" {\n    limit 100元\n    per year\n    scale pro rata rounded " + mode +
                    " to 1万\n  }\n}\n";
    Outcome o = decide(p, "");
    EXPECT_NE(o.diagnostics.find("error[E0304]"), std::string::npos) << mode << "\n" << o.diagnostics;
  }
  std::string ok = std::string(kHead) + "    amount fee\n  }\n  budget B \"总额\" {\n    limit 100元\n    per year\n    scale pro rata rounded down to 1元\n  }\n}\n";
  Outcome o = decide(ok, R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","fee":"100"}
{"id":"B","enterprise":"F","item":"1","date":"2025-03-01","fee":"100"}
{"id":"C","enterprise":"G","item":"1","date":"2025-03-01","fee":"100"})");
  ASSERT_EQ(o.decisions.size(), 3u) << o.diagnostics;
  int64_t total = 0;
  for (const auto& d : o.decisions) total += std::stoll(d["award"].get<std::string>().substr(0, d["award"].get<std::string>().find('.')));
  EXPECT_LE(total, 100);
}

// 8. A --history grant with the id of an application in the batch was decided and granted again.
TEST_F(Ledgered, AHistoryGrantIsNotDecidedAgain) {
  std::string hist = write("h.jsonl", R"({"id":"A1","enterprise":"E1","item":"2","date":"2025-02-01","compute_fee":"100","award":"30"})" "\n");
  std::string apps = write("a.jsonl", R"({"id":"A1","enterprise":"E1","item":"2","date":"2025-02-01","compute_fee":"100"})" "\n"
                                      R"({"id":"A2","enterprise":"E1","item":"2","date":"2025-03-01","compute_fee":"100"})" "\n");
  PolcRun r = polc("run -q " + policy() + " --history " + hist + " " + apps);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("\"id\":\"A1\",\"status\":\"input_error\",\"line\":1,\"code\":\"E0607\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"id\":\"A2\",\"enterprise\":\"E1\""), std::string::npos) << r.out;
}

// 10. Smaller findings.
TEST_F(Ledgered, APrettyPrintedObjectIsOneApplication) {
  std::string app = write("a.json", "{\n  \"id\": \"A1\",\n  \"enterprise\": \"E1\",\n  \"item\": \"2\",\n"
                                    "  \"date\": \"2025-03-01\",\n  \"extra\":\n{\"nested\": 1},\n  \"compute_fee\": \"100\"\n}\n");
  PolcRun r = polc("eval " + policy() + " " + app);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("申报 A1"), std::string::npos) << r.out;
}

TEST_F(Ledgered, ACsvWithCarriageReturnLineEndsIsRead) {
  std::string csv = write("cr.csv", "id,enterprise,item,date,compute_fee\rA1,E1,2,2025-03-01,100\rA2,E1,2,2025-03-02,100\r");
  PolcRun r = polc("run -q --explain none " + policy() + " " + csv);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\":\"A2\""), std::string::npos) << r.out;
}

TEST_F(Ledgered, ImportingAFolderIsAnError) {
  fs::create_directories(dir_ / "lib.pol");
  std::string p = write("p.pol", "import \"lib.pol\"\nimport \"common\"\npolicy p { rounding half up to 0.01 }\n");
  PolcRun r = polc("check " + p);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("error[E0003]"), std::string::npos) << r.err;
}

TEST_F(Ledgered, ALedgerThatPolcDidNotCreateIsRefused) {
  std::string empty = write("empty.db", "");
  std::string apps = write("a.jsonl", R"({"id":"A1","enterprise":"E1","item":"2","date":"2025-03-01","compute_fee":"100"})" "\n");
  for (const char* record : {"", " --record"}) {
    PolcRun r = polc("run -q " + policy() + " --ledger " + empty + record + " " + apps);
    EXPECT_EQ(r.status, 2) << record;
    EXPECT_NE(r.err.find("empty file"), std::string::npos) << r.err;
  }
  EXPECT_EQ(fs::file_size(empty), 0u);
}

TEST_F(Ledgered, LedgerCheckFindsDamageAndRecordingIntoADamagedLedgerIsRefused) {
  std::string apps = write("a.jsonl", R"({"id":"A1","enterprise":"E1","item":"2","date":"2025-03-01","compute_fee":"100"})" "\n");
  std::string led = path("g.db");
  ASSERT_EQ(polc("run -q " + policy() + " --ledger " + led + " --record " + apps).status, 0);
  PolcRun sound = polc("ledger check " + led);
  EXPECT_EQ(sound.status, 0) << sound.out << sound.err;
  EXPECT_NE(sound.out.find("sound"), std::string::npos) << sound.out;
  // An older version's non-UTF-8 row is reported.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(led.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TRIGGER decisions_never_updated; UPDATE decisions SET enterprise = CAST(x'C6F3' AS TEXT)",
                         nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  PolcRun utf = polc("ledger check " + led);
  EXPECT_EQ(utf.status, 1) << utf.out;
  EXPECT_NE(utf.out.find("not UTF-8"), std::string::npos) << utf.out;
  // Damaged pages: check says so, and nothing is recorded.
  {
    // Every page after the first (the header and the schema stay readable) overwritten.
    size_t size = fs::file_size(led);
    ASSERT_GT(size, 8192u);
    std::fstream f(led, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    std::string junk(size - 4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  PolcRun broken = polc("ledger check " + led);
  EXPECT_NE(broken.status, 0) << broken.out;
  EXPECT_TRUE(broken.out.find("integrity") != std::string::npos || broken.err.find("damaged") != std::string::npos ||
              broken.err.find("malformed") != std::string::npos)
      << broken.out << broken.err;
  std::string more = write("b.jsonl", R"({"id":"A2","enterprise":"E1","item":"2","date":"2025-03-05","compute_fee":"100"})" "\n");
  PolcRun rec = polc("run -q " + policy() + " --ledger " + led + " --record " + more);
  EXPECT_EQ(rec.status, 2) << rec.out;
}

// Found by fuzz_csv: an error message that quoted raw bytes of a damaged CSV was written into the
// text form as they were. Every input found by fuzzing is kept in tests/data/fuzz/ and replayed
// through the whole output path.
TEST(Reliability, FuzzFindingsReplayClean) {
  for (const auto& e : fs::directory_iterator(fs::path(POL_SOURCE_DIR) / "tests/data/fuzz")) {
    std::ifstream in(e.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    if (e.path().extension() == ".pol") {  // found by fuzz_compiler: its diagnostics must render as UTF-8
      pol::SourceManager sm;
      pol::Diagnostics diags;
      auto file = pol::parse(sm.add("fuzz.pol", text), sm, diags);
      EXPECT_TRUE(pol::is_valid_utf8(pol::render_all(diags, sm, false))) << e.path();
      continue;
    }
    if (e.path().extension() == ".reason") continue;  // the expected refusal of the finding of the same name
    if (e.path().filename().string().rfind("compiled-", 0) == 0) {  // found by fuzz_compiled: refused, never read past
      auto lp = pol::load_compiled("fuzz.polc.json", text);
      EXPECT_FALSE(lp->ok()) << e.path();
      // Refused for the defect it was kept for — not merely for an old version or a missing key
      // after the format changed (then the finding must be brought up to date).
      fs::path reason_file = e.path();
      reason_file.replace_extension(".reason");
      std::ifstream rin(reason_file);
      std::string reason;
      std::getline(rin, reason);
      ASSERT_FALSE(reason.empty()) << "no " << reason_file << " saying why " << e.path() << " must be refused";
      std::string said = pol::render_all(lp->diags, lp->sources, false);
      EXPECT_NE(said.find(reason), std::string::npos) << e.path() << " was refused for another reason:\n" << said;
      continue;
    }
    auto lp = pol::testing::load_longgang();
    ASSERT_TRUE(lp->ok());
    if (e.path().filename().string().rfind("import-", 0) == 0) {  // found by fuzz_ledger_import
      std::vector<pol::ledger::ImportRow> rows;
      std::vector<std::string> errors;
      pol::ledger::read_grants(*lp, e.path().string(), "", nullptr, rows, errors);
      for (const auto& m : errors) EXPECT_TRUE(pol::is_valid_utf8(m)) << e.path();
      continue;
    }
    pol::Batch b(*lp->policy, lp->program);
    pol::Decoder dec(b);
    auto reader = e.path().extension() == ".csv" ? pol::input::open_csv(text) : pol::input::open_jsonl(text);
    pol::input::RawRecord rec;
    while (reader->next(rec)) dec.add_application(rec);
    pol::evaluate(b);
    pol::Explainer ex(b);
    std::string json, csv, plain;
    for (uint32_t i = 0; i < b.apps.size(); ++i) {
      ex.json_line(i, json);
      ex.csv_row(i, csv);
      ex.text_block(i, plain);
    }
    EXPECT_TRUE(pol::is_valid_utf8(json)) << e.path();
    EXPECT_TRUE(pol::is_valid_utf8(csv)) << e.path();
    EXPECT_TRUE(pol::is_valid_utf8(plain)) << e.path();
    EXPECT_TRUE(pol::is_valid_utf8(pol::batch_summary(b, pol::Lang::En))) << e.path();
  }
}

}  // namespace
