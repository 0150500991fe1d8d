// Golden file tests of `polc check`: one test per file in tests/check/good and tests/check/bad.
//
// Each file is checked with `POL_BINARY_DIR/polc check FILE [--rules NAME.rules.pol]` (the rules
// file is passed when `NAME.rules.pol` sits next to `NAME.pol`; rules files are not tests of their
// own). Every diagnostic header `path:line:col: error[CODE]: message` / `warning[CODE]` printed on
// stderr is compared with the expectations written inline in the checked files (the policy and its
// rules file), as comments on the line the diagnostic is reported on:
//
//     amount compute_fee + 30%   // expect-error[E0200]: cannot add `money` and `rate`
//     input n: int               // expect-warning[W0002]: input `n` is never used
//     amount 30% of              // expect-error@+1[E0001]: unexpected end of file
//
// The text after the colon must be a substring of the real message (it may be empty). `@+N` / `@-N`
// moves the expectation N lines down / up from the comment, for lines that cannot carry a comment
// (the end of the file, a line holding an unterminated string). Several expectations may share a
// line. Every expectation must be met by a diagnostic on its line with its level, code and text, and
// every error or warning must be expected. Files in good/ must exit 0, files in bad/ must exit 1 and
// expect at least one error; in both, polc must exit normally (no signal, no timeout).
//
// Re-recording: run the tests with the environment variable POL_UPDATE_GOLDEN=1, e.g.
//     POL_UPDATE_GOLDEN=1 build/pol_unit_tests --gtest_filter='*GoldenCheck*'
// Instead of failing on expectation mismatches, the runner then rewrites the expectation comments of
// the bad files (and their rules files) from polc's actual output: old `// expect-…` comments are
// stripped and new ones appended to the end of the lines the diagnostics are on (an expectation that
// already pointed at the same line through `@±N` keeps its place). Review the diff before committing:
// re-recording enshrines whatever polc prints today, bugs included. Crashes and wrong exit codes
// still fail in this mode, and good files are never rewritten.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <ostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const char* const kPolc = POL_BINARY_DIR "/polc";
const char* const kCheckDir = POL_SOURCE_DIR "/tests/check";

struct GoldenCase {
  std::string kind;  // "good" or "bad"
  fs::path file;
  fs::path rules;    // empty when the file has no NAME.rules.pol
  std::string name;  // test name: kind_stem
};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.kind << "/" << c.file.filename().string(); }

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<GoldenCase> collect_cases() {
  std::vector<GoldenCase> out;
  std::set<std::string> names;
  for (const char* kind : {"good", "bad"}) {
    const fs::path dir = fs::path(kCheckDir) / kind;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string fname = entry.path().filename().string();
      if (!entry.is_regular_file() || !ends_with(fname, ".pol") || ends_with(fname, ".rules.pol")) continue;
      files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      GoldenCase c;
      c.kind = kind;
      c.file = f;
      fs::path rules = f;
      rules.replace_extension(".rules.pol");
      if (fs::exists(rules, ec)) c.rules = rules;
      std::string name = std::string(kind) + "_";
      for (unsigned char ch : f.stem().string()) name += std::isalnum(ch) ? static_cast<char>(ch) : '_';
      std::string unique = name;
      for (int i = 2; names.count(unique); ++i) unique = name + "_" + std::to_string(i);
      names.insert(unique);
      c.name = unique;
      out.push_back(std::move(c));
    }
  }
  return out;
}

