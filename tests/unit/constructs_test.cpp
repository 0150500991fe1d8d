// Constructs other policies need (issue 11): each decided, explained and its misuse diagnosed.
// - lists that accept other values (an `otherwise` member) and labels as input;
// - one-off support per period (`once … per year`);
// - conditions stated once for many items (`require` in a clause, for items or a part);
// - budget pools for some items, shared pro rata, first come first served, by rank, or — when the
//   text does not say — reported as oversubscribed (W0005);
// - durations and dates: duration parameters set by the implementing rules, whole months and
//   years between two dates, unit rates (60元 × area × months);
// - series limited to N calendar years in a row;
// - year-month inputs (`month`, 2025-03);
// - values from earlier grants (count, first date, sum) inside an item;
// - discretion as an outcome: an amount the authority sets (`amount discretionary`, the cap its
//   ceiling) and a cap that may be relaxed (`cap … relaxable when …`).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "policy_fixture.h"
#include "runtime/input/records.h"

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

// ---- discretion ----

const char* kDiscretion = R"(
clause 一 "运营支持" {
  text "最高不超过1000万元，根据投入和运营情况确定。"
  item "1" "运营支持" {
    input operating: bool "正常运营"
    require 正常运营: operating else "未正常运营"
    amount discretionary "根据投入和运营情况确定"
    cap 1000万
  }
  group G1 "每家企业每年最高1000万元" { items "1", "2" limit 1000万 per enterprise per year }
}
clause 二 "算力券" {
  text "按30%发放，每家企业每年最高800万元；对开展多模态大模型研发的企业，上限可适当放宽。"
  item "2" "算力券" {
    input fee: money "算力合同金额"
    input multimodal: bool "开展多模态大模型研发"
    amount 30% of fee
    cap 800万 relaxable when multimodal "开展多模态大模型研发的企业"
  }
}
)";

TEST(Constructs, ADiscretionaryAmountIsEligibleWithItsCeilingAndNoInventedNumber) {
  auto o = decide(policy(kDiscretion), R"({"id":"A","enterprise":"E","item":"1","date":"2025-01-01","operating":true}
{"id":"B","enterprise":"E","item":"1","date":"2025-01-01","operating":false}
{"id":"C","enterprise":"E","item":"2","date":"2025-02-01","fee":"10000000","multimodal":false}
)");
  ASSERT_EQ(o.decisions.size(), 3u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["status"], "discretionary");
  EXPECT_EQ(o.decisions[0]["eligible"], true);
  EXPECT_TRUE(o.decisions[0]["award"].is_null()) << o.decisions[0];
  EXPECT_EQ(o.decisions[0]["ceiling"], "10000000.00");
  EXPECT_NE(o.lines[0].find("支持金额由主管部门确定（根据投入和运营情况确定）"), std::string::npos) << o.lines[0];
  EXPECT_EQ(o.decisions[1]["status"], "ineligible");
  // Nothing granted yet: the enterprise's group cap is untouched by the discretionary decision.
  EXPECT_EQ(o.decisions[2]["award"], "3000000.00");
}

TEST(Constructs, ADiscretionaryCeilingIsWhatTheGroupHasLeftAndTakesNothingFromIt) {
  // C is granted 3,000,000 (item 2) first; A's ceiling is then the 7,000,000 left of the enterprise's
  // 10,000,000 for the year, not the item cap; the next grant D still finds 7,000,000 left.
  auto o = decide(policy(kDiscretion), R"({"id":"C","enterprise":"E","item":"2","date":"2025-01-01","fee":"10000000","multimodal":false}
{"id":"A","enterprise":"E","item":"1","date":"2025-02-01","operating":true}
{"id":"D","enterprise":"E","item":"2","date":"2025-03-01","fee":"30000000","multimodal":false}
{"id":"F","enterprise":"F","item":"1","date":"2025-02-01","operating":true}
)");
  ASSERT_EQ(o.decisions.size(), 4u) << o.diagnostics;
  EXPECT_EQ(o.decisions[1]["status"], "discretionary");
  EXPECT_EQ(o.decisions[1]["ceiling"], "7000000.00") << o.lines[1];
  EXPECT_NE(o.lines[1].find("主管部门确定的支持金额上限 10,000,000.00 元 → 7,000,000.00 元"), std::string::npos) << o.lines[1];
  EXPECT_EQ(o.decisions[2]["award"], "7000000.00");  // 30% of 3000万 = 900万, cut to what is left
  EXPECT_EQ(o.decisions[3]["ceiling"], "10000000.00");  // another enterprise: the whole cap
}

