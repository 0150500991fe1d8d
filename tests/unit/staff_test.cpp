// What programme staff read (runtime/staff), as a library: amounts in capitals (大写) exactly
// from the fen, letter file names that are safe whatever the id, HTML escaping, and the one
// reader of decisions the workbook, the report and the letters share — on the example batch,
// with the figures `polc run` gives.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <regex>
#include <set>
#include <string>

#include "runtime/run/batch_run.h"
#include "runtime/staff/capitals.h"
#include "runtime/staff/decisions.h"
#include "runtime/staff/html.h"
#include "runtime/staff/report.h"
#include "runtime/staff/totals.h"
#include "tests/unit/policy_fixture.h"

namespace {

using pol::staff::money_in_capitals;

constexpr int64_t kYuan = 100;

TEST(Capitals, WholeAmounts) {
  EXPECT_EQ(money_in_capitals(1200000 * kYuan), "壹佰贰拾万元整");
  EXPECT_EQ(money_in_capitals(6000000 * kYuan), "陆佰万元整");
  EXPECT_EQ(money_in_capitals(1 * kYuan), "壹元整");
  EXPECT_EQ(money_in_capitals(10 * kYuan), "壹拾元整");
  EXPECT_EQ(money_in_capitals(15 * kYuan), "壹拾伍元整");
  EXPECT_EQ(money_in_capitals(110000 * kYuan), "壹拾壹万元整");
  EXPECT_EQ(money_in_capitals(9999 * kYuan), "玖仟玖佰玖拾玖元整");
}

TEST(Capitals, ZerosInsideTheIntegerPart) {
  EXPECT_EQ(money_in_capitals(1020 * kYuan), "壹仟零贰拾元整");
  EXPECT_EQ(money_in_capitals(1001 * kYuan), "壹仟零壹元整");
  EXPECT_EQ(money_in_capitals(10005 * kYuan), "壹万零伍元整");
  EXPECT_EQ(money_in_capitals(1000100 * kYuan), "壹佰万零壹佰元整");
  EXPECT_EQ(money_in_capitals(100000010 * kYuan), "壹亿零壹拾元整");
  EXPECT_EQ(money_in_capitals(100010000 * kYuan), "壹亿零壹万元整");
  EXPECT_EQ(money_in_capitals(110000000 * kYuan), "壹亿壹仟万元整");
  EXPECT_EQ(money_in_capitals(1200000000 * kYuan), "壹拾贰亿元整");
  EXPECT_EQ(money_in_capitals(1000000000000 * kYuan), "壹万亿元整");
  EXPECT_EQ(money_in_capitals(123456789012 * kYuan), "壹仟贰佰叁拾肆亿伍仟陆佰柒拾捌万玖仟零壹拾贰元整");
}

TEST(Capitals, JiaoAndFen) {
  EXPECT_EQ(money_in_capitals(1640902), "壹万陆仟肆佰零玖元零贰分");  // 16,409.02: 零 after 元
  EXPECT_EQ(money_in_capitals(168032), "壹仟陆佰捌拾元叁角贰分");
  EXPECT_EQ(money_in_capitals(38961038), "叁拾捌万玖仟陆佰壹拾元叁角捌分");  // 389,610.38 of the example batch
  EXPECT_EQ(money_in_capitals(10050), "壹佰元伍角整");   // 整 after 角
  EXPECT_EQ(money_in_capitals(50), "伍角整");
  EXPECT_EQ(money_in_capitals(5), "伍分");               // never 整 after 分
  EXPECT_EQ(money_in_capitals(55), "伍角伍分");
  EXPECT_EQ(money_in_capitals(0), "零元整");
  EXPECT_EQ(money_in_capitals(-150), "负壹元伍角整");
}

TEST(Capitals, ExtremesOfInt64) {
  // 92,233,720,368,547,758.07 元 = 9亿亿 + 2233万亿 + 7203亿 + 6854万 + 7758
  EXPECT_EQ(money_in_capitals(std::numeric_limits<int64_t>::max()),
            "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分");
  EXPECT_EQ(money_in_capitals(std::numeric_limits<int64_t>::min()),
            "负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零捌分");
}

TEST(LetterFileName, SafeAndDistinct) {
  std::set<std::string> taken = {"index"};
  auto name = [&](std::string_view id) { return pol::staff::letter_file_name(id, taken); };
  EXPECT_EQ(name("LG-0001"), "LG-0001.html");
  std::regex safe("[A-Za-z0-9_-][A-Za-z0-9._-]{0,80}\\.html");
  std::set<std::string> seen;
  for (const std::string& id : std::vector<std::string>{"a/b", "a_b", "../../etc/passwd", "..", ".hidden", "x.", "CON", "con.txt", "nul", "",
                         "龙岗-1", "<script>alert(1)</script>", "index", "INDEX", "ab", "AB", "a\\b", "a:b",
                         std::string(300, 'x'), std::string("a\0b", 3), "LG-0001"}) {
    std::string n = name(id);
    EXPECT_TRUE(std::regex_match(n, safe)) << "`" << id << "` → " << n;
    std::string lower = n;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(seen.insert(lower).second) << "two ids share " << n;
    EXPECT_NE(lower, "index.html");
    EXPECT_NE(lower.rfind("con.", 0), 0u) << n;
    EXPECT_NE(lower.rfind("nul.", 0), 0u) << n;
  }
  EXPECT_EQ(name("a/b"), "a_b-3a8e75c1-2.html") << "as docs/reports.md shows it (taken above, so -2)";
  EXPECT_EQ(name("LG-0002"), "LG-0002.html");
  EXPECT_EQ(name("LG-0002"), "LG-0002-2.html") << "a repeated id gets a file of its own";
}

TEST(StaffHtml, EscapesEverythingAndShortensByWidth) {
  EXPECT_EQ(pol::staff::esc("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(pol::staff::esc(std::string("a\x01" "b\xff", 4)), "a b\xEF\xBF\xBD");
  EXPECT_EQ(pol::staff::shorten("购买算力支持", 12), "购买算力支持");
  EXPECT_EQ(pol::staff::shorten("购买算力每家企业每年最高600万元", 12), "购买算力每…");
  EXPECT_EQ(pol::staff::shorten("abcdef", 4), "abc…");
}

// The example batch under total control (annual_budget 4,000,000): every figure the staff outputs
// show comes from the decided batch and its explanation.
class StaffReader : public ::testing::Test {
 protected:
  void SetUp() override {
    pol::LoadOptions o;
    o.policy_path = std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025.pol";
    o.rules_paths = {std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025_rules.pol"};
    o.sets = {"annual_budget=4000000"};
    o.need_parameter_values = true;
    lp_ = pol::load_policy(o);
    ASSERT_TRUE(lp_ && lp_->ok());
    pol::BatchRequest req;
    req.applications = std::string(POL_SOURCE_DIR) + "/examples/batch.jsonl";
    std::vector<std::string> errors;
    ASSERT_TRUE(pol::decide_batch(*lp_, req, run_, errors));
  }
  std::unique_ptr<pol::LoadedPolicy> lp_;
  pol::BatchRun run_;
};

TEST_F(StaffReader, ReadsWhyAndWhatCutFromTheExplanation) {
  pol::staff::DecisionReader reader;
  pol::staff::StaffDecision d;
  reader.read(*run_.batch, 1, d);  // LG-0002: the group cap, then total control
  EXPECT_EQ(d.id, "LG-0002");
  EXPECT_EQ(d.status, pol::DecisionStatus::BudgetScaled);
  EXPECT_EQ(d.award, 38961038);
  ASSERT_EQ(d.cuts.size(), 2u);
  EXPECT_EQ(d.cuts[0].label, "购买算力每家企业每年最高600万元");
  EXPECT_EQ(d.cuts[0].clause, "第二条");
  EXPECT_EQ(d.cuts[0].fen, 150000000);
  EXPECT_EQ(d.cuts[1].clause, "第十八条");
  EXPECT_EQ(d.cuts[1].fen, 150000000 - 38961038);
  EXPECT_TRUE(d.rejections.empty());
  EXPECT_EQ(d.citations, "第二条「加大优质优价算力供给」；第二十一条「施行日期」；第十八条「财政资金总额控制」");
  ASSERT_GE(d.clauses.size(), 1u);
  EXPECT_EQ(lp_->policy->clauses[d.clauses[0]].number, "二");
  EXPECT_NE(d.reasons.find("第二条 购买算力每家企业每年最高600万元"), std::string::npos) << d.reasons;

  reader.read(*run_.batch, 3, d);  // LG-0004: the seller is affiliated
  EXPECT_EQ(d.status, pol::DecisionStatus::Ineligible);
  ASSERT_EQ(d.rejections.size(), 1u);
  EXPECT_EQ(d.rejections[0].reason, "不满足「非关联方」");
  EXPECT_EQ(d.rejections[0].clause, "第三条");
  EXPECT_TRUE(d.cuts.empty());
}

TEST_F(StaffReader, TotalsAddUpToTheBatch) {
  pol::staff::DecisionReader reader;
  pol::staff::TotalsBuilder builder;
  pol::staff::StaffDecision d;
  int64_t awards = 0;
  for (uint32_t a = 0; a < run_.batch->apps.size(); ++a) {
    reader.read(*run_.batch, a, d);
    builder.add(d);
    awards += run_.batch->decisions[a].award;
  }
  pol::staff::RunTotals t = builder.finish();
  EXPECT_EQ(t.applications, 12u);
  EXPECT_EQ(t.granted, 9u);
  EXPECT_EQ(t.total, awards);
  EXPECT_EQ(t.total, 399999992);
  int64_t items = 0;
  for (const auto& k : t.per_item) items += k.amount;
  EXPECT_EQ(items, t.total);
  ASSERT_FALSE(t.caps.empty());
  EXPECT_EQ(t.caps[0].label, "年度财政资金总额控制") << "total control cut 9 awards: the cap that bound most often";
  EXPECT_EQ(t.caps[0].times, 9u);
  EXPECT_EQ(t.caps[0].cut, 1140000008);
  ASSERT_EQ(t.budgets.size(), 1u);
  EXPECT_EQ(t.budgets[0].budget, 400000000);
  EXPECT_EQ(t.budgets[0].granted, t.total);
  EXPECT_TRUE(t.budgets[0].scaled);
  size_t rejected = 0;
  for (const auto& r : t.rejections) rejected += r.applications;
  EXPECT_EQ(rejected, 3u);  // two ineligible, one not supported twice
}

}  // namespace
