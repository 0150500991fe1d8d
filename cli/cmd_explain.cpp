// polc explain E0xxx — prints the documentation page of a diagnostic code.
#include <cstdio>

#include "cli/commands.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/explain.h"

namespace pol::cli {

void register_explain(CLI::App& app, Registry& reg) {
  auto code = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("explain", "Explain an error code, e.g. `polc explain E0200`");
  cmd->add_option("code", *code, "The code, as printed in brackets: E0200")->required();
  cmd->callback([code, &reg] {
    auto page = explain_page(*code);
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