TEST(Constructs, ARelaxableCapSaysTheAuthorityMayGoAboveItOnlyWhenItBindsAndItsConditionHolds) {
  auto o = decide(policy(kDiscretion), R"({"id":"A","enterprise":"E","item":"2","date":"2025-01-01","fee":"50000000","multimodal":true}
{"id":"B","enterprise":"F","item":"2","date":"2025-01-01","fee":"50000000","multimodal":false}
{"id":"C","enterprise":"G","item":"2","date":"2025-01-01","fee":"1000000","multimodal":true}
)");
  ASSERT_EQ(o.decisions.size(), 3u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["status"], "cap_relaxable");
  EXPECT_EQ(o.decisions[0]["award"], "8000000.00");  // what the rule grants without discretion
  bool uncapped = false;
  for (const auto& s : o.decisions[0]["explanation"])
    if (s["step"] == "cap") uncapped = s.value("uncapped", "") == "15000000.00";
  EXPECT_TRUE(uncapped) << o.decisions[0];
  EXPECT_EQ(o.decisions[1]["status"], "capped");
  EXPECT_EQ(o.decisions[2]["status"], "granted");
}

TEST(Constructs, DiscretionMisusedIsRefused) {
  auto both = decide(policy(R"(clause 一 "X" { item "1" "X" { amount 100元 amount discretionary "一事一议" } })"), "");
  EXPECT_NE(both.diagnostics.find("has an amount and says the amount is discretionary"), std::string::npos) << both.diagnostics;
  auto relax = decide(policy(R"(clause 一 "X" { item "1" "X" { amount discretionary cap 100元 relaxable } })"), "");
  EXPECT_NE(relax.diagnostics.find("no computed amount for the cap to relax"), std::string::npos) << relax.diagnostics;
  auto cond = decide(policy(R"(clause 一 "X" { item "1" "X" { input fee: money "费" amount fee cap 100元 relaxable when fee } })"), "");
  EXPECT_NE(cond.diagnostics.find("when a cap may be relaxed must be `bool`"), std::string::npos) << cond.diagnostics;
}

// ---- budget pools ----

std::string pool(const std::string& ration) {
  return policy(R"(
clause 一 "算力券" {
  item "1" "算力券" {
    input fee: money "费用"
    input score: int "评审得分"
    amount fee
  }
  item "2" "其他" {
    input fee: money "费用"
    amount fee
  }
  budget POOL "算力券资金池每年100元" {
    items "1"
    limit 100元
    per year
)" + ration + R"(
  }
}
)");
}

const char* kPoolApps = R"({"id":"A","enterprise":"E","item":"1","date":"2025-01-01","fee":"60","score":1}
{"id":"B","enterprise":"F","item":"1","date":"2025-01-02","fee":"60","score":9}
{"id":"C","enterprise":"G","item":"2","date":"2025-01-03","fee":"500"}
)";

TEST(Constructs, APoolForSomeItemsSharedFirstComeFirstServed) {
  auto o = decide(pool("    first come first served"), kPoolApps);
  ASSERT_EQ(o.decisions.size(), 3u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["award"], "60.00");
  EXPECT_EQ(o.decisions[1]["award"], "40.00");  // what was left of the pool
  EXPECT_EQ(o.decisions[1]["status"], "budget_scaled");
  EXPECT_NE(o.lines[1].find("按受理先后拨付，轮到本申报时剩余 40.00 元"), std::string::npos) << o.lines[1];
  EXPECT_EQ(o.decisions[2]["award"], "500.00");  // item 2 is not in the pool
}

