// The texts polc prints, in the language chosen for this run (--lang, POL_LANG, the locale): a
// message of the catalogue section messages_cli.def rendered with its arguments. The language is
// passed in (Registry::lang), never read from a global here.
#pragma once

#include <cstdio>
#include <initializer_list>
#include <string>

#include "compiler/diagnostics/messages_cli.h"

namespace pol::cli {

using pol::say;  // the text of a catalogue message in a language (message.h)

// The text of `id` in `lang` on standard error, as one line.
inline void say_err(Lang lang, CliMsg id, std::initializer_list<MsgArg> args = {}) {
  std::string line = say(lang, id, args);
  line += '\n';
  std::fputs(line.c_str(), stderr);
}

// "error: MESSAGE" (错误：…) on standard error, for a message already in the chosen language
// (from the runtime libraries) or a file name.
inline void error_line(Lang lang, const std::string& message) { say_err(lang, CliMsg::ErrorLine, {{"message", message}}); }

// Whether a run's warning line (BatchRun::warnings) is a warning, shown even with -q, rather than a note.
inline bool is_warning(const std::string& line) {
  return line.find("warning") != std::string::npos || line.find("警告") != std::string::npos;
}

}  // namespace pol::cli
