// Phase 2: AST -> checked Policy. Resolves every name to a slot, types every expression
// with Pol's dimension rules, and validates the portfolio rules. Reports into `diags`;
// never prints or throws. The returned Policy is usable only if diags has no errors.
#pragma once

#include <memory>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/check/policy.h"
#include "compiler/diagnostics/diagnostic.h"

namespace pol {

// `policy_files`: the imported library files first, the policy file last.
// `rules_files`: rules files and `--set` overrides, later ones overriding earlier ones.
std::unique_ptr<Policy> check(const std::vector<const ast::File*>& policy_files,
                              const std::vector<const ast::File*>& rules_files, Diagnostics& diags);

// Every non-optional parameter needs a value before applications can be evaluated.
// Reports E0300 for each one without; returns false if any.
bool check_parameter_values(const Policy& policy, Diagnostics& diags);

}  // namespace pol
