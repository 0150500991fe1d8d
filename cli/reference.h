// The command reference read from polc's own CLI11 command tree, so it cannot drift from
// `--help`: the COMMANDS section of the man page (roff) and the word tables of the bash
// completion. The build runs the hidden `polc reference man|bash` and fills the templates
// docs/man/polc.1.in and scripts/completion/polc.bash.in with the output (cmake/reference.cmake).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace pol::cli {

// Whether a command is listed (hidden ones, like `reference`, have an empty group).
bool is_listed(const CLI::App* command);

// The man page's command sections: one `.SS` per command and subcommand, its usage, its
// description and every argument and option with the text `--help` shows.
std::string man_commands(const CLI::App& app);

// Bash functions telling the completion each command's subcommands, options, flags and choices.
std::string bash_tables(const CLI::App& app);

// `polc reference man|bash` (hidden): prints one of the two.
void register_reference(CLI::App& app, Registry& reg);

}  // namespace pol::cli
