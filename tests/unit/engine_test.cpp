// The portfolio engine directly: evaluate() on a tiny policy, one test per kind of rule that
// acts across applications — a group cap per scope and period, quota ranking, once, exclusive,
// budget pro rata — each with an earlier grant in the history, asserting the Decision fields
// the explanations are built from (not only the award).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "compiler/driver/pipeline.h"
#include "runtime/input/records.h"
#include "runtime/portfolio/batch.h"
#include "tests/unit/policy_fixture.h"

namespace {

using pol::Batch;
using pol::Cause;
using pol::Decision;
using pol::Status;

constexpr int64_t kYuan = 100;  // fen

// One item "1" (amount = fee) with `inputs` besides the fee, and one portfolio rule.
std::string policy_with(const std::string& inputs, const std::string& rule) {
  return R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "支持" {
  text "按投入给予支持。"
  item "1" "支持" {
    input fee: money "投入"
)" + inputs + R"(
    amount fee
  }
)" + rule + R"(
}
)";
}

struct Decided {
  std::unique_ptr<pol::LoadedPolicy> lp;
  std::unique_ptr<Batch> batch;
  std::string problems;  // diagnostics of the policy, or bad history records
  const Decision& operator[](size_t i) const { return batch->decisions.at(i); }
};

// Decodes the history and the applications (JSON Lines) and runs the engine, nothing else.
Decided evaluate_directly(const std::string& policy, const std::string& applications, const std::string& history = "") {
  Decided d;
  pol::LoadOptions o;
  o.policy_path = pol::testing::write_temp_policy(policy);
  o.need_parameter_values = true;
  d.lp = pol::load_policy(o);
  if (!d.lp->ok()) {
    d.problems = pol::render_all(d.lp->diags, d.lp->sources, false);
    return d;
  }
  d.batch = std::make_unique<Batch>(*d.lp->policy, d.lp->program);
  pol::input::RawRecord rec;
  std::string err;
  pol::Decoder hist(*d.batch);
  for (auto reader = pol::input::open_jsonl(history); reader->next(rec);)
    if (!hist.add_history(rec, err)) d.problems += err + "\n";
  pol::Decoder apps(*d.batch);
  for (auto reader = pol::input::open_jsonl(applications); reader->next(rec);) apps.add_application(rec);
  pol::evaluate(*d.batch);
  d.problems += d.batch->fatal;
  return d;
}

TEST(Engine, AGroupCapIsKeptPerScopeAndPeriod) {
  Decided d = evaluate_directly(
      policy_with("", "  group G \"每家企业每年最高100万元\" {\n    items \"1\"\n    limit 100万\n    per enterprise\n"
                      "    per year\n  }"),
      R"({"id":"A","enterprise":"E1","item":"1","date":"2025-03-01","fee":"500000"}
{"id":"B","enterprise":"E1","item":"1","date":"2025-03-02","fee":"500000"}
{"id":"C","enterprise":"E2","item":"1","date":"2025-03-03","fee":"500000"}
{"id":"D","enterprise":"E1","item":"1","date":"2026-03-01","fee":"500000"})",
      R"({"id":"H","enterprise":"E1","item":"1","date":"2025-01-20","fee":"300000","award":"300000"})");
  ASSERT_TRUE(d.batch && d.problems.empty()) << d.problems;
  EXPECT_EQ(d[0].award, 500000 * kYuan);  // 30万 used by the history grant
  EXPECT_EQ(d[1].award, 200000 * kYuan);  // what is left of E1's 100万 in 2025
  EXPECT_EQ(d[2].award, 500000 * kYuan) << "E2 has its own cap";
  EXPECT_EQ(d[3].award, 500000 * kYuan) << "2026 is a new period";
  ASSERT_EQ(d[1].groups_count, 1u);
  const pol::GroupStep& s = d.batch->group_steps[d[1].groups_begin];
  EXPECT_EQ(s.limit, 1000000 * kYuan);
  EXPECT_EQ(s.used, 800000 * kYuan);
  EXPECT_EQ(s.before, 500000 * kYuan);
  EXPECT_EQ(s.after, 200000 * kYuan);
}

