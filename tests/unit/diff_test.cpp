// `polc diff`: the comparison library on a tiny policy pair (a rate raised, a cap raised, a
// condition added) with exact figures and first differing steps; the command on the Longgang
// policy with and without total control; the HTML report as real headless Chromium reads it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "compiler/driver/compiled.h"
#include "runtime/diff/diff.h"
#include "tests/unit/cli_fixture.h"
#include "tests/unit/policy_fixture.h"

namespace {

using pol::diff::BatchDiff;
using pol::testing::polc;
using pol::testing::PolcRun;

constexpr int64_t kYuan = 100;

std::string tiny_policy(const char* rate, const char* cap, const char* condition) {
  return std::string(R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "支持研发" {
  text "按研发投入给予支持，单笔设上限。"
  item "1" "研发支持" {
    input fee: money "研发投入"
    amount )") + rate + R"( of fee
    cap )" + cap + R"(
  }
}
clause 二 "支持小微企业" {
  text "对小微企业给予定额支持。"
  item "2" "小微支持" {
    input employees: int "员工人数"
)" + condition + R"(
    amount 10万
  }
}
)";
}

const char* kApps = R"({"id":"A","enterprise":"E1","item":"1","date":"2025-03-01","fee":"1000000"}
{"id":"B","enterprise":"E2","item":"1","date":"2025-04-01","fee":"2000000"}
{"id":"C","enterprise":"E1","item":"1","date":"2026-03-01","fee":"100000"}
{"id":"D","enterprise":"E3","item":"2","date":"2025-05-01","employees":5}
{"id":"E","enterprise":"E4","item":"2","date":"2025-05-02","employees":20}
{"id":"F","enterprise":"E4","item":"1","date":"2025-05-03","fee":"-1"}
)";

std::unique_ptr<pol::LoadedPolicy> load(const std::string& text) {
  pol::LoadOptions o;
  o.policy_path = pol::testing::write_temp_policy(text);
  o.need_parameter_values = true;
  return pol::load_policy(o);
}

