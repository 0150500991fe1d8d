// Golden explanations: tests/golden/explanations/NAME.jsonl run through `polc run` must give
// exactly NAME.expected.jsonl (every step, clause and figure). POL_UPDATE_GOLDEN=1 re-records.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kDir = fs::path(POL_SOURCE_DIR) / "tests" / "golden" / "explanations";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> batches() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kDir)) {
    std::string n = e.path().filename().string();
    if (e.path().extension() == ".jsonl" && n.find(".expected.") == std::string::npos &&
        n.find(".history.") == std::string::npos)
      out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class GoldenExplanation : public ::testing::TestWithParam<fs::path> {};

std::string run(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "popen failed";
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  if (!WIFEXITED(status)) out += "\npolc crashed";
  return out;
}

// `polc run` of a golden batch: from the policy's source, or (compiled) from the policy first
// compiled with the batch's --set values by `polc compile`.
std::string run_golden(const fs::path& batch, bool compiled) {
  std::string stem = batch.stem().string();
  std::string args = slurp(kDir / (stem + ".args"));
  while (!args.empty() && (args.back() == '\n' || args.back() == ' ')) args.pop_back();
  std::string policy = std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025.pol --rules " + POL_SOURCE_DIR +
                       "/policies/longgang_ai_2025_rules.pol";
  if (compiled) {
    std::istringstream words(args);
    std::string w, sets, rest;
    while (words >> w) {
      if (w == "--set" && words >> w) sets += " --set " + w;
      else rest += " " + w;
    }
    fs::path out = fs::temp_directory_path() / ("pol_golden_" + std::to_string(::getpid()) + "_" + stem + ".polc.json");
    std::string compile = std::string(POL_BINARY_DIR) + "/polc compile " + policy + sets + " -o " + out.string() + " 2>&1";
    std::string said = run(compile);
    if (!fs::exists(out)) return "polc compile failed: " + said;
    policy = out.string();
    args = rest;
  }
  std::string cmd = "cd " + kDir.string() + " && " + POL_BINARY_DIR + "/polc run " + policy + " " + args + " -q " +
                    batch.filename().string();
  return run(cmd);
}

TEST_P(GoldenExplanation, MatchesRecordedDecisions) {
  fs::path batch = GetParam();
  std::string stem = batch.stem().string();
  std::string out = run_golden(batch, false);
  fs::path expected = kDir / (stem + ".expected.jsonl");
  if (const char* u = std::getenv("POL_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(expected, std::ios::binary) << out;
    GTEST_SKIP() << "re-recorded " << expected;
  }
  ASSERT_TRUE(fs::exists(expected)) << "no " << expected << "; record it with POL_UPDATE_GOLDEN=1";
  std::string want = slurp(expected);
  // Compare line by line so a failure names the decision that changed.
  std::istringstream a(out), b(want);
  std::string la, lb;
  int line = 0;
  while (true) {
    bool ga = static_cast<bool>(std::getline(a, la));
    bool gb = static_cast<bool>(std::getline(b, lb));
    ++line;
    if (!ga && !gb) break;
    ASSERT_EQ(la, lb) << stem << ".expected.jsonl line " << line;
  }
}

// A compiled policy holds the IR and no expression tree of the checker: deciding and explaining
// from it gives the same bytes, so nothing after lowering reads those trees.
TEST_P(GoldenExplanation, CompiledPolicyGivesTheSameBytes) {
  fs::path batch = GetParam();
  std::string from_source = run_golden(batch, false);
  std::string from_compiled = run_golden(batch, true);
  ASSERT_FALSE(from_source.empty());
  EXPECT_EQ(from_compiled, from_source);
}

std::string name(const ::testing::TestParamInfo<fs::path>& info) { return info.param.stem().string(); }

INSTANTIATE_TEST_SUITE_P(Batches, GoldenExplanation, ::testing::ValuesIn(batches()), name);

TEST(GoldenExplanations, ExplanationsNameClausesAndNumbers) {
  // Beyond byte equality: every decision of the recorded files explains itself with clauses.
  for (const auto& batch : batches()) {
    std::istringstream in(slurp(kDir / (batch.stem().string() + ".expected.jsonl")));
    std::string line;
    while (std::getline(in, line)) {
      if (line.find("\"error\"") != std::string::npos) continue;
      EXPECT_NE(line.find("\"explanation\":[{"), std::string::npos) << line;
      EXPECT_NE(line.find("\"clause\":\""), std::string::npos) << line;
      EXPECT_NE(line.find("\"step\":\"amount\""), std::string::npos) << line;
    }
  }
}

}  // namespace

namespace {

std::string run_detail(const fs::path& batch, const std::string& detail) {
  std::string stem = batch.stem().string();
  std::string args = slurp(kDir / (stem + ".args"));
  while (!args.empty() && (args.back() == '\n' || args.back() == ' ')) args.pop_back();
  std::string cmd = "cd " + kDir.string() + " && " + POL_BINARY_DIR + "/polc run " + POL_SOURCE_DIR +
                    "/policies/longgang_ai_2025.pol --rules " + POL_SOURCE_DIR + "/policies/longgang_ai_2025_rules.pol " +
                    args + " -q --explain " + detail + " " + batch.filename().string();
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

// `--explain brief` is the full explanation without its sentences; `--explain none` has no steps.
TEST(ExplainDetail, BriefAndNoneAreTheFullDecisionWithLess) {
  for (const auto& batch : batches()) {
    std::string full = run_detail(batch, "full"), brief = run_detail(batch, "brief"), none = run_detail(batch, "none");
    std::istringstream f(full), b(brief), o(none);
    std::string lf, lb, lo;
    while (std::getline(f, lf)) {
      ASSERT_TRUE(static_cast<bool>(std::getline(b, lb)));
      ASSERT_TRUE(static_cast<bool>(std::getline(o, lo)));
      std::string stripped = lf;
      // Remove every ,"text":"…" (texts hold no unescaped quote).
      for (size_t at; (at = stripped.find(",\"text\":\"")) != std::string::npos;) {
        size_t end = at + 9;
        while (end < stripped.size() && !(stripped[end] == '"' && stripped[end - 1] != '\\')) ++end;
        stripped.erase(at, end + 1 - at);
      }
      EXPECT_EQ(stripped, lb) << batch;
      size_t ex = lf.find(",\"explanation\":");
      if (ex != std::string::npos) EXPECT_EQ(lf.substr(0, ex) + "}", lo) << batch;
      else EXPECT_EQ(lf, lo) << batch;
    }
  }
}

}  // namespace