TEST(Engine, QuotaPlacesGoToTheBestRankedTiesToTheEarlier) {
  const std::string policy = policy_with(
      "    input score: int \"评分\"",
      "  quota Q \"每年不超过2个\" {\n    items \"1\"\n    places 2\n    per year\n    rank by score descending\n  }");
  const std::string apps = R"({"id":"A","enterprise":"E1","item":"1","date":"2025-03-01","fee":"100","score":5}
{"id":"B","enterprise":"E2","item":"1","date":"2025-03-02","fee":"100","score":9}
{"id":"C","enterprise":"E3","item":"1","date":"2025-03-03","fee":"100","score":7}
{"id":"D","enterprise":"E4","item":"1","date":"2025-03-04","fee":"100","score":9})";
  Decided d = evaluate_directly(policy, apps);
  ASSERT_TRUE(d.batch && d.problems.empty()) << d.problems;
  const int32_t rank[] = {4, 1, 3, 2};
  const bool wins[] = {false, true, false, true};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(d[i].status, Status::Eligible) << i;
    EXPECT_EQ(d[i].quota_rule, 0) << i;
    EXPECT_EQ(d[i].quota_rank, rank[i]) << i;
    EXPECT_EQ(d[i].quota_places, 2) << i;
    EXPECT_EQ(d[i].quota_candidates, 4) << i;
    EXPECT_EQ(d[i].award, wins[i] ? 100 * kYuan : 0) << i;
  }
  // An earlier grant of the year takes a place first.
  Decided h = evaluate_directly(
      policy, apps, R"({"id":"H","enterprise":"E9","item":"1","date":"2025-01-20","fee":"100","score":1,"award":"100"})");
  ASSERT_TRUE(h.batch && h.problems.empty()) << h.problems;
  EXPECT_EQ(h[1].quota_places, 1);
  EXPECT_EQ(h[1].award, 100 * kYuan);
  EXPECT_EQ(h[3].award, 0);
}

TEST(Engine, OnceRefusesAKeyWithAnEarlierGrantOrEligibleApplication) {
  Decided d = evaluate_directly(
      policy_with("    input model: text \"模型\"", "  once O \"每个模型只支持一次\" {\n    items \"1\"\n    key model\n  }"),
      // Input order is not processing order: C comes first here but is dated after B.
      R"({"id":"C","enterprise":"E3","item":"1","date":"2025-03-03","fee":"100","model":"M2"}
{"id":"A","enterprise":"E1","item":"1","date":"2025-03-01","fee":"100","model":"M1"}
{"id":"B","enterprise":"E2","item":"1","date":"2025-03-02","fee":"100","model":"M2"})",
      R"({"id":"H","enterprise":"E0","item":"1","date":"2025-01-20","fee":"100","model":"M1","award":"100"})");
  ASSERT_TRUE(d.batch && d.problems.empty()) << d.problems;
  EXPECT_EQ(d[0].status, Status::Ineligible);
  EXPECT_EQ(d[0].cause, Cause::Once);
  EXPECT_EQ(d[0].cause_rule, 0);
  EXPECT_EQ(d[1].status, Status::Ineligible) << "M1 has a grant in the history";
  EXPECT_EQ(d[1].cause, Cause::Once);
  EXPECT_EQ(d[2].status, Status::Eligible);
  EXPECT_EQ(d[2].award, 100 * kYuan);
}

