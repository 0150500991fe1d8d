// Phase 3 output: the typed IR. Each item is a program over one frame of int64 slots
// (parameters, application fields, lets, then temporaries), with forward jumps for `and`, `or`,
// tiers and lets computed on first use, so the interpreter and the JIT run it with no name
// lookups and no allocation, and a guarded division is never computed. Every slot has a type.
// Produced by lower(), checked by verify(), owned by the caller.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/check/policy.h"

namespace pol::ir {

enum class Op : uint8_t {
#define POL_OP(NAME, TEXT, RESULT, FAILS, DIVIDES) NAME,
#include "compiler/ir/ops.def"
#undef POL_OP
};
constexpr int kOpCount = 0
#define POL_OP(NAME, TEXT, RESULT, FAILS, DIVIDES) +1
#include "compiler/ir/ops.def"
#undef POL_OP
    ;

// What an opcode is, from ops.def: its name, whether it can fail, whether b is a divisor.
const char* op_name(Op op);
bool op_can_fail(Op op);
bool op_divides(Op op);
bool op_is_jump(Op op);

struct Instr {
  Op op;
  RoundingMode mode = RoundingMode::HalfUp;
  int32_t dst = -1, a = -1, b = -1;
  int64_t imm = 0;
};

// One factor of an exact product chain: the slot, and whether it divides.
struct ChainFactor {
  int32_t slot = -1;
  Ty type = Ty::Int;
  bool divides = false;
};

// `60元 × area × months`: every factor multiplied exactly in 128 bits and rounded once, so the
// order in which a formula lists its factors never changes the amount.
struct Chain {
  std::vector<ChainFactor> factors;
  Ty result = Ty::Money;
  RoundingMode mode = RoundingMode::HalfUp;
  int64_t quantum = 1;  // of the result's unit (fen for money)
};

// A part of an item program that is run on its own: the instructions [begin, end). Jumps stay
// inside their region, so a condition whose computation fails does not stop the others.
struct Region {
  int32_t begin = 0, end = 0;
};

// What people read of an expression: the tree as the author wrote it, flattened into the item
// program, with the slots whose values an explanation shows. Explanations render these, never
// the checker's trees, so a compiled policy loaded without its source trees explains the same.
struct ShowNode {
  TOp op = TOp::Const;  // the operator as written (a name for display, not an instruction)
  Type type;
  CmpOp cmp = CmpOp::Eq;
  bool negated = false;                         // In: `not in`
  RoundingMode mode = RoundingMode::HalfUp;     // Round
  int32_t slot = -1;                            // Slot: the value; Present, OrElse: the presence slot
  int64_t value = 0;                            // Const: the value; Round: the quantum; AddDuration: packed
  int32_t first = 0, count = 0;                 // operands: ItemProgram::show_args[first, first + count)
};

// A tier as people read it: its label, its condition (-1: otherwise) and its value (show roots).
struct ShowTier {
  std::string label;
  int32_t when = -1, value = -1;
};

struct ItemProgram {
  std::vector<Instr> code;
  std::vector<Span> spans;  // source of each instruction, to place runtime errors
  std::vector<Chain> chains;
  std::vector<Ty> slot_types;             // type of every slot of the frame (Ty::Error: unused)
  Region prologue;                        // resets the lets' "computed" flags
  std::vector<Region> condition_regions;  // parallel to ItemInfo::conditions
  std::vector<int32_t> condition_slots;   // parallel to ItemInfo::conditions
  Region value_region;                    // amount, cap and group limits
  std::vector<int32_t> let_flag_slots;    // parallel to ItemInfo::lets: 1 once the let was computed
  int32_t amount_slot = -1, amount_tier_slot = -1;
  int32_t cap_slot = -1, cap_tier_slot = -1;  // -1: no cap / no tiers
  std::vector<int32_t> group_limit_slots;     // parallel to ItemInfo::groups
  std::vector<int32_t> level_limit_slots;     // parallel to ItemInfo::levels (-1: a Highest rule)
  int32_t relax_slot = -1;                    // bool: the cap may be relaxed (ItemInfo::relax_when); -1: none
  std::vector<int32_t> let_slots;             // parallel to ItemInfo::lets: where each let's value is
  int32_t frame_size = 0;
  // For explanations: the expressions as written (roots index `show`).
  std::vector<ShowNode> show;
  std::vector<int32_t> show_args;
  std::vector<int32_t> condition_show;  // parallel to ItemInfo::conditions
  std::vector<int32_t> let_show;        // parallel to ItemInfo::lets
  int32_t amount_show = -1;             // the amount when it is one expression
  std::vector<ShowTier> amount_tiers, cap_tiers;
};

// One portfolio rule, lowered: everything the engine needs to apply it, as data. `rule` points
// back to Policy::rules only for what people read (name, label, clause).
struct RulePlan {
  RuleKind kind = RuleKind::Group;
  int32_t rule = -1;
  std::vector<uint8_t> applies;     // per item: 1 when the rule covers it
  bool per_year = true;             // counted per calendar year of `date`; else over the term
  int32_t scope_field = -1;         // group: kept separately per value of this field (-1: one)
  std::vector<int32_t> key_fields;  // once, series, exclusive: what makes two applications "the same"
  int64_t places = 0;               // quota
  int32_t rank_field = -1;          // quota
  bool descending = true;           // quota
  int64_t max_supports = 0;         // series: 0 = no count limit
  int64_t max_consecutive = 0;      // series: at most this many calendar years in a row; 0 = no limit
  int32_t within_years = 0;         // series: 0 = no window
  bool prefer_highest = false;      // exclusive: the highest base wins, else the earliest
  Ration ration = Ration::Unstated;               // budget: how an oversubscribed period is shared
  RoundingMode scale_mode = RoundingMode::Down;  // budget: pro-rata rounding
  int64_t scale_quantum = 1;
  int32_t budget_param = -1;        // budget: the limit is this parameter (unset optional: no control)…
  int64_t budget_limit = -1;        // …or this constant (fen)
  // group: how its limit reads where no application is at hand (the ledger's totals)
  enum class Limit : uint8_t { None, Constant, ItemCap, PerApplication } limit = Limit::None;
  int64_t limit_fen = -1;           // Limit::Constant
  int32_t level_link = -1;          // highest, combined: Policy::level_links
  int32_t threshold_param = -1;     // route: the threshold is this parameter…
  int64_t threshold_fen = -1;       // …or this amount
};

// The stages of a batch, in the order the engine runs them (docs/language.md §15). Each names
// the rules it applies, in declaration order.
enum class StageKind : uint8_t {
  OwnConditions,  // validity, each item's conditions, routing above a threshold, once and series rules
  Quota,          // places to the best ranked eligible applications of each period
  Exclusive,      // one matter, one grant
  Levels,         // another level's award for the same matter: highest only, combined caps
  GroupCaps,      // shared caps, application by application in processing order
  Budget,         // total control: pro-rata scaling of a period's awards
};
const char* stage_name(StageKind k);

struct Stage {
  StageKind kind;
  std::vector<int32_t> rules;  // indexes into Program::rules
};

struct Program {
  std::vector<ItemProgram> items;  // parallel to Policy::items
  std::vector<RulePlan> rules;     // parallel to Policy::rules
  std::vector<Stage> stages;       // the batch plan, in order
  int32_t frame_size = 0;          // the largest item frame
};

Program lower(const Policy& policy);
// The rule plan and stage order of `policy` into prog.rules and prog.stages (part of lower();
// also run on a linked programme, whose rules span versions).
void plan_rules(const Policy& policy, Program& prog);
// Problems of a lowered program (slots out of the frame, jumps out of their region, operands
// of the wrong type, results never written); empty when it is sound. Run after lowering.
std::vector<std::string> verify(const Program& program, const Policy& policy);
std::string dump(const Program& program, const Policy& policy);
int64_t pack_duration(Duration d);
Duration unpack_duration(int64_t v);

}  // namespace pol::ir
