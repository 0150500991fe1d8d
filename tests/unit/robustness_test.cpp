// Bad input through the real polc: the run refuses what would lose or corrupt data (writing
// over an input, text that is not UTF-8, sums beyond the fen counter, a grant listed twice,
// an unusable CSV header) with a clear message and exit 2, and never crashes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/unit/cli_fixture.h"

namespace fs = std::filesystem;

namespace {

// polc with stdout and stderr together, as a person sees them.
struct Result {
  int status = -1;
  std::string out;
};
Result polc(const std::string& args) {
  pol::testing::PolcRun r = pol::testing::polc(args);
  return {r.status, r.all()};
}

using Robustness = pol::testing::TempDirTest;

const char* kApp =
    R"({"id":"A1","enterprise":"E1","item":"2","date":"2025-03-01","compute_fee":"100"})"
    "\n";

TEST_F(Robustness, OutputOverAnInputIsRefused) {
  std::string apps = write("apps.jsonl", kApp);
  Result r = polc("run " + policy() + " -o " + apps + " " + apps);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("is also an input"), std::string::npos) << r.out;
  std::ifstream in(apps);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line + "\n", kApp) << "the input was overwritten";
}

TEST_F(Robustness, TextThatIsNotUtf8IsAnInputError) {
  // "企业" in GBK, as a spreadsheet on Chinese Windows saves it: a CSV file is read as GBK
  // (docs/input.md), so the enterprise is 企业, not a garbled text.
  std::string csv = write("gbk.csv", "id,enterprise,item,date,compute_fee\nA1,\xC6\xF3\xD2\xB5,2,2025-03-01,100\n"
                                     "A2,E2,2,2025-03-01,100\n");
  Result r = polc("run -q " + policy() + " " + csv);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\"id\":\"A1\",\"enterprise\":\"企业\""), std::string::npos) << r.out;
  // JSON Lines are UTF-8 by definition: the line is an input error, the rest is decided.
  std::string jsonl = write("gbk.jsonl", "{\"id\":\"A0\",\"enterprise\":\"\xC6\xF3\xD2\xB5\",\"item\":\"2\",\"date\":\"2025-03-01\",\"compute_fee\":\"100\"}\n" + std::string(kApp));
  r = polc("run -q " + policy() + " " + jsonl);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("\"status\":\"input_error\",\"line\":1,\"code\":\"E0609\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"id\":\"A1\",\"enterprise\":\"E1\""), std::string::npos) << r.out;
}

TEST_F(Robustness, SumsBeyondTheFenCounterStopTheRun) {
  std::string history = write("history.jsonl",
                              R"({"id":"H1","enterprise":"E1","item":"2","date":"2025-02-01","award":"92233720368547758.07"})"
                              "\n"
                              R"({"id":"H2","enterprise":"E1","item":"2","date":"2025-02-02","award":"92233720368547758.07"})"
                              "\n");
  std::string apps = write("apps.jsonl", kApp);
  Result r = polc("run " + policy() + " --history " + history + " " + apps);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("exceed the largest amount"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"award\""), std::string::npos) << "no decision may be written: " << r.out;
}

TEST_F(Robustness, AGrantListedTwiceInTheHistoryIsRefused) {
  std::string line = R"({"id":"H1","enterprise":"E1","item":"2","date":"2025-02-01","award":"3000000.00"})";
  std::string history = write("history.jsonl", line + "\n" + line + "\n");
  Result r = polc("run " + policy() + " --history " + history + " " + write("apps.jsonl", kApp));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("E0607"), std::string::npos) << r.out;
}

TEST_F(Robustness, AnUnusableCsvHeaderIsAFileError) {
  std::string csv = write("dup.csv", "id,enterprise,item,date,compute_fee,compute_fee\nA1,E1,2,2025-03-01,1,2\n");
  Result r = polc("run " + policy() + " " + csv);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("CSV header is unusable"), std::string::npos) << r.out;
}

TEST_F(Robustness, AnEmptyEnterpriseIsAnInputError) {
  std::string apps = write("apps.jsonl", R"({"id":"A1","enterprise":"","item":"2","date":"2025-03-01","compute_fee":"100"})"
                                         "\n");
  Result r = polc("run -q " + policy() + " " + apps);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("field `enterprise`（统一社会信用代码） is empty"), std::string::npos) << r.out;
}

TEST_F(Robustness, TermCapsCountOnlyGrantsWithinTheTerm) {
  // G12 is "per term": a 2024 grant (before the policy) does not use it up.
  std::string history = write("history.jsonl",
                              R"({"id":"H1","enterprise":"E1","item":"12.1","date":"2024-06-01","platform":"P0","award":"4000000.00"})"
                              "\n");
  std::string apps = write("apps.jsonl",
                           R"({"id":"A1","enterprise":"E1","item":"12.1","date":"2025-06-01","platform":"P1","recognized":true,"requested":"4000000"})"
                           "\n");
  Result r = polc("run -q " + policy() + " --history " + history + " " + apps);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\"award\":\"4000000.00\""), std::string::npos) << r.out;
}

TEST_F(Robustness, EvalTakesExactlyOneApplication) {
  std::string two = write("two.jsonl", std::string(kApp) +
                                           R"({"id":"A2","enterprise":"E1","item":"2","date":"2025-03-01","compute_fee":"100"})"
                                           "\n");
  Result r = polc("eval " + policy() + " " + two);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("eval decides one"), std::string::npos) << r.out;
}

TEST_F(Robustness, AVeryLongSetValueIsADiagnosticNotACrash) {
  std::string v = "1";
  for (int i = 0; i < 30000; ++i) v += "+1";
  Result r = polc("run " + policy() + " --set annual_budget=" + v + " " + write("apps.jsonl", kApp));
  EXPECT_EQ(r.status, 2) << r.out.substr(0, 400);
  EXPECT_NE(r.out.find("E0002"), std::string::npos) << r.out.substr(0, 400);
}

}  // namespace

namespace {

// Text and CSV without sentences printed empty step lines: a shorter explanation is refused there.
TEST_F(Robustness, BriefOrNoExplanationIsOnlyForJson) {
  std::string apps = write("a.jsonl", kApp);
  for (const char* fmt : {"text", "csv"})
    for (const char* level : {"brief", "none"}) {
      Result r = polc("run " + policy() + " --format " + fmt + " --explain " + level + " " + apps);
      EXPECT_EQ(r.status, 2) << fmt << " " << level << "\n" << r.out;
      EXPECT_NE(r.out.find("--format json"), std::string::npos) << r.out;
    }
  Result ok = polc("run " + policy() + " --format json --explain brief -q " + apps);
  EXPECT_EQ(ok.status, 0) << ok.out;
}

}  // namespace

namespace {

// The IR is typed and has control flow; the batch plan is data, printed with it.
TEST_F(Robustness, DumpIrShowsTypedSlotsJumpsAndTheBatchPlan) {
  Result r = polc("check " + policy() + " --dump-ir");
  ASSERT_EQ(r.status, 0) << r.out;
  for (const char* want : {"param annual_budget: money optional", "jump.if.false", "rate     = const", "money    = mul.rate.money",
                           "batch plan", "stage 1 own-conditions", "P12 series items 12.1,12.2 key platform",
                           "stage 3 exclusive", "X17 exclusive items * key project", "prefer highest award",
                           "stage 5 budget", "B18 budget"})
    EXPECT_NE(r.out.find(want), std::string::npos) << want;
}

}  // namespace