TEST(Engine, ExclusiveKeepsTheHighestBaseUnlessTheHistoryHasAGrant) {
  Decided d = evaluate_directly(
      policy_with("", "  exclusive X \"同一项目不予重复扶持\" {\n    key project\n    prefer highest award\n  }"),
      R"({"id":"A","enterprise":"E1","item":"1","date":"2025-03-01","fee":"100","project":"P"}
{"id":"B","enterprise":"E2","item":"1","date":"2025-03-02","fee":"900","project":"P"}
{"id":"C","enterprise":"E3","item":"1","date":"2025-03-03","fee":"500","project":"Q"}
{"id":"D","enterprise":"E4","item":"1","date":"2025-03-04","fee":"500"})",
      R"({"id":"H","enterprise":"E0","item":"1","date":"2025-01-20","fee":"10","project":"Q","award":"10"})");
  ASSERT_TRUE(d.batch && d.problems.empty()) << d.problems;
  EXPECT_EQ(d[0].status, Status::Eligible) << "losing is not ineligibility";
  EXPECT_EQ(d[0].award, 0);
  EXPECT_EQ(d[0].exclusive_rule, 0);
  EXPECT_EQ(d[0].exclusive_winner, 1);
  EXPECT_EQ(d[1].award, 900 * kYuan);
  EXPECT_EQ(d[1].exclusive_winner, 1);
  EXPECT_EQ(d[2].award, 0);
  EXPECT_TRUE(d[2].exclusive_history);
  EXPECT_EQ(d[2].exclusive_winner, -1);
  EXPECT_EQ(d[3].exclusive_rule, -1) << "no project: not affected";
  EXPECT_EQ(d[3].award, 500 * kYuan);
}

TEST(Engine, ABudgetScalesAPeriodsAwardsProRataRoundedDown) {
  Decided d = evaluate_directly(policy_with("", "  budget B \"年度总额控制\" {\n    limit 1万\n    per year\n    scale pro rata rounded down to 0.01\n  }"),
                                R"({"id":"A","enterprise":"E1","item":"1","date":"2025-03-01","fee":"10000"}
{"id":"B","enterprise":"E2","item":"1","date":"2025-03-02","fee":"10000"}
{"id":"C","enterprise":"E3","item":"1","date":"2025-03-03","fee":"10000"}
{"id":"D","enterprise":"E4","item":"1","date":"2026-03-01","fee":"5000"})",
                                R"({"id":"H","enterprise":"E0","item":"1","date":"2025-01-20","fee":"1000","award":"1000"})");
  ASSERT_TRUE(d.batch && d.problems.empty()) << d.problems;
  // 2025: 9,000 元 left for 30,000 元 of awards: each × 0.3, rounded down to the fen.
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(d[i].award, 3000 * kYuan) << i;
    EXPECT_EQ(d[i].before_budget, 10000 * kYuan) << i;
    EXPECT_EQ(d[i].budget_rule, 0) << i;
  }
  EXPECT_EQ(d[3].award, 5000 * kYuan) << "2026 stays within its budget";
  EXPECT_EQ(d[3].before_budget, -1);
  ASSERT_EQ(d.batch->budget_years.size(), 2u);
  const pol::BudgetYear& y = d.batch->budget_years[0];
  EXPECT_EQ(y.year, 2025);
  EXPECT_EQ(y.budget, 10000 * kYuan);
  EXPECT_EQ(y.history, 1000 * kYuan);
  EXPECT_EQ(y.total, 30000 * kYuan);
  EXPECT_TRUE(y.scaled);
  EXPECT_FALSE(d.batch->budget_years[1].scaled);

  // Thirds do not come out even: rounded down, the scaled awards never exceed the budget.
  Decided t = evaluate_directly(policy_with("", "  budget B \"年度总额控制\" {\n    limit 100元\n    per year\n    scale pro rata rounded down to 0.01\n  }"),
                                R"({"id":"A","enterprise":"E1","item":"1","date":"2025-03-01","fee":"100"}
{"id":"B","enterprise":"E2","item":"1","date":"2025-03-02","fee":"100"}
{"id":"C","enterprise":"E3","item":"1","date":"2025-03-03","fee":"100"})");
  ASSERT_TRUE(t.batch && t.problems.empty()) << t.problems;
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(t[i].award, 3333) << i;
}

}  // namespace
