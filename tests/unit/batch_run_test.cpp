// The batch-run API directly (what `polc run` and `polc eval` call): a batch with history read
// from a file, one application, and a refusal that decides nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "compiler/driver/pipeline.h"
#include "runtime/run/batch_run.h"
#include "tests/unit/policy_fixture.h"

namespace {

using pol::testing::load_longgang;

TEST(BatchRun, DecidesABatchAgainstItsHistory) {
  auto lp = load_longgang();
  ASSERT_TRUE(lp->ok());
  std::string hist = pol::testing::write_temp_policy("");  // a temporary path
  hist.replace(hist.size() - 4, 4, ".jsonl");
  std::ofstream(hist) << R"({"id":"H1","enterprise":"E1","item":"2","date":"2025-02-01","compute_fee":"20000000","award":"5000000"})" "\n";
  std::string apps = hist.substr(0, hist.size() - 6) + "-apps.jsonl";
  std::ofstream(apps) << R"({"id":"A1","enterprise":"E1","item":"2","date":"2025-03-01","compute_fee":"25000000"})" "\n";
  pol::BatchRequest req;
  req.applications = apps;
  req.history = hist;
  pol::BatchRun run;
  std::vector<std::string> errors;
  ASSERT_TRUE(pol::decide_batch(*lp, req, run, errors)) << (errors.empty() ? "" : errors[0]);
  ASSERT_EQ(run.batch->apps.size(), 1u);
  EXPECT_EQ(run.batch->decisions[0].award, 100000000);  // 600万 cap, 500万 used by the history grant
  req.one_application = true;
  req.applications = std::string(POL_SOURCE_DIR) + "/examples/batch.jsonl";
  pol::BatchRun many;
  errors.clear();
  EXPECT_FALSE(pol::decide_batch(*lp, req, many, errors));
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.back().find("eval decides one"), std::string::npos) << errors.back();
}

}  // namespace
