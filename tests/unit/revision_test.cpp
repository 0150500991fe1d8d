// Programmes over time: a policy and the revisions that amend it, decided together — each
// application by the version in force on its acceptance date, portfolio state shared across
// versions — and the diagnostics of revisions (E0410–E0413, W0004).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_fixture.h"
#include "compiler/driver/compiled.h"
#include "policy_fixture.h"

namespace pol {
namespace {

using nlohmann::json;

const char* kBase = R"(import "common"
policy demo {
  title "示范措施"
  issuer "示范局"
  rounding half up to 0.01
}
clause 一 "算力支持" {
  text "按费用的30%支持，每家企业每年最高100万元。"
  item "1" "算力支持" {
    input fee: money "费用"
    amount 30% of fee
  }
  group G1 "每家企业每年最高100万元" {
    items "1"
    limit 100万
    per enterprise
    per year
  }
}
clause 二 "语料支持" {
  text "按合同额的20%支持。"
  item "2" "语料支持" {
    input contract: money "合同额"
    amount 20% of contract
  }
}
clause 三 "施行日期" {
  text "自2025年1月1日起施行，有效期3年。"
  valid from 2025-01-01 for 3 years
}
)";

struct Programme {
  std::unique_ptr<LoadedPolicy> lp;
  std::string diagnostics;
};

Programme load(const std::string& base, const std::vector<std::string>& revisions) {
  LoadOptions o;
  o.policy_path = testing::write_temp_policy(base);
  for (const auto& r : revisions) o.revision_paths.push_back(testing::write_temp_policy(r));
  o.need_parameter_values = true;
  Programme p;
  p.lp = load_policy(o);
  p.lp->diags.sort_by_position();
  p.diagnostics = render_all(p.lp->diags, p.lp->sources, false);
  return p;
}

std::string revision(const std::string& body, const std::string& effective = "2026-07-01",
                     const std::string& of = "demo") {
  return "revision demo_2026 of " + of + " {\n  title \"示范措施（2026年修订）\"\n  effective " + effective + "\n}\n" + body;
}

const char* kRaiseCap = R"(
amend clause 一 {
  text "按费用的30%支持，每家企业每年最高300万元。"
  group G1 "每家企业每年最高300万元" {
    items "1"
    limit 300万
    per enterprise
    per year
  }
}
)";

std::vector<json> decide(const LoadedPolicy& lp, const std::string& jsonl) {
  std::vector<json> out;
  for (const auto& line : testing::decide_lines(lp, jsonl)) out.push_back(json::parse(line));
  return out;
}

TEST(Revision, EachApplicationIsJudgedByTheVersionInForceOnItsDate) {
  Programme p = load(kBase, {revision(kRaiseCap)});
  ASSERT_TRUE(p.lp->ok()) << p.diagnostics;
  ASSERT_EQ(p.lp->policy->versions.size(), 2u);
  auto d = decide(*p.lp,
                  R"({"id":"A","enterprise":"E1","item":"1","date":"2026-06-30","fee":"10000000"}
{"id":"B","enterprise":"E2","item":"1","date":"2026-07-01","fee":"10000000"}
{"id":"C","enterprise":"E3","item":"1","date":"2026-03-01","fee":"2000000"}
{"id":"D","enterprise":"E3","item":"1","date":"2026-08-01","fee":"10000000"}
{"id":"E","enterprise":"E4","item":"2","date":"2026-08-01","contract":"1000000"}
)");
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d[0]["award"], "1000000.00");
  EXPECT_EQ(d[0]["version"], "demo");
  EXPECT_EQ(d[1]["award"], "3000000.00");
  EXPECT_EQ(d[1]["version"], "demo_2026");
  // One year, one cap: 60万 granted under the original count against the revision's 300万.
  EXPECT_EQ(d[2]["award"], "600000.00");
  EXPECT_EQ(d[3]["award"], "2400000.00");
  EXPECT_EQ(d[4]["award"], "200000.00");  // an item the revision leaves alone
  // Each says which text judged it, and the group step is worded as that text words it.
  std::string b = d[1]["explanation"].dump();
  EXPECT_NE(b.find("适用《示范措施（2026年修订）》（自 2026-07-01 起施行）"), std::string::npos) << b;
  EXPECT_NE(b.find("每家企业每年最高300万元"), std::string::npos) << b;
  EXPECT_NE(d[0]["explanation"].dump().find("每家企业每年最高100万元"), std::string::npos);
}