TEST(Constructs, APoolSharedByRankGivesTheHighestScoreFirst) {
  auto o = decide(pool("    rank by score descending"), kPoolApps);
  ASSERT_EQ(o.decisions.size(), 3u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["award"], "40.00");
  EXPECT_EQ(o.decisions[1]["award"], "60.00");
  auto none = decide(pool("    rank by score descending"), R"({"id":"A","enterprise":"E","item":"1","date":"2025-01-01","fee":"150","score":1}
{"id":"B","enterprise":"F","item":"1","date":"2025-01-02","fee":"150","score":9}
)");
  EXPECT_EQ(none.decisions[0]["status"], "budget_used_up");
  EXPECT_EQ(none.decisions[0]["award"], "0.00");
  EXPECT_EQ(none.decisions[1]["award"], "100.00");
}

TEST(Constructs, APoolSharedProRata) {
  auto o = decide(pool("    scale pro rata rounded down to 0.01"), kPoolApps);
  ASSERT_EQ(o.decisions.size(), 3u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["award"], "50.00");
  EXPECT_EQ(o.decisions[1]["award"], "50.00");
}

TEST(Constructs, APoolThatDoesNotSayHowItIsSharedWarnsAndReportsTheOversubscription) {
  auto o = decide(pool(""), kPoolApps);
  EXPECT_NE(o.diagnostics.find("warning[W0005]"), std::string::npos) << o.diagnostics;
  ASSERT_EQ(o.decisions.size(), 3u) << o.diagnostics;
  for (int k : {0, 1}) {
    EXPECT_EQ(o.decisions[k]["status"], "oversubscribed") << o.decisions[k];
    EXPECT_EQ(o.decisions[k]["award"], "60.00");  // not chosen silently: the amounts stand, flagged
  }
  EXPECT_NE(o.lines[0].find("政策未规定超出时如何分配"), std::string::npos) << o.lines[0];
  // Within the pool nothing is reported.
  auto fits = decide(pool(""), R"({"id":"A","enterprise":"E","item":"1","date":"2025-01-01","fee":"60","score":1})" "\n");
  EXPECT_EQ(fits.decisions[0]["status"], "granted");
}

TEST(Constructs, APoolIsSharedOneWay) {
  auto o = decide(pool("    first come first served\n    scale pro rata rounded down to 0.01"), "");
  EXPECT_NE(o.diagnostics.find("a budget pool is shared one way"), std::string::npos) << o.diagnostics;
}

// ---- durations and date arithmetic ----

const char* kRent = R"(
parameter startup_max_age: duration "初创企业成立年限（实施细则）"
clause 一 "租金补贴" {
  text "2023年1月1日后在本区实际运营、成立不满规定年限的企业，自运营之日起连续36个月，按每月每平方米60元给予租金补贴。"
  item "1" "租金补贴" {
    input founded: date "成立日期"
    input started: date "实际运营日期"
    input area: decimal "自用办公面积（平方米）"
    input months: int "补贴月数"
    require 二三年后运营: started > 2023-01-01 else "2023年1月1日前已运营"
    require 初创企业: date < founded + startup_max_age else "成立已超过规定年限"
    require 三十六个月内: months_between(started, date) < 36 else "自运营之日起已满36个月"
    amount 60元 × area × months
    cap 300万
  }
}
)";

