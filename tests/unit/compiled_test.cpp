// A compiled policy (polc compile): saved and loaded, it decides and explains exactly as the
// policy checked from source, it carries none of the checker's expression trees, and a damaged
// file is refused with E0010 — never a crash, whatever part of it is wrong.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "cli_fixture.h"
#include "compiler/driver/compiled.h"
#include "policy_fixture.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace pol {
namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string jsonl(const json& records) {
  std::string out;
  for (const auto& r : records) out += r.dump() + "\n";
  return out;
}

// Every decision of the batch as JSON, text and CSV, in one string.
std::string decide_all(const LoadedPolicy& lp, const std::string& apps, const std::string& history = "") {
  Batch batch(*lp.policy, lp.program);
  if (!history.empty()) {
    Decoder hist(batch);
    auto reader = input::open_jsonl(history);
    input::RawRecord rec;
    std::string error;
    while (reader->next(rec))
      if (!hist.add_history(rec, error)) return "history error: " + error;
  }
  Decoder dec(batch);
  auto reader = input::open_jsonl(apps);
  input::RawRecord rec;
  while (reader->next(rec)) dec.add_application(rec);
  evaluate(batch);
  Explainer ex(batch);
  std::string out;
  for (uint32_t i = 0; i < batch.apps.size(); ++i) {
    ex.json_line(i, out);
    out += '\n';
    ex.text_block(i, out);
    ex.csv_row(i, out);
  }
  return out + batch_summary(batch, Lang::En);
}

std::unique_ptr<LoadedPolicy> round_trip(const LoadedPolicy& lp) { return load_compiled("longgang.polc.json", save_compiled(lp)); }

TEST(Compiled, TheLonggangPolicyLoadsWithoutAnyExpressionTree) {
  auto lp = testing::load_longgang();
  ASSERT_TRUE(lp->ok());
  auto back = round_trip(*lp);
  ASSERT_TRUE(back->ok()) << render_all(back->diags, back->sources, false);
  EXPECT_EQ(back->identity, lp->identity);
  EXPECT_TRUE(back->files.empty());
  for (const auto& it : back->policy->items) {
    for (const auto& c : it.conditions) EXPECT_EQ(c.cond, nullptr);
    for (const auto& l : it.lets) EXPECT_EQ(l.value, nullptr);
    EXPECT_EQ(it.amount.expr, nullptr);
    for (const auto& t : it.amount.tiers) EXPECT_TRUE(!t.value && !t.when);
  }
  for (const auto& r : back->policy->rules) EXPECT_EQ(r.limit, nullptr);
  // The same program, instruction for instruction, and saved again the same bytes.
  EXPECT_EQ(ir::dump(back->program, *back->policy), ir::dump(lp->program, *lp->policy));
  EXPECT_EQ(save_compiled(*back), save_compiled(*lp));
}

TEST(Compiled, EveryLonggangCaseDecidesAndExplainsTheSame) {
  auto lp = testing::load_longgang();
  ASSERT_TRUE(lp->ok());
  auto back = round_trip(*lp);
  ASSERT_TRUE(back->ok());
  size_t cases = 0;
  for (const auto& e : fs::directory_iterator(fs::path(POL_SOURCE_DIR) / "tests/data/longgang_cases")) {
    if (e.path().extension() != ".json") continue;
    json c = json::parse(slurp(e.path()));
    std::string apps = jsonl(c["applications"]);
    std::string history = c.contains("history") ? jsonl(c["history"]) : "";
    std::string want = decide_all(*lp, apps, history);
    ASSERT_NE(want.find("\"award\""), std::string::npos) << e.path();
    EXPECT_EQ(decide_all(*back, apps, history), want) << e.path().filename();
    ++cases;
  }
  EXPECT_EQ(cases, 24u);
  std::string example = slurp(fs::path(POL_SOURCE_DIR) / "examples/batch.jsonl");
  EXPECT_EQ(decide_all(*back, example), decide_all(*lp, example));
}

// Policies of other shapes (Chinese names, tiers, optional inputs, lets, every rule kind) too.
TEST(Compiled, ThePoliciesOfTheTestDataRoundTrip) {
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(POL_SOURCE_DIR) / "tests")) {
    if (e.path().extension() != ".pol" || e.path().string().find("fuzz") != std::string::npos) continue;
    LoadOptions o;
    o.policy_path = e.path().string();
    auto lp = load_policy(o);
    if (!lp->ok()) continue;  // rules files, libraries and deliberately broken files
    auto back = round_trip(*lp);
    ASSERT_TRUE(back->ok()) << e.path() << "\n" << render_all(back->diags, back->sources, false);
    EXPECT_EQ(ir::dump(back->program, *back->policy), ir::dump(lp->program, *lp->policy)) << e.path();
    ++n;
  }
  EXPECT_GE(n, 3u);
}

bool refused(const LoadedPolicy& lp) {
  return !lp.ok() && !lp.diags.all().empty() && lp.diags.all().front().code == DiagCode::E0010;
}

