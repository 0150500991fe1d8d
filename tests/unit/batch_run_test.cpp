// The batch-run API directly (what `polc run`, `polc eval` and `polc test` call): a batch with
// history read from a file or given in memory, one application, a refusal that decides nothing;
// and the ledger's side — the ledger only returns what it recorded, the run feeds it to the batch.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "runtime/input/record.h"
#include "runtime/run/batch_run.h"
#include "tests/unit/policy_fixture.h"
#include "values/fixed.h"

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

using pol::input::RawField;
using pol::input::RawKind;
using pol::input::RawRecord;

// A record as a reader gives it; the texts are literals, so the views stay valid.
RawRecord record(size_t line, std::vector<RawField> fields) {
  RawRecord r;
  r.line = line;
  r.fields = std::move(fields);
  return r;
}

TEST(BatchRun, InMemoryRecordsAreDecidedAsFromFilesAndBadHistoryIsNamedByPosition) {
  auto lp = load_longgang();
  ASSERT_TRUE(lp->ok());
  std::vector<RawRecord> history = {record(3, {{"id", RawKind::String, "H1"}, {"enterprise", RawKind::String, "E1"},
                                               {"item", RawKind::String, "2"}, {"date", RawKind::String, "2025-02-01"},
                                               {"compute_fee", RawKind::String, "20000000"},
                                               {"award", RawKind::String, "5000000"}})};
  std::vector<RawRecord> apps = {record(9, {{"id", RawKind::String, "A1"}, {"enterprise", RawKind::String, "E1"},
                                            {"item", RawKind::String, "2"}, {"date", RawKind::String, "2025-03-01"},
                                            {"compute_fee", RawKind::Number, "25000000"}})};
  pol::BatchRequest req;
  req.history_records = &history;
  req.application_records = &apps;
  pol::BatchRun run;
  std::vector<std::string> errors;
  ASSERT_TRUE(pol::decide_batch(*lp, req, run, errors)) << (errors.empty() ? "" : errors[0]);
  ASSERT_EQ(run.batch->apps.size(), 1u);
  EXPECT_EQ(run.batch->decisions[0].award, 100000000);  // as from the files above

  history.push_back(record(12, {{"id", RawKind::String, "H2"}, {"enterprise", RawKind::String, "E1"},
                                {"item", RawKind::String, "99"}, {"date", RawKind::String, "2025-02-01"},
                                {"award", RawKind::String, "1"}}));
  pol::BatchRun bad;
  errors.clear();
  EXPECT_FALSE(pol::decide_batch(*lp, req, bad, errors));
  ASSERT_EQ(bad.bad_history.size(), 1u);
  EXPECT_EQ(bad.bad_history[0].index, 1u);
  EXPECT_EQ(bad.bad_history[0].message.rfind("[E06", 0), 0u) << bad.bad_history[0].message;
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].rfind("line 12: ", 0), 0u) << errors[0];
  EXPECT_NE(errors[1].find("nothing was decided"), std::string::npos) << errors[1];
}

