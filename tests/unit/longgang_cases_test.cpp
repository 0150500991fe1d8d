// The Longgang scenarios (tests/data/longgang_cases) through the real polc binary: every
// decision must match the expected eligibility and award, and every batch fed as CSV must
// give exactly the same decisions as the same batch fed as JSON Lines.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kCases = fs::path(POL_SOURCE_DIR) / "tests" / "data" / "longgang_cases";

struct PolcRun {
  int exit_code = -1;
  std::vector<json> decisions;
  std::string stdout_text;
};

PolcRun run_polc(const std::string& args) {
  std::string cmd = std::string(POL_BINARY_DIR) + "/polc " + args + " 2>/dev/null";
  PolcRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.stdout_text.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::istringstream lines(r.stdout_text);
  std::string line;
  while (std::getline(lines, line))
    if (!line.empty() && line[0] == '{') r.decisions.push_back(json::parse(line));
  return r;
}

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_null()) return "";
  return v.dump();
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The same records as JSON Lines and as CSV (union of columns, empty cells where absent).
void write_batch(const json& records, const fs::path& jsonl, const fs::path& csv) {
  std::ofstream j(jsonl), c(csv);
  std::vector<std::string> columns;
  std::set<std::string> seen;
  for (const auto& r : records)
    for (auto it = r.begin(); it != r.end(); ++it)
      if (seen.insert(it.key()).second) columns.push_back(it.key());
  for (size_t i = 0; i < columns.size(); ++i) c << (i ? "," : "") << csv_cell(columns[i]);
  c << "\n";
  for (const auto& r : records) {
    j << r.dump() << "\n";
    for (size_t i = 0; i < columns.size(); ++i) {
      c << (i ? "," : "");
      if (r.contains(columns[i])) c << csv_cell(scalar_text(r[columns[i]]));
    }
    c << "\n";
  }
}

std::vector<fs::path> case_files() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kCases))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

class LonggangCase : public ::testing::TestWithParam<fs::path> {};

TEST_P(LonggangCase, DecisionsMatchAndCsvEqualsJsonl) {
  json sc = json::parse(std::ifstream(GetParam()));
  fs::path dir = fs::temp_directory_path() / ("pol_case_" + GetParam().stem().string() + "_" + std::to_string(getpid()));
  fs::create_directories(dir);
  write_batch(sc["applications"], dir / "apps.jsonl", dir / "apps.csv");
  std::string common = std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025.pol --rules " + POL_SOURCE_DIR +
                       "/policies/longgang_ai_2025_rules.pol";
  if (sc.contains("params") && sc["params"].is_object())
    for (auto it = sc["params"].begin(); it != sc["params"].end(); ++it)
      common += " --set " + it.key() + "=" + scalar_text(it.value());
  if (sc.contains("history") && sc["history"].is_array() && !sc["history"].empty()) {
    write_batch(sc["history"], dir / "history.jsonl", dir / "history.csv");
    common += " --history " + (dir / "history.jsonl").string();
  }
  PolcRun jsonl = run_polc("run " + common + " " + (dir / "apps.jsonl").string());
  PolcRun csv = run_polc("run " + common + " " + (dir / "apps.csv").string());

  const json& expected = sc["expected"];
  ASSERT_EQ(jsonl.decisions.size(), expected.size()) << jsonl.stdout_text;
  bool any_error = false;
  for (size_t i = 0; i < expected.size(); ++i) {
    const json& e = expected[i];
    const json& g = jsonl.decisions[i];
    EXPECT_EQ(g.value("id", ""), e["id"].get<std::string>()) << "decision " << i;
    if (e.value("error", false)) {
      any_error = true;
      EXPECT_TRUE(g.contains("error")) << e["id"] << ": expected an input error, got " << g.dump();
      continue;
    }
    ASSERT_FALSE(g.contains("error")) << e["id"] << ": unexpected error " << g.dump();
    EXPECT_EQ(g["eligible"].get<bool>(), e["eligible"].get<bool>()) << e["id"];
    EXPECT_EQ(g["award"].get<std::string>(), e["award"].get<std::string>()) << e["id"];
    EXPECT_TRUE(g["explanation"].is_array() && !g["explanation"].empty()) << e["id"];
  }
  EXPECT_EQ(jsonl.exit_code, any_error ? 1 : 0);

  // CSV: the same decisions, explanations included, line for line.
  ASSERT_EQ(csv.decisions.size(), jsonl.decisions.size());
  for (size_t i = 0; i < jsonl.decisions.size(); ++i) {
    json a = jsonl.decisions[i], b = csv.decisions[i];
    if (a.contains("error")) {  // messages may name a JSON type; the code and id must agree
      EXPECT_TRUE(b.contains("error")) << b.dump();
      EXPECT_EQ(a["id"], b["id"]);
      continue;
    }
    EXPECT_EQ(a, b) << "CSV and JSON Lines disagree on decision " << i;
  }
  EXPECT_EQ(csv.exit_code, jsonl.exit_code);
  fs::remove_all(dir);
}

std::string case_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string s = info.param.stem().string();
  for (char& c : s)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return "c" + s;
}

INSTANTIATE_TEST_SUITE_P(Cases, LonggangCase, ::testing::ValuesIn(case_files()), case_name);

TEST(LonggangCases, AllTwentyFourArePresent) { EXPECT_EQ(case_files().size(), 24u); }

}  // namespace
