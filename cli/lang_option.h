// `--lang zh|en`, accepted before the subcommand (`polc --lang en check …`) and after it on every
// subcommand (`polc check --lang en …`). main.cpp reads it from the command line before CLI11
// parses it (the help texts are built in the language), sets POL_LANG for the diagnostic renderer
// (pol::terminal_render_options) and adds this option wherever it is missing, so CLI11 accepts it
// and --help lists it. Without it: POL_LANG, then the locale, then English.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <string>

#include "cli/cli_text.h"

namespace pol::cli {

inline void add_lang_option(CLI::App* cmd, Lang lang) {
  cmd->add_option_function<std::string>(
         "--lang", [](const std::string& value) { setenv("POL_LANG", value.c_str(), 1); }, say(lang, CliMsg::HelpLang))
      ->check(CLI::IsMember({"zh", "en"}))
      ->allow_extra_args(false);
}

// Adds --lang to `cmd` and every subcommand under it that does not have it yet.
inline void add_lang_option_everywhere(CLI::App* cmd, Lang lang) {
  if (!cmd->get_option_no_throw("--lang")) add_lang_option(cmd, lang);
  for (CLI::App* sub : cmd->get_subcommands([](const CLI::App*) { return true; })) add_lang_option_everywhere(sub, lang);
}

}  // namespace pol::cli
