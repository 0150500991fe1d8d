// Finding the data folders from the running program (compiler/driver/data_dirs.h): this test
// program lives in the build tree, so the stdlib and the error pages are found in share/pol beside
// it (linked to the sources at configure time); POL_HOME overrides, and names itself when it
// holds nothing.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/driver/data_dirs.h"
#include "compiler/driver/pipeline.h"

namespace {

namespace fs = std::filesystem;

// Sets POL_HOME (and clears POL_STDLIB) for one test, restoring both after it.
class DataDirsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    save("POL_HOME", home_);
    save("POL_STDLIB", stdlib_);
    unsetenv("POL_HOME");
    unsetenv("POL_STDLIB");
  }
  void TearDown() override {
    restore("POL_HOME", home_);
    restore("POL_STDLIB", stdlib_);
  }

 private:
  struct Saved {
    bool set = false;
    std::string value;
  };
  static void save(const char* name, Saved& s) {
    const char* v = getenv(name);
    s.set = v != nullptr;
    s.value = v ? v : "";
  }
  static void restore(const char* name, const Saved& s) {
    if (s.set) setenv(name, s.value.c_str(), 1);
    else unsetenv(name);
  }
  Saved home_, stdlib_;
};

TEST_F(DataDirsTest, BuildTreeFindsTheSourcesThroughShareBesideTheProgram) {
  const std::string stdlib = pol::find_data_dir("stdlib");
  ASSERT_FALSE(stdlib.empty()) << "looked in " << pol::data_dir_candidates("stdlib");
  EXPECT_EQ(fs::path(stdlib), fs::path(POL_BINARY_DIR) / "share" / "pol" / "stdlib");
  EXPECT_TRUE(fs::equivalent(fs::path(stdlib) / "common.pol", fs::path(POL_SOURCE_DIR) / "stdlib" / "common.pol"));
  const std::string errors = pol::find_data_dir("errors");
  ASSERT_FALSE(errors.empty());
  EXPECT_TRUE(fs::equivalent(fs::path(errors) / "E0200.md", fs::path(POL_SOURCE_DIR) / "docs" / "errors" / "E0200.md"));
  EXPECT_EQ(pol::default_stdlib_dir(), stdlib);
  EXPECT_EQ(pol::find_data_dir("no-such-folder"), "");
}

TEST_F(DataDirsTest, PolHomeOverridesAndIsNamedWhenEmpty) {
  const fs::path home = fs::temp_directory_path() / ("pol_home_" + std::to_string(getpid()));
  fs::create_directories(home / "stdlib");
  setenv("POL_HOME", home.c_str(), 1);
  EXPECT_EQ(pol::find_data_dir("stdlib"), (home / "stdlib").string());
  // POL_HOME is the only place looked in while it is set: no error pages there, none found.
  EXPECT_EQ(pol::find_data_dir("errors"), "");
  EXPECT_NE(pol::data_dir_candidates("errors").find("POL_HOME=" + home.string()), std::string::npos);
  // POL_STDLIB names the library folder itself and wins over POL_HOME.
  setenv("POL_STDLIB", "/somewhere/stdlib", 1);
  EXPECT_EQ(pol::default_stdlib_dir(), "/somewhere/stdlib");
  fs::remove_all(home);
}

TEST_F(DataDirsTest, MissingLibraryIsAClearDiagnostic) {
  const fs::path home = fs::temp_directory_path() / ("pol_empty_home_" + std::to_string(getpid()));
  fs::create_directories(home);
  setenv("POL_HOME", home.c_str(), 1);
  pol::LoadOptions o;
  o.policy_path = std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025.pol";
  auto lp = pol::load_policy(o);
  ASSERT_TRUE(lp);
  EXPECT_FALSE(lp->ok());
  bool said = false;
  for (const auto& d : lp->diags.all())
    said |= d.message.find("cannot find the standard library for `import \"common\"`") != std::string::npos &&
            d.help.find("POL_HOME") != std::string::npos;
  EXPECT_TRUE(said);
  fs::remove_all(home);
}

}  // namespace
