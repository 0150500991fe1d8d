// Spreadsheet-grade input through the real polc (docs/input.md): the example batch saved as a GBK
// CSV and as an .xlsx workbook (tests/data/input, made by make_fixtures.sh) decides exactly as the
// JSON Lines batch; cells written the way offices write them are read; every input error of an
// application is reported; a file that cannot be read is one clear error; a failed ledger import
// leaves no ledger behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <iterator>
#include <sstream>
#include <string>

#include "compiler/diagnostics/source.h"
#include "tests/unit/cli_fixture.h"

namespace {

namespace fs = std::filesystem;
using pol::testing::polc;
using pol::testing::PolcRun;

using SpreadsheetInput = pol::testing::TempDirTest;

std::string fixture(const std::string& name) { return std::string(POL_SOURCE_DIR) + "/tests/data/input/" + name; }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// The must-show: examples/batch.jsonl as a GBK CSV (是/否, 眼镜, 1500万, 2025年3月1日 …) and as a
// workbook (shared strings, numbers, date-styled serials, booleans) — the same JSON lines.
TEST_F(SpreadsheetInput, TheExampleBatchDecidesAlikeAsJsonLinesGbkCsvAndXlsx) {
  const std::string gbk = slurp(fixture("batch.gbk.csv"));
  ASSERT_FALSE(gbk.empty());
  ASSERT_FALSE(pol::is_valid_utf8(gbk)) << "the fixture must really be GBK";
  ASSERT_NE(gbk.find("\xCA\xC7"), std::string::npos) << "是 in GBK";
  PolcRun jsonl = polc("run -q " + policy() + " " + POL_SOURCE_DIR + "/examples/batch.jsonl");
  ASSERT_EQ(jsonl.status, 0) << jsonl.err;
  ASSERT_EQ(std::count(jsonl.out.begin(), jsonl.out.end(), '\n'), 12);
  for (const std::string& file : {fixture("batch.gbk.csv"), fixture("batch.xlsx"), fixture("batch.utf8.csv")}) {
    PolcRun r = polc("run -q " + policy() + " " + file);
    EXPECT_EQ(r.status, 0) << file << ": " << r.err;
    EXPECT_EQ(r.out, jsonl.out) << file;
  }
  // The text form too, and the format named instead of taken from the extension.
  std::string copy = path("batch.dat");
  fs::copy_file(fixture("batch.xlsx"), copy);
  PolcRun text = polc("run -q --format text " + policy() + " " + POL_SOURCE_DIR + "/examples/batch.jsonl");
  PolcRun xlsx = polc("run -q --format text --input-format xlsx --sheet 申报 " + policy() + " " + copy);
  EXPECT_EQ(xlsx.status, 0) << xlsx.err;
  EXPECT_EQ(xlsx.out, text.out);
  PolcRun gbk_named = polc("run -q --encoding gbk " + policy() + " " + fixture("batch.gbk.csv"));
  EXPECT_EQ(gbk_named.out, jsonl.out);
}

TEST_F(SpreadsheetInput, AFileThatIsNeitherUtf8NorGbkIsOneError) {
  std::string csv = write("bad.csv", "id,enterprise,item,date,compute_fee\nA1,E1,2,2025-03-01,100\nA2,\xFF\xFF,2,2025-03-01,100\n");
  PolcRun r = polc("run -q " + policy() + " " + csv);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(r.out, "") << "nothing is decided from a file that cannot be read";
  EXPECT_NE(r.err.find("bad.csv: the file is neither UTF-8 nor GBK/GB18030 text"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("byte offset 62 (line 3)"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one error, not one per row: " << r.err;
  PolcRun named = polc("run -q --encoding utf-8 " + policy() + " " + fixture("batch.gbk.csv"));
  EXPECT_EQ(named.status, 2);
  EXPECT_NE(named.err.find("not UTF-8 text (--encoding utf-8)"), std::string::npos) << named.err;
}

TEST_F(SpreadsheetInput, ADamagedWorkbookIsOneError) {
  std::string good = slurp(fixture("batch.xlsx"));
  std::string cut = write("cut.xlsx", good.substr(0, good.size() - 100));
  PolcRun r = polc("run -q " + policy() + " " + cut);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("cut.xlsx: not an .xlsx workbook"), std::string::npos) << r.err;
  PolcRun sheet = polc("run -q --sheet 汇总 " + policy() + " " + fixture("batch.xlsx"));
  EXPECT_EQ(sheet.status, 2);
  EXPECT_NE(sheet.err.find("no sheet named `汇总`; its sheets: `申报`, `说明`"), std::string::npos) << sheet.err;
  PolcRun csv_sheet = polc("run -q --sheet 申报 " + policy() + " " + fixture("batch.utf8.csv"));
  EXPECT_EQ(csv_sheet.status, 2);
  EXPECT_NE(csv_sheet.err.find("--sheet applies to .xlsx"), std::string::npos) << csv_sheet.err;
}

// Every problem of an application is reported; `code` and `error` stay its first, as before.
TEST_F(SpreadsheetInput, EveryInputErrorOfAnApplicationIsReported) {
  std::string csv = write("a.csv",
                          "id,enterprise,item,date,contract_amount,via_data_exchange,seller_affiliated\n"
                          "B1,E1,3,2025/2/30,-5,也许,\n"
                          "B2,E2,3,2025-05-01,1.2345678万,是,否\n"
                          "OK,E3,3,2025年5月1日,300万,是,否\n");
  PolcRun r = polc("run -q " + policy() + " " + csv);
  EXPECT_EQ(r.status, 1) << r.err;
  std::istringstream lines(r.out);
  std::string b1, b2, ok;
  std::getline(lines, b1);
  std::getline(lines, b2);
  std::getline(lines, ok);
  EXPECT_NE(b1.find("\"id\":\"B1\",\"status\":\"input_error\",\"line\":2,\"code\":\"E0605\""), std::string::npos) << b1;
  for (const char* code : {"E0605", "E0603", "E0602", "E0601"})
    EXPECT_NE(b1.find(std::string("{\"code\":\"") + code + "\""), std::string::npos) << code << ": " << b1;
  EXPECT_NE(b1.find("`seller_affiliated`"), std::string::npos) << b1;
  // One error: the line is as it always was, with no list.
  EXPECT_NE(b2.find("\"code\":\"E0604\""), std::string::npos) << b2;
  EXPECT_EQ(b2.find("\"errors\""), std::string::npos) << b2;
  EXPECT_NE(ok.find("\"id\":\"OK\",\"enterprise\":\"E3\",\"item\":\"3\",\"date\":\"2025-05-01\",\"eligible\":true,\"award\":\"600000.00\""),
            std::string::npos) << ok;
  // The text for staff, in Chinese (--lang zh) and in English (--lang en): the input errors in
  // the language asked for, the decided application in the policy's own words either way.
  PolcRun text = polc("run -q --lang zh --format text " + policy() + " " + csv);
  EXPECT_NE(text.out.find("申报 B1（第 2 行）：输入有误 error[E0605]"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("\n  error[E0603]: 字段 `contract_amount`"), std::string::npos) << text.out;
  PolcRun english = polc("run -q --lang en --format text " + policy() + " " + csv);
  EXPECT_NE(english.out.find("application B1 (line 2): input error error[E0605]: field `date`（受理日期）: `2025/2/30` is "
                             "not a date that exists"),
            std::string::npos)
      << english.out;
  EXPECT_NE(english.out.find("\n  error[E0603]: field `contract_amount`（语料采购服务合同额）: must not be negative (-5)"),
            std::string::npos)
      << english.out;
  EXPECT_NE(english.out.find("申报 OK · 事项 3「采购语料支持」"), std::string::npos) << english.out;
  PolcRun table = polc("run -q --format csv " + policy() + " " + csv);
  EXPECT_NE(table.out.find("error[E0605]"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("；error[E0602]"), std::string::npos) << table.out;
}

TEST_F(SpreadsheetInput, JsonStringsAreReadAsCellsAre) {
  std::string apps = write("a.jsonl",
                           R"({"id":"J1","enterprise":" E1 ","item":"2","date":"2025年3月1日","compute_fee":"1,500万元"})" "\n"
                           R"({"id":"J2","enterprise":"E2","item":"3","date":"2025/5/1","contract_amount":"300万","via_data_exchange":"是","seller_affiliated":"FALSE"})" "\n");
  PolcRun r = polc("run -q --explain none " + policy() + " " + apps);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\"id\":\"J1\",\"enterprise\":\"E1\",\"item\":\"2\",\"date\":\"2025-03-01\",\"eligible\":true,\"award\":\"4500000.00\""),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"id\":\"J2\",\"enterprise\":\"E2\",\"item\":\"3\",\"date\":\"2025-05-01\",\"eligible\":true,\"award\":\"600000.00\""),
            std::string::npos) << r.out;
}

// A failed import leaves no ledger behind when it created it, and never touches one that existed.
TEST_F(SpreadsheetInput, AFailedLedgerImportLeavesNoFileBehind) {
  const std::string pol = std::string("--policy ") + POL_SOURCE_DIR + "/policies/longgang_ai_2025.pol --rules " +
                          POL_SOURCE_DIR + "/policies/longgang_ai_2025_rules.pol";
  std::string bad = write("bad.csv", "id,enterprise,item,date,award\nH1,E1,2,2025-01-20,100\nH2,E1,2,2025-02-30,100\n");
  std::string led = path("new.db");
  PolcRun r = polc("ledger import " + led + " " + bad + " " + pol);
  EXPECT_EQ(r.status, 1) << r.err;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) EXPECT_FALSE(fs::exists(led + suffix)) << led + suffix;
  std::string garbage = write("garbage.csv", "id\n\xFF\n");
  r = polc("ledger import " + led + " " + garbage + " " + pol);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("neither UTF-8 nor GBK"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(led));
  r = polc("ledger import " + led + " " + path("missing.csv") + " " + pol);
  EXPECT_NE(r.status, 0);
  EXPECT_FALSE(fs::exists(led));
  // A good import (the grants as a GBK sheet) creates it; a failed one afterwards leaves it as it was.
  // 企业 and 万 in GBK.
  std::string good = write("good.csv", "id,enterprise,item,date,award\nH1,\xC6\xF3\xD2\xB5,2,2025/1/20,100\xCD\xF2\n");
  r = polc("ledger import " + led + " " + good + " " + pol);
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_TRUE(fs::exists(led));
  r = polc("ledger import " + led + " " + bad + " " + pol);
  EXPECT_EQ(r.status, 1);
  ASSERT_TRUE(fs::exists(led));
  PolcRun shown = polc("ledger export " + led + " --grants");
  EXPECT_EQ(shown.status, 0) << shown.err;
  EXPECT_NE(shown.out.find("企业"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("1000000.00"), std::string::npos) << shown.out;
}

TEST_F(SpreadsheetInput, AWorkbookGrantListIsCheckedRowByRow) {
  const std::string pol = std::string("--policy ") + POL_SOURCE_DIR + "/policies/longgang_ai_2025.pol --rules " +
                          POL_SOURCE_DIR + "/policies/longgang_ai_2025_rules.pol";
  // The example batch's workbook is no grant list (no `award`): every row is refused, nothing kept.
  std::string led = path("g.db");
  PolcRun r = polc("ledger import " + led + " " + fixture("batch.xlsx") + " " + pol);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("batch.xlsx:2: "), std::string::npos) << "rows are named by their sheet row: " << r.err;
  EXPECT_NE(r.err.find("`award`"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(led));
}

}  // namespace
