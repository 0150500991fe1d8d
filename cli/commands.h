// The subcommands of polc. Each register_* adds one CLI11 subcommand whose callback sets
// Registry::exit_code; options live in the command's own file. Registry::lang is the language
// of this run (chosen in main.cpp before the commands are registered), so the help texts and
// everything a command prints are in it (cli/cli_text.h).
#pragma once

#include <CLI/CLI.hpp>

#include "compiler/diagnostics/message.h"

namespace pol::cli {

struct Registry {
  int exit_code = 0;
  Lang lang = Lang::En;
};

void register_check(CLI::App& app, Registry& reg);
void register_compile(CLI::App& app, Registry& reg);
void register_eval(CLI::App& app, Registry& reg);
void register_run(CLI::App& app, Registry& reg);
void register_diff(CLI::App& app, Registry& reg);
void register_report(CLI::App& app, Registry& reg);
void register_explain(CLI::App& app, Registry& reg);
void register_test(CLI::App& app, Registry& reg);
void register_ledger(CLI::App& app, Registry& reg);

// Whether diagnostics on stderr may use colour.
bool stderr_is_tty();

}  // namespace pol::cli
