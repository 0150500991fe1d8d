// Seeded random input, in process: token soup through the parser and checker, and random
// application records through the decoder, the engine and the JSON writer. Nothing may crash,
// every diagnostic must render, and every decision line must be valid JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/check/check.h"
#include "compiler/driver/pipeline.h"
#include "compiler/parse/parse.h"
#include "runtime/explain/explain.h"
#include "runtime/input/records.h"
#include "runtime/portfolio/batch.h"

namespace {

using pol::Diagnostics;
using pol::SourceManager;

const std::vector<std::string> kTokens = {
    "policy", "clause", "item", "input", "require", "amount", "cap", "group", "quota", "once", "series",
    "exclusive", "budget", "limit", "per", "year", "term", "items", "key", "rank", "by", "places", "text",
    "lead", "valid", "from", "for", "rounding", "half", "up", "down", "to", "rounded", "of", "and", "or",
    "not", "in", "when", "otherwise", "let", "parameter", "enum", "unit", "import", "rules", "test", "expect",
    "{", "}", "(", ")", ":", ",", "=", "+", "-", "*", "/", "<", ">=", "≠", "%", "30%", "600万", "1.5亿",
    "6,000,000", "0.01", "2025-01-10", "2025-02-30", "3 years", "\"二\"", "\"算力\"", "\"unterminated", "x",
    "compute_fee", "费用", "二", "money", "rate", "int", "bool", "date", "\n", " ", "\t", "//c\n", "/*", "*/",
    "#", "\xff", "\xe4\xb8", "@", "`", "\\", "1e5", "99999999999999999999999"};

TEST(Fuzz, TokenSoupNeverCrashesTheCompiler) {
  std::mt19937 rng(20261127);
  for (int round = 0; round < 1500; ++round) {
    std::string text = round % 3 == 0 ? "import \"common\"\npolicy p { rounding half up to 0.01 }\n" : "";
    int n = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      text += kTokens[rng() % kTokens.size()];
      text += ' ';
    }
    SourceManager sm;
    Diagnostics diags;
    uint32_t id = sm.add("fuzz.pol", text);
    auto file = pol::parse(id, sm, diags);
    ASSERT_NE(file, nullptr);
    if (!diags.has_errors()) {
      auto policy = pol::check({file.get()}, {}, diags);
      ASSERT_NE(policy, nullptr);
    }
    std::string rendered = pol::render_all(diags, sm, false);  // every span must render
    if (diags.has_errors()) {
      EXPECT_NE(rendered.find("error["), std::string::npos) << text;
    }
  }
}

std::unique_ptr<pol::LoadedPolicy> longgang() {
  pol::LoadOptions o;
  o.policy_path = std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025.pol";
  o.rules_paths = {std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025_rules.pol"};
  o.sets = {"annual_budget=5000000"};
  o.need_parameter_values = true;
  return pol::load_policy(o);
}

TEST(Fuzz, RandomApplicationsNeverCrashTheEngine) {
  auto lp = longgang();
  ASSERT_TRUE(lp->ok());
  std::mt19937 rng(7);
  std::vector<std::string> names;
  for (const auto& f : lp->policy->fields) names.push_back(f.name);
  names.push_back("award");
  names.push_back("不存在");
  const std::vector<std::string> values = {
      "\"2\"", "\"3\"", "\"7.1\"", "\"10\"", "\"12.2\"", "\"13.2\"", "\"99\"", "\"2025-03-01\"", "\"2027-12-31\"",
      "\"2025-02-30\"", "\"1000000\"", "\"0.05\"", "\"-5\"", "\"100.001\"", "12345678.90", "0", "-0", "1e5",
      "true", "false", "null", "\"yes\"", "\"E1\"", "\"E2\"", "\"P1\"", "\"national\"", "\"eyewear\"",
      "\"smart_wearable\"", "[1,2]", "{\"a\":1}", "\"92233720368547758.07\"", "80.5", "35"};
  std::string text;
  for (int line = 0; line < 3000; ++line) {
    text += "{\"id\":\"F" + std::to_string(line % 2900) + "\"";  // a few repeated ids
    // Mostly well-formed common fields, so that many records reach the engine.
    if (rng() % 10) text += ",\"enterprise\":\"E" + std::to_string(rng() % 5) + "\"";
    if (rng() % 10) text += ",\"item\":\"2\",\"compute_fee\":\"" + std::to_string(rng() % 30000000) + "\"";
    if (rng() % 10) text += ",\"date\":\"202" + std::to_string(5 + rng() % 3) + "-0" + std::to_string(1 + rng() % 9) + "-15\"";
    int n = static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i)
      text += ",\"" + names[rng() % names.size()] + "\":" + values[rng() % values.size()];
    text += "}\n";
    if (line % 97 == 0) text += "{not json\n";
  }
  pol::Batch batch(*lp->policy, lp->program);
  pol::Decoder dec(batch);
  auto reader = pol::input::open_jsonl(text);
  pol::input::RawRecord rec;
  while (reader->next(rec)) dec.add_application(rec);
  pol::evaluate(batch);
  pol::Explainer ex(batch);
  size_t decided = 0;
  for (uint32_t i = 0; i < batch.apps.size(); ++i) {
    std::string out;
    ex.json_line(i, out);
    nlohmann::json d = nlohmann::json::parse(out);  // throws (fails the test) on invalid JSON
    EXPECT_TRUE(d.contains("error") || d.contains("award")) << out;
    decided += d.contains("award");
  }
  EXPECT_EQ(batch.apps.size(), 3000u + 31u);
  EXPECT_GT(decided, 0u);
}

}  // namespace
