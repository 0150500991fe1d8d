// Revisions as text edits: a revision document's amendments applied to a freshly parsed copy of
// the policy it amends, giving the syntax tree of the revised version, which is then checked as
// a policy of its own (pipeline.cpp) and linked with the others (programme.h).
#pragma once

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"

namespace pol {

// Moves the amendments of `revision` into `policy` (the main file of the amended policy):
// `amend clause` replaces the clause's text, leads, title, validity, items (by number) and rules
// (by name) it restates and adds the ones it does not; `amend item` replaces statements of an
// item by name; `repeal` removes a clause, an item or a rule; the revision's own clauses are
// added. An amendment that targets nothing is E0411. `report`: whether to report (the first
// application of a revision reports, later ones, for later versions, apply silently).
void apply_revision(ast::File& policy, ast::File& revision, Diagnostics& diags, bool report);

}  // namespace pol
