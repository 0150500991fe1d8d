// Policies of different levels given together (docs/language.md §13.7): what one policy's level
// links (`highest`, `combined`, `award of`) say of another policy is checked against that policy
// once both are loaded — its items exist, and the key fields are text fields of the same name
// there. A link to a policy that is not given is not checked (its grants come from the history).
#pragma once

#include <vector>

#include "compiler/driver/pipeline.h"

namespace pol {

// Adds a diagnostic to the diagnostics of the policy whose link is wrong; false if any.
bool check_level_links(const std::vector<LoadedPolicy*>& policies);

}  // namespace pol
