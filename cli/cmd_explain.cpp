// polc explain E0xxx — prints the documentation page of a diagnostic code.
#include <cstdio>

#include "cli/commands.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/explain.h"
#include "compiler/driver/data_dirs.h"

namespace pol::cli {

void register_explain(CLI::App& app, Registry& reg) {
  auto code = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("explain", "Explain an error code, e.g. `polc explain E0200`");
  cmd->add_option("code", *code, "The code, as printed in brackets: E0200")->required();
  cmd->callback([code, &reg] {
    const std::string pages = find_data_dir("errors");
    if (pages.empty()) {
      std::fprintf(stderr,
                   "error: cannot find the error pages (looked in %s); install polc with `cmake --install`, or set "
                   "POL_HOME to a folder holding errors/\n",
                   data_dir_candidates("errors").c_str());
      reg.exit_code = 2;
      return;
    }
    auto page = explain_page(*code, pages);
    if (!page) {
      std::fprintf(stderr, "error: no such error code `%s`\n", code->c_str());
      reg.exit_code = 2;
      return;
    }
    std::fputs(page->c_str(), stdout);
    reg.exit_code = 0;
  });
}

}  // namespace pol::cli
