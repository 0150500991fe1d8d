// Test helpers for running the real polc binary: a command with its exit status, standard
// output and standard error, and a per-test temporary folder for the files a test writes.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace pol::testing {

// polc speaks the language of the locale; the tests compare its English texts, so every polc this
// test program starts (and every diagnostic it renders) is in English unless a test says otherwise
// (`--lang zh`, or POL_LANG unset with a Chinese LC_ALL for that one call). Set once at start-up.
inline const bool kPolcInEnglish = setenv("POL_LANG", "en", 1) == 0;

struct PolcRun {
  int status = -1;
  std::string out, err;
  std::string all() const { return out + err; }
};

// polc with `args` (a shell fragment); stdout and stderr kept apart.
inline PolcRun polc(const std::string& args) {
  static int n = 0;
  namespace fs = std::filesystem;
  std::string errfile = (fs::temp_directory_path() / ("pol_cli_err_" + std::to_string(getpid()) + "_" + std::to_string(n++))).string();
  std::string cmd = std::string(POL_BINARY_DIR) + "/polc " + args + " 2>" + errfile;
  PolcRun r;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t k;
  while ((k = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, k);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  std::ifstream e(errfile);
  r.err.assign(std::istreambuf_iterator<char>(e), {});
  fs::remove(errfile);
  return r;
}

// A fresh folder per test, removed after it; the Longgang policy as polc arguments.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pol_t_" + std::to_string(getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string policy() {
    return std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025.pol --rules " + POL_SOURCE_DIR +
           "/policies/longgang_ai_2025_rules.pol";
  }
  std::filesystem::path dir_;
};

}  // namespace pol::testing
