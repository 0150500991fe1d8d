// Where polc finds its data files at run time — the standard library (stdlib/*.pol) and the
// error pages (errors/*.md) — from the running program, never from a path compiled in. One data
// folder holds both, laid out like an installation's share/pol. Stateless: each call looks again
// (a few stat calls), so tests may change the environment between calls.
#pragma once

#include <string>

namespace pol {

// The folder holding `sub` ("stdlib" or "errors"), or "" when none is found. Looked for in turn:
//   $POL_HOME/sub                          when POL_HOME is set (and nowhere else then)
//   <program's folder>/share/pol/sub       the build tree: the build links these to the sources
//   <program's folder>/../share/pol/sub    installed: PREFIX/bin/polc → PREFIX/share/pol
// ($POL_STDLIB, when set, is the stdlib folder itself; see default_stdlib_dir in pipeline.h.)
std::string find_data_dir(const std::string& sub);

// The places find_data_dir(sub) looks, for a message when it finds nothing:
// "$POL_HOME/stdlib (POL_HOME=/x)" or "/opt/pol/bin/share/pol/stdlib, /opt/pol/share/pol/stdlib".
std::string data_dir_candidates(const std::string& sub);

// The running program's folder (from /proc/self/exe), or "" when it cannot be told.
std::string program_dir();

}  // namespace pol
