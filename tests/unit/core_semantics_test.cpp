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
  EXPECT_NE(o.decisions[0]["error"].get<std::string>().find("除数为 0"), std::string::npos);
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

}  // namespace
