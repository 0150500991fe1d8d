// polc test [PATH...] — run clause-behaviour tests (`*.test.pol`), report failures with
// expected vs actual and the decision's explanation, and optionally clause coverage.
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "cli/commands.h"
#include "runtime/testing/coverage.h"
#include "runtime/testing/report.h"
#include "runtime/testing/runner.h"

namespace pol::cli {

void register_test(CLI::App& app, Registry& reg) {
  struct Opts {
    std::vector<std::string> paths;
    std::string filter, junit, format = "text", coverage_format;
    bool coverage = false, verbose = false;
    double min_coverage = -1;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand(
      "test",
      "Run clause-behaviour tests: every `*.test.pol` file under the given paths (default: .).\n"
      "Each failure is printed as `file:line: FAIL test: application: expected …, got …` with the\n"
      "decision's explanation; the last line is `N passed, M failed`.\n"
      "Coverage (--coverage) lists, per clause and item, which conditions were seen true and false,\n"
      "which caps bound and did not, which tiers were taken and which portfolio rules acted.\n"
      "Exit 0: all tests pass (and coverage is at least --min-coverage); 1: failures; 2: usage errors.\n"
      "Example: polc test policies/ --coverage --min-coverage 100");
  cmd->add_option("paths", o->paths, "Test files or directories (searched recursively for *.test.pol)");
  cmd->add_option("--filter", o->filter, "Run only tests whose name contains NAME");
  cmd->add_option("--junit", o->junit, "Also write the results as JUnit XML to FILE (for CI systems)");
  cmd->add_option("--format", o->format, "text (default) or json (results and, with --coverage, coverage)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--coverage", o->coverage, "Report clause coverage of the policies tested");
  cmd->add_option("--coverage-format", o->coverage_format, "Coverage report as text (default) or json; implies --coverage")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--min-coverage", o->min_coverage, "Fail when a policy's coverage is below P percent; implies --coverage")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_flag("-v,--verbose", o->verbose, "Also list the tests that pass");
  cmd->callback([o, &reg] {
    if (o->paths.empty()) o->paths.push_back(".");
    bool coverage = o->coverage || !o->coverage_format.empty() || o->min_coverage >= 0;
    std::string cov_format = o->coverage_format.empty() ? o->format : o->coverage_format;
    std::vector<std::string> errors;
    std::vector<std::string> files = testing::find_test_files(o->paths, errors);
    for (const auto& e : errors) std::fprintf(stderr, "error: %s\n", e.c_str());
    if (files.empty()) {
      if (errors.empty()) {
        std::string where;
        for (const auto& p : o->paths) where += (where.empty() ? "" : ", ") + p;
        std::fprintf(stderr, "error: no test files (*.test.pol) in %s\n", where.c_str());
      }
      reg.exit_code = 2;
      return;
    }
    testing::RunOptions ro;
    ro.filter = o->filter;
    ro.coverage = coverage;
    testing::TestRunner runner(ro);
    std::vector<testing::TestFileResult> results;
    for (const auto& f : files) results.push_back(runner.run_file(f));
    testing::Totals t = testing::totals(results);

    // Coverage below the minimum fails the run.
    std::string below;
    if (o->min_coverage >= 0)
      for (const auto* c : runner.coverage().all())
        if (c->percent() + 1e-9 < o->min_coverage)
          below += fmt::format("error: coverage of {} is {:.1f}% ({}/{}), below --min-coverage {}%\n", c->path(),
                               c->percent(), c->covered(), c->total(), o->min_coverage);

    std::string out;
    if (o->format == "json") {
      out = testing::json_report(results, coverage ? &runner.coverage() : nullptr);
    } else {
      out = testing::text_report(results, o->verbose);
      if (coverage) {
        for (const auto* c : runner.coverage().all()) {
          if (cov_format == "json") out += testing::coverage_json(*c) + "\n";
          else out += testing::coverage_text(*c);
        }
      }
      out += testing::closing_line(results);
    }
    std::fputs(out.c_str(), stdout);
    std::fflush(stdout);
    if (!below.empty()) std::fputs(below.c_str(), stderr);

    int code = (t.failed > 0 || t.file_errors > 0 || !errors.empty() || !below.empty()) ? 1 : 0;
    if (t.passed + t.failed == 0 && !o->filter.empty()) {
      std::fprintf(stderr, "error: no test matches --filter `%s`\n", o->filter.c_str());
      code = 1;
    }
    if (!o->junit.empty()) {
      std::string xml = testing::junit_xml(results);
      FILE* f = std::fopen(o->junit.c_str(), "wb");
      bool ok = f && std::fwrite(xml.data(), 1, xml.size(), f) == xml.size();
      if (f) ok = std::fclose(f) == 0 && ok;
      if (!ok) {
        std::fprintf(stderr, "error: cannot write `%s`\n", o->junit.c_str());
        code = 2;
      }
    }
    reg.exit_code = code;
  });
}

}  // namespace pol::cli
