// `--lang zh|en` on the subcommands that print diagnostics (check, and every command that loads a
// policy through add_policy_options). The value is passed on as POL_LANG, which the diagnostic
// renderer reads (pol::terminal_render_options); without it: POL_LANG, then the locale, then English.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <string>

namespace pol::cli {

inline void add_lang_option(CLI::App* cmd) {
  cmd->add_option_function<std::string>(
         "--lang", [](const std::string& lang) { setenv("POL_LANG", lang.c_str(), 1); },
         "Language of diagnostics: zh (中文) or en (English); default from POL_LANG or the locale")
      ->check(CLI::IsMember({"zh", "en"}))
      ->allow_extra_args(false);
}

}  // namespace pol::cli