TEST(Constructs, DurationParametersAndWholeMonthsBetweenDates) {
  std::string apps = R"({"id":"A","enterprise":"E","item":"1","date":"2026-01-30","founded":"2022-06-01","started":"2023-01-31","area":"1000.5","months":12}
{"id":"B","enterprise":"E","item":"1","date":"2026-01-31","founded":"2022-06-01","started":"2023-01-31","area":"1000","months":12}
{"id":"C","enterprise":"F","item":"1","date":"2026-01-30","founded":"2020-06-01","started":"2023-01-31","area":"1000","months":12}
)";
  auto o = decide(policy(kRent), apps, {"startup_max_age=5 years"});
  ASSERT_EQ(o.decisions.size(), 3u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["award"], "720360.00");  // 60 × 1000.5 × 12, exact
  EXPECT_EQ(o.decisions[1]["status"], "ineligible");  // 36 whole months on 2026-01-31
  EXPECT_NE(o.lines[1].find("不满足「三十六个月内」"), std::string::npos) << o.lines[1];
  EXPECT_EQ(o.decisions[2]["status"], "ineligible");  // founded 2020-06-01 + 5 years < 2026-01-30
  EXPECT_NE(o.lines[2].find("成立日期 2020-06-01，初创企业成立年限（实施细则） 5年"), std::string::npos) << o.lines[2];
  // Another value of the parameter changes the decision, not the policy.
  auto six = decide(policy(kRent), apps, {"startup_max_age=6 years"});
  EXPECT_EQ(six.decisions[2]["award"], "720000.00");
}

TEST(Constructs, MonthsBetweenCountsAMonthOnceItsDayIsReached) {
  std::string text = policy(R"(
clause 一 "X" {
  item "1" "X" {
    input a: date "起"
    input n: int "月"
    input y: int "年"
    require 整月: months_between(a, date) = n else "整月数不同"
    require 整年: years_between(a, date) = y else "整年数不同"
    require 反向: months_between(date, a) = -n else "反向不为负"
    amount 1元
  }
}
)");
  auto o = decide(text, R"({"id":"A","enterprise":"E","item":"1","date":"2023-02-28","a":"2023-01-31","n":1,"y":0}
{"id":"B","enterprise":"E","item":"1","date":"2023-02-27","a":"2023-01-31","n":0,"y":0}
{"id":"C","enterprise":"E","item":"1","date":"2025-03-15","a":"2023-01-15","n":26,"y":2}
{"id":"D","enterprise":"E","item":"1","date":"2025-01-14","a":"2023-01-15","n":23,"y":1}
)");
  ASSERT_EQ(o.decisions.size(), 4u) << o.diagnostics;
  for (int k = 0; k < 4; ++k) EXPECT_EQ(o.decisions[k]["eligible"], true) << o.lines[k];
}

// The months of the previous year inside a 36-month window, computed from dates alone (前海 第（1）项):
// the start of a year or month, and the earlier / later of two dates.
const char* kWindow = R"(
clause 一 "租金" {
  item "1" "租金" {
    input started: date "开始运营日期"
    let 上一年度起 = 年初(date) - 1年
    let 补贴期起 = start_of_month(started)
    let 补贴月数 = max(0, 月数(max(补贴期起, 上一年度起), min(补贴期起 + 36个月, start_of_year(date))))
    require 有补贴月份: 补贴月数 > 0 else "上一年度不在36个月内"
    amount 1元 × 补贴月数
  }
}
)";

