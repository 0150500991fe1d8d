// The core decides what a policy says, not how it is written: guarded divisions, exact
// product chains, caps below zero. Each test is a reproducer of a defect that once gave a
// wrong answer without a word (issue #8, #9), run in process through the library pipeline.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "runtime/explain/explain.h"
#include "runtime/input/records.h"
#include "runtime/portfolio/batch.h"
#include "tests/unit/policy_fixture.h"

namespace {

using pol::testing::decide;
using pol::testing::Outcome;

// An item with staff and fee inputs; `cond` is its one requirement.
std::string per_head_policy(const std::string& conds, const std::string& amount = "10% of fee") {
  return R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "人均" {
  text "按人均投入支持。"
  item "1" "人均投入支持" {
    input staff: int "员工人数"
    input fee: money "投入"
)" + conds + R"(
    amount )" + amount + R"(
  }
}
)";
}

const char* kStaffZero = R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","staff":0,"fee":"100000"})";

TEST(GuardedDivision, AndGuardsItsRightSide) {
  Outcome o = decide(per_head_policy(R"(    require per_head: staff > 0 and fee / staff > 1万元 else "人均投入不足")"), kStaffZero);
  ASSERT_EQ(o.decisions.size(), 1u) << o.diagnostics;
  EXPECT_FALSE(o.decisions[0].contains("error")) << o.decisions[0];
  EXPECT_EQ(o.decisions[0]["eligible"], false) << o.decisions[0];
}

TEST(GuardedDivision, OrGuardsItsRightSide) {
  Outcome o = decide(per_head_policy(R"(    require per_head: staff = 0 or fee / staff > 1万元 else "人均投入不足")"), kStaffZero);
  ASSERT_EQ(o.decisions.size(), 1u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["eligible"], true) << o.decisions[0];
  EXPECT_EQ(o.decisions[0]["award"], "10000.00");
}

TEST(GuardedDivision, ALetUsedOnlyBehindAGuardIsNotComputed) {
  Outcome o = decide(per_head_policy("    let per_head_fee = fee / staff\n"
                                     R"(    require per_head: staff > 0 and per_head_fee > 1万元 else "人均投入不足")"),
                     kStaffZero);
  ASSERT_EQ(o.decisions.size(), 1u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["eligible"], false) << o.decisions[0];
  EXPECT_EQ(o.explanation(0).find("1970"), std::string::npos);
}

TEST(GuardedDivision, TiersComputeOnlyTheTierTaken) {
  std::string p = per_head_policy("", "{\n      0元 when staff = 0\n      fee / staff otherwise\n    }");
  Outcome o = decide(p, kStaffZero);
  ASSERT_EQ(o.decisions.size(), 1u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["eligible"], true) << o.decisions[0];
  EXPECT_EQ(o.decisions[0]["award"], "0.00");
}

TEST(GuardedDivision, AFailedRequirementDecidesWhateverTheOrderOfRequirements) {
  // One requirement fails, another cannot be computed: ineligible in either order.
  for (const char* conds : {"    require positive: staff > 0 else \"无员工\"\n    require per_head: fee / staff > 1万元 else \"不足\"",
                            "    require per_head: fee / staff > 1万元 else \"不足\"\n    require positive: staff > 0 else \"无员工\""}) {
    Outcome o = decide(per_head_policy(conds), kStaffZero);
    ASSERT_EQ(o.decisions.size(), 1u) << o.diagnostics;
    EXPECT_EQ(o.decisions[0]["eligible"], false) << conds << "\n" << o.decisions[0];
  }
}

TEST(GuardedDivision, AnUnguardedDivisionByZeroIsStillAnInputError) {
  Outcome o = decide(per_head_policy(R"(    require per_head: fee / staff > 1万元 else "人均投入不足")"), kStaffZero);
  ASSERT_EQ(o.decisions.size(), 1u) << o.diagnostics;
  ASSERT_TRUE(o.decisions[0].contains("error")) << o.decisions[0];
  EXPECT_NE(o.decisions[0]["error"].get<std::string>().find("division by zero"), std::string::npos);
}

// 60元 per m² per month: the order of the factors never changes the amount.
std::string rent_policy(const std::string& formula) {
  return R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "租金" {
  text "按每平方米每月60元给予租金补贴。"
  item "1" "租金补贴" {
    input area: decimal "面积"
    input months: int "月数"
    input share: decimal "份额"
    amount )" + formula + R"(
  }
}
)";
}

