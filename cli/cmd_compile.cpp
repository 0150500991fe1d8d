// polc compile POLICY [--rules FILE] [--set NAME=VALUE] -o FILE — checks the policy and writes
// it compiled (compiler/driver/compiled.h): every command then takes FILE in place of the
// policy and decides exactly as from the source, without checking it again.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/cli_text.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "compiler/driver/compiled.h"

namespace pol::cli {

void register_compile(CLI::App& app, Registry& reg) {
  auto o = std::make_shared<PolicyOptions>();
  auto out = std::make_shared<std::string>();
  const Lang lang = reg.lang;
  auto* cmd = app.add_subcommand("compile", say(lang, CliMsg::HelpCompile));
  add_policy_options(cmd, *o, lang);
  cmd->add_option("-o,--output", *out, say(lang, CliMsg::HelpCompileOutput))->required();
  cmd->callback([o, out, &reg] {
    auto lp = load_and_report(*o);
    if (!lp) {
      reg.exit_code = 1;
      return;
    }
    std::string text = save_compiled(*lp);
    if (*out == "-") {
      std::fwrite(text.data(), 1, text.size(), stdout);
      reg.exit_code = flush_stdout(reg.lang) ? 0 : 2;
      return;
    }
    if (same_file(*out, o->policy)) {
      say_err(reg.lang, CliMsg::CompileOverPolicy, {{"file", *out}});
      reg.exit_code = 2;
      return;
    }
    for (const auto& r : o->rules)
      if (same_file(*out, r)) {
        say_err(reg.lang, CliMsg::CompileOverRules, {{"file", *out}});
        reg.exit_code = 2;
        return;
      }
    // Written beside the target and renamed over it: a reader never sees half a file.
    std::string tmp = *out + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f.write(text.data(), static_cast<std::streamsize>(text.size()));
      f.flush();
      if (!f) {
        say_err(reg.lang, CliMsg::CannotWrite, {{"file", tmp}});
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        reg.exit_code = 2;
        return;
      }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, *out, ec);
    if (ec) {
      say_err(reg.lang, CliMsg::CannotWriteBecause, {{"file", *out}, {"reason", ec.message()}});
      std::filesystem::remove(tmp, ec);
      reg.exit_code = 2;
      return;
    }
    say_err(reg.lang, CliMsg::Compiled,
            {{"identity", lp->identity}, {"file", *out}, {"items", std::to_string(lp->policy->items.size())},
             {"rules", std::to_string(lp->policy->rules.size())}, {"bytes", std::to_string(text.size())}});
    reg.exit_code = 0;
  });
}

}  // namespace pol::cli