std::string temp_file(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("pol_diff_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

const pol::diff::ChangedDecision* change_of(const BatchDiff& d, const std::string& id) {
  for (const auto& c : d.changes)
    if (c.id == id) return &c;
  return nullptr;
}

const pol::diff::RuleChange* rule_change(const BatchDiff& d, const std::string& name, const std::string& aspect) {
  for (const auto& r : d.rules)
    if (r.name == name && r.aspect == aspect) return &r;
  return nullptr;
}

class DiffLibrary : public ::testing::Test {
 protected:
  void SetUp() override {
    before_ = load(tiny_policy("30%", "50万", ""));
    after_ = load(tiny_policy("40%", "80万", "    require 规模: employees >= 10 else \"员工少于10人\""));
    ASSERT_TRUE(before_->ok() && after_->ok()) << pol::render_all(after_->diags, after_->sources, false);
    req_.applications = temp_file("apps.jsonl", kApps);
  }
  std::unique_ptr<pol::LoadedPolicy> before_, after_;
  pol::BatchRequest req_;
};

TEST_F(DiffLibrary, ChangedDecisionsWithExactFiguresAndTheFirstDifferingStep) {
  BatchDiff d;
  std::vector<std::string> errors;
  ASSERT_TRUE(pol::diff::diff_on_batch(*before_, *after_, req_, d, errors)) << (errors.empty() ? "" : errors[0]);
  EXPECT_EQ(d.applications, 6u);
  EXPECT_EQ(d.changed, 4u);    // A, B, C raised; D no longer eligible
  EXPECT_EQ(d.unchanged, 2u);  // E, and F (an input error either way)
  EXPECT_EQ(d.newly_eligible, 0u);
  EXPECT_EQ(d.no_longer_eligible, 1u);
  EXPECT_EQ(d.increased, 3u);
  EXPECT_EQ(d.decreased, 1u);
  EXPECT_EQ(d.input_errors_before, 1u);
  EXPECT_EQ(d.input_errors_after, 1u);

  const auto* a = change_of(d, "A");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->before.award, 300000 * kYuan);
  EXPECT_EQ(a->after.award, 400000 * kYuan);
  EXPECT_EQ(a->difference(), 100000 * kYuan);
  EXPECT_EQ(a->enterprise, "E1");
  EXPECT_EQ(a->year, 2025);
  EXPECT_EQ(a->first_step.kind, "amount");
  EXPECT_EQ(a->first_step.clause, "一");
  EXPECT_EQ(a->first_step.old_text, "30% × 研发投入 1,000,000.00 元 = 300,000.00 元（四舍五入到 0.01 元）");
  EXPECT_EQ(a->first_step.new_text, "40% × 研发投入 1,000,000.00 元 = 400,000.00 元（四舍五入到 0.01 元）");

  const auto* b = change_of(d, "B");  // 60万 capped at 50万, then 80万 under the raised cap of 80万
  ASSERT_TRUE(b);
  EXPECT_EQ(b->before.award, 500000 * kYuan);
  EXPECT_EQ(b->after.award, 800000 * kYuan);
  EXPECT_EQ(b->before.status, pol::DecisionStatus::Capped);
  EXPECT_EQ(b->after.status, pol::DecisionStatus::Granted);

  const auto* dd = change_of(d, "D");  // the added condition is the difference, not a shifted step
  ASSERT_TRUE(dd);
  EXPECT_TRUE(dd->before.eligible);
  EXPECT_FALSE(dd->after.eligible);
  EXPECT_EQ(dd->difference(), -100000 * kYuan);
  EXPECT_EQ(dd->first_step.kind, "condition");
  EXPECT_EQ(dd->first_step.clause, "二");
  EXPECT_EQ(dd->first_step.old_text, "");
  EXPECT_EQ(dd->first_step.new_text, "不满足「规模」：员工少于10人（要求 员工人数 ≥ 10；实际 员工人数 5）");
  EXPECT_FALSE(change_of(d, "E"));

  // Totals: item 1 30万+50万+3万 → 40万+80万+4万; item 2 20万 → 10万.
  ASSERT_EQ(d.per_item.size(), 2u);
  EXPECT_EQ(d.per_item[0].key, "1");
  EXPECT_EQ(d.per_item[0].totals.before, 830000 * kYuan);
  EXPECT_EQ(d.per_item[0].totals.after, 1240000 * kYuan);
  EXPECT_EQ(d.per_item[1].totals.before, 200000 * kYuan);
  EXPECT_EQ(d.per_item[1].totals.after, 100000 * kYuan);
  EXPECT_EQ(d.overall.before, 1030000 * kYuan);
  EXPECT_EQ(d.overall.after, 1340000 * kYuan);
  EXPECT_EQ(d.overall.difference(), 310000 * kYuan);
  ASSERT_EQ(d.per_year.size(), 2u);
  EXPECT_EQ(d.per_year[1].key, "2026");
  EXPECT_EQ(d.per_year[1].totals.before, 30000 * kYuan);
  EXPECT_EQ(d.per_year[1].totals.after, 40000 * kYuan);
  ASSERT_EQ(d.per_enterprise.size(), 4u);
  EXPECT_EQ(d.per_enterprise[0].key, "E1");
  EXPECT_EQ(d.per_enterprise[0].totals.difference(), 110000 * kYuan);
}

TEST_F(DiffLibrary, RuleChangesAreReadFromThePoliciesAndCompiledPoliciesCompareAlike) {
  auto rules = pol::diff::compare_policies(*before_, *after_);
  BatchDiff d;
  d.rules = rules;
  const auto* amount = rule_change(d, "1", "amount");
  ASSERT_TRUE(amount);
  EXPECT_EQ(amount->before, "30% × 研发投入");
  EXPECT_EQ(amount->after, "40% × 研发投入");
  EXPECT_EQ(amount->clause, "一");
  EXPECT_EQ(amount->clause_title, "支持研发");
  const auto* cap = rule_change(d, "1", "cap");
  ASSERT_TRUE(cap);
  EXPECT_EQ(cap->before, "500,000.00 元");
  EXPECT_EQ(cap->after, "800,000.00 元");
  const auto* cond = rule_change(d, "2", "condition");
  ASSERT_TRUE(cond);
  EXPECT_EQ(cond->aspect_zh, "条件「规模」");
  EXPECT_EQ(cond->before, "");
  EXPECT_EQ(cond->after, "员工人数 ≥ 10（否则：员工少于10人）");
  EXPECT_EQ(rules.size(), 3u) << "nothing else differs";
  EXPECT_TRUE(pol::diff::compare_policies(*after_, *after_).empty());

  // From the compiled files (no checker trees) the same changes are listed.
  auto cb = pol::load_compiled("old", pol::save_compiled(*before_));
  auto ca = pol::load_compiled("new", pol::save_compiled(*after_));
  ASSERT_TRUE(cb->ok() && ca->ok());
  auto compiled = pol::diff::compare_policies(*cb, *ca);
  ASSERT_EQ(compiled.size(), rules.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    EXPECT_EQ(compiled[i].before, rules[i].before);
    EXPECT_EQ(compiled[i].after, rules[i].after);
  }
}

TEST_F(DiffLibrary, WritersSayTheSameFigures) {
  BatchDiff d;
  std::vector<std::string> errors;
  ASSERT_TRUE(pol::diff::diff_on_batch(*before_, *after_, req_, d, errors));
  std::string text = pol::diff::write_text(d);
  EXPECT_NE(text.find("决定变化 4 件"), std::string::npos) << text;
  EXPECT_NE(text.find("支持总额：原 1,030,000.00 元 → 新 1,340,000.00 元，差额 +310,000.00 元"), std::string::npos) << text;
  EXPECT_NE(text.find("事项 1「研发支持」 支持金额：30% × 研发投入 → 40% × 研发投入（第一条「支持研发」）"),
            std::string::npos) << text;
  auto j = nlohmann::json::parse(pol::diff::write_json(d));
  EXPECT_EQ(j["totals"]["difference"], "310000.00");
  EXPECT_EQ(j["changes"].size(), 4u);
  EXPECT_EQ(j["changes"][3]["id"], "D");
  EXPECT_EQ(j["changes"][3]["difference"], "-100000.00");
  std::string csv = pol::diff::write_csv(d);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBFid,enterprise,item,year,", 0), 0u);
  EXPECT_NE(csv.find("\nD,E3,2,2025,true,granted,100000.00,false,ineligible,0.00,-100000.00,condition,二,,"),
            std::string::npos) << csv;
}

// ---- the command ----

class DiffCommand : public pol::testing::TempDirTest {};

TEST_F(DiffCommand, TotalControlOnTheExampleBatch) {
  std::string apps = std::string(POL_SOURCE_DIR) + "/examples/batch.jsonl";
  PolcRun r = polc("diff " + policy() + " --new-set annual_budget=4000000 " + apps + " --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["summary"]["applications"], 12);
  EXPECT_EQ(j["summary"]["changed"], 9);
  EXPECT_EQ(j["summary"]["decreased"], 9);
  EXPECT_EQ(j["totals"]["old"], "15400000.00");
  EXPECT_EQ(j["totals"]["new"], "3999999.92");
  EXPECT_EQ(j["totals"]["difference"], "-11400000.08");
  EXPECT_EQ(j["changes"][0]["id"], "LG-0001");
  EXPECT_EQ(j["changes"][0]["new"]["status"], "budget_scaled");
  EXPECT_EQ(j["changes"][0]["first_difference"]["step"], "budget");
  EXPECT_EQ(j["changes"][0]["first_difference"]["clause"], "十八");
  ASSERT_EQ(j["rule_changes"].size(), 1u) << j["rule_changes"].dump();
  EXPECT_EQ(j["rule_changes"][0]["name"], "annual_budget");
  EXPECT_EQ(j["rule_changes"][0]["new"], "4,000,000.00 元");
  EXPECT_EQ(j["rule_changes"][0]["clause"]["number"], "十八");

  PolcRun text = polc("diff " + policy() + " --new-set annual_budget=4000000 " + apps);
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("支持总额：原 15,400,000.00 元 → 新 3,999,999.92 元，差额 -11,400,000.08 元"), std::string::npos)
      << text.out;

  // Nothing to compare, a batch with input errors, standard input.
  EXPECT_EQ(polc("diff " + policy() + " " + apps).status, 2);
  std::string bad = std::string(POL_SOURCE_DIR) + "/examples/bad_batch.jsonl";
  EXPECT_EQ(polc("diff " + policy() + " --new-set annual_budget=4000000 " + bad + " --format csv").status, 1);
  EXPECT_EQ(polc("diff " + policy() + " --new-set annual_budget=4000000 - < " + apps).status, 2);
}

TEST_F(DiffCommand, CompiledPoliciesOnTheGoldenTotalControlBatch) {
  std::string dir = std::string(POL_SOURCE_DIR) + "/tests/golden/explanations/";
  std::string old_c = path("old.polc"), new_c = path("new.polc");
  ASSERT_EQ(polc("compile " + policy() + " -o " + old_c).status, 0);
  ASSERT_EQ(polc("compile " + policy() + " --set annual_budget=4000000 -o " + new_c).status, 0);
  PolcRun r = polc("diff " + old_c + " --new " + new_c + " " + dir + "total_control.jsonl --history " + dir +
                   "total_control.history.jsonl --format csv -o " + path("out.csv"));
  ASSERT_EQ(r.status, 0) << r.err;
  std::ifstream in(path("out.csv"));
  std::string csv((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBFid,", 0), 0u);
  EXPECT_NE(csv.find(",budget,十八,"), std::string::npos) << csv;
  EXPECT_EQ(polc("diff " + old_c + " --new " + new_c + " " + dir + "total_control.jsonl -o " + old_c).status, 2)
      << "the report must not overwrite an input";
}

// ---- the HTML report in a real browser ----

std::string chromium() {
  for (const char* name : {"chromium", "chromium-browser"}) {
    std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return name;
  }
  return "";
}

TEST_F(DiffCommand, HtmlReportRendersInHeadlessChromium) {
  std::string browser = chromium();
  if (browser.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup.sh installs it)";
  std::string apps = std::string(POL_SOURCE_DIR) + "/examples/batch.jsonl";
  std::string report = path("report.html");
  PolcRun r = polc("diff " + policy() + " --new-set annual_budget=4000000 " + apps + " --format html -o " + report);
  ASSERT_EQ(r.status, 0) << r.err;
  std::string dom_file = path("dom.html");
  std::string cmd = browser + " --headless --no-sandbox --disable-gpu --user-data-dir=" + path("profile") +
                    " --dump-dom file://" + report + " >" + dom_file + " 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(dom_file);
  std::string dom((std::istreambuf_iterator<char>(in)), {});
  ASSERT_NE(dom.find("<svg id=\"chart-items\""), std::string::npos) << dom.substr(0, 2000);
  // One bar group per item the batch applies for: 2, 3, 5, 7.2, 8, 10, 11.1 (nothing granted), 13.2, 16.
  size_t bars = 0;
  for (size_t at = dom.find("class=\"item-bar\""); at != std::string::npos; at = dom.find("class=\"item-bar\"", at + 1))
    ++bars;
  EXPECT_EQ(bars, 9u);
  EXPECT_NE(dom.find("data-key=\"13.2\""), std::string::npos);
  EXPECT_NE(dom.find("15,400,000.00 元"), std::string::npos) << "the old total";
  EXPECT_NE(dom.find("3,999,999.92 元"), std::string::npos) << "the new total";
  EXPECT_NE(dom.find("-11,400,000.08 元"), std::string::npos) << "the difference";
  EXPECT_NE(dom.find("<svg id=\"chart-years\""), std::string::npos);
  EXPECT_NE(dom.find("id=\"rules-table\""), std::string::npos);
  EXPECT_EQ(dom.find("http://"), dom.find("http://www.w3.org/2000/svg")) << "no external resource";
}

}  // namespace
