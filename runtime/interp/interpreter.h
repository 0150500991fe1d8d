// The IR interpreter: runs one item program over a caller-owned frame of int64 slots.
// No allocation, no name lookups; text slots index the caller's text table.
#pragma once

#include <string_view>

#include "compiler/ir/ir.h"

namespace pol {

// Runs `prog` over `frame` (at least prog.frame_size slots, fields already loaded).
// Returns -1 on success, or the index of the instruction that overflowed / divided by zero.
int run_item(const ir::ItemProgram& prog, int64_t* frame, const std::string_view* texts);

}  // namespace pol
