// A compiled policy on disk: what `polc compile` writes and every command can load in place of
// the source. It holds exactly what runs after lowering — the typed IR (item programs, their
// show trees for explanations, the rule plan), the policy's names, labels, clauses and
// parameter values — plus the source texts, so explanations and runtime errors still quote the
// clause and place a caret. It holds none of the checker's expression trees: a policy loaded
// from it has none, so whatever decides and explains from it cannot be reading them.
//
// The file is JSON (format "pol-compiled", version 4: the version changes with the format, and a
// file of another version is refused by name). Loading checks every index in it and runs
// the IR verifier: a damaged or hand-edited file is an error (E0010), never a crash.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "compiler/driver/pipeline.h"

namespace pol {

// The format version this polc writes and reads (`polc --version` prints it).
int compiled_format_version();

// Whether `text` is a compiled policy (rather than Pol source).
bool is_compiled_policy(std::string_view text);

// The name of the policy a compiled file holds ("" when the text is not a readable one).
std::string compiled_policy_name(std::string_view text);

// The compiled form of a loaded, error-free policy.
std::string save_compiled(const LoadedPolicy& lp);

// Loads a compiled policy read from `path`. Problems are E0010 diagnostics in the result
// (ok() false); the result then has no policy.
std::unique_ptr<LoadedPolicy> load_compiled(const std::string& path, std::string_view text);

}  // namespace pol
