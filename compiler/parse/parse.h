// Phase 1: source text -> AST. The only entry point to the ANTLR-generated parser.
// Syntax errors go into the Diagnostics passed in; the returned File holds whatever could
// be built (possibly partial). Spans in the AST are byte offsets into the SourceManager's text.
#pragma once

#include <memory>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"

namespace pol {

// Deeper nesting of brackets than this is refused before parsing (no stack exhaustion).
constexpr int kMaxNesting = 200;
// Likewise for operators in one expression (`a + b + …`): their tree is as deep as they are many.
constexpr int kMaxOperators = 1000;

std::unique_ptr<ast::File> parse(uint32_t file_id, const SourceManager& sources, Diagnostics& diags);

}  // namespace pol