TEST(Constructs, StartOfYearAndMonthAndTheEarlierOfTwoDatesBoundAWindow) {
  // Started 2023-06-15: the window is 2023-06 … 2026-05, so 7 + 12 + 12 + 5 = 36 months, then none.
  std::string apps;
  for (int y = 2024; y <= 2028; ++y)
    apps += fmt::format(R"({{"id":"A{}","enterprise":"E{}","item":"1","date":"{}-03-01","started":"2023-06-15"}})", y, y, y) + "\n";
  auto o = decide(policy(kWindow), apps);
  ASSERT_EQ(o.decisions.size(), 5u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["award"], "7.00");
  EXPECT_EQ(o.decisions[1]["award"], "12.00");
  EXPECT_EQ(o.decisions[2]["award"], "12.00");
  EXPECT_EQ(o.decisions[3]["award"], "5.00");
  EXPECT_EQ(o.decisions[4]["status"], "ineligible");
  // The explanation says how the months were found, with the dates it read.
  EXPECT_NE(o.lines[3].find("补贴期起 2023-06-01"), std::string::npos) << o.lines[3];
  EXPECT_NE(o.lines[3].find("上一年度起 2026-01-01"), std::string::npos) << o.lines[3];
  EXPECT_NE(o.lines[3].find("\"step\":\"value\""), std::string::npos) << o.lines[3];
  EXPECT_NE(o.lines[3].find("\"value\":\"5\""), std::string::npos) << o.lines[3];
  // Started in the application's own year: the previous year has no month of the window.
  auto late = decide(policy(kWindow), R"({"id":"B","enterprise":"E","item":"1","date":"2025-12-31","started":"2025-01-01"}
)");
  ASSERT_EQ(late.decisions.size(), 1u) << late.diagnostics;
  EXPECT_EQ(late.decisions[0]["status"], "ineligible");
}

TEST(Constructs, StartOfAndDateMinMaxMisusedAreRefused) {
  auto item = [](const std::string& cond) {
    return policy(R"(clause 一 "X" { item "1" "X" { input a: date "起" input n: int "数" require r: )" + cond +
                  R"( else "x" amount 1元 } })");
  };
  auto two = decide(item("年初(a, a) < date"), "");
  EXPECT_NE(two.diagnostics.find("`年初` takes one date"), std::string::npos) << two.diagnostics;
  auto num = decide(item("start_of_month(n) < date"), "");
  EXPECT_NE(num.diagnostics.find("`start_of_month` takes one date"), std::string::npos) << num.diagnostics;
  auto mixed = decide(item("max(a, n) < date"), "");
  EXPECT_NE(mixed.diagnostics.find("needs values of one numeric type or dates"), std::string::npos) << mixed.diagnostics;
  auto typo = decide(item("start_of_yaer(a) < date"), "");
  EXPECT_NE(typo.diagnostics.find("did you mean `start_of_year`?"), std::string::npos) << typo.diagnostics;
}

TEST(Constructs, DateArithmeticMisusedIsRefused) {
  auto wrong = decide(policy(R"(clause 一 "X" { item "1" "X" { input a: date "起" require r: months_between(a) > 1 amount 1元 } })"), "");
  EXPECT_NE(wrong.diagnostics.find("takes two dates"), std::string::npos) << wrong.diagnostics;
  auto neg = decide(policy("parameter d: duration \"期限\"\n" + std::string(R"(clause 一 "X" { item "1" "X" { input a: date "起" require r: date < a + d amount 1元 } })")), "",
                    {"d=-1"});
  EXPECT_FALSE(neg.diagnostics.empty());
  auto en = decide(policy("enum E { a, b }\nparameter p: E \"选\"\n"), "");
  EXPECT_NE(en.diagnostics.find("a parameter cannot be of type"), std::string::npos) << en.diagnostics;
}

// ---- values from earlier grants ----

const char* kFalling = R"(
clause 一 "平台运营" {
  text "按运营费用给予支持：第一年50%，第二年40%，第三年及以后30%；自首次支持起12个月内有效。"
  item "1" "平台运营" {
    input platform: text "平台编号"
    input fee: money "运营费用"
    input before: int count of earlier grants items "1" key platform "此前获支持次数"
    input first_on: date optional first of earlier grants items "1" key platform "首次获支持日期"
    input paid: money sum of earlier grants items "1" key platform "此前获支持金额"
    require 十二个月内: not present(first_on) or months_between(first_on, date) < 12 else "首次支持起已满12个月"
    require 累计未超: paid < 1000元 else "累计支持已达1000元"
    amount {
      50% of fee when before = 0 "第一年"
      40% of fee when before = 1 "第二年"
      30% of fee otherwise
    }
  }
}
)";

