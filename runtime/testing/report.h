// Renderings of test results for `polc test`: human text (each failure as
// `file:line: FAIL test: application: expected …, got …` followed by the decision's explanation,
// then the closing line `N passed, M failed`), one JSON document, and JUnit XML for CI systems.
// Pure functions: they return text and never print.
#pragma once

#include <string>
#include <vector>

#include "runtime/testing/coverage.h"
#include "runtime/testing/runner.h"

namespace pol::testing {

struct Totals {
  size_t passed = 0, failed = 0, file_errors = 0;
  double seconds = 0;
};
Totals totals(const std::vector<TestFileResult>& results);

// The failures (and, with `verbose`, one `ok` line per passing test) and file errors, in `lang`.
std::string text_report(const std::vector<TestFileResult>& results, bool verbose = false, Lang lang = Lang::En);
// The closing line: `N passed, M failed` (N, M: test cases), with its newline; in Chinese
// `N 个通过，M 个未通过`.
std::string closing_line(const std::vector<TestFileResult>& results, Lang lang = Lang::En);
// {"files":[…], "passed":N, "failed":M, "coverage":[…]} — coverage only when `coverage` is given.
std::string json_report(const std::vector<TestFileResult>& results, const CoverageSet* coverage);
// JSON keys and JUnit XML are machine formats and stay English; the messages in them are in the
// language the runner wrote them in (RunOptions::lang).
// JUnit XML: one <testsuite> per test file, one <testcase> per test, <failure> with the
// messages and explanations; a file that could not be run becomes a test case with <error>.
std::string junit_xml(const std::vector<TestFileResult>& results);

}  // namespace pol::testing
