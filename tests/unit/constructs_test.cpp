// Constructs other policies need (issue 11): each decided, explained and its misuse diagnosed.
// - lists that accept other values (an `otherwise` member) and labels as input;
// - one-off support per period (`once … per year`);
// - conditions stated once for many items (`require` in a clause, for items or a part).
#include <gtest/gtest.h>

#include "policy_fixture.h"

namespace pol {
namespace {

using testing::decide;

const char* kHeader = R"(import "common"
policy demo { title "示范" rounding half up to 0.01 }
)";

std::string policy(const std::string& body) { return std::string(kHeader) + body; }

// ---- lists that accept other values ----

const char* kIndustry = R"(
enum 行业 "所属行业" { ai "人工智能", robot "机器人", other "其他" otherwise }
clause 一 "支持" {
  item "1" "支持" {
    input industry: 行业 "所属行业"
    input fee: money "费用"
    require 人工智能行业: industry in {ai, robot} else "不属于人工智能或机器人行业"
    amount 30% of fee
  }
}
)";

TEST(Constructs, AnUnlistedValueIsTheOtherwiseMemberAndTheApplicationIsDecided) {
  auto o = decide(policy(kIndustry),
                  R"({"id":"A","enterprise":"E","item":"1","date":"2025-01-01","industry":"纺织","fee":"100"}
{"id":"B","enterprise":"E","item":"1","date":"2025-01-01","industry":"机器人","fee":"100"}
{"id":"C","enterprise":"E","item":"1","date":"2025-01-01","industry":"robot","fee":"100"}
{"id":"D","enterprise":"E","item":"1","date":"2025-01-01","industry":"","fee":"100"}
)");
  ASSERT_EQ(o.decisions.size(), 4u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["status"], "ineligible");  // not an input error
  EXPECT_EQ(o.decisions[1]["award"], "30.00");        // the label 机器人 is accepted
  EXPECT_EQ(o.decisions[2]["award"], "30.00");        // and the member name
  EXPECT_EQ(o.decisions[3]["code"], "E0601");         // an empty value is missing, not "other"
}

TEST(Constructs, WithoutAnOtherwiseMemberAnUnlistedValueIsAnInputErrorListingTheLabels) {
  std::string text = policy(kIndustry);
  text.replace(text.find(" otherwise }"), 12, " }");
  auto o = decide(text, R"({"id":"A","enterprise":"E","item":"1","date":"2025-01-01","industry":"纺织","fee":"100"})" "\n");
  ASSERT_EQ(o.decisions.size(), 1u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["code"], "E0608");
  EXPECT_NE(o.decisions[0]["error"].get<std::string>().find("robot（机器人）"), std::string::npos) << o.decisions[0];
}

TEST(Constructs, TwoOtherwiseMembersOrALabelSharedWithAnotherMemberAreRefused) {
  auto two = decide(policy(R"(enum 行业 { a "A" otherwise, b "B" otherwise })"), "");
  EXPECT_NE(two.diagnostics.find("two members of `行业` are marked `otherwise`"), std::string::npos) << two.diagnostics;
  auto shared = decide(policy(R"(enum 行业 { a "甲", b "甲" })"), "");
  EXPECT_NE(shared.diagnostics.find("share a name or label"), std::string::npos) << shared.diagnostics;
}

// ---- once per year ----

const char* kOncePerYear = R"(
clause 一 "支持" {
  item "1" "支持" {
    input fee: money "费用"
    amount 30% of fee
  }
  once O1 "每家企业每年支持一次" { items "1" key enterprise per year }
}
)";

TEST(Constructs, OncePerYearRefusesTheSecondOfAYearAndAcceptsTheNextYear) {
  auto o = decide(policy(kOncePerYear), R"({"id":"A","enterprise":"E","item":"1","date":"2025-01-01","fee":"100"}
{"id":"B","enterprise":"E","item":"1","date":"2025-12-31","fee":"100"}
{"id":"C","enterprise":"E","item":"1","date":"2026-01-01","fee":"100"}
{"id":"D","enterprise":"F","item":"1","date":"2025-06-01","fee":"100"}
)");
  ASSERT_EQ(o.decisions.size(), 4u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["award"], "30.00");
  EXPECT_EQ(o.decisions[1]["status"], "ineligible");
  EXPECT_NE(o.lines[1].find("在 2025 年已获支持"), std::string::npos) << o.lines[1];
  EXPECT_EQ(o.decisions[2]["award"], "30.00");
  EXPECT_EQ(o.decisions[3]["award"], "30.00");
  // Without `per year` the same rule holds for the whole term.
  std::string term = policy(kOncePerYear);
  term.replace(term.find(" per year"), 9, "");
  auto t = decide(term, R"({"id":"A","enterprise":"E","item":"1","date":"2025-01-01","fee":"100"}
{"id":"C","enterprise":"E","item":"1","date":"2026-01-01","fee":"100"}
)");
  EXPECT_EQ(t.decisions[1]["status"], "ineligible");
}

