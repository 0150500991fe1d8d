// Direct tests of the IR: the interpreter on hand-built programs (jumps, regions, exact chains,
// failures), the verifier on broken programs, and lower() on small policies (short-circuit
// jumps, one exact chain per product, the stage plan). Through the library, no CLI.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "compiler/ir/ir.h"
#include "runtime/interp/interpreter.h"
#include "tests/unit/policy_fixture.h"

namespace {

using namespace pol;
using ir::Instr;
using ir::Op;

Instr in(Op op, int32_t dst, int32_t a = -1, int32_t b = -1, int64_t imm = 0) {
  Instr i;
  i.op = op;
  i.dst = dst;
  i.a = a;
  i.b = b;
  i.imm = imm;
  return i;
}

TEST(Interpreter, JumpsSkipWhatTheyGuard) {
  // s0 = guard, s1 = divisor; r (s2) = guard ? 100 / s1 : 7
  ir::ItemProgram p;
  p.code = {in(Op::Const, 2, -1, -1, 7), in(Op::JumpIfZero, -1, 0, -1, 4), in(Op::Const, 3, -1, -1, 10000),
            in(Op::DivMoneyInt, 2, 3, 1, 1)};
  p.value_region = {0, 4};
  p.frame_size = 4;
  int64_t f[4] = {0, 0, 0, 0};  // guard false, divisor 0: the division is skipped
  EXPECT_EQ(run_region(p, p.value_region, f, nullptr), -1);
  EXPECT_EQ(f[2], 7);
  int64_t g[4] = {1, 0, 0, 0};  // guard true, divisor 0: the division fails at @3
  EXPECT_EQ(run_region(p, p.value_region, g, nullptr), 3);
  int64_t h[4] = {1, 4, 0, 0};
  EXPECT_EQ(run_region(p, p.value_region, h, nullptr), -1);
  EXPECT_EQ(h[2], 2500);
}

TEST(Interpreter, AChainIsExactAndRoundedOnce) {
  // 60元 (fen) × 100.0001 (decimal) × 12 (int) = 72,000.072 元 → 7,200,007 fen half up
  ir::ItemProgram p;
  ir::Chain ch;
  ch.factors = {{0, Ty::Money, false}, {1, Ty::Decimal, false}, {2, Ty::Int, false}};
  ch.result = Ty::Money;
  p.chains.push_back(ch);
  Instr i = in(Op::MulChain, 3, -1, -1, 0);
  p.code = {i};
  p.value_region = {0, 1};
  int64_t f[4] = {6000, 100000100, 12, 0};
  EXPECT_EQ(run_region(p, p.value_region, f, nullptr), -1);
  EXPECT_EQ(f[3], 7200007);
  // a divisor of zero fails; overflow of 128 bits fails rather than wraps
  p.chains[0].factors[2].divides = true;
  f[2] = 0;
  EXPECT_EQ(run_region(p, p.value_region, f, nullptr), 0);
  p.chains[0].factors = {{0, Ty::Money, false}, {0, Ty::Money, false}, {0, Ty::Money, false}, {0, Ty::Money, false},
                         {0, Ty::Money, false}};
  f[0] = INT64_MAX;
  EXPECT_EQ(run_region(p, p.value_region, f, nullptr), 0);
}

TEST(Interpreter, EachConditionIsDecidedOnItsOwn) {
  // condition 0: s0 / s1 > 0 (fails when s1 = 0); condition 1: s2 != 0
  ir::ItemProgram p;
  p.code = {in(Op::DivDecDec, 3, 0, 1), in(Op::Gt, 4, 3, 5), in(Op::Ne, 6, 2, 5), in(Op::Const, 7, -1, -1, 0)};
  p.prologue = {0, 0};
  p.condition_regions = {{0, 2}, {2, 3}};
  p.condition_slots = {4, 6};
  p.value_region = {3, 4};
  p.amount_slot = 7;
  int64_t f[8] = {5, 0, 0, 0, 0, 0, 0, 0};
  ItemRun run;
  run_item(p, f, nullptr, run);
  EXPECT_EQ(run.unknown, 1u);  // condition 0 could not be computed
  EXPECT_TRUE(run.failed);     // condition 1 failed: ineligible whatever condition 0 would say
  EXPECT_EQ(run.cond_error, 0);
  EXPECT_EQ(run.value_error, -1);
}

TEST(Verifier, RefusesJumpsOutOfTheirRegionAndWritesToInputs) {
  pol::LoadOptions opts;
  opts.policy_path = pol::testing::write_temp_policy(R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "a" {
  item "1" "x" {
    input fee: money "投入"
    require r: fee > 0元 and fee < 100万 else "范围"
    amount fee
  }
}
)");
  auto lp = pol::load_policy(opts);
  ASSERT_TRUE(lp->ok()) << render_all(lp->diags, lp->sources, false);
  EXPECT_TRUE(ir::verify(lp->program, *lp->policy).empty());
  ir::Program bad = lp->program;
  auto& code = bad.items[0].code;
  size_t j = 0;
  while (j < code.size() && !ir::op_is_jump(code[j].op)) ++j;
  ASSERT_LT(j, code.size()) << "`and` lowers to a jump";
  code[j].imm = static_cast<int64_t>(code.size()) + 5;
  auto problems = ir::verify(bad, *lp->policy);
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems[0].find("leaves its region"), std::string::npos) << problems[0];
  ir::Program bad2 = lp->program;
  bad2.items[0].code.back().dst = 0;  // a parameter or field slot
  EXPECT_FALSE(ir::verify(bad2, *lp->policy).empty());
}

TEST(Lower, TheLonggangPolicyVerifiesAndHasItsStagePlan) {
  pol::LoadOptions o;
  o.policy_path = std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025.pol";
  o.rules_paths = {std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025_rules.pol"};
  auto lp = pol::load_policy(o);
  ASSERT_TRUE(lp->ok());
  EXPECT_TRUE(ir::verify(lp->program, *lp->policy).empty());
  std::vector<ir::StageKind> kinds;
  for (const auto& s : lp->program.stages) kinds.push_back(s.kind);
  EXPECT_EQ(kinds, (std::vector<ir::StageKind>{ir::StageKind::OwnConditions, ir::StageKind::Quota,
                                               ir::StageKind::Exclusive, ir::StageKind::GroupCaps,
                                               ir::StageKind::Budget}));
  EXPECT_EQ(lp->program.rules.size(), lp->policy->rules.size());
  for (const auto& ip : lp->program.items)
    for (size_t s = 0; s < ip.slot_types.size(); ++s)
      if (s >= static_cast<size_t>(lp->policy->slot_count)) continue;
      else EXPECT_NE(ip.slot_types[s], Ty::Error) << "input slot s" << s << " has no type";
}

TEST(Lower, AProductOfThreeFactorsIsOneChain) {
  pol::LoadOptions o;
  o.policy_path = pol::testing::write_temp_policy(R"(import "common"
policy t { rounding half up to 0.01 }
clause 一 "a" {
  item "1" "x" {
    input area: decimal "面积"
    input months: int "月数"
    amount 60元 * area * months
  }
}
)");
  auto lp = pol::load_policy(o);
  ASSERT_TRUE(lp->ok());
  const auto& ip = lp->program.items[0];
  ASSERT_EQ(ip.chains.size(), 1u);
  EXPECT_EQ(ip.chains[0].factors.size(), 3u);
  int chains = 0;
  for (const auto& i : ip.code) chains += i.op == Op::MulChain;
  EXPECT_EQ(chains, 1);
}

}  // namespace
