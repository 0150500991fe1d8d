// The top of polc's command line through the real binary: bare `polc` prints a short usage, a
// mistyped command gets the nearest one, `--version` and `version` print the release, revision
// and formats, and the hidden `reference` (the man page and completion tables) names every
// listed command.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>

#include "cli_fixture.h"

namespace {

using pol::testing::polc;

TEST(PolcUsage, BarePolcPrintsAShortUsage) {
  auto r = polc("");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("usage: polc COMMAND", 0), 0u) << r.err;
  for (const char* command : {"check", "eval", "run", "test", "ledger", "explain", "version"})
    EXPECT_NE(r.err.find(std::string("\n  ") + command + " "), std::string::npos) << command << " missing:\n" << r.err;
  EXPECT_EQ(r.err.find("reference"), std::string::npos) << "the hidden command is listed:\n" << r.err;
  EXPECT_EQ(r.err.find("A subcommand is required"), std::string::npos);
  EXPECT_LT(std::count(r.err.begin(), r.err.end(), '\n'), 25) << r.err;
}

TEST(PolcUsage, MistypedCommandSuggestsTheNearest) {
  auto r = polc("chek policies/x.pol");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("error: unknown command `chek`; did you mean `check`?"), std::string::npos) << r.err;
  r = polc("leger show x.db");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("did you mean `ledger`?"), std::string::npos) << r.err;
  r = polc("frobnicate");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("error: unknown command `frobnicate`"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
}

TEST(PolcUsage, VersionNamesReleaseRevisionAndFormats) {
  auto r = polc("--version");
  EXPECT_EQ(r.status, 0) << r.err;
  const std::regex shape(
      "polc [0-9]+\\.[0-9]+\\.[0-9]+ \\(revision ([0-9a-f]{12}(-dirty)?|unknown)\\)\n"
      "policy language [0-9]+, compiled policy format [0-9]+\n");
  EXPECT_TRUE(std::regex_match(r.out, shape)) << r.out;
  auto sub = polc("version");
  EXPECT_EQ(sub.status, 0);
  EXPECT_EQ(sub.out, r.out);
}

TEST(PolcUsage, ReferenceNamesEveryCommandAndOption) {
  auto man = polc("reference man");
  ASSERT_EQ(man.status, 0) << man.err;
  auto bash = polc("reference bash");
  ASSERT_EQ(bash.status, 0) << bash.err;
  for (const char* command : {"check", "compile", "eval", "run", "diff", "explain", "test", "ledger show", "version"})
    EXPECT_NE(man.out.find(std::string(".SS \"polc ") + command + "\""), std::string::npos) << command;
  // An option as --help shows it, with minus signs in the man page so it copies as typed.
  EXPECT_NE(man.out.find("\\fB\\-\\-min\\-coverage\\fR"), std::string::npos);
  EXPECT_NE(bash.out.find("\"run|--explain\") echo \"full brief none\""), std::string::npos) << bash.out;
  EXPECT_NE(bash.out.find("\"check|--dump-ast\") echo \"FLAG\""), std::string::npos) << bash.out;
  EXPECT_EQ(bash.out.find("\"reference\")"), std::string::npos) << "the hidden command has options to complete";
  EXPECT_EQ(bash.out.find(" reference\" ;;"), std::string::npos) << "the hidden command is completed";
  EXPECT_EQ(man.out.find("polc reference"), std::string::npos) << "the hidden command is in the man page";
}

}  // namespace