TEST(ProductChain, TheOrderOfFactorsDoesNotChangeTheAward) {
  const char* app = R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","area":"100.0001","months":12,"share":"0.5"})";
  for (const char* f : {"60元 * area * months", "60元 * months * area", "area * months * 60元", "(area * 60元) * months",
                        "months * (60元 * area)"}) {
    Outcome o = decide(rent_policy(f), app);
    ASSERT_EQ(o.decisions.size(), 1u) << f << o.diagnostics;
    EXPECT_EQ(o.decisions[0]["award"], "72000.07") << f;  // exact 72,000.072, rounded once
  }
}

TEST(ProductChain, RandomPermutationsOfFactorsAgree) {
  std::mt19937 rng(88);
  std::vector<std::string> factors = {"60元", "area", "months", "share"};
  for (int round = 0; round < 60; ++round) {
    std::string area = std::to_string(rng() % 100000) + "." + std::to_string(rng() % 1000000);
    std::string share = "0." + std::to_string(rng() % 1000);
    std::string app = R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","area":")" + area +
                      R"(","months":)" + std::to_string(1 + rng() % 36) + R"(,"share":")" + share + "\"}";
    std::string first;
    std::sort(factors.begin(), factors.end());
    do {
      std::string f = factors[0] + " * " + factors[1] + " * " + factors[2] + " * " + factors[3];
      Outcome o = decide(rent_policy(f), app);
      ASSERT_EQ(o.decisions.size(), 1u) << f << o.diagnostics;
      std::string award = o.decisions[0]["award"];
      if (first.empty()) first = award;
      EXPECT_EQ(award, first) << f << " on " << app;
    } while (std::next_permutation(factors.begin(), factors.end()) && round % 6 == 0);
  }
}

TEST(Caps, ACapBelowZeroCapsAtZero) {
  std::string p = R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "补足" {
  text "累计最高100万元。"
  item "1" "补足" {
    input fee: money "投入"
    input received: money "已获支持"
    amount fee
    cap 100万 - received
  }
}
)";
  Outcome o = decide(p, R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","fee":"5000000","received":"1000000.01"})");
  ASSERT_EQ(o.decisions.size(), 1u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["award"], "0.00") << o.decisions[0];
}

// ---- limits: refused by the checker, never silently wrong ----

std::string many(const char* fmt_line, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    std::string line = fmt_line;
    for (size_t at; (at = line.find("@")) != std::string::npos;) line.replace(at, 1, std::to_string(i));
    out += line;
  }
  return out;
}

TEST(Limits, MoreThan64RequirementsIsADiagnostic) {
  Outcome o = decide(per_head_policy(many("    require c@: fee > @元 else \"不足@\"\n", 70)), kStaffZero);
  EXPECT_NE(o.diagnostics.find("error[E0403]"), std::string::npos) << o.diagnostics;
  EXPECT_TRUE(o.decisions.empty());
  Outcome ok = decide(per_head_policy(many("    require c@: fee > @元 else \"不足@\"\n", 64)), kStaffZero);
  EXPECT_EQ(ok.diagnostics.find("error"), std::string::npos) << ok.diagnostics;
  ASSERT_EQ(ok.decisions.size(), 1u);
  EXPECT_EQ(ok.decisions[0]["eligible"], true);
}

TEST(Limits, MoreThan64ValuesPerApplicationIsADiagnostic) {
  std::string p = per_head_policy(many("    input x@: money \"指标@\"\n    require r@: x@ >= 0元 else \"缺\"\n", 60));
  Outcome o = decide(p, kStaffZero);
  EXPECT_NE(o.diagnostics.find("error[E0404]"), std::string::npos) << o.diagnostics;
}

// ---- scopes and keys ----

std::string project_policy(const std::string& rule) {
  return R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "项目" {
  text "每个项目最高100万元。"
  item "1" "项目支持" {
    input fee: money "投入"
    input project_no: int "项目编号"
    amount fee
  }
)" + rule + R"(
}
)";
}

TEST(Scopes, AnIntegerScopeIsKeptWhole) {
  std::string p = project_policy("  group G \"每个项目最高100万元\" {\n    items \"1\"\n    limit 100万\n    per project_no\n    per term\n  }");
  Outcome o = decide(p, R"({"id":"A","enterprise":"E1","item":"1","date":"2025-03-01","fee":"1000000","project_no":1}
{"id":"B","enterprise":"E2","item":"1","date":"2025-03-02","fee":"1000000","project_no":4294967297})");
  ASSERT_EQ(o.decisions.size(), 2u) << o.diagnostics;
  EXPECT_EQ(o.diagnostics.find("W0002"), std::string::npos) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["award"], "1000000.00");
  EXPECT_EQ(o.decisions[1]["award"], "1000000.00") << "project 4294967297 shared project 1's cap";
}

