// The IR interpreter: runs one item program over a caller-owned frame of int64 slots.
// No allocation, no name lookups; text slots index the caller's text table. Each condition is
// its own region, so a condition that cannot be computed (a division by zero it does not guard)
// is reported as unknown while the others are still decided.
#pragma once

#include <cstdint>
#include <string_view>

#include "compiler/ir/ir.h"

namespace pol {

// ItemRun keeps one bit per condition: the checker allows at most kMaxItemConditions.
struct ItemRun {
  uint64_t held = 0;         // bit i: condition i was computed and held
  uint64_t unknown = 0;      // bit i: condition i could not be computed
  bool failed = false;       // some condition was computed and did not hold
  int32_t cond_error = -1;   // the first failing instruction of a condition region, or -1
  int32_t value_error = -1;  // the failing instruction of the amount / cap / limits, or -1
};

// Runs the instructions of `region` over `frame`. Returns -1 on success, or the index of the
// instruction that overflowed / divided by zero.
int run_region(const ir::ItemProgram& prog, ir::Region region, int64_t* frame, const std::string_view* texts);

// Runs the whole item: the prologue, every condition, then the amount, cap and group limits.
// `frame` has at least prog.frame_size slots with the application's fields already loaded.
void run_item(const ir::ItemProgram& prog, int64_t* frame, const std::string_view* texts, ItemRun& out);

}  // namespace pol
