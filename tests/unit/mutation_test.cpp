// Mutation test of the Longgang clause-behaviour suite: the suite is not vacuous.
//
// Every numeric literal of policies/longgang_ai_2025.pol that states a rate, cap, threshold,
// group limit, quota places, series count or window, rounding step, or the validity date and
// term — found through the Pol parser, so the set follows the policy as it changes — is changed
// in turn (one literal per mutant, each in both directions: a percentage ±1 point, a quantity
// such as 600万 ±1 unit, a plain number ±1 in its last digit (a step of 0.01 goes to 0.02 and 0.1),
// a date ±1 day, a duration ±1). The mutated policy is written to a temporary directory with
// copies of every other file of policies/ (the rules file and the test files, same layout), and
// `polc test TEMPDIR` must fail (exit 1). Every mutant that survives is reported with its line.
// Before any mutant, the unmutated copy must pass (exit 0), or every kill would be meaningless.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/parse/parse.h"
#include "values/date.h"
#include "values/fixed.h"

namespace {

namespace fs = std::filesystem;

const char* const kPolc = POL_BINARY_DIR "/polc";
const char* const kPolicies = POL_SOURCE_DIR "/policies";
const char* const kPolicyName = "longgang_ai_2025.pol";

struct Literal {
  uint32_t begin = 0, end = 0;  // byte range of the literal in the policy text
  uint32_t line = 0;
  std::string text;             // as written
  pol::ast::ExprKind kind;
  std::string where;            // "cap of item 7.2", "group G2 limit", ...
};

struct Mutant {
  const Literal* lit;
  std::string replacement;
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

class Collector {
 public:
  Collector(const pol::SourceManager& sm, uint32_t file) : sm_(sm), file_(file) {}

  void expr(const pol::ast::Expr* e, const std::string& where) {
    if (!e) return;
    using K = pol::ast::ExprKind;
    switch (e->kind) {
      case K::Number:
      case K::Quantity:
      case K::Duration:
      case K::Percent:
      case K::Date:
        add(e->span, e->kind, where);
        return;
      default:
        for (const auto& a : e->args) expr(a.get(), where);
    }
  }

  void value(const pol::ast::ValueSpec* v, const std::string& where) {
    if (!v) return;
    expr(v->expr.get(), where);
    for (const auto& t : v->tiers) {
      expr(t.value.get(), where + " tier value");
      expr(t.when.get(), where + " tier condition");
    }
  }

  void add(pol::Span s, pol::ast::ExprKind kind, const std::string& where) {
    Literal l;
    l.begin = s.begin;
    l.end = s.end;
    l.line = sm_.position(file_, s.begin).line;
    l.text = std::string(sm_.text(file_).substr(s.begin, s.end - s.begin));
    l.kind = kind;
    l.where = where;
    out.push_back(l);
  }

  std::vector<Literal> out;