TEST(Scopes, AMissingOrEmptyScopeIsAnInputErrorNotASharedBucket) {
  std::string p = R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "项目" {
  text "每个项目最高100万元。"
  item "1" "项目支持" {
    input fee: money "投入"
    amount fee
  }
  group G "每个项目最高100万元" {
    items "1"
    limit 100万
    per project
    per term
  }
}
)";
  Outcome o = decide(p, R"({"id":"A","enterprise":"E1","item":"1","date":"2025-03-01","fee":"1000000"}
{"id":"B","enterprise":"E2","item":"1","date":"2025-03-02","fee":"1000000","project":""}
{"id":"C","enterprise":"E3","item":"1","date":"2025-03-03","fee":"1000000","project":"P1"})");
  ASSERT_EQ(o.decisions.size(), 3u) << o.diagnostics;
  for (int i : {0, 1}) {
    ASSERT_TRUE(o.decisions[i].contains("error")) << o.decisions[i];
    EXPECT_NE(o.decisions[i]["error"].get<std::string>().find("project"), std::string::npos);
  }
  EXPECT_EQ(o.decisions[2]["award"], "1000000.00");
}

TEST(Scopes, AnAbsentKeyExemptsFromTheRuleWhateverItsType) {
  // Absent and "" behave alike for a text key; an absent integer key is not read as 0.
  std::string p = project_policy("  once O \"同一项目只支持一次\" {\n    items \"1\"\n    key project_no\n  }");
  std::string from = "input project_no: int ";
  p.replace(p.find(from), from.size(), "input project_no: int optional ");
  Outcome o = decide(p, R"({"id":"A","enterprise":"E1","item":"1","date":"2025-03-01","fee":"100"}
{"id":"B","enterprise":"E2","item":"1","date":"2025-03-02","fee":"100"}
{"id":"C","enterprise":"E3","item":"1","date":"2025-03-03","fee":"100","project_no":0}
{"id":"D","enterprise":"E4","item":"1","date":"2025-03-04","fee":"100","project_no":0})");
  ASSERT_EQ(o.decisions.size(), 4u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["eligible"], true) << o.decisions[0];
  EXPECT_EQ(o.decisions[1]["eligible"], true) << o.decisions[1];
  EXPECT_EQ(o.decisions[2]["eligible"], true) << o.decisions[2];
  EXPECT_EQ(o.decisions[3]["eligible"], false) << o.decisions[3];
}

// ---- absent values: never invented ----

std::string credit_policy(const std::string& body) {
  return R"(import "common"
policy t { rounding half up to 0.01 }
enum 级别 "级别" { 国家级 "国家级", 省级 "省级" }
clause 一 "信用" {
  text "三年内无失信记录的企业给予支持。"
  item "1" "信用支持" {
    input fee: money "投入"
    input last_default: date optional "最近一次失信记录日期"
    input level: 级别 optional "级别"
    input extra: money optional "追加投入"
)" + body + R"(
  }
}
)";
}

TEST(Optional, ABareOptionalInputIsACompileError) {
  Outcome o = decide(credit_policy("    require clean: last_default < 2022-01-01 else \"有失信记录\"\n    amount fee"), "");
  EXPECT_NE(o.diagnostics.find("error[E0207]"), std::string::npos) << o.diagnostics;
  Outcome e = decide(credit_policy("    require l: level = 国家级 else \"非国家级\"\n    amount fee"), "");
  EXPECT_NE(e.diagnostics.find("error[E0207]"), std::string::npos) << e.diagnostics;
  Outcome m = decide(credit_policy("    amount fee + extra"), "");
  EXPECT_NE(m.diagnostics.find("error[E0207]"), std::string::npos) << m.diagnostics;
}

TEST(Optional, PresentOrOrElseOnARequiredInputIsACompileError) {
  Outcome o = decide(credit_policy("    amount fee or else 0元"), "");
  EXPECT_NE(o.diagnostics.find("error[E0208]"), std::string::npos) << o.diagnostics;
  Outcome p = decide(credit_policy("    require x: present(fee) else \"缺\"\n    amount fee"), "");
  EXPECT_NE(p.diagnostics.find("error[E0208]"), std::string::npos) << p.diagnostics;
}

