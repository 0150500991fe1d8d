// polc's own texts in the language chosen (issue #12): the help pages (CLI11's labels too), the
// `polc test` report, the ledger tables and `polc explain`, in Chinese with --lang zh (before or
// after the subcommand) and in English with --lang en; a bad --lang is a usage error.
#include <gtest/gtest.h>

#include <string>

#include "cli_fixture.h"
#include "compiler/diagnostics/diagnostic.h"

namespace {

using pol::testing::polc;

class CliMessages : public pol::testing::TempDirTest {
 protected:
  // A test directory with one failing test of the Longgang policy.
  std::string failing_tests() {
    write("fail.test.pol", std::string("tests for \"") + POL_SOURCE_DIR + "/policies/longgang_ai_2025.pol\" rules \"" +
                               POL_SOURCE_DIR + "/policies/longgang_ai_2025_rules.pol\"\n\n"
                               "test \"第二条：30%\" {\n"
                               "  application A1 { enterprise: \"E1\", item: \"2\", date: 2025-03-01, compute_fee: 100万 }\n"
                               "  expect A1 award 1元\n"
                               "}\n");
    return dir_.string();
  }
};

TEST_F(CliMessages, HelpInChinese) {
  auto top = polc("--lang zh --help");
  EXPECT_EQ(top.status, 0) << top.err;
  EXPECT_NE(top.out.find("政策编译器"), std::string::npos) << top.out;
  EXPECT_NE(top.out.find("用法"), std::string::npos) << top.out;
  EXPECT_NE(top.out.find("子命令"), std::string::npos) << top.out;
  EXPECT_EQ(top.out.find("Usage"), std::string::npos) << top.out;
  EXPECT_EQ(top.out.find("Print this help message"), std::string::npos) << top.out;
  EXPECT_EQ(top.out.find("Parse and type-check"), std::string::npos) << top.out;

  // After the subcommand too, and on a subcommand's options.
  auto check = polc("check --lang zh --help");
  EXPECT_EQ(check.status, 0) << check.err;
  EXPECT_NE(check.out.find("检查政策文件"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("选项"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("打印语法树"), std::string::npos) << check.out;
  EXPECT_EQ(check.out.find("Print the syntax tree"), std::string::npos) << check.out;
  EXPECT_EQ(check.out.find("OPTIONS"), std::string::npos) << check.out;

  auto show = polc("--lang zh ledger show --help");
  EXPECT_EQ(show.status, 0) << show.err;
  EXPECT_NE(show.out.find("台账文件"), std::string::npos) << show.out;
}

TEST_F(CliMessages, HelpInEnglish) {
  auto check = polc("--lang en check --help");
  EXPECT_EQ(check.status, 0) << check.err;
  EXPECT_NE(check.out.find("Parse and type-check policy files"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("Print the syntax tree"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("OPTIONS"), std::string::npos) << check.out;
  EXPECT_EQ(check.out.find("打印语法树"), std::string::npos) << check.out;
}

TEST_F(CliMessages, ShortUsageAndMistypedCommandInChinese) {
  auto bare = polc("--lang zh");
  EXPECT_EQ(bare.status, 2);
  EXPECT_EQ(bare.err.rfind("用法：polc 命令", 0), 0u) << bare.err;
  auto typo = polc("--lang=zh chek x.pol");
  EXPECT_EQ(typo.status, 2);
  EXPECT_NE(typo.err.find("没有 `chek` 这个命令；您是否想用 `check`？"), std::string::npos) << typo.err;
}

TEST_F(CliMessages, BadLanguageIsAUsageError) {
  auto r = polc("--lang fr check x.pol");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("use zh or en"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("请使用 zh 或 en"), std::string::npos) << r.err;
}

TEST_F(CliMessages, TestReportInChinese) {
  const std::string tests = failing_tests();
  auto zh = polc("--lang zh test " + tests);
  EXPECT_EQ(zh.status, 1) << zh.err;
  EXPECT_NE(zh.out.find("0 个通过，1 个未通过"), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("未通过 第二条：30%"), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("应为资助 1.00 元，实际为"), std::string::npos) << zh.out;
  EXPECT_EQ(zh.out.find("passed"), std::string::npos) << zh.out;

  auto en = polc("test --lang en " + tests);
  EXPECT_EQ(en.status, 1) << en.err;
  EXPECT_NE(en.out.find("0 passed, 1 failed"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("FAIL 第二条：30%: A1: expected award 1.00 元, got"), std::string::npos) << en.out;

  auto none = polc("--lang zh test " + path("nowhere"));
  EXPECT_EQ(none.status, 2);
  EXPECT_NE(none.err.find("不存在"), std::string::npos) << none.err;
}

TEST_F(CliMessages, CoverageInChinese) {
  auto r = polc("--lang zh test " + std::string(POL_SOURCE_DIR) + "/policies --coverage");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("覆盖率：100%"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("成立和不成立都出现过"), std::string::npos) << r.out;
}

TEST_F(CliMessages, LedgerTablesInChinese) {
  const std::string ledger = path("grants.db");
  auto run = polc("run -q " + policy() + " " + POL_SOURCE_DIR + "/examples/batch.jsonl --ledger " + ledger +
                  " --record -o " + path("out.jsonl"));
  ASSERT_EQ(run.status, 0) << run.err;
  auto zh = polc("--lang zh ledger show " + ledger);
  EXPECT_EQ(zh.status, 0) << zh.err;
  EXPECT_NE(zh.out.find("台账 " + ledger), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("按企业"), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("合计（元）"), std::string::npos) << zh.out;
  EXPECT_EQ(zh.out.find("Per enterprise"), std::string::npos) << zh.out;
  auto en = polc("ledger show --lang en " + ledger);
  EXPECT_NE(en.out.find("Per enterprise"), std::string::npos) << en.out;
  auto missing = polc("--lang zh ledger show --rules x.pol " + ledger);
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("错误：--rules 和 --set 需要同时给出 --policy"), std::string::npos) << missing.err;
}

TEST_F(CliMessages, ExplainInTheChosenLanguage) {
  auto en = polc("--lang en explain E0200");
  EXPECT_EQ(en.status, 0) << en.err;
  EXPECT_EQ(en.out.rfind("# E0200", 0), 0u) << en.out;
  auto zh = polc("--lang zh explain E0200");
  EXPECT_EQ(zh.status, 0) << zh.err;
  // The Chinese summary of the code (codes.def) heads the page, then the page itself.
  const std::string heading = std::string("# E0200：") + pol::code_summary(pol::DiagCode::E0200, pol::Lang::Zh);
  EXPECT_EQ(zh.out.rfind(heading + "\n", 0), 0u) << zh.out;
  const std::string body = en.out.substr(en.out.find('\n'));
  EXPECT_NE(zh.out.find(body), std::string::npos) << "the page follows the Chinese heading";
  auto list = polc("explain --lang zh --list");
  EXPECT_EQ(list.status, 0) << list.err;
  EXPECT_NE(list.out.find("E0200  "), std::string::npos) << list.out;
  auto unknown = polc("--lang zh explain E9999");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("没有 `E9999` 这个错误代码"), std::string::npos) << unknown.err;
}

}  // namespace