TEST(Revision, ThePolicyAloneDecidesAsBefore) {
  Programme p = load(kBase, {});
  ASSERT_TRUE(p.lp->ok()) << p.diagnostics;
  EXPECT_TRUE(p.lp->policy->versions.empty());
  auto d = decide(*p.lp, R"({"id":"B","enterprise":"E2","item":"1","date":"2026-07-01","fee":"10000000"}
)");
  EXPECT_EQ(d[0]["award"], "1000000.00");
  EXPECT_FALSE(d[0].contains("version"));
}

TEST(Revision, AmendItemReplacesOneStatementAndValidityCanEndOnADate) {
  Programme p = load(kBase, {revision(R"(
amend clause 一 {
  amend item "1" {
    amount 40% of fee
  }
}
amend clause 三 {
  valid from 2026-07-01 to 2027-12-31
}
)")});
  ASSERT_TRUE(p.lp->ok()) << p.diagnostics;
  auto d = decide(*p.lp, R"({"id":"A","enterprise":"E1","item":"1","date":"2026-07-02","fee":"1000000"}
{"id":"B","enterprise":"E2","item":"1","date":"2028-01-01","fee":"1000000"}
)");
  EXPECT_EQ(d[0]["award"], "400000.00");
  EXPECT_EQ(d[1]["eligible"], false);  // after the revised validity
}

TEST(Revision, AnItemAddedOrRepealedIsAnInputErrorOutsideItsVersion) {
  Programme p = load(kBase, {revision(R"(
amend clause 二 {
  repeal item "2"
}
clause 四 "新增支持" {
  text "新增事项。"
  item "4" "新增支持" {
    input fee: money "费用"
    amount 10% of fee
  }
}
)")});
  ASSERT_TRUE(p.lp->ok()) << p.diagnostics;
  auto d = decide(*p.lp, R"({"id":"A","enterprise":"E1","item":"4","date":"2026-01-01","fee":"1000000"}
{"id":"B","enterprise":"E1","item":"4","date":"2026-08-01","fee":"1000000"}
{"id":"C","enterprise":"E1","item":"2","date":"2026-08-01","contract":"1000000"}
{"id":"D","enterprise":"E1","item":"2","date":"2026-01-01","contract":"1000000"}
)");
  EXPECT_EQ(d[0]["code"], "E0606");
  EXPECT_NE(d[0]["error"].get<std::string>().find("exists only from 2026-07-01"), std::string::npos) << d[0];
  EXPECT_EQ(d[1]["award"], "100000.00");
  EXPECT_EQ(d[2]["code"], "E0606");
  EXPECT_NE(d[2]["error"].get<std::string>().find("was repealed by"), std::string::npos) << d[2];
  EXPECT_EQ(d[3]["award"], "200000.00");
}

TEST(Revision, AnAmendmentThatTargetsNothingIsE0411WithASuggestion) {
  Programme p = load(kBase, {revision(R"(
amend clause 四 { text "……" }
amend clause 一 {
  repeal item "9"
  repeal rule G2
}
)")});
  EXPECT_FALSE(p.lp->ok());
  EXPECT_NE(p.diagnostics.find("error[E0411]: the revision amends clause `四`"), std::string::npos) << p.diagnostics;
  EXPECT_NE(p.diagnostics.find("item `9`"), std::string::npos) << p.diagnostics;
  EXPECT_NE(p.diagnostics.find("rule `G2`"), std::string::npos) << p.diagnostics;
  EXPECT_NE(p.diagnostics.find("did you mean `G1`?"), std::string::npos) << p.diagnostics;
}

TEST(Revision, HeaderProblemsAreE0412AndE0413) {
  EXPECT_NE(load(kBase, {revision(kRaiseCap, "2026-07-01", "other")}).diagnostics.find("error[E0412]"), std::string::npos);
  EXPECT_NE(load(kBase, {"revision demo_2026 of demo { title \"x\" }\n"}).diagnostics.find("does not say when it takes effect"),
            std::string::npos);
  EXPECT_NE(load(kBase, {kBase}).diagnostics.find("is not a revision"), std::string::npos);
  EXPECT_NE(load(kBase, {revision(kRaiseCap, "2024-12-31")}).diagnostics.find("error[E0413]"), std::string::npos);
  Programme two = load(kBase, {revision(kRaiseCap, "2026-07-01"), revision("", "2026-07-01")});
  EXPECT_NE(two.diagnostics.find("error[E0413]"), std::string::npos) << two.diagnostics;
}

TEST(Revision, AGapBetweenVersionsIsW0004) {
  Programme p = load(kBase, {revision(kRaiseCap, "2028-06-01")});
  ASSERT_TRUE(p.lp->ok()) << p.diagnostics;
  EXPECT_NE(p.diagnostics.find("warning[W0004]: no version is in force from 2028-01-01 to 2028-05-31"), std::string::npos)
      << p.diagnostics;
}

TEST(Revision, AListChangedByARevisionIsE0410) {
  std::string base = std::string(kBase) + "enum 级别 \"级别\" { a \"甲\", b \"乙\" }\n";
  Programme p = load(base, {revision("enum 级别 \"级别\" { a \"甲\", b \"乙\", c \"丙\" }\n")});
  // The revised version declares the list twice (E0101) or, merged, changes it: either way refused.
  EXPECT_FALSE(p.lp->ok());
  EXPECT_TRUE(p.diagnostics.find("E0410") != std::string::npos || p.diagnostics.find("E0101") != std::string::npos)
      << p.diagnostics;
}

TEST(Revision, AProgrammeCompilesAndDecidesTheSame) {
  Programme p = load(kBase, {revision(kRaiseCap)});
  ASSERT_TRUE(p.lp->ok()) << p.diagnostics;
  auto back = load_compiled("programme", save_compiled(*p.lp));
  ASSERT_TRUE(back->ok()) << render_all(back->diags, back->sources, false);
  std::string apps = R"({"id":"A","enterprise":"E1","item":"1","date":"2026-06-30","fee":"10000000"}
{"id":"B","enterprise":"E1","item":"1","date":"2026-07-01","fee":"10000000"}
)";
  EXPECT_EQ(testing::decide_lines(*back, apps, true), testing::decide_lines(*p.lp, apps, true));
}

// The Longgang revision of 2026, as the README runs it.
class LonggangRevision : public testing::TempDirTest {};

TEST_F(LonggangRevision, TheCapRisesFrom600To2000WanOn20260629) {
  std::string src = POL_SOURCE_DIR;
  std::string apps = write("apps.jsonl",
                           R"({"id":"R-1","enterprise":"91440300MA5G0000A1","item":"2","date":"2026-06-01","compute_fee":"100000000"}
{"id":"R-2","enterprise":"91440300MA5G0000A2","item":"2","date":"2026-07-01","compute_fee":"100000000"}
)");
  auto r = testing::polc("run " + src + "/policies/longgang_ai_2025.pol " + src + "/policies/longgang_ai_2026_revision.pol --rules " +
                         src + "/policies/longgang_ai_2025_rules.pol " + apps);
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream lines(r.out);
  std::string a, b;
  std::getline(lines, a);
  std::getline(lines, b);
  json ja = json::parse(a), jb = json::parse(b);
  EXPECT_EQ(ja["award"], "6000000.00");
  EXPECT_EQ(ja["version"], "longgang_ai_2025");
  EXPECT_EQ(jb["award"], "20000000.00");
  EXPECT_EQ(jb["version"], "longgang_ai_2026");
  EXPECT_NE(b.find("2026年修订"), std::string::npos);
  // The 2025 text alone decides the July application as before.
  auto alone = testing::polc("run " + src + "/policies/longgang_ai_2025.pol --rules " + src +
                             "/policies/longgang_ai_2025_rules.pol " + apps);
  EXPECT_NE(alone.out.find("\"id\":\"R-2\",\"enterprise\":\"91440300MA5G0000A2\",\"item\":\"2\",\"date\":\"2026-07-01\","
                           "\"eligible\":true,\"award\":\"6000000.00\""),
            std::string::npos)
      << alone.out;
  // What the revision costs on the same batch: both applications judged as the texts say.
  auto diff = testing::polc("diff " + src + "/policies/longgang_ai_2025.pol --rules " + src +
                            "/policies/longgang_ai_2025_rules.pol --new-revision " + src +
                            "/policies/longgang_ai_2026_revision.pol " + apps + " --format json");
  ASSERT_EQ(diff.status, 0) << diff.err;
  EXPECT_NE(diff.out.find("R-2"), std::string::npos) << diff.out;
  EXPECT_EQ(diff.out.find("\"R-1\""), std::string::npos) << "R-1 is accepted before the revision: unchanged\n" << diff.out;
  auto html = testing::polc("diff " + src + "/policies/longgang_ai_2025.pol --rules " + src +
                            "/policies/longgang_ai_2025_rules.pol --new-revision " + src +
                            "/policies/longgang_ai_2026_revision.pol " + apps + " --format html -o " + path("cost.html"));
  EXPECT_EQ(html.status, 0) << html.err;
  // check takes the programme too.
  auto check = testing::polc("check " + src + "/policies/longgang_ai_2025.pol " + src + "/policies/longgang_ai_2026_revision.pol");
  EXPECT_EQ(check.status, 0) << check.err;
}

}  // namespace
}  // namespace pol