TEST(Optional, OrElseTakesTheStatedValueOnlyWhenAbsent) {
  std::string p = credit_policy(
      "    require clean: (last_default or else 1900-01-01) < 2022-01-01 else \"三年内有失信记录\"\n"
      "    require national: (level or else 省级) = 国家级 else \"非国家级\"\n"
      "    amount fee + (extra or else 0元)");
  Outcome o = decide(p, R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","fee":"100"}
{"id":"B","enterprise":"E","item":"1","date":"2025-03-01","fee":"100","last_default":"2023-05-01","level":"national","extra":"5"}
{"id":"C","enterprise":"E","item":"1","date":"2025-03-01","fee":"100","last_default":"2020-05-01","level":"国家级","extra":"5"})");
  ASSERT_EQ(o.decisions.size(), 3u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["eligible"], false) << o.decisions[0];  // level absent reads as 省级
  std::string why = o.explanation(0);
  EXPECT_EQ(why.find("1970"), std::string::npos) << why;
  EXPECT_NE(why.find("未填写"), std::string::npos) << why;
  EXPECT_TRUE(o.decisions[1].contains("error") || o.decisions[1]["eligible"] == false) << o.decisions[1];
}

TEST(Optional, PresentGuardsTheRightSideAndTiers) {
  std::string p = credit_policy(
      "    require clean: not present(last_default) or last_default < 2022-01-01 else \"三年内有失信记录\"\n"
      "    amount {\n      fee + extra when present(extra) \"有追加投入\"\n      fee otherwise\n    }");
  Outcome o = decide(p, R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","fee":"100"}
{"id":"B","enterprise":"E","item":"1","date":"2025-03-01","fee":"100","last_default":"2021-05-01","extra":"5"}
{"id":"C","enterprise":"E","item":"1","date":"2025-03-01","fee":"100","last_default":"2023-05-01"})");
  ASSERT_EQ(o.decisions.size(), 3u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["eligible"], true) << o.decisions[0];
  EXPECT_EQ(o.decisions[0]["award"], "100.00");
  EXPECT_EQ(o.decisions[1]["award"], "105.00");
  EXPECT_EQ(o.decisions[2]["eligible"], false);
  EXPECT_EQ(o.explanation(0).find("1970"), std::string::npos) << o.explanation(0);
}

// ---- one JSON writer ----

// A label with a `"` once switched decisions to a second writer with another key order.
TEST(JsonWriter, KeyOrderDoesNotDependOnTheLabels) {
  auto policy = [](const std::string& label) {
    return R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "上限" {
  text "每家企业每年最高100万元。"
  item "1" "支持" {
    input fee: money "投入"
    require some: fee > 0元 else "无投入"
    amount fee
    cap 50万
  }
  group G ")" + label + R"(" {
    items "1"
    limit 100万
    per enterprise
    per year
  }
}
)";
  };
  const char* apps = R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","fee":"800000"}
{"id":"B","enterprise":"E","item":"1","date":"2025-03-02","fee":"800000"})";
  Outcome plain = decide(policy("每年最高100万元"), apps);
  Outcome quoted = decide(policy(R"(每年最高\"100万元\")"), apps);
  ASSERT_EQ(plain.decisions.size(), 2u) << plain.diagnostics;
  ASSERT_EQ(quoted.decisions.size(), 2u) << quoted.diagnostics;
  for (size_t i = 0; i < 2; ++i) {
    std::vector<std::string> a, b;
    const auto pa = nlohmann::ordered_json::parse(plain.lines[i]);
    const auto pb = nlohmann::ordered_json::parse(quoted.lines[i]);
    for (const auto& step : pa["explanation"])
      for (auto it = step.begin(); it != step.end(); ++it) a.push_back(it.key());
    for (const auto& step : pb["explanation"])
      for (auto it = step.begin(); it != step.end(); ++it) b.push_back(it.key());
    ASSERT_FALSE(a.empty());
    EXPECT_EQ(a, b);
  }
  EXPECT_NE(quoted.decisions[1].dump().find("\\\"100万元\\\""), std::string::npos) << quoted.decisions[1].dump();
}

// ---- explanations that do not mislead ----

TEST(Explanations, AFailedConditionSaysWhatWasRequiredAndWhatWasFound) {
  Outcome o = decide(per_head_policy(R"(    require big: fee > 20000000元 else "投入不足")"),
                     R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","staff":1,"fee":"20000000"})");
  ASSERT_EQ(o.decisions.size(), 1u) << o.diagnostics;
  std::string why = o.decisions[0]["explanation"][0]["text"];
  EXPECT_EQ(why.find("20,000,000.00 元 > 20,000,000.00 元"), std::string::npos) << why;
  EXPECT_NE(why.find("要求 投入 > 20,000,000.00 元"), std::string::npos) << why;
  EXPECT_NE(why.find("实际 投入 20,000,000.00 元"), std::string::npos) << why;
}

