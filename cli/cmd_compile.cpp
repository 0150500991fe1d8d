// polc compile POLICY [--rules FILE] [--set NAME=VALUE] -o FILE — checks the policy and writes
// it compiled (compiler/driver/compiled.h): every command then takes FILE in place of the
// policy and decides exactly as from the source, without checking it again.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/commands.h"
#include "cli/session.h"
#include "compiler/driver/compiled.h"

namespace pol::cli {

void register_compile(CLI::App& app, Registry& reg) {
  auto o = std::make_shared<PolicyOptions>();
  auto out = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "compile", "Check a policy with its rules files and --set values and write it compiled: run, eval, check\n"
                 "and test then take the compiled file in place of POLICY (same decisions, same explanations).");
  add_policy_options(cmd, *o);
  cmd->add_option("-o,--output", *out, "The compiled policy to write (`-` for standard output)")->required();
  cmd->callback([o, out, &reg] {
    auto lp = load_and_report(*o);
    if (!lp) {
      reg.exit_code = 1;
      return;
    }
    std::string text = save_compiled(*lp);
    if (*out == "-") {
      std::fwrite(text.data(), 1, text.size(), stdout);
      reg.exit_code = flush_stdout() ? 0 : 2;
      return;
    }
    if (same_file(*out, o->policy)) {
      std::fprintf(stderr, "error: `-o %s` would overwrite the policy it compiles\n", out->c_str());
      reg.exit_code = 2;
      return;
    }
    for (const auto& r : o->rules)
      if (same_file(*out, r)) {
        std::fprintf(stderr, "error: `-o %s` would overwrite a rules file\n", out->c_str());
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
        std::fprintf(stderr, "error: cannot write `%s`\n", tmp.c_str());
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        reg.exit_code = 2;
        return;
      }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, *out, ec);
    if (ec) {
      std::fprintf(stderr, "error: cannot write `%s`: %s\n", out->c_str(), ec.message().c_str());
      std::filesystem::remove(tmp, ec);
      reg.exit_code = 2;
      return;
    }
    std::fprintf(stderr, "compiled %s → %s (%zu items, %zu rules, %zu bytes)\n", lp->identity.c_str(), out->c_str(),
                 lp->policy->items.size(), lp->policy->rules.size(), text.size());
    reg.exit_code = 0;
  });
}

}  // namespace pol::cli
