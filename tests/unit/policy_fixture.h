// Test helper: checks a policy given as text and decides JSON Lines applications against it in
// process (load_policy → Batch → Decoder → evaluate → the JSON decision writer), so a test can
// state a reproducer in a few lines. The policy is written to a temporary file for the pipeline.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/compiled.h"
#include "compiler/driver/pipeline.h"
#include "runtime/explain/explain.h"
#include "runtime/input/records.h"
#include "runtime/portfolio/batch.h"

namespace pol::testing {

struct Outcome {
  std::string diagnostics;                 // rendered, empty when the policy checked clean
  std::vector<nlohmann::json> decisions;   // one per application, input order
  std::vector<std::string> lines;          // the same decisions as written (key order kept)
  std::string explanation(size_t i) const { return decisions.at(i).contains("explanation") ? decisions[i]["explanation"].dump() : ""; }
};

inline std::string write_temp_policy(const std::string& text) {
  static int n = 0;
  auto dir = std::filesystem::temp_directory_path() / ("pol_fixture_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / ("p" + std::to_string(n++) + ".pol");
  std::ofstream(path) << text;
  return path.string();
}

// The Longgang policy with its rules file (every required parameter set).
inline std::unique_ptr<LoadedPolicy> load_longgang() {
  LoadOptions o;
  o.policy_path = std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025.pol";
  o.rules_paths = {std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025_rules.pol"};
  o.need_parameter_values = true;
  return load_policy(o);
}

// The JSON decision lines of `jsonl` decided against a loaded policy.
// with_text: each line followed by the decision as text.
inline std::vector<std::string> decide_lines(const LoadedPolicy& lp, const std::string& jsonl, bool with_text = false) {
  Batch batch(*lp.policy, lp.program);
  Decoder dec(batch);
  auto reader = input::open_jsonl(jsonl);
  input::RawRecord rec;
  while (reader->next(rec)) dec.add_application(rec);
  evaluate(batch);
  Explainer ex(batch);
  std::vector<std::string> lines;
  for (uint32_t i = 0; i < batch.apps.size(); ++i) {
    std::string out;
    ex.json_line(i, out);
    if (with_text) ex.text_block(i, out);
    lines.push_back(out);
  }
  return lines;
}

inline Outcome decide(const std::string& policy_text, const std::string& jsonl, const std::vector<std::string>& sets = {}) {
  Outcome o;
  LoadOptions opts;
  opts.policy_path = write_temp_policy(policy_text);
  opts.sets = sets;
  opts.need_parameter_values = true;
  auto lp = load_policy(opts);
  o.diagnostics = render_all(lp->diags, lp->sources, false);
  if (!lp->ok()) return o;
  o.lines = decide_lines(*lp, jsonl);
  for (const auto& line : o.lines) o.decisions.push_back(nlohmann::json::parse(line));
  // Every policy a test decides is also decided from its compiled form (save, load: the IR
  // without the checker's trees), which must write the same bytes.
  auto compiled = load_compiled("compiled", save_compiled(*lp));
  EXPECT_TRUE(compiled->ok()) << render_all(compiled->diags, compiled->sources, false);
  if (compiled->ok()) {
    EXPECT_EQ(decide_lines(*compiled, jsonl, true), decide_lines(*lp, jsonl, true)) << "the compiled policy decides differently";
  }
  return o;
}

}  // namespace pol::testing
