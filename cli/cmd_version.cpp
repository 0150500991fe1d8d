// polc version (and polc --version): the release, its revision and the formats it reads.
#include "cli/version.h"

#include <cstdio>

#include "cli/cli_text.h"
#include "compiler/driver/compiled.h"
#include "compiler/driver/language_version.h"

namespace pol::cli {

std::string version_text() {
  return std::string("polc ") + build_version() + " (revision " + build_revision() + ")\n" +
         "policy language " + std::to_string(kPolicyLanguageVersion) + ", compiled policy format " +
         std::to_string(compiled_format_version());
}

void register_version(CLI::App& app, Registry& reg) {
  auto* cmd = app.add_subcommand("version", say(reg.lang, CliMsg::HelpVersion));
  cmd->callback([&reg] {
    std::printf("%s\n", version_text().c_str());
    reg.exit_code = 0;
  });
}

}  // namespace pol::cli