class BatchRunLedger : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pol_batch_run_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    lp_ = load_longgang();
    ASSERT_TRUE(lp_->ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string file(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::string ledger() const { return (dir_ / "ledger.db").string(); }

  // Two applications of E1 under item 2: the second finds the group cap used up (eligible, 0).
  void record_two() {
    pol::BatchRequest req;
    req.applications = file("round1.jsonl", std::string(kA1) + "\n" + kA2 + "\n");
    req.ledger = ledger();
    req.record = true;
    pol::BatchRun run;
    std::vector<std::string> errors;
    ASSERT_TRUE(pol::decide_batch(*lp_, req, run, errors)) << (errors.empty() ? "" : errors[0]);
    ASSERT_EQ(run.batch->decisions[1].status, pol::Status::Eligible);
    ASSERT_EQ(run.batch->decisions[1].award, 0);
    a1_award_ = run.batch->decisions[0].award;
    ASSERT_GT(a1_award_, 0);
    pol::ledger::RecordStats stats;
    std::string error;
    ASSERT_TRUE(pol::record_batch(*lp_, req, run, stats, error)) << error;
    ASSERT_EQ(stats.decided, 2u);
  }

  static constexpr const char* kA1 =
      R"({"id":"A1","enterprise":"E1","item":"2","date":"2025-03-01","compute_fee":"25000000"})";
  static constexpr const char* kA2 =
      R"({"id":"A2","enterprise":"E1","item":"2","date":"2025-03-02","compute_fee":"25000000"})";
  std::filesystem::path dir_;
  std::unique_ptr<pol::LoadedPolicy> lp_;
  int64_t a1_award_ = 0;
};

TEST_F(BatchRunLedger, TheLedgerReturnsItsGrantsAndDecisionsAndTheRunFeedsThem) {
  record_two();
  std::string error;
  auto led = pol::ledger::Ledger::open(ledger(), pol::ledger::Access::Read, error);
  ASSERT_TRUE(led) << error;
  ASSERT_TRUE(led->begin_read(error)) << error;
  std::vector<pol::ledger::RecordedGrant> grants;
  ASSERT_TRUE(led->recorded_grants(grants, error)) << error;
  ASSERT_EQ(grants.size(), 2u) << "an eligible decision with award 0 is history too";
  EXPECT_EQ(grants[0].id, "A1");
  EXPECT_EQ(grants[0].award_fen, a1_award_);
  EXPECT_EQ(grants[1].award_fen, 0);
  EXPECT_NE(grants[1].application.find("\"id\":\"A2\""), std::string::npos) << grants[1].application;
  std::vector<pol::ledger::RecordedDecision> found;
  ASSERT_TRUE(led->recorded_decisions({"", "X9", "A2"}, found, error)) << error;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].index, 2u);
  EXPECT_NE(found[0].decision.find("\"A2\""), std::string::npos) << found[0].decision;

  // Fed to a batch: both count (award 0 included); A1 again is marked as decided.
  pol::Batch b(*lp_->policy, lp_->program);
  std::vector<std::string> errors;
  size_t loaded = 0, skipped = 0;
  ASSERT_TRUE(pol::load_ledger_history(*led, b, {{"A1", a1_award_}}, errors, &loaded, &skipped))
      << (errors.empty() ? "" : errors[0]);
  EXPECT_EQ(loaded, 1u);
  EXPECT_EQ(skipped, 1u) << "A1 was given with the same award: counted once";
  ASSERT_EQ(b.history.size(), 1u);
  EXPECT_EQ(b.history[0].award, 0);
  EXPECT_FALSE(pol::load_ledger_history(*led, b, {{"A1", a1_award_ + 1}}, errors));
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0].find("one grant cannot have two amounts"), std::string::npos) << errors[0];
}

TEST_F(BatchRunLedger, ARunAgainstTheLedgerCountsGrantsOnceAndReportsChangedApplications) {
  record_two();
  std::string a1 = kA1;
  std::string same = a1.substr(0, a1.size() - 1) + ",\"award\":\"" + pol::money_plain_str(a1_award_) + "\"}\n";
  std::string changed = kA1;
  changed.replace(changed.find("25000000"), 8, "26000000");
  pol::BatchRequest req;
  req.applications = file("round2.jsonl", changed + "\n");
  req.history = file("history.jsonl", same);
  req.ledger = ledger();
  pol::BatchRun run;
  std::vector<std::string> errors;
  ASSERT_TRUE(pol::decide_batch(*lp_, req, run, errors)) << (errors.empty() ? "" : errors[0]);
  EXPECT_EQ(run.ledger_dups, 1u);
  EXPECT_EQ(run.ledger_grants, 1u);  // A2, award 0
  EXPECT_EQ(run.batch->decisions[0].status, pol::Status::Recorded);
  ASSERT_EQ(run.warnings.size(), 2u);
  EXPECT_EQ(run.warnings[0].rfind("note: 1 grant(s) are both in --history and in the ledger", 0), 0u) << run.warnings[0];
  EXPECT_NE(run.warnings[1].find("differ from what the ledger recorded under the same id (A1)"), std::string::npos)
      << run.warnings[1];

  std::string other = a1.substr(0, a1.size() - 1) + ",\"award\":\"1.00\"}\n";
  req.history = file("history2.jsonl", other);
  pol::BatchRun refused;
  errors.clear();
  EXPECT_FALSE(pol::decide_batch(*lp_, req, refused, errors));
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0].find("one grant cannot have two amounts"), std::string::npos) << errors[0];
  EXPECT_NE(errors.back().find("nothing was decided"), std::string::npos) << errors.back();
}

}  // namespace
