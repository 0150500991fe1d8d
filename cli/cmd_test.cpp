// polc test [PATH...] — run clause-behaviour tests (`*.test.pol`), report failures with
// expected vs actual and the decision's explanation, and optionally clause coverage.
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "cli/cli_text.h"
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
  const Lang lang = reg.lang;
  auto* cmd = app.add_subcommand("test", say(lang, CliMsg::HelpTest));
  cmd->add_option("paths", o->paths, say(lang, CliMsg::HelpTestPaths));
  cmd->add_option("--filter", o->filter, say(lang, CliMsg::HelpTestFilter));
  cmd->add_option("--junit", o->junit, say(lang, CliMsg::HelpTestJunit));
  cmd->add_option("--format", o->format, say(lang, CliMsg::HelpTestFormat))
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--coverage", o->coverage, say(lang, CliMsg::HelpTestCoverage));
  cmd->add_option("--coverage-format", o->coverage_format, say(lang, CliMsg::HelpTestCoverageFormat))
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--min-coverage", o->min_coverage, say(lang, CliMsg::HelpTestMinCoverage))
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_flag("-v,--verbose", o->verbose, say(lang, CliMsg::HelpTestVerbose));
  cmd->callback([o, &reg] {
    if (o->paths.empty()) o->paths.push_back(".");
    bool coverage = o->coverage || !o->coverage_format.empty() || o->min_coverage >= 0;
    std::string cov_format = o->coverage_format.empty() ? o->format : o->coverage_format;
    std::vector<std::string> errors;
    std::vector<std::string> files = testing::find_test_files(o->paths, errors, reg.lang);
    for (const auto& e : errors) error_line(reg.lang, e);
    if (files.empty()) {
      if (errors.empty()) {
        std::string where;
        for (const auto& p : o->paths) where += (where.empty() ? "" : ", ") + p;
        say_err(reg.lang, CliMsg::TestNoFiles, {{"where", where}});
      }
      reg.exit_code = 2;
      return;
    }
    testing::RunOptions ro;
    ro.filter = o->filter;
    ro.coverage = coverage;
    ro.lang = reg.lang;
    testing::TestRunner runner(ro);
    std::vector<testing::TestFileResult> results;
    for (const auto& f : files) results.push_back(runner.run_file(f));
    testing::Totals t = testing::totals(results);

    // Coverage below the minimum fails the run.
    std::string below;
    if (o->min_coverage >= 0)
      for (const auto* c : runner.coverage().all())
        if (c->percent() + 1e-9 < o->min_coverage)
          below += say(reg.lang, CliMsg::TestBelowMinCoverage,
                       {{"policy", c->path()}, {"percent", fmt::format("{:.1f}", c->percent())},
                        {"covered", std::to_string(c->covered())}, {"total", std::to_string(c->total())},
                        {"min", fmt::format("{}", o->min_coverage)}}) +
                   "\n";

    std::string out;
    if (o->format == "json") {
      out = testing::json_report(results, coverage ? &runner.coverage() : nullptr);
    } else {
      out = testing::text_report(results, o->verbose, reg.lang);
      if (coverage) {
        for (const auto* c : runner.coverage().all()) {
          if (cov_format == "json") out += testing::coverage_json(*c) + "\n";
          else out += testing::coverage_text(*c, reg.lang);
        }
      }
      out += testing::closing_line(results, reg.lang);
    }
    std::fputs(out.c_str(), stdout);
    std::fflush(stdout);
    if (!below.empty()) std::fputs(below.c_str(), stderr);

    int code = (t.failed > 0 || t.file_errors > 0 || !errors.empty() || !below.empty()) ? 1 : 0;
    if (t.passed + t.failed == 0 && !o->filter.empty()) {
      say_err(reg.lang, CliMsg::TestNoMatch, {{"filter", o->filter}});
      code = 1;
    }
    if (!o->junit.empty()) {
      std::string xml = testing::junit_xml(results);
      FILE* f = std::fopen(o->junit.c_str(), "wb");
      bool ok = f && std::fwrite(xml.data(), 1, xml.size(), f) == xml.size();
      if (f) ok = std::fclose(f) == 0 && ok;
      if (!ok) {
        say_err(reg.lang, CliMsg::CannotWrite, {{"file", o->junit}});
        code = 2;
      }
    }
    reg.exit_code = code;
  });
}

}  // namespace pol::cli