TEST(Constructs, OnceTakesOnlyAPeriodAfterPer) {
  std::string text = policy(kOncePerYear);
  text.replace(text.find("per year"), 8, "per enterprise");
  auto o = decide(text, "");
  EXPECT_NE(o.diagnostics.find("only `per year` or `per term` fits here"), std::string::npos) << o.diagnostics;
}

// ---- conditions for many items ----

const char* kShared = R"(
application {
  field registered_here: bool "在本区注册并纳税"
}
part 一 "研发" {
  clause 一 "申报条件" {
    text "申报单位须在本区注册并纳税；研发类事项须通过评审。"
    require 本区企业: registered_here else "未在本区注册纳税"
    require 已通过评审 for part 一: reviewed else "未通过评审"
    item "1" "研发" {
      input reviewed: bool "通过评审"
      input fee: money "费用"
      amount 30% of fee
    }
  }
}
clause 二 "运营" {
  item "2" "运营" {
    input fee: money "费用"
    amount 20% of fee
  }
}
)";

TEST(Constructs, AConditionStatedOnceGatesEveryItemItNamesAndCitesItsClause) {
  auto o = decide(policy(kShared), R"({"id":"A","enterprise":"E","item":"1","date":"2025-01-01","registered_here":true,"reviewed":true,"fee":"100"}
{"id":"B","enterprise":"E","item":"2","date":"2025-01-01","registered_here":false,"fee":"100"}
{"id":"C","enterprise":"E","item":"2","date":"2025-01-01","registered_here":true,"fee":"100"}
{"id":"D","enterprise":"E","item":"1","date":"2025-01-01","registered_here":true,"reviewed":false,"fee":"100"}
)");
  ASSERT_EQ(o.decisions.size(), 4u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["award"], "30.00");
  EXPECT_EQ(o.decisions[1]["status"], "ineligible");  // item 2 is gated too
  EXPECT_EQ(o.decisions[2]["award"], "20.00");        // but not by the part's condition
  EXPECT_EQ(o.decisions[3]["status"], "ineligible");
  // The step cites the clause that states the condition, not the item's.
  bool cited = false;
  for (const auto& s : o.decisions[1]["explanation"])
    if (s["step"] == "condition" && s["rule"] == "本区企业") {
      cited = true;
      EXPECT_EQ(s["clause"], "一");
      EXPECT_EQ(s["passed"], false);
    }
  EXPECT_TRUE(cited) << o.decisions[1];
}

TEST(Constructs, ASharedConditionNamingNothingOrUsingWhatAnItemLacksIsRefused) {
  const std::string part = "for part 一";
  std::string bad_item = policy(kShared);
  bad_item.replace(bad_item.find(part), part.size(), "for items \"9\"");
  auto a = decide(bad_item, "");
  EXPECT_NE(a.diagnostics.find("no item \"9\""), std::string::npos) << a.diagnostics;
  std::string bad_part = policy(kShared);
  bad_part.replace(bad_part.find(part), part.size(), "for part 九");
  auto b = decide(bad_part, "");
  EXPECT_NE(b.diagnostics.find("no part 九"), std::string::npos) << b.diagnostics;
  // For every item, the condition reads an input item 2 does not have.
  std::string all = policy(kShared);
  all.replace(all.find(" " + part), part.size() + 1, "");
  auto c = decide(all, "");
  EXPECT_NE(c.diagnostics.find("reviewed"), std::string::npos) << c.diagnostics;
  EXPECT_NE(c.diagnostics.find("error"), std::string::npos) << c.diagnostics;
}

}  // namespace
}  // namespace pol