TEST(Explanations, EveryDecisionCarriesAStatusThatSaysWhyNothingWasGranted) {
  std::string p = R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "上限" {
  text "每家企业每年最高100万元。"
  item "1" "支持" {
    input fee: money "投入"
    require some: fee >= 0元 else "无投入"
    amount fee
    cap 60万
  }
  group G "每年最高100万元" {
    items "1"
    limit 100万
    per enterprise
    per year
  }
}
)";
  Outcome o = decide(p, R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","fee":"500000"}
{"id":"B","enterprise":"E","item":"1","date":"2025-03-02","fee":"800000"}
{"id":"C","enterprise":"E","item":"1","date":"2025-03-03","fee":"100"}
{"id":"D","enterprise":"F","item":"1","date":"2025-03-03","fee":"0"}
{"id":"E","enterprise":"F","item":"1","date":"2025-03-03","fee":"-1"})");
  ASSERT_EQ(o.decisions.size(), 5u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["status"], "granted");
  EXPECT_EQ(o.decisions[1]["status"], "capped");       // 60万 cap, then 50万 left of the group
  EXPECT_EQ(o.decisions[2]["status"], "cap_used_up");  // eligible, the year's 100万 used
  EXPECT_EQ(o.decisions[2]["eligible"], true);
  EXPECT_EQ(o.decisions[3]["status"], "no_amount");
  EXPECT_EQ(o.decisions[4]["status"], "input_error");
  EXPECT_TRUE(o.decisions[4].contains("error"));
}

TEST(Explanations, AnUnlabelledTierIsNamedByItsConditionAndShowsItsArithmetic) {
  std::string p = per_head_policy("", "{\n      10% of fee when staff >= 100\n      5% of fee otherwise\n    }");
  Outcome o = decide(p, R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","staff":120,"fee":"100000"})");
  ASSERT_EQ(o.decisions.size(), 1u) << o.diagnostics;
  std::string text;
  for (const auto& s : o.decisions[0]["explanation"])
    if (s["step"] == "amount") text = s["text"];
  EXPECT_NE(text.find("「员工人数 ≥ 100」"), std::string::npos) << text;
  EXPECT_NE(text.find("10% × 投入 100,000.00 元 = 10,000.00 元"), std::string::npos) << text;
  EXPECT_EQ(text.find("其他情形"), std::string::npos) << text;
}

TEST(Explanations, ASeriesWithoutACountDoesNotSayAtMostZero) {
  std::string p = R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "连续" {
  text "同一平台连续支持不超过三年。"
  item "1" "平台支持" {
    input platform: text "平台"
    input fee: money "投入"
    amount fee
  }
  series S "连续支持不超过三年" {
    items "1"
    key platform
    within 3 years
  }
}
)";
  Outcome o = decide(p, R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","platform":"P","fee":"1"}
{"id":"B","enterprise":"E","item":"1","date":"2028-03-01","platform":"P","fee":"1"})");
  ASSERT_EQ(o.decisions.size(), 2u) << o.diagnostics;
  EXPECT_EQ(o.decisions[1]["eligible"], false) << o.decisions[1];
  std::string all = o.decisions[1]["explanation"].dump();
  EXPECT_EQ(all.find("至多 0 次"), std::string::npos) << all;
  EXPECT_NE(all.find("3 年内"), std::string::npos) << all;
}

// ---- `prefer highest award` is honoured ----

TEST(Exclusive, WithoutPreferTheEarliestWinsWithItTheHighest) {
  auto policy = [](const char* prefer) {
    return std::string(R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "不重复" {
  text "同一事项不予重复扶持。"
  item "1" "支持" {
    input fee: money "投入"
    amount fee
  }
  exclusive X "同一项目只支持一次" {
    key project
    )") + prefer + R"(
  }
}
)";
  };
  const char* apps = R"({"id":"A","enterprise":"E","item":"1","date":"2025-03-01","fee":"100","project":"P"}
{"id":"B","enterprise":"F","item":"1","date":"2025-03-02","fee":"900","project":"P"})";
  Outcome earliest = decide(policy(""), apps);
  ASSERT_EQ(earliest.decisions.size(), 2u) << earliest.diagnostics;
  EXPECT_EQ(earliest.decisions[0]["award"], "100.00");
  EXPECT_EQ(earliest.decisions[1]["award"], "0.00");
  EXPECT_EQ(earliest.decisions[1]["status"], "not_double_supported");
  Outcome highest = decide(policy("prefer highest award"), apps);
  ASSERT_EQ(highest.decisions.size(), 2u) << highest.diagnostics;
  EXPECT_EQ(highest.decisions[0]["award"], "0.00");
  EXPECT_EQ(highest.decisions[1]["award"], "900.00");
}

}  // namespace