TEST(Constructs, ARateThatFallsByYearOfParticipationAndAWindowFromTheFirstGrant) {
  auto o = decide(policy(kFalling), R"({"id":"A","enterprise":"E","item":"1","date":"2025-01-01","platform":"P","fee":"100"}
{"id":"B","enterprise":"E","item":"1","date":"2025-06-01","platform":"P","fee":"100"}
{"id":"C","enterprise":"E","item":"1","date":"2025-12-01","platform":"P","fee":"100"}
{"id":"D","enterprise":"E","item":"1","date":"2026-02-01","platform":"P","fee":"100"}
{"id":"E","enterprise":"E","item":"1","date":"2025-06-01","platform":"Q","fee":"100"}
)");
  ASSERT_EQ(o.decisions.size(), 5u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["award"], "50.00");
  EXPECT_EQ(o.decisions[1]["award"], "40.00");
  EXPECT_EQ(o.decisions[2]["award"], "30.00");
  EXPECT_EQ(o.decisions[3]["status"], "ineligible");  // 12 months after the first grant
  EXPECT_EQ(o.decisions[4]["award"], "50.00");        // another platform starts afresh
  EXPECT_NE(o.lines[1].find("首次获支持于 2025-01-01"), std::string::npos) << o.lines[1];
}

TEST(Constructs, EarlierGrantsInTheHistoryCountWithTheirAwards) {
  // Decided in the same order through the history: the same decisions (sums read the history).
  auto o = decide(policy(kFalling), "");
  (void)o;
  LoadOptions opts;
  opts.policy_path = testing::write_temp_policy(policy(kFalling));
  auto lp = load_policy(opts);
  ASSERT_TRUE(lp->ok()) << render_all(lp->diags, lp->sources, false);
  Batch batch(*lp->policy, lp->program);
  Decoder dec(batch);
  std::string err;
  auto hist = input::open_jsonl(R"({"id":"H1","enterprise":"E","item":"1","date":"2024-12-01","platform":"P","award":"600"}
{"id":"H2","enterprise":"E","item":"1","date":"2024-12-20","platform":"P","award":"400"}
)");
  input::RawRecord rec;
  while (hist->next(rec)) ASSERT_TRUE(dec.add_history(rec, err)) << err;
  auto apps = input::open_jsonl(R"({"id":"A","enterprise":"E","item":"1","date":"2025-02-01","platform":"P","fee":"100"})" "\n");
  while (apps->next(rec)) dec.add_application(rec);
  evaluate(batch);
  ASSERT_EQ(batch.decisions.size(), 1u);
  EXPECT_EQ(batch.decisions[0].status, Status::Ineligible);  // 600 + 400 reaches the 1000 元 limit
  EXPECT_FALSE(batch.decisions[0].conditions >> 1 & 1);
}

TEST(Constructs, EarlierGrantInputsMisusedAreRefused) {
  auto type = decide(policy(R"(clause 一 "X" { item "1" "X" { input n: money count of earlier grants items "1" key enterprise "次" amount 1元 } })"), "");
  EXPECT_NE(type.diagnostics.find("the count of earlier grants is `int`"), std::string::npos) << type.diagnostics;
  auto first = decide(policy(R"(clause 一 "X" { item "1" "X" { input f: date first of earlier grants items "1" key enterprise "首" amount 1元 } })"), "");
  EXPECT_NE(first.diagnostics.find("declare the input `optional`"), std::string::npos) << first.diagnostics;
  auto item = decide(policy(R"(clause 一 "X" { item "1" "X" { input n: int count of earlier grants items "9" key enterprise "次" amount 1元 } })"), "");
  EXPECT_NE(item.diagnostics.find("no item \"9\""), std::string::npos) << item.diagnostics;
  auto given = decide(policy(kFalling), R"({"id":"A","enterprise":"E","item":"1","date":"2025-01-01","platform":"P","fee":"100","before":0})" "\n");
  EXPECT_EQ(given.decisions[0]["code"], "E0611");
}

