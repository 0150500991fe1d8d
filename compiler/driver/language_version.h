// The version of the Pol policy language this compiler reads, printed by `polc --version` beside
// the compiled-policy format version (compiled.h). Raise it when the language gains a construct or
// a construct changes meaning, so a policy officer can tell whether a polc is new enough for a
// file; the compiled format has its own version, raised when its layout changes.
#pragma once

namespace pol {

inline constexpr int kPolicyLanguageVersion = 1;

}  // namespace pol
