// Progress of a long batch (runtime/portfolio/progress.h): each step of decide_batch and
// record_batch reports its start and then every kProgressEvery applications, in order; and the
// progress line `polc run` draws from it (cli/progress_line.h): what it writes, that it redraws
// a step only after its interval, clears itself, and draws nothing when disabled or too early.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "cli/progress_line.h"
#include "runtime/run/batch_run.h"
#include "tests/unit/policy_fixture.h"

namespace {

namespace fs = std::filesystem;
using pol::BatchStep;
using pol::cli::ProgressLine;
using namespace std::chrono_literals;

TEST(Progress, BatchStepsReportTheirStartAndEveryBlock) {
  auto lp = pol::testing::load_longgang();
  ASSERT_TRUE(lp->ok());
  const fs::path dir = fs::temp_directory_path() / ("pol_progress_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string apps = (dir / "apps.jsonl").string();
  const std::string cmd = "python3 " POL_SOURCE_DIR "/bench/gen_applications.py 9000 --seed 7 > " + apps;
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::vector<std::tuple<BatchStep, size_t, size_t>> calls;
  const pol::ProgressHook hook = [&](BatchStep step, size_t done, size_t total) { calls.emplace_back(step, done, total); };
  pol::BatchRequest req;
  req.applications = apps;
  req.ledger = (dir / "grants.db").string();
  req.record = true;
  req.progress = &hook;
  pol::BatchRun run;
  std::vector<std::string> errors;
  ASSERT_TRUE(pol::decide_batch(*lp, req, run, errors)) << (errors.empty() ? "" : errors[0]);
  pol::ledger::RecordStats stats;
  std::string error;
  ASSERT_TRUE(pol::record_batch(*lp, req, run, stats, error)) << error;
  const std::vector<std::tuple<BatchStep, size_t, size_t>> expected = {
      {BatchStep::Reading, 0, 0},          {BatchStep::Deciding, 0, 9000},     {BatchStep::Recording, 0, 9000},
      {BatchStep::Recording, 4096, 9000}, {BatchStep::Recording, 8192, 9000}};
  EXPECT_EQ(calls, expected);
  run = pol::BatchRun{};
  fs::remove_all(dir);
}

// What a ProgressLine wrote to its file.
std::string written(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string s;
  for (int c; (c = std::fgetc(f)) != EOF;) s += static_cast<char>(c);
  return s;
}

TEST(Progress, LineRedrawsInPlaceAndClearsItself) {
  std::FILE* f = std::tmpfile();
  ASSERT_TRUE(f);
  {
    ProgressLine line(true, pol::Lang::Zh, f, 0s, 0s);
    ASSERT_NE(line.hook(), nullptr);
    (*line.hook())(BatchStep::Deciding, 0, 50000);
    line.writing(12288, 50000);
    line.writing(12289, 50000);  // not a multiple of kProgressEvery: no line
    line.clear();
    line.clear();  // nothing shown: nothing to clear
  }
  EXPECT_EQ(written(f), "\r\033[K正在判定 50000 份申报…\r\033[K已处理 12288/50000 份申报…\r\033[K");
  std::fclose(f);
}

TEST(Progress, LineWaitsForItsIntervalsAndIsClearedAtTheEnd) {
  std::FILE* f = std::tmpfile();
  {
    ProgressLine line(true, pol::Lang::Zh, f, 0s, 1h);
    line.writing(0, 9000);
    line.writing(4096, 9000);  // the same step within the interval: not redrawn
    (*line.hook())(BatchStep::Recording, 0, 9000);  // a new step is shown at once
  }  // destroyed: cleared
  EXPECT_EQ(written(f), "\r\033[K已处理 0/9000 份申报…\r\033[K已记入台账 0/9000 份申报…\r\033[K");
  std::fclose(f);
  f = std::tmpfile();
  {
    ProgressLine early(true, pol::Lang::Zh, f, 1h, 0s);  // a short run: nothing in its first moments
    early.writing(0, 9000);
  }
  EXPECT_EQ(written(f), "");
  std::fclose(f);
}

TEST(Progress, DisabledLineHasNoHookAndDrawsNothing) {
  std::FILE* f = std::tmpfile();
  {
    ProgressLine line(false, pol::Lang::Zh, f, 0s, 0s);
    EXPECT_EQ(line.hook(), nullptr);
    line.writing(0, 10);
  }
  EXPECT_EQ(written(f), "");
  std::fclose(f);
  EXPECT_FALSE(ProgressLine::enabled_for(/*quiet=*/true, false));
  // Only for a terminal: under ctest standard error is a file or a pipe, and the line is off.
  EXPECT_EQ(ProgressLine::enabled_for(false, false), isatty(STDERR_FILENO) != 0);
}

}  // namespace
