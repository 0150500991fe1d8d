// polc: the Pol command line. Subcommands live in their own files (cmd_*.cpp); this file
// only wires them into CLI11 and maps outcomes to exit codes (0 ok, 1 findings, 2 usage).
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/commands.h"
#include "cli/reference.h"
#include "cli/usage.h"
#include "cli/version.h"

int main(int argc, char** argv) {
  CLI::App app{"polc — the Pol policy compiler: check clause files, evaluate applications, run batches and clause tests.\n"
               "Examples:\n"
               "  polc check policies/longgang_ai_2025.pol\n"
               "  polc eval policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol examples/application.json\n"
               "  polc run policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol examples/batch.jsonl\n"
               "  polc explain E0200"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  app.set_version_flag("--version", pol::cli::version_text(), "Show the version of polc, its revision and the formats it reads");
  pol::cli::Registry reg;
  pol::cli::register_check(app, reg);
  pol::cli::register_compile(app, reg);
  pol::cli::register_eval(app, reg);
  pol::cli::register_run(app, reg);
  pol::cli::register_diff(app, reg);
  pol::cli::register_report(app, reg);
  pol::cli::register_explain(app, reg);
  pol::cli::register_test(app, reg);
  pol::cli::register_ledger(app, reg);
  pol::cli::register_version(app, reg);
  pol::cli::register_reference(app, reg);
  // Bare `polc` and a mistyped command get a short answer, not CLI11's error wall.
  if (argc < 2) {
    std::fputs(pol::cli::short_usage(app).c_str(), stderr);
    return 2;
  }
  if (argv[1][0] != '-') {
    if (std::string unknown = pol::cli::unknown_command(app, argv[1]); !unknown.empty()) {
      std::fputs(unknown.c_str(), stderr);
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  return reg.exit_code;
}
