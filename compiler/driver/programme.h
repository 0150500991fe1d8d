// A programme over time: the original measures and the revisions that amend them, each checked
// and lowered on its own as a complete policy, then linked here into one policy and one program.
// Every item of every version becomes an item of the linked policy tagged with its version, so
// the engine decides a batch that straddles a revision in one pass: the decoder gives each
// application the item of the version in force on its acceptance date, and a portfolio rule
// restated unchanged by a revision (same name, kind and scope) keeps one state across versions
// — a group cap of 600万 before the revision and 2000万 after counts the year's grants under
// both, as the texts say.
//
// Linking renumbers what differs between versions: fields and parameters are matched by name,
// each version's slots are relocated into the linked frame, text constants into the linked
// text table, lists by name. The expression trees of the versions are dropped (the linked
// program is what runs, and its explanations read its show trees).
#pragma once

#include <memory>
#include <vector>

#include "compiler/check/policy.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/ir/ir.h"

namespace pol {

struct CheckedVersion {
  std::unique_ptr<Policy> policy;  // checked, every tree in place
  ir::Program program;             // lowered from it
  VersionInfo info;                // the document; validity and in_force_from are filled by link
};

// Links `versions` (the original first, then revisions in order of the day they take effect)
// into `out` and `prog`. Problems a reader can fix (a list or field whose type a revision
// changes) are diagnostics on the revision; false when there were any.
bool link_versions(std::vector<CheckedVersion>& versions, Policy& out, ir::Program& prog, Diagnostics& diags);

}  // namespace pol
