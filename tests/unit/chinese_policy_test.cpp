// A policy written with Chinese names throughout (inputs, conditions, parameters, enums,
// rules, units) checks clean and evaluates: tests/data/chinese/.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

std::string run(const std::string& args, int* status) {
  std::string cmd = std::string(POL_BINARY_DIR) + "/polc " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

const std::string kDir = std::string(POL_SOURCE_DIR) + "/tests/data/chinese/";

TEST(ChinesePolicy, ChecksClean) {
  int status = 0;
  std::string out = run("check " + kDir + "人才政策.pol --rules " + kDir + "人才政策_rules.pol", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_EQ(out.find("error"), std::string::npos) << out;
}

TEST(ChinesePolicy, Evaluates) {
  int status = 0;
  std::string out = run("run -q " + kDir + "人才政策.pol --rules " + kDir + "人才政策_rules.pol " + kDir + "申报.jsonl", &status);
  ASSERT_EQ(status, 0) << out;
  std::istringstream in(out);
  std::string line;
  std::vector<nlohmann::json> d;
  while (std::getline(in, line))
    if (!line.empty() && line[0] == '{') d.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(d.size(), 4u) << out;
  EXPECT_EQ(d[0]["id"], "甲-1");
  EXPECT_EQ(d[0]["award"], "50000.00");  // 10% of 800,000 = 80,000, capped by the 博士 tier
  EXPECT_EQ(d[1]["award"], "30000.00");  // the `otherwise` tier
  EXPECT_EQ(d[2]["eligible"], false);    // 年薪达标 fails
  EXPECT_EQ(d[3]["eligible"], false);    // after the validity window (2年 from 2025-01-01)
  EXPECT_NE(out.find("年薪达标"), std::string::npos);
}

TEST(ChinesePolicy, ParameterOverrideWithChineseName) {
  int status = 0;
  std::string out = run("run -q " + kDir + "人才政策.pol --rules " + kDir + "人才政策_rules.pol --set 最低年薪=10万 " + kDir +
                            "申报.jsonl",
                        &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("\"id\":\"乙-1\",\"enterprise\":\"企业乙\",\"item\":\"1\",\"date\":\"2025-03-01\",\"eligible\":true,\"award\":\"15000.00\""),
            std::string::npos)
      << out;
}

}  // namespace
