// `polc test` end to end: the report of a failing test (file:line, expected vs actual, the
// decision's explanation), the closing line, exit codes, --filter, --junit (well-formed XML),
// --format json, coverage and --min-coverage, and the Longgang suite at 100% coverage.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const char* const kPolc = POL_BINARY_DIR "/polc";
const std::string kHeader = std::string("tests for \"") + POL_SOURCE_DIR + "/policies/longgang_ai_2025.pol\" rules \"" +
                            POL_SOURCE_DIR + "/policies/longgang_ai_2025_rules.pol\"\n";

struct PolcRun {
  int code = -1;
  std::string out;
};

// Runs polc with `args` (already shell-quoted where needed); stdout and stderr together.
PolcRun polc(const std::string& args) {
  PolcRun r;
  std::string cmd = std::string(kPolc) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class PolcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("polc_test_" + std::to_string(getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  std::string q(const fs::path& p) const { return "'" + p.string() + "'"; }
  fs::path dir_;
};

const char* const kTwoTests =
    "\n"                                                                                             // 2
    "test \"第二条：每家企业每年最高600万元\" {\n"                                                   // 3
    "  application A1 { enterprise: \"E1\", item: \"2\", date: 2025-03-01, compute_fee: 2500万 }\n"  // 4
    "  expect A1 eligible\n"                                                                         // 5
    "  expect A1 award 150万\n"                                                                      // 6
    "}\n"                                                                                            // 7
    "\n"                                                                                             // 8
    "test \"第二条：30%\" {\n"                                                                       // 9
    "  application A1 { enterprise: \"E1\", item: \"2\", date: 2025-03-01, compute_fee: 100万 }\n"   // 10
    "  expect A1 eligible award 30万 not bound G2\n"                                                 // 11
    "}\n";

TEST_F(PolcTest, FailingTestShowsFileLineExpectedActualAndExplanation) {
  fs::path f = write("a.test.pol", kHeader + kTwoTests);
  PolcRun r = polc("test " + q(f));
  EXPECT_EQ(r.code, 1) << r.out;
  std::string want = f.string() + ":6: FAIL 第二条：每家企业每年最高600万元: A1: expected award 1,500,000.00 元, got 6,000,000.00 元";
  EXPECT_NE(r.out.find(want), std::string::npos) << r.out;
  // The explanation of the decision follows: the application, the arithmetic and the group cap that bound.
  EXPECT_NE(r.out.find("申报 A1 · 事项 2「购买算力支持」"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("30% × 算力服务费用 25,000,000.00 元 = 7,500,000.00 元"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("购买算力每家企业每年最高600万元：上限 6,000,000.00 元"), std::string::npos) << r.out;
  // The passing expectation of the same test and the passing test print nothing.
  EXPECT_EQ(r.out.find(":5:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("第二条：30%"), std::string::npos) << r.out;
  // The closing line, last.
  ASSERT_GE(r.out.size(), 1u);
  EXPECT_EQ(r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1), "1 passed, 1 failed\n") << r.out;
}

TEST_F(PolcTest, EachKindOfExpectationReportsExpectedAndActual) {
  fs::path f = write("k.test.pol", kHeader +
                                       "test \"wrong on purpose\" {\n"                                          // 2
                                       "  application A1 { enterprise: \"E1\", item: \"3\", date: 2025-05-01,\n"  // 3
                                       "    contract_amount: 100万, via_data_exchange: false, seller_affiliated: false }\n"
                                       "  application A2 { enterprise: \"E1\", item: \"2\", date: 2025-05-01, compute_fee: \"yes\" }\n"
                                       "  expect A1 eligible\n"               // 6
                                       "  expect A1 passed 经数据交易平台\n"  // 7
                                       "  expect A1 failed 非关联方\n"        // 8
                                       "  expect A1 bound G3\n"               // 9
                                       "  expect A2 error E0603\n"            // 10
                                       "  expect A2 award 0\n"                // 11
                                       "  expect A1 failed 经数据交易\n"      // 12
                                       "  expect A9 eligible\n"               // 13
                                       "}\n");
  PolcRun r = polc("test " + q(f));
  EXPECT_EQ(r.code, 1);
  auto has = [&](const std::string& s) { EXPECT_NE(r.out.find(s), std::string::npos) << "missing: " << s << "\n" << r.out; };
  has(":6: FAIL wrong on purpose: A1: expected eligible, got not eligible (failed 经数据交易平台)");
  has(":7: FAIL wrong on purpose: A1: expected passed 经数据交易平台, got failed 经数据交易平台");
  has(":8: FAIL wrong on purpose: A1: expected failed 非关联方, got passed 非关联方");
  has(":9: FAIL wrong on purpose: A1: expected bound G3, got not bound G3");
  has(":10: FAIL wrong on purpose: A2: expected error E0603, got error E0602: field `compute_fee`");
  has(":11: FAIL wrong on purpose: A2: expected award 0.00 元, got error E0602");
  has(":12: FAIL wrong on purpose: A1: bad expectation `failed 经数据交易`");
  has("did you mean `经数据交易平台`?");
  has(":13: FAIL wrong on purpose: A9: no application named A9 in this test");
  has("0 passed, 1 failed");
}

TEST_F(PolcTest, ExitCodes) {
  fs::path pass = write("ok/p.test.pol", kHeader + "test \"t\" {\n  application A1 { enterprise: \"E1\", item: \"2\", date: 2025-03-01, compute_fee: 100万 }\n  expect A1 award 30万\n}\n");
  PolcRun ok = polc("test " + q(dir_ / "ok"));
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("1 passed, 0 failed"), std::string::npos) << ok.out;

  // No test files: a usage error.
  fs::create_directories(dir_ / "empty");
  PolcRun none = polc("test " + q(dir_ / "empty"));
  EXPECT_EQ(none.code, 2) << none.out;
  EXPECT_NE(none.out.find("no test files"), std::string::npos) << none.out;

  // A syntax error in a test file fails the run and names the file and line.
  fs::path bad = write("bad/b.test.pol", kHeader + "test \"t\" {\n  expect A1 eligble\n}\n");
  PolcRun b = polc("test " + q(bad));
  EXPECT_EQ(b.code, 1) << b.out;
  EXPECT_NE(b.out.find(bad.string() + ":3:"), std::string::npos) << b.out;

  // A test file whose policy does not exist.
  fs::path lost = write("lost/l.test.pol", "tests for \"nowhere.pol\"\ntest \"t\" {\n  application A1 { item: \"2\" }\n  expect A1 eligible\n}\n");
  PolcRun l = polc("test " + q(lost));
  EXPECT_EQ(l.code, 1) << l.out;
  EXPECT_NE(l.out.find("does not load"), std::string::npos) << l.out;
  EXPECT_NE(l.out.find("0 passed, 1 failed"), std::string::npos) << l.out;

  // A test without expectations is not a test.
  fs::path empty = write("vacuous/v.test.pol", kHeader + "test \"t\" {\n  application A1 { enterprise: \"E1\", item: \"2\", date: 2025-03-01, compute_fee: 100万 }\n}\n");
  PolcRun v = polc("test " + q(empty));
  EXPECT_EQ(v.code, 1) << v.out;
  EXPECT_NE(v.out.find("expects nothing"), std::string::npos) << v.out;

  // A parameter override that does not check fails the test at the `set` line.
  fs::path badset = write("set/s.test.pol", kHeader + "test \"t\" {\n  set smart_product_min = 40万\n  application A1 { enterprise: \"E1\", item: \"2\", date: 2025-03-01, compute_fee: 100万 }\n  expect A1 eligible\n}\n");
  PolcRun s = polc("test " + q(badset));
  EXPECT_EQ(s.code, 1) << s.out;
  EXPECT_NE(s.out.find(badset.string() + ":3: FAIL t: the parameter overrides do not load"), std::string::npos) << s.out;
}

// History records go through the batch-run API like a --history file: a bad one fails the test
// at its own line, in the order of the records, and nothing is decided.
TEST_F(PolcTest, ABadHistoryRecordFailsTheTestAtItsLine) {
  fs::path f = write("h.test.pol", kHeader +
                                       "test \"t\" {\n"                                                             // 2
                                       "  history {\n"                                                              // 3
                                       "    H1 { enterprise: \"E1\", item: \"99\", date: 2025-01-15, award: 30万 }\n"  // 4
                                       "    H2 { id: \"G\", enterprise: \"E1\", item: \"2\", date: 2025-01-15, award: 30万 }\n"
                                       "    H3 { id: \"G\", enterprise: \"E2\", item: \"2\", date: 2025-01-16, award: 30万 }\n"
                                       "  }\n"
                                       "  application A1 { enterprise: \"E1\", item: \"2\", date: 2025-03-01, compute_fee: 100万 }\n"
                                       "  expect A1 award 30万\n"
                                       "}\n");
  PolcRun r = polc("test " + q(f));
  EXPECT_EQ(r.code, 1) << r.out;
  size_t h1 = r.out.find(f.string() + ":4: FAIL t: H1: history record H1: [E06");
  size_t h3 = r.out.find(f.string() + ":6: FAIL t: H3: history record H3: [E0607]");
  EXPECT_NE(h1, std::string::npos) << r.out;
  EXPECT_NE(h3, std::string::npos) << r.out;
  EXPECT_LT(h1, h3) << r.out;
  EXPECT_NE(r.out.find("is already used by the grant record on line 5"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(":9:"), std::string::npos) << "nothing was decided, so no expectation is checked\n" << r.out;
}

TEST_F(PolcTest, FilterRunsOnlyMatchingTests) {
  fs::path f = write("a.test.pol", kHeader + kTwoTests);
  PolcRun r = polc("test " + q(f) + " --filter 30%");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("1 passed, 0 failed"), std::string::npos) << r.out;
  PolcRun r2 = polc("test " + q(f) + " --filter 600万");
  EXPECT_EQ(r2.code, 1) << r2.out;
  EXPECT_NE(r2.out.find("0 passed, 1 failed"), std::string::npos) << r2.out;
  PolcRun r3 = polc("test " + q(f) + " --filter nothing-matches");
  EXPECT_EQ(r3.code, 1) << r3.out;  // a filter that matches nothing is a mistake, not a pass
  EXPECT_NE(r3.out.find("0 passed, 0 failed"), std::string::npos) << r3.out;
  EXPECT_NE(r3.out.find("no test matches --filter"), std::string::npos) << r3.out;
}

// A small XML well-formedness check: balanced, properly nested elements, quoted attributes,
// no stray `<` or `&` in text, one root element after the declaration.
bool well_formed(const std::string& x, std::string& why) {
  std::vector<std::string> stack;
  size_t i = 0, roots = 0;
  if (x.rfind("<?xml", 0) != 0) return why = "no XML declaration", false;
  i = x.find("?>");
  if (i == std::string::npos) return why = "unterminated declaration", false;
  i += 2;
  auto entity_ok = [&](size_t at) {
    static const char* kEnt[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#10;", "&#9;"};
    for (const char* e : kEnt)
      if (x.compare(at, strlen(e), e) == 0) return true;
    return false;
  };
  while (i < x.size()) {
    if (x[i] == '&' && !entity_ok(i)) return why = "bad entity at " + std::to_string(i), false;
    if (x[i] == '>') return why = "stray > at " + std::to_string(i), false;
    if (x[i] != '<') {
      if (stack.empty() && !isspace(static_cast<unsigned char>(x[i]))) return why = "text outside the root", false;
      ++i;
      continue;
    }
    size_t end = i + 1;
    char quote = 0;
    for (; end < x.size(); ++end) {
      char c = x[end];
      if (quote) {
        if (c == quote) quote = 0;
        else if (c == '<') return why = "< in attribute", false;
        else if (c == '&' && !entity_ok(end)) return why = "bad entity in attribute", false;
      } else if (c == '"' || c == '\'') quote = c;
      else if (c == '>') break;
    }
    if (end >= x.size()) return why = "unterminated tag", false;
    std::string tag = x.substr(i + 1, end - i - 1);
    if (!tag.empty() && tag[0] == '/') {
      std::string name = tag.substr(1);
      if (stack.empty() || stack.back() != name) return why = "mismatched </" + name + ">", false;
      stack.pop_back();
    } else {
      bool self = !tag.empty() && tag.back() == '/';
      std::string name = tag.substr(0, tag.find_first_of(" \t\n/"));
      if (name.empty()) return why = "empty tag name", false;
      if (stack.empty()) ++roots;
      if (!self) stack.push_back(name);
    }
    i = end + 1;
  }
  if (!stack.empty()) return why = "unclosed <" + stack.back() + ">", false;
  if (roots != 1) return why = "expected one root element", false;
  return true;
}

TEST_F(PolcTest, JunitWritesWellFormedXml) {
  fs::path f = write("a.test.pol", kHeader + kTwoTests);
  fs::path xml = dir_ / "out" / "junit.xml";
  fs::create_directories(xml.parent_path());
  PolcRun r = polc("test " + q(f) + " --junit " + q(xml));
  EXPECT_EQ(r.code, 1) << r.out;
  std::string x = read(xml);
  std::string why;
  EXPECT_TRUE(well_formed(x, why)) << why << "\n" << x;
  EXPECT_NE(x.find("<testsuites name=\"polc test\" tests=\"2\" failures=\"1\" errors=\"0\""), std::string::npos) << x;
  EXPECT_NE(x.find("<testcase name=\"第二条：30%\""), std::string::npos) << x;
  EXPECT_NE(x.find("<failure message=\"A1: expected award 1,500,000.00 元, got 6,000,000.00 元\""), std::string::npos) << x;
  EXPECT_NE(x.find("line=\"3\""), std::string::npos) << x;
  // The failure body carries the explanation.
  EXPECT_NE(x.find("购买算力每家企业每年最高600万元"), std::string::npos) << x;
  EXPECT_TRUE(well_formed("<?xml version=\"1.0\"?><a><b x=\"1\"/></a>", why)) << why;
  EXPECT_FALSE(well_formed("<?xml version=\"1.0\"?><a><b></a></b>", why));
  EXPECT_FALSE(well_formed("<?xml version=\"1.0\"?><a>x & y</a>", why));

  // An unwritable path is a usage error.
  PolcRun bad = polc("test " + q(f) + " --junit " + q(dir_ / "no" / "such" / "dir" / "j.xml"));
  EXPECT_EQ(bad.code, 2) << bad.out;
}

TEST_F(PolcTest, JsonFormat) {
  fs::path f = write("a.test.pol", kHeader + kTwoTests);
  PolcRun r = polc("test " + q(f) + " --format json");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_EQ(r.out.front(), '{') << r.out;
  EXPECT_NE(r.out.find("\"passed\":1,\"failed\":1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"message\":\"expected award 1,500,000.00 元, got 6,000,000.00 元\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"line\":6"), std::string::npos) << r.out;
  PolcRun c = polc("test " + q(f) + " --format json --coverage");
  EXPECT_NE(c.out.find("\"coverage\":[{\"policy\":"), std::string::npos) << c.out;
}

TEST_F(PolcTest, CoverageListsUncoveredElementsWithTheirLines) {
  fs::path f = write("a.test.pol", kHeader + kTwoTests);
  PolcRun r = polc("test " + q(f) + " --filter 30% --coverage");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("✗ condition 经数据交易平台: never evaluated  — "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("longgang_ai_2025.pol:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("✗ group G2: never bound"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("✗ validity: only dates inside the window"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("coverage: "), std::string::npos) << r.out;
  PolcRun m = polc("test " + q(f) + " --filter 30% --min-coverage 50");
  EXPECT_EQ(m.code, 1) << m.out;
  EXPECT_NE(m.out.find("below --min-coverage"), std::string::npos) << m.out;
  PolcRun j = polc("test " + q(f) + " --filter 30% --coverage-format json");
  EXPECT_NE(j.out.find("{\"policy\":"), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("\"kind\":\"condition\",\"name\":\"经数据交易平台\""), std::string::npos) << j.out;
}

// Must show 1: the Longgang suite passes with 100% coverage.
TEST_F(PolcTest, LonggangSuitePassesWithFullCoverage) {
  PolcRun r = polc(std::string("test ") + POL_SOURCE_DIR + "/policies --coverage --min-coverage 100");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("coverage: 100% ("), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("✗"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" passed, 0 failed\n"), std::string::npos) << r.out;
}

}  // namespace
