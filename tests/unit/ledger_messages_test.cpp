// The ledger's storage failures in the ledger's language (#12): SQLite's failures (a file that is
// not a database, a ledger locked by another run), a grant recorded twice, through the library
// (Ledger::open with a Lang) and through `polc --lang zh|en ledger show FILE`.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "runtime/ledger/ledger.h"
#include "tests/unit/cli_fixture.h"
#include "tests/unit/policy_fixture.h"

namespace {

using pol::Lang;
using pol::ledger::Access;
using pol::ledger::Ledger;

class LedgerMessages : public pol::testing::TempDirTest {
 protected:
  // The message Ledger::open gives, or "" when it opens.
  static std::string open_error(const std::string& path, Access access, Lang lang) {
    std::string error;
    auto led = Ledger::open(path, access, error, lang);
    return led ? "" : error;
  }
  std::string text_file() { return write("notes.txt", std::string(4096, 'x') + "\nnot a ledger\n"); }
};

TEST_F(LedgerMessages, ATextFileIsNotALedgerInEitherLanguage) {
  const std::string file = text_file();
  for (Access access : {Access::Read, Access::Write}) {
    std::string en = open_error(file, access, Lang::En), zh = open_error(file, access, Lang::Zh);
    EXPECT_EQ(en.rfind("`" + file + "` is not a Pol ledger: it is not an SQLite database (", 0), 0u) << en;
    EXPECT_EQ(zh.rfind("`" + file + "` 不是 Pol 台账：它不是 SQLite 数据库（", 0), 0u) << zh;
    EXPECT_EQ(zh.find("not a Pol ledger"), std::string::npos) << zh;
  }
}

TEST_F(LedgerMessages, PolcLedgerShowSpeaksTheChosenLanguage) {
  const std::string file = text_file();
  auto zh = pol::testing::polc("--lang zh ledger show " + file);
  EXPECT_NE(zh.status, 0);
  EXPECT_NE(zh.err.find("不是 Pol 台账：它不是 SQLite 数据库"), std::string::npos) << zh.err;
  EXPECT_EQ(zh.err.find("is not a Pol ledger"), std::string::npos) << zh.err;
  auto en = pol::testing::polc("--lang en ledger show " + file);
  EXPECT_NE(en.status, 0);
  EXPECT_NE(en.err.find("`" + file + "` is not a Pol ledger: it is not an SQLite database"), std::string::npos) << en.err;
  // The option after the subcommand too.
  auto after = pol::testing::polc("ledger show --lang zh " + file);
  EXPECT_NE(after.err.find("不是 Pol 台账"), std::string::npos) << after.err;
}

TEST_F(LedgerMessages, ALockedLedgerSaysWhatItWaitedFor) {
  const std::string file = path("grants.db");
  ASSERT_EQ(open_error(file, Access::Write, Lang::En), "");  // created with its schema
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open_v2(file.c_str(), &holder, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const char* before = std::getenv("POL_LEDGER_BUSY_TIMEOUT_MS");
  std::string saved = before ? before : "";
  setenv("POL_LEDGER_BUSY_TIMEOUT_MS", "100", 1);
  std::string en = open_error(file, Access::Write, Lang::En), zh = open_error(file, Access::Write, Lang::Zh);
  if (before) setenv("POL_LEDGER_BUSY_TIMEOUT_MS", saved.c_str(), 1);
  else unsetenv("POL_LEDGER_BUSY_TIMEOUT_MS");
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  EXPECT_EQ(en, "ledger `" + file +
                    "` is locked by another run (waited 0.1 s while taking its write lock); try again when it has "
                    "finished");
  EXPECT_EQ(zh, "台账 `" + file + "` 正被另一次运行锁定（获取台账的写入锁时等待了 0.1 秒）；请在那次运行结束后再试");
}

TEST_F(LedgerMessages, AGrantRecordedTwiceIsNamedInTheLedgersLanguage) {
  auto lp = pol::testing::load_longgang();
  ASSERT_TRUE(lp && lp->ok());
  pol::ledger::ImportRow row;
  row.id = "G1";
  row.enterprise = "E1";
  row.item = "2";
  row.date = "2024-05-01";
  row.year = 2024;
  row.award_fen = 100;
  row.application = R"({"id":"G1"})";
  row.source = "grants.jsonl:2";
  const std::vector<pol::ledger::ImportRow> rows{row, row};
  for (Lang lang : {Lang::En, Lang::Zh}) {
    const std::string file = path(lang == Lang::En ? "en.db" : "zh.db");
    std::string error;
    auto led = Ledger::open(file, Access::Write, error, lang);
    ASSERT_TRUE(led) << error;
    ASSERT_TRUE(led->begin_write(error)) << error;
    pol::ledger::RunInfo info;
    info.kind = "import";
    info.input = "grants.jsonl";
    info.policy = lp.get();
    pol::ledger::RecordStats stats;
    EXPECT_FALSE(led->record_imports(rows, info, stats, error));
    led->rollback();
    EXPECT_EQ(error, lang == Lang::En ? "grant `G1` is already in ledger `" + file + "`"
                                      : "资助 `G1` 已记录在台账 `" + file + "` 中");
    // Recording outside a transaction is an internal error, in the same language.
    EXPECT_FALSE(led->record_imports(rows, info, stats, error));
    EXPECT_EQ(error, lang == Lang::En ? "internal error: recording outside a write transaction"
                                      : "内部错误：在写入事务之外记录");
  }
}

// The rows of `polc ledger import`: every problem of a row, the decoder's too, in the chosen language.
TEST_F(LedgerMessages, ImportRowsSpeakTheChosenLanguage) {
  const std::string csv = write("grants.csv",
                                "id,enterprise,item,date,model,award\n"
                                "G1,91440300MA5G000001,5,2025-03-01,,100.00\n"
                                "G1,91440300MA5G000001,2,2025-03-01,,-5\n");
  const std::string args = " ledger import " + path("g.db") + " " + csv + " --policy " + policy();
  auto zh = pol::testing::polc("--lang zh" + args);
  EXPECT_EQ(zh.status, 1) << zh.err;
  EXPECT_NE(zh.err.find("grants.csv:2: 缺少字段 `model`（模型备案编号）："), std::string::npos) << zh.err;
  EXPECT_NE(zh.err.find("不是以元为单位的金额；字段 `id`：`G1` 已被第 2 行使用"), std::string::npos) << zh.err;
  EXPECT_EQ(zh.err.find("field `"), std::string::npos) << zh.err;
  auto en = pol::testing::polc("--lang en" + args);
  EXPECT_EQ(en.status, 1) << en.err;
  EXPECT_NE(en.err.find("grants.csv:2: missing field `model` (模型备案编号): grants of item 5"), std::string::npos)
      << en.err;
  EXPECT_NE(en.err.find("is not an amount in yuan; field `id`: `G1` was already used by the row on line 2"),
            std::string::npos)
      << en.err;
}

// Each failure is one sentence per language, with what the ledger was doing inside it.
TEST_F(LedgerMessages, TheOperationIsPartOfTheSentence) {
  using pol::CliMsg;
  auto m = pol::msg(CliMsg::LedgerFailed, {{"file", "g.db"},
                                           pol::nested("doing", pol::msg(CliMsg::LedgerDoingComputingTotals)),
                                           {"error", "disk I/O error"}});
  EXPECT_EQ(pol::render_msg(m, Lang::En), "ledger `g.db`: computing totals failed: disk I/O error");
  EXPECT_EQ(pol::render_msg(m, Lang::Zh), "台账 `g.db`：计算合计失败：disk I/O error");
  auto d = pol::msg(CliMsg::LedgerDamaged,
                    {{"file", "g.db"},
                     pol::nested("doing", pol::msg(CliMsg::LedgerDoingRecordingApplication, {{"id", "A7"}})),
                     {"error", "database disk image is malformed"}});
  EXPECT_EQ(pol::render_msg(d, Lang::En),
            "ledger `g.db` is damaged (database disk image is malformed while recording application `A7`): restore it "
            "from a backup (see docs/ledger.md, Recovery)");
  EXPECT_EQ(pol::render_msg(d, Lang::Zh),
            "台账 `g.db` 已损坏（记录申报 `A7`时：database disk image is malformed）：请从备份中恢复（见 docs/ledger.md "
            "的 Recovery 一节）");
}

}  // namespace