bool update_mode() {
  const char* v = std::getenv("POL_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Lines without their terminators; a text of N '\n' has N + 1 lines, as in the SourceManager.
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (true) {
    const size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return lines;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

// ---------------------------------------------------------------- running polc

struct RunResult {
  std::string command;
  std::string output;  // stdout and stderr together
  bool exited = false;
  int exit_code = -1;
  int signal = 0;  // set when polc (or the shell running it) was killed by a signal
};

RunResult run_polc(const GoldenCase& c) {
  RunResult r;
  r.command = "timeout -k 5 120 " + shell_quote(kPolc) + " check " + shell_quote(c.file.string());
  if (!c.rules.empty()) r.command += " --rules " + shell_quote(c.rules.string());
  r.command += " 2>&1";
  FILE* pipe = popen(r.command.c_str(), "r");
  if (!pipe) {
    r.output = "popen failed";
    return r;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) {
    r.exited = true;
    r.exit_code = WEXITSTATUS(status);
    // The shell and `timeout` report a child killed by signal S as exit status 128 + S.
    if (r.exit_code > 128 && r.exit_code < 128 + 65) r.signal = r.exit_code - 128;
  } else if (status != -1 && WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
  }
  return r;
}

// ---------------------------------------------------------------- diagnostics and expectations

struct Diag {
  std::string path;  // empty: a diagnostic without location
  int line = 0, column = 0;
  std::string level, code, message;
  bool matched = false;
};

std::vector<Diag> parse_diagnostics(const std::string& output) {
  static const std::regex located(R"(^(.+?):(\d+):(\d+): (error|warning)\[([A-Z][0-9]{4})\]: (.*)$)");
  static const std::regex unlocated(R"(^(error|warning)\[([A-Z][0-9]{4})\]: (.*)$)");
  std::vector<Diag> out;
  for (const std::string& line : split_lines(output)) {
    std::smatch m;
    Diag d;
    if (std::regex_match(line, m, located)) {
      d.path = m[1];
      d.line = std::stoi(m[2]);
      d.column = std::stoi(m[3]);
      d.level = m[4];
      d.code = m[5];
      d.message = m[6];
    } else if (std::regex_match(line, m, unlocated)) {
      d.level = m[1];
      d.code = m[2];
      d.message = m[3];
    } else {
      continue;
    }
    out.push_back(std::move(d));
  }
  return out;
}

struct Expectation {
  fs::path file;
  int comment_line = 0;  // where the comment is
  int offset = 0;        // @+N / @-N
  int line = 0;          // comment_line + offset: where the diagnostic must be
  std::string level, code, text;
  bool matched = false;
};

constexpr const char* kMarker = "// expect-";

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Reads every `// expect-…` comment of `file`; malformed ones are reported as test failures.
std::vector<Expectation> parse_expectations(const fs::path& file) {
  static const std::regex form(R"(^// expect-(error|warning)(?:@([+-][0-9]+))?\[([A-Z][0-9]{4})\](?::(.*))?$)");
  std::vector<Expectation> out;
  const std::vector<std::string> lines = split_lines(read_file(file));
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    // Every `expect-error` / `expect-warning` on the line must be introduced by `// `.
    size_t markers = 0, segments = 0;
    for (size_t p = line.find("expect-"); p != std::string::npos; p = line.find("expect-", p + 1))
      if (line.compare(p + 7, 5, "error") == 0 || line.compare(p + 7, 7, "warning") == 0) ++markers;
    for (size_t pos = line.find(kMarker); pos != std::string::npos;) {
      const size_t next = line.find(kMarker, pos + 1);
      const std::string segment = trim(line.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
      ++segments;
      std::smatch m;
      if (!std::regex_match(segment, m, form)) {
        ADD_FAILURE() << file.string() << ":" << i + 1 << ": malformed expectation `" << segment
                      << "`; write `// expect-error[E0200]: text` or `// expect-warning@+1[W0002]: text`";
      } else {
        Expectation e;
        e.file = file;
        e.comment_line = static_cast<int>(i + 1);
        e.offset = m[2].matched ? std::stoi(m[2].str()) : 0;
        e.line = e.comment_line + e.offset;
        e.level = m[1];
        e.code = m[3];
        e.text = m[4].matched ? trim(m[4].str()) : "";
        out.push_back(std::move(e));
      }
      pos = next;
    }
    if (markers > segments)
      ADD_FAILURE() << file.string() << ":" << i + 1 << ": expectation not written as `// expect-…`: " << line;
  }
  return out;
}

bool same_file(const std::string& printed, const fs::path& file) {
  std::error_code ec;
  if (printed == file.string()) return true;
  const fs::path a = fs::weakly_canonical(fs::path(printed), ec);
  if (ec) return false;
  const fs::path b = fs::weakly_canonical(file, ec);
  return !ec && a == b;
}

std::string describe(const Diag& d) {
  std::string where = d.path.empty() ? "(no location)" : d.path + ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
  return where + ": " + d.level + "[" + d.code + "]: " + d.message;
}

std::string describe(const Expectation& e) {
  return e.file.filename().string() + ":" + std::to_string(e.line) + ": " + e.level + "[" + e.code + "] containing \"" +
         e.text + "\"";
}

// Pairs expectations with diagnostics (longest expected texts first, so that a short text does not
// take the diagnostic a longer, more specific one needs).
void match(std::vector<Expectation>& expects, std::vector<Diag>& diags) {
  std::vector<Expectation*> order;
  for (auto& e : expects) order.push_back(&e);
  std::stable_sort(order.begin(), order.end(),
                   [](const Expectation* a, const Expectation* b) { return a->text.size() > b->text.size(); });
  for (Expectation* e : order) {
    for (Diag& d : diags) {
      if (d.matched || d.line != e->line || d.level != e->level || d.code != e->code) continue;
      if (!same_file(d.path, e->file) || d.message.find(e->text) == std::string::npos) continue;
      d.matched = e->matched = true;
      break;
    }
  }
}

// ---------------------------------------------------------------- re-recording

// Rewrites the expectation comments of `file` from `diags` (those located in it).
bool rewrite_expectations(const fs::path& file, const std::vector<Diag>& diags, std::string* report) {
  const std::string original = read_file(file);
  std::vector<std::string> lines;
  std::vector<std::string> endings;  // "\n", "\r\n" or "" (last line)
  {
    size_t start = 0;
    while (true) {
      const size_t nl = original.find('\n', start);
      std::string line = original.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      std::string ending = nl == std::string::npos ? "" : "\n";
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
        ending = "\r" + ending;
      }
      lines.push_back(std::move(line));
      endings.push_back(std::move(ending));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  const std::vector<std::string> original_lines = lines;
  std::vector<std::string> indent(lines.size());  // of comment-only lines
  std::vector<std::string> gap(lines.size());     // spaces before an old comment, reused for the new one
  std::vector<Expectation> old;
  for (size_t i = 0; i < lines.size(); ++i) {
    static const std::regex form(R"(^// expect-(error|warning)(?:@([+-][0-9]+))?\[([A-Z][0-9]{4})\])");
    for (size_t p = lines[i].find(kMarker); p != std::string::npos; p = lines[i].find(kMarker, p + 1)) {
      std::smatch m;
      const std::string rest = lines[i].substr(p);
      if (!std::regex_search(rest, m, form)) continue;
      Expectation e;
      e.comment_line = static_cast<int>(i + 1);
      e.offset = m[2].matched ? std::stoi(m[2].str()) : 0;
      e.line = e.comment_line + e.offset;
      e.level = m[1];
      e.code = m[3];
      old.push_back(e);
    }
    const size_t p = lines[i].find(kMarker);
    if (p != std::string::npos) {
      lines[i].erase(p);
      while (!lines[i].empty() && (lines[i].back() == ' ' || lines[i].back() == '\t')) lines[i].pop_back();
      if (lines[i].empty()) indent[i] = original_lines[i].substr(0, p);  // a comment-only line
      else gap[i] = original_lines[i].substr(lines[i].size(), p - lines[i].size());
    }
  }
  // Where each new comment goes: the diagnostic's own line, or where an old expectation for the same
  // line and code put it, or (past the end, or on the empty last line) the last non-empty line above.
  std::map<int, std::vector<std::string>> comments;  // 1-based comment line -> comments
  int recorded = 0;
  for (const Diag& d : diags) {
    if (d.path.empty() || !same_file(d.path, file)) continue;
    int at = d.line;
    for (auto it = old.begin(); it != old.end(); ++it)
      if (it->line == d.line && it->level == d.level && it->code == d.code) {
        at = it->comment_line;
        old.erase(it);
        break;
      }
    const int count = static_cast<int>(lines.size());
    if (at == d.line && (at > count || (at == count && trim(lines[at - 1]).empty()))) {
      at = std::min(at, count);
      while (at > 1 && (at == d.line || trim(lines[at - 1]).empty())) --at;
    }
    const int offset = d.line - at;
    std::string c = std::string("// expect-") + d.level;
    if (offset) c += std::string("@") + (offset > 0 ? "+" : "") + std::to_string(offset);
    c += "[" + d.code + "]: " + d.message;
    comments[at].push_back(c);
    ++recorded;
  }
  for (auto& [at, list] : comments) {
    std::string& line = lines[at - 1];
    if (!trim(line).empty()) line += gap[at - 1].empty() ? "   " : gap[at - 1];
    else line = indent[at - 1];
    for (size_t i = 0; i < list.size(); ++i) line += (i ? "  " : "") + list[i];
  }
  std::string updated;
  for (size_t i = 0; i < lines.size(); ++i) updated += lines[i] + endings[i];
  *report += "  " + file.filename().string() + ": " + std::to_string(recorded) + " expectation(s)";
  if (updated == original) {
    *report += ", unchanged\n";
    return false;
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << updated;
  *report += ", rewritten\n";
  return true;
}

// ---------------------------------------------------------------- the tests

class GoldenCheck : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenCheck, MatchesInlineExpectations) {
  const GoldenCase& c = GetParam();
  ASSERT_TRUE(fs::exists(kPolc)) << kPolc << " is missing; build the `polc` target first";
  const RunResult r = run_polc(c);
  const std::string context = "\n$ " + r.command + "\n" + r.output;

  // polc must never crash or hang, whatever the input.
  ASSERT_EQ(r.signal, 0) << "polc was killed by signal " << r.signal << context;
  ASSERT_TRUE(r.exited) << "polc did not exit normally" << context;
  ASSERT_NE(r.exit_code, 124) << "polc timed out" << context;
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << "unexpected exit status " << r.exit_code << context;
  EXPECT_EQ(r.exit_code, c.kind == "good" ? 0 : 1) << context;

  std::vector<Diag> diags = parse_diagnostics(r.output);
  if (c.kind == "bad" && update_mode()) {
    std::string report = "POL_UPDATE_GOLDEN=1: re-recorded\n";
    rewrite_expectations(c.file, diags, &report);
    if (!c.rules.empty()) rewrite_expectations(c.rules, diags, &report);
    for (const Diag& d : diags)
      if (!d.path.empty() && !same_file(d.path, c.file) && (c.rules.empty() || !same_file(d.path, c.rules)))
        ADD_FAILURE() << "cannot record a diagnostic outside the test's files: " << describe(d) << context;
      else if (d.path.empty())
        ADD_FAILURE() << "cannot record a diagnostic without location: " << describe(d) << context;
    std::cout << report;
    return;
  }

  std::vector<Expectation> expects = parse_expectations(c.file);
  if (!c.rules.empty()) {
    std::vector<Expectation> more = parse_expectations(c.rules);
    expects.insert(expects.end(), more.begin(), more.end());
  }
  if (c.kind == "bad") {
    bool any_error = false;
    for (const auto& e : expects) any_error |= e.level == "error";
    EXPECT_TRUE(any_error) << c.file.string() << " is in bad/ but expects no error";
  }
  match(expects, diags);

  std::string missing, unexpected;
  for (const auto& e : expects)
    if (!e.matched) missing += "  " + describe(e) + "\n";
  for (const auto& d : diags)
    if (!d.matched) unexpected += "  " + describe(d) + "\n";
  EXPECT_TRUE(missing.empty()) << "expected diagnostics that polc did not report:\n" << missing << context;
  EXPECT_TRUE(unexpected.empty()) << "diagnostics that no expectation covers:\n" << unexpected << context;
  if (c.kind == "good") {
    EXPECT_EQ(r.output.find("error["), std::string::npos) << "a good file must check without errors" << context;
  }
}

INSTANTIATE_TEST_SUITE_P(Files, GoldenCheck, ::testing::ValuesIn(collect_cases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) { return info.param.name; });

// Guards against a runner that silently tests nothing (a moved directory, a broken glob).
TEST(GoldenCheckFiles, EnoughFilesAreFound) {
  const std::vector<GoldenCase> cases = collect_cases();
  const auto good = std::count_if(cases.begin(), cases.end(), [](const GoldenCase& c) { return c.kind == "good"; });
  const auto bad = std::count_if(cases.begin(), cases.end(), [](const GoldenCase& c) { return c.kind == "bad"; });
  EXPECT_GE(good, 6) << "tests/check/good";
  EXPECT_GE(bad, 15) << "tests/check/bad";
}

// The runner's own parsing: the header format polc prints, and the expectation syntax.
TEST(GoldenCheckFiles, ParsesDiagnosticHeaders) {
  const std::string out =
      "/x/a.pol:12:21: error[E0200]: cannot add `money` and `rate`\n"
      "   |\n"
      "12 |     amount compute_fee + 30%\n"
      "   |                          ^~~ this is `rate`\n"
      "/x/a.pol:12:12: note: this is `money`\n"
      "a.rules.pol:3:1: warning[W0002]: input `费用` is never used\n"
      "error[E0302]: `--set x` is not of the form NAME=VALUE\n"
      "2 errors and 1 warning generated.\n";
  const std::vector<Diag> d = parse_diagnostics(out);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].path, "/x/a.pol");
  EXPECT_EQ(d[0].line, 12);
  EXPECT_EQ(d[0].column, 21);
  EXPECT_EQ(d[0].level, "error");
  EXPECT_EQ(d[0].code, "E0200");
  EXPECT_EQ(d[0].message, "cannot add `money` and `rate`");
  EXPECT_EQ(d[1].path, "a.rules.pol");
  EXPECT_EQ(d[1].level, "warning");
  EXPECT_EQ(d[1].code, "W0002");
  EXPECT_EQ(d[2].path, "");
  EXPECT_EQ(d[2].code, "E0302");
}

TEST(GoldenCheckFiles, ParsesExpectationComments) {
  const fs::path tmp = fs::temp_directory_path() / ("pol_golden_expect_" + std::to_string(::getpid()) + ".pol");
  {
    std::ofstream f(tmp, std::ios::binary);
    f << "line one\n"
         "amount a + 30%   // expect-error[E0200]: cannot add `money` and `rate`\n"
         "input n: int  // expect-error[E0105]: unknown type  // expect-warning[W0002]: never used\n"
         "x   // expect-error@+2[E0001]: unexpected end of file\n"
         "\n"
         "\n";
  }
  const std::vector<Expectation> e = parse_expectations(tmp);
  fs::remove(tmp);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].line, 2);
  EXPECT_EQ(e[0].code, "E0200");
  EXPECT_EQ(e[0].text, "cannot add `money` and `rate`");
  EXPECT_EQ(e[1].line, 3);
  EXPECT_EQ(e[1].text, "unknown type");
  EXPECT_EQ(e[2].level, "warning");
  EXPECT_EQ(e[2].code, "W0002");
  EXPECT_EQ(e[2].text, "never used");
  EXPECT_EQ(e[3].comment_line, 4);
  EXPECT_EQ(e[3].line, 6);
}

}  // namespace
