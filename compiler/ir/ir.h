// Phase 3 output: the typed IR. Each item is a straight-line program over one frame of
// int64 slots (parameters, application fields, then temporaries), so the interpreter and the
// JIT run it with no name lookups and no allocation. Produced by lower(), owned by the caller.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/check/policy.h"

namespace pol::ir {

enum class Op : uint8_t {
  Const,         // dst = imm
  Copy,          // dst = a
  Add, Sub,      // same-scale checked add/sub (money, rate, int, decimal)
  MulInt,        // int × int, checked
  MulRateMoney,  // rate(ppm) × money(fen), rounded by mode to quantum imm
  MulDecMoney,   // decimal × money, rounded by mode to quantum imm
  MulMoneyInt,   // money × int (either order: a is money), checked
  MulRateRate,   // ppm × ppm -> ppm
  MulDecDec,     // decimal × decimal -> decimal
  MulRateInt,    // a ppm × b int
  DivMoneyMoney, // -> rate
  DivMoneyInt,   // money ÷ int, rounded by mode to quantum imm
  DivMoneyDec,   // money ÷ decimal, rounded by mode to quantum imm
  DivDecDec,     // decimal ÷ decimal -> decimal (half up)
  DivRateInt,
  IntToDec,
  Neg,
  Lt, Le, Gt, Ge, Eq, Ne,  // int64 comparisons (all numeric types compare in their own scale)
  TextEq, TextNe,          // compare the texts of two text slots
  And, Or, Not,
  Select,        // dst = slot[c] ? slot[a] : slot[b]
  Min, Max,
  Quantize,      // dst = a rounded by mode to a multiple of imm
  AddDuration,   // dst = date a + duration packed in imm
  Year,          // dst = calendar year of date a
};

struct Instr {
  Op op;
  RoundingMode mode = RoundingMode::HalfUp;
  int32_t dst = -1, a = -1, b = -1, c = -1;
  int64_t imm = 0;
};

struct ItemProgram {
  std::vector<Instr> code;
  std::vector<Span> spans;  // source of each instruction, to place runtime errors
  std::vector<int32_t> condition_slots;   // parallel to ItemInfo::conditions
  int32_t conditions_end = 0;             // instructions before this index compute the conditions
  int32_t amount_slot = -1, amount_tier_slot = -1;
  int32_t cap_slot = -1, cap_tier_slot = -1;  // -1: no cap / no tiers
  std::vector<int32_t> group_limit_slots;     // parallel to ItemInfo::groups
  int32_t frame_size = 0;
};

struct Program {
  std::vector<ItemProgram> items;  // parallel to Policy::items
  int32_t frame_size = 0;          // the largest item frame
};

Program lower(const Policy& policy);
std::string dump(const Program& program, const Policy& policy);
const char* op_name(Op op);
int64_t pack_duration(Duration d);
Duration unpack_duration(int64_t v);

}  // namespace pol::ir