TEST(Compiled, WhatIsNotACompiledPolicyIsRefused) {
  auto lp = testing::load_longgang();
  std::string text = save_compiled(*lp);
  EXPECT_TRUE(is_compiled_policy(text));
  EXPECT_FALSE(is_compiled_policy("policy x \"t\" {}"));
  EXPECT_TRUE(refused(*load_compiled("x", "{\"format\":\"pol-compiled\"}")));
  EXPECT_TRUE(refused(*load_compiled("x", "{\"format\":\"pol-compiled\",\"version\":99}")));
  EXPECT_TRUE(refused(*load_compiled("x", "[1,2]")));
  // Cut anywhere: refused.
  for (size_t cut = 0; cut < text.size(); cut += text.size() / 97 + 1)
    EXPECT_TRUE(refused(*load_compiled("x", text.substr(0, cut)))) << "cut at " << cut;
  // A source text changed after compiling: the spans would point elsewhere.
  json j = json::parse(text);
  j["sources"][0]["text"] = j["sources"][0]["text"].get<std::string>() + " ";
  auto changed = load_compiled("x", j.dump());
  ASSERT_TRUE(refused(*changed));
  EXPECT_NE(render_all(changed->diags, changed->sources, false).find("checksum"), std::string::npos);
}

// Every integer of the policy and program parts, set to a value that is out of place: each
// load is refused with E0010 or, when the value is still sound, decides and explains a batch.
// Under the sanitizers (build-asan) any read out of bounds is a failure.
TEST(Compiled, ADamagedFileIsRefusedOrStillSoundNeverACrash) {
  auto lp = testing::load_longgang();
  json j = json::parse(save_compiled(*lp));
  // Places as JSON pointers: erasing from an array moves its elements, so no raw pointers.
  std::vector<json::json_pointer> ints, arrays;
  std::function<void(const json&, const json::json_pointer&)> walk = [&](const json& v, const json::json_pointer& at) {
    if (v.is_number_integer()) ints.push_back(at);
    if (v.is_array() && !v.empty()) arrays.push_back(at);
    if (v.is_array())
      for (size_t i = 0; i < v.size(); ++i) walk(v[i], at / i);
    else if (v.is_object())
      for (auto it = v.begin(); it != v.end(); ++it) walk(it.value(), at / it.key());
  };
  walk(j["policy"], json::json_pointer("/policy"));
  walk(j["program"], json::json_pointer("/program"));
  ASSERT_GT(ints.size(), 1000u);
  std::string example = slurp(fs::path(POL_SOURCE_DIR) / "examples/batch.jsonl");
  std::mt19937_64 rng(20261128);
  const int64_t kOdd[] = {-2, -1, 0, 1, 2, 3, 63, 64, 255, 4096, 65535, INT32_MAX, int64_t{1} << 31, -(int64_t{1} << 31),
                          int64_t{1} << 40, INT64_MAX, INT64_MIN};
  size_t refusals = 0, loads = 0;
  for (int round = 0; round < 700; ++round) {
    bool drop = round % 7 == 6;
    json::json_pointer at = drop ? arrays[rng() % arrays.size()] : ints[rng() % ints.size()];
    json* target = &j[at];
    json saved = *target;
    if (drop) target->erase(target->begin() + static_cast<std::ptrdiff_t>(rng() % target->size()));
    else if (rng() % 3 == 0) *target = target->get<int64_t>() + (rng() % 2 ? 1 : -1);
    else *target = kOdd[rng() % std::size(kOdd)];
    auto back = load_compiled("damaged", j.dump());
    if (back->ok()) {
      ++loads;
      std::string out = decide_all(*back, example);
      EXPECT_FALSE(out.empty());
    } else {
      EXPECT_TRUE(refused(*back));
      ++refusals;
    }
    j[at] = saved;
  }
  std::printf("damaged files: %zu refused, %zu still sound\n", refusals, loads);
  EXPECT_GT(refusals, 300u);
  EXPECT_GT(loads, 0u);
}

class CompileCommand : public testing::TempDirTest {};

TEST_F(CompileCommand, RunFromTheCompiledFileWritesTheSameDecisions) {
  std::string policy = std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025.pol --rules " + POL_SOURCE_DIR +
                       "/policies/longgang_ai_2025_rules.pol";
  std::string batch = std::string(POL_SOURCE_DIR) + "/examples/batch.jsonl";
  std::string compiled = path("lg.polc.json");
  auto c = testing::polc("compile " + policy + " -o " + compiled);
  ASSERT_EQ(c.status, 0) << c.err;
  EXPECT_NE(c.err.find("16 items"), std::string::npos) << c.err;
  for (const char* fmt : {"json", "text", "csv"}) {
    auto a = testing::polc("run " + policy + " " + batch + " --format " + fmt);
    auto b = testing::polc("run " + compiled + " " + batch + " --format " + fmt);
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.out, b.out) << fmt;
    EXPECT_EQ(a.err, b.err) << fmt;
  }
  auto check = testing::polc("check " + compiled);
  EXPECT_EQ(check.status, 0) << check.err;
  // Its parameter values are compiled in: --rules or --set on top is refused, not half applied.
  auto set = testing::polc("run " + compiled + " --set annual_budget=1 " + batch);
  EXPECT_EQ(set.status, 2);
  EXPECT_NE(set.err.find("E0010"), std::string::npos) << set.err;
  // Never over its own source.
  auto over = testing::polc("compile " + policy + " -o " + std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025.pol");
  EXPECT_EQ(over.status, 2);
}

}  // namespace
}  // namespace pol
