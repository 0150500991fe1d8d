// The top of polc's command line, where CLI11 alone would print an error wall: the short usage a
// bare `polc` prints, and "did you mean" for a command that does not exist (`polc chek`).
#pragma once

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "compiler/diagnostics/message.h"

namespace pol::cli {

// "usage: polc COMMAND [ARGS...]", then each command with the first line of its description, in
// `lang` (the descriptions were built in it).
std::string short_usage(const CLI::App& app, Lang lang);

// When `word` (the first argument, not an option) names no command of `app`: the message saying
// so, with the nearest command by edit distance when one is close. "" when it names a command.
std::string unknown_command(const CLI::App& app, std::string_view word, Lang lang);

}  // namespace pol::cli
