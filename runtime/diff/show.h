// A policy's expressions and values as people read them, with no application at hand: the item
// programs' show trees with names in place of values ("30% × 算力服务费用"), parameter values and
// constants formatted like the explanations. Used to list what changed between two policies.
// Refers to the LoadedPolicy it was made for.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"

namespace pol::diff {

class PolicyShow {
 public:
  explicit PolicyShow(const LoadedPolicy& lp);
  // A show tree of item `item` (a root index into its ItemProgram::show), names only.
  std::string expr(int item, int32_t node) const;
  // The amount or the cap of an item: one expression or its tiers; "" when the item has none.
  std::string amount(int item) const;
  std::string cap(int item) const;
  // A value of type `t` as the explanations write it (money "6,000,000.00 元", rates "30%").
  std::string value(Type t, int64_t v) const;
  // A parameter's value, or 未设定.
  std::string param_value(const ParamInfo& p) const;
  // A value of item `item`'s program that has no show tree (a one-expression cap, a group limit).
  std::string slot_source(int item, int32_t slot) const;
  // Whether item `item`'s expressions read `slot` (a parameter).
  bool reads(int item, int32_t slot) const;

 private:
  void describe(int item, int32_t node, std::string& out) const;
  std::string tiers(int item, const std::vector<ir::ShowTier>& tiers) const;
  const std::string& label(int item, int32_t slot) const;

  const Policy& p_;
  const ir::Program& prog_;
  std::vector<std::vector<const std::string*>> labels_;  // [item][slot]
};

}  // namespace pol::diff