 private:
  const pol::SourceManager& sm_;
  uint32_t file_;
};

// The numeric prefix of a literal ("600" of "600万", "3" of "3 years", "30" of "30%").
size_t numeric_prefix(const std::string& t) {
  size_t i = 0;
  while (i < t.size() && (isdigit(static_cast<unsigned char>(t[i])) || t[i] == ',' || t[i] == '.')) ++i;
  return i;
}

// Adds `delta` units of the last digit to a plain decimal ("0.01" + 1 -> "0.02"); "" when the
// result would not be positive.
std::string bump(const std::string& digits_with_commas, int delta) {
  std::string d;
  for (char c : digits_with_commas)
    if (c != ',') d += c;
  size_t dot = d.find('.');
  size_t frac = dot == std::string::npos ? 0 : d.size() - dot - 1;
  std::string all = dot == std::string::npos ? d : d.substr(0, dot) + d.substr(dot + 1);
  long long v = std::stoll(all) + delta;
  if (v <= 0) return "";
  std::string s = std::to_string(v);
  if (frac == 0) return s;
  while (s.size() <= frac) s = "0" + s;
  return s.substr(0, s.size() - frac) + "." + s.substr(s.size() - frac);
}

// Ten times the plain decimal: "0.01" -> "0.1", "3" -> "30".
std::string tenfold(const std::string& digits_with_commas) {
  std::string d;
  for (char c : digits_with_commas)
    if (c != ',') d += c;
  size_t dot = d.find('.');
  if (dot == std::string::npos) return d + "0";
  std::string all = d.substr(0, dot) + d.substr(dot + 1);
  size_t point = dot + 1;
  std::string s = all.substr(0, point) + (point < all.size() ? "." + all.substr(point) : "");
  while (s.size() > 1 && s[0] == '0' && s[1] != '.') s.erase(0, 1);
  return s;
}

std::vector<Mutant> mutants_of(const Literal& l) {
  std::vector<Mutant> out;
  if (l.kind == pol::ast::ExprKind::Date) {
    int32_t d = 0;
    if (!pol::parse_date(l.text, &d)) return out;
    out.push_back({&l, pol::date_str(d + 1)});
    out.push_back({&l, pol::date_str(d - 1)});
    return out;
  }
  size_t n = numeric_prefix(l.text);
  std::string num = l.text.substr(0, n), rest = l.text.substr(n);
  std::string up = bump(num, +1), down = bump(num, -1);
  out.push_back({&l, up + rest});
  if (!down.empty()) out.push_back({&l, down + rest});
  else out.push_back({&l, tenfold(num) + rest});  // a step such as 0.01 cannot go down: 0.1
  return out;
}

// Runs `polc test DIR` quietly; returns the exit status (-1 for a signal).
int polc_test(const fs::path& dir) {
  std::string cmd = std::string(kPolc) + " test '" + dir.string() + "' >/dev/null 2>&1";
  int st = std::system(cmd.c_str());
  if (st == -1 || !WIFEXITED(st)) return -1;
  return WEXITSTATUS(st);
}

std::vector<Literal> policy_literals(const std::string& text) {
  pol::SourceManager sm;
  uint32_t id = sm.add(kPolicyName, text);
  pol::Diagnostics diags;
  auto file = pol::parse(id, sm, diags);
  EXPECT_FALSE(diags.has_errors()) << "the policy does not parse";
  Collector c(sm, id);
  if (file->policy) c.expr(file->policy->rounding_quantum.get(), "policy rounding step");
  for (const auto& cl : file->clauses) {
    for (const auto& it : cl.items) {
      std::string item = "item " + it.number.text;
      for (const auto& l : it.lets) c.expr(l.value.get(), item + " let " + l.name.text);
      for (const auto& r : it.requires_) c.expr(r.cond.get(), item + " condition " + r.name.text);
      c.value(it.amount.get(), item + " amount");
      c.value(it.cap.get(), item + " cap");
    }
    for (const auto& v : cl.validity) {
      pol::Span s = v->from_text.span;
      c.add(s, pol::ast::ExprKind::Date, "validity start");
      c.expr(v->duration.get(), "validity term");
    }
  }
  for (const auto& r : file->portfolio)
    for (const auto& p : r.props) c.expr(p.value.get(), std::string(pol::ast::portfolio_kind_text(r.kind)) + " " + r.name.text + " " + pol::ast::prop_kind_text(p.kind));
  std::sort(c.out.begin(), c.out.end(), [](const Literal& a, const Literal& b) { return a.begin < b.begin; });
  return c.out;
}

TEST(Mutation, EveryPolicyLiteralIsPinnedByTheLonggangSuite) {
  auto t0 = std::chrono::steady_clock::now();
  const fs::path src = kPolicies;
  const std::string policy = read(src / kPolicyName);
  ASSERT_FALSE(policy.empty());
  std::vector<Literal> lits = policy_literals(policy);

  // The literals must include every kind the policy uses; a parser change that lost them
  // would otherwise make this test pass vacuously.
  size_t percents = 0, quantities = 0, numbers = 0, dates = 0, durations = 0;
  for (const auto& l : lits) {
    percents += l.kind == pol::ast::ExprKind::Percent;
    quantities += l.kind == pol::ast::ExprKind::Quantity;
    numbers += l.kind == pol::ast::ExprKind::Number;
    dates += l.kind == pol::ast::ExprKind::Date;
    durations += l.kind == pol::ast::ExprKind::Duration;
  }
  EXPECT_GE(lits.size(), 30u);
  EXPECT_GE(percents, 8u);
  EXPECT_GE(quantities, 15u);
  EXPECT_GE(numbers, 3u);  // places 20, supports at most 4, rounding steps 0.01
  EXPECT_EQ(dates, 1u);    // valid from 2025-01-10
  EXPECT_GE(durations, 2u);  // within 3 years, for 3 years
  for (const auto& l : lits) {
    ASSERT_EQ(policy.substr(l.begin, l.end - l.begin), l.text);
    ASSERT_FALSE(l.text.empty());
  }

  fs::path tmp = fs::temp_directory_path() / ("pol_mutation_" + std::to_string(getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  fs::copy(src, tmp, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  fs::path target = tmp / kPolicyName;

  // The unmutated copy passes: a kill must come from the mutation.
  write(target, policy);
  ASSERT_EQ(polc_test(tmp), 0) << "`polc test` fails on the unmutated copy of policies/ in " << tmp;

  std::vector<std::vector<Mutant>> all;
  for (const auto& l : lits) all.push_back(mutants_of(l));
  size_t total = 0, killed = 0;
  std::string survivors;
  for (const auto& ms : all) {
    for (const auto& m : ms) {
      std::string text = policy.substr(0, m.lit->begin) + m.replacement + policy.substr(m.lit->end);
      ASSERT_NE(text, policy);
      write(target, text);
      int rc = polc_test(tmp);
      ++total;
      EXPECT_NE(rc, -1) << "polc crashed on mutant line " << m.lit->line << ": " << m.lit->text << " -> " << m.replacement;
      if (rc == 1) ++killed;
      else
        survivors += "  policies/" + std::string(kPolicyName) + ":" + std::to_string(m.lit->line) + ": " + m.lit->where +
                     ": `" + m.lit->text + "` -> `" + m.replacement + "` (polc test exit " + std::to_string(rc) + ")\n";
    }
  }
  fs::remove_all(tmp);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "[ mutation ] " << lits.size() << " literals, " << total << " mutants, " << killed << " killed, "
            << total - killed << " survived, " << secs << " s\n";
  EXPECT_EQ(killed, total) << "surviving mutants (the suite does not notice these changes):\n" << survivors;
  EXPECT_GE(total, 2 * lits.size() - 2);
}

// The mutation operators themselves.
TEST(Mutation, MutantsOfEachLiteralKind) {
  auto one = [](const std::string& text, pol::ast::ExprKind kind) {
    Literal l;
    l.text = text;
    l.kind = kind;
    std::vector<std::string> out;
    for (const auto& m : mutants_of(l)) out.push_back(m.replacement);
    return out;
  };
  using K = pol::ast::ExprKind;
  EXPECT_EQ(one("30%", K::Percent), (std::vector<std::string>{"31%", "29%"}));
  EXPECT_EQ(one("600万", K::Quantity), (std::vector<std::string>{"601万", "599万"}));
  EXPECT_EQ(one("20", K::Number), (std::vector<std::string>{"21", "19"}));
  EXPECT_EQ(one("0.01", K::Number), (std::vector<std::string>{"0.02", "0.1"}));
  EXPECT_EQ(one("3 years", K::Duration), (std::vector<std::string>{"4 years", "2 years"}));
  EXPECT_EQ(one("2025-01-10", K::Date), (std::vector<std::string>{"2025-01-11", "2025-01-09"}));
  EXPECT_EQ(one("6,000,000", K::Number), (std::vector<std::string>{"6000001", "5999999"}));
}

}  // namespace
