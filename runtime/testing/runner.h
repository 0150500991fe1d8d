// Clause-behaviour tests (`polc test`): runs the `test` blocks of a test file against the policy
// its `tests for` header names. Each test is one batch: its `set` lines override parameters
// (like `--set`), its `history` records are earlier grants, its `application` records are
// untyped records exactly as JSON input would give, and the batch is decided by the batch-run
// API (runtime/run/batch_run.h) that `polc run` uses.
// Each `expect` is then checked against the decision and its explanation. Nothing here prints:
// results are returned, and runtime/testing/report.h renders them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "runtime/testing/coverage.h"

namespace pol::testing {

// One expectation that did not hold (or a problem with the test itself).
struct Failure {
  uint32_t line = 0;         // 1-based line in the test file
  std::string target;        // the application record the expectation is about ("" for the test)
  std::string message;       // "expected award 1,500,000.00 元, got 6,000,000.00 元"
  std::string explanation;   // the decision's explanation (Explainer::text_block), "" when none
};

struct CaseResult {
  std::string name;
  uint32_t line = 0;
  bool passed = false;
  std::vector<Failure> failures;
  size_t applications = 0, expectations = 0;
  double seconds = 0;
};

struct TestFileResult {
  std::string path;                 // as given
  std::string policy_path;          // resolved from the `tests for` header
  std::vector<std::string> revision_paths;  // revisions of the policy (`tests for "p.pol", "rev.pol"`)
  std::vector<std::string> rules_paths;
  // Problems with the file as a whole (unreadable, syntax errors, no `tests for` header, the
  // policy does not load): rendered diagnostics. Its tests (if any could be read) are failed.
  std::string error;
  std::vector<CaseResult> cases;
  size_t passed() const;
  size_t failed() const;
  bool ok() const { return error.empty() && failed() == 0; }
};

struct RunOptions {
  std::string filter;       // run only tests whose name contains this text ("" = all)
  bool coverage = false;    // record coverage of the policies tested
  std::string stdlib_dir;   // "" = default
  Lang lang = Lang::En;     // of the failure messages and of the diagnostics in them
};

// Runs test files; keeps loaded policies (per policy, rules and parameter overrides) and the
// coverage across files, so a suite split over several files shares both.
class TestRunner {
 public:
  explicit TestRunner(RunOptions options = {});
  ~TestRunner();
  TestFileResult run_file(const std::string& path);
  const CoverageSet& coverage() const { return coverage_; }

 private:
  struct Cached;
  const Cached& load(const std::string& policy, const std::vector<std::string>& revisions, const std::vector<std::string>& rules,
                     const std::vector<std::string>& sets, bool need_values = true);
  RunOptions opts_;
  std::map<std::string, std::unique_ptr<Cached>> cache_;
  CoverageSet coverage_;
};

// Convenience: runs one file with a fresh runner.
TestFileResult run_test_file(const std::string& path, const RunOptions& options = {});

// Expands files and directories (recursively: every `*.test.pol`) into a sorted list of test
// files; a path that does not exist is reported in `errors`.
std::vector<std::string> find_test_files(const std::vector<std::string>& paths, std::vector<std::string>& errors,
                                         Lang lang = Lang::En);

}  // namespace pol::testing
