// What `polc --version` and `polc version` print: the release, the git revision the program was
// built from, and the versions of what it reads — the policy language and the compiled-policy
// format. build_version() and build_revision() live in a file the build generates at every build
// (cmake/version.cmake), compiled on its own, so a new commit recompiles that file only.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace pol::cli {

const char* build_version();   // the project VERSION in CMakeLists.txt
const char* build_revision();  // the commit (12 hex digits, "-dirty" with uncommitted changes), or "unknown"

// "polc 0.1.0 (revision 049e82c1a2b3)\npolicy language 1, compiled policy format 4"
std::string version_text();

// `polc version`: the same text as `polc --version`.
void register_version(CLI::App& app, Registry& reg);

}  // namespace pol::cli