// ---- at most N years in a row ----

TEST(Constructs, ASeriesLimitsTheYearsInARowAndAGapStartsAfresh) {
  std::string text = policy(R"(
clause 一 "X" {
  item "1" "X" {
    input platform: text "平台"
    amount 1元
  }
  series S "连续支持不超过2年" { items "1" key platform consecutive years at most 2 }
}
)");
  auto o = decide(text, R"({"id":"A","enterprise":"E","item":"1","date":"2024-03-01","platform":"P"}
{"id":"B","enterprise":"E","item":"1","date":"2025-03-01","platform":"P"}
{"id":"C","enterprise":"E","item":"1","date":"2025-09-01","platform":"P"}
{"id":"D","enterprise":"E","item":"1","date":"2026-03-01","platform":"P"}
{"id":"F","enterprise":"E","item":"1","date":"2028-03-01","platform":"P"}
)");
  ASSERT_EQ(o.decisions.size(), 5u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["award"], "1.00");
  EXPECT_EQ(o.decisions[1]["award"], "1.00");
  EXPECT_EQ(o.decisions[2]["award"], "1.00");        // the same year again: the run is not longer
  EXPECT_EQ(o.decisions[3]["status"], "ineligible");  // a third year in a row
  EXPECT_NE(o.lines[3].find("截至上一年已连续 2 年获支持，连续支持不超过 2 年"), std::string::npos) << o.lines[3];
  EXPECT_EQ(o.decisions[4]["award"], "1.00");        // after a gap year
  auto zero = decide(policy(R"(clause 一 "X" { item "1" "X" { input platform: text "平台" amount 1元 }
  series S "X" { items "1" key platform consecutive years at most 0 } })"), "");
  EXPECT_NE(zero.diagnostics.find("at least one year in a row"), std::string::npos) << zero.diagnostics;
}

// ---- year-month inputs ----

TEST(Constructs, AYearMonthInputIsGivenAsYYYYMMAndReadAsItsFirstDay) {
  std::string text = policy(R"(
clause 一 "X" {
  item "1" "连续12个月补贴" {
    input first_month: month "首个补贴月份"
    input fee: money "费用"
    require 十二个月内: months_between(first_month, date) < 12 else "首个补贴月份起已满12个月"
    amount fee
  }
}
)");
  auto o = decide(text, R"({"id":"A","enterprise":"E","item":"1","date":"2025-12-31","first_month":"2025-01","fee":"10"}
{"id":"B","enterprise":"E","item":"1","date":"2026-01-01","first_month":"2025-01","fee":"10"}
{"id":"C","enterprise":"E","item":"1","date":"2026-01-01","first_month":"2025-01-15","fee":"10"}
{"id":"D","enterprise":"E","item":"1","date":"2026-01-01","first_month":"2025-13","fee":"10"}
)");
  ASSERT_EQ(o.decisions.size(), 4u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["award"], "10.00");
  EXPECT_NE(o.lines[0].find("首个补贴月份 2025-01 "), std::string::npos) << o.lines[0];  // shown as a month
  EXPECT_EQ(o.decisions[1]["status"], "ineligible");
  EXPECT_EQ(o.decisions[2]["code"], "E0602");  // a full date is not a month
  EXPECT_EQ(o.decisions[3]["code"], "E0602");
  // One input name is a month everywhere or a date everywhere.
  auto mixed = decide(policy(R"(clause 一 "X" { item "1" "X" { input m: month "月" amount 1元 require r: m < date }
  item "2" "Y" { input m: date "日" amount 1元 require r: m < date } })"), "");
  EXPECT_NE(mixed.diagnostics.find("is a date here but a month in another item"), std::string::npos) << mixed.diagnostics;
}

}  // namespace
}  // namespace pol
