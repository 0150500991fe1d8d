// Unit tests of compiler/check through the library API (pol::parse, pol::check) on in-memory
// sources: the dimension rules (money × rate → money, money ÷ money → rate, …), the codes and
// spans of type errors, enum members with "did you mean", Chinese identifiers, money literals
// with units and thousands separators, and the policy's validity period.
// The sources import nothing: each one declares the common application fields and the units
// it uses inline (see kPrelude), so the tests do not depend on stdlib/.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/check/check.h"
#include "compiler/check/check_expr.h"
#include "compiler/check/policy.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/source.h"
#include "compiler/parse/parse.h"
#include "tests/unit/policy_fixture.h"
#include "values/date.h"

namespace pol {
namespace {

const char* const kPrelude =
    "policy 测试政策 \"测试\" {\n"
    "  issuer \"某区工业和信息化局\"\n"
    "  rounding half up to 0.01\n"
    "}\n"
    "unit 元 = 1\n"
    "unit 万 = 10000\n"
    "unit 亿 = 100000000\n"
    "application {\n"
    "  field id: text \"申报编号\" role application_id\n"
    "  field enterprise: text \"统一社会信用代码\" role applicant\n"
    "  field item: text \"申报事项\" role item\n"
    "  field date: date \"受理日期\" role accepted_on\n"
    "}\n";

// One parsed and checked source (plus an optional rules file). Owns everything the spans in
// the diagnostics and the policy point into.
struct Checked {
  SourceManager sm;
  Diagnostics diags;
  std::vector<std::unique_ptr<ast::File>> files;
  std::unique_ptr<Policy> policy;
  uint32_t file = 0;

  std::string_view text_of(Span s) const { return sm.text(s.file).substr(s.begin, s.end - s.begin); }
  std::string rendered() const { return render_all(diags, sm, false); }
  size_t errors() const { return diags.error_count(); }
  // The only diagnostic with `code`; fails the test if there is not exactly one.
  const Diagnostic* only(DiagCode code) const {
    const Diagnostic* found = nullptr;
    size_t n = 0;
    for (const auto& d : diags.all())
      if (d.code == code) {
        found = &d;
        ++n;
      }
    EXPECT_EQ(n, 1u) << "diagnostics with " << code_name(code) << ":\n" << rendered();
    return n == 1 ? found : nullptr;
  }
};

std::unique_ptr<Checked> check_source(const std::string& body, const std::string& rules = "",
                                      bool with_prelude = true) {
  auto c = std::make_unique<Checked>();
  c->file = c->sm.add("test.pol", (with_prelude ? std::string(kPrelude) : std::string()) + body);
  c->files.push_back(parse(c->file, c->sm, c->diags));
  std::vector<const ast::File*> rules_files;
  if (!rules.empty()) {
    const uint32_t r = c->sm.add("test.rules.pol", rules);
    c->files.push_back(parse(r, c->sm, c->diags));
    rules_files.push_back(c->files.back().get());
  }
  if (c->diags.has_errors()) return c;  // syntax errors: as the pipeline does, do not check
  c->policy = check({c->files.front().get()}, rules_files, c->diags);
  return c;
}

// An item "1" in clause 一 with the given statements.
std::string item(const std::string& statements) {
  return "clause 一 \"测试\" {\n  item \"1\" \"测试事项\" {\n" + statements + "\n  }\n}\n";
}

const ItemInfo& first_item(const Checked& c) {
  EXPECT_TRUE(c.policy);
  EXPECT_FALSE(c.policy->items.empty());
  return c.policy->items.front();
}

// ------------------------------------------------------------------ dimension rules

TEST(Checker, RateTimesMoneyIsMoney) {
  auto c = check_source(item(
      "    input fee: money \"费用\"\n"
      "    let a = 30% * fee\n"
      "    let b = fee × 30%\n"
      "    let c = 30% of fee\n"
      "    amount a + b + c"));
  ASSERT_EQ(c->diags.size(), 0u) << c->rendered();
  const ItemInfo& it = first_item(*c);
  ASSERT_EQ(it.lets.size(), 3u);
  for (const auto& l : it.lets) {
    SCOPED_TRACE(l.name);
    ASSERT_TRUE(l.value);
    EXPECT_EQ(l.value->type.ty, Ty::Money);
    EXPECT_EQ(l.value->op, TOp::Mul);
  }
  ASSERT_TRUE(it.amount.expr);
  EXPECT_EQ(it.amount.expr->type.ty, Ty::Money);
}

TEST(Checker, MoneyDividedByMoneyIsRate) {
  auto c = check_source(item(
      "    input fee: money \"费用\"\n"
      "    input total: money \"总额\"\n"
      "    let share = fee / total\n"
      "    let share2 = fee ÷ total\n"
      "    require 占比: share <= 50% and share2 < 60% else \"占比过高\"\n"
      "    amount share of total"));
  ASSERT_EQ(c->diags.size(), 0u) << c->rendered();
  const ItemInfo& it = first_item(*c);
  ASSERT_EQ(it.lets.size(), 2u);
  EXPECT_EQ(it.lets[0].value->type.ty, Ty::Rate);
  EXPECT_EQ(it.lets[0].value->op, TOp::Div);
  EXPECT_EQ(it.lets[1].value->type.ty, Ty::Rate);
  EXPECT_EQ(it.amount.expr->type.ty, Ty::Money);
}

// The table of arithmetic results the dimension rules give, one `let` each.
TEST(Checker, ArithmeticResultTypes) {
  struct Case {
    const char* expr;
    Ty type;
  };
  const Case cases[] = {
      {"m * n", Ty::Money},          {"n * m", Ty::Money},       {"m * d", Ty::Money},
      {"m / n", Ty::Money},          {"m / d", Ty::Money},       {"m + m", Ty::Money},
      {"m - m", Ty::Money},          {"r of m", Ty::Money},      {"r of r", Ty::Rate},
      {"r * r", Ty::Rate},           {"r * n", Ty::Rate},        {"r / n", Ty::Rate},
      {"r + r", Ty::Rate},           {"n * n", Ty::Int},         {"n + n", Ty::Int},
      {"n / n", Ty::Decimal},        {"n + d", Ty::Decimal},     {"d * n", Ty::Decimal},
      {"dt + 1 year", Ty::Date},     {"dt - 3 months", Ty::Date}, {"year(dt)", Ty::Int},
      {"min(m, 10万)", Ty::Money},   {"max(r, 5%)", Ty::Rate},   {"m rounded down to 1万", Ty::Money},
      {"m + 6,000,000元", Ty::Money},  {"n * 2", Ty::Int},         {"-m", Ty::Money},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.expr);
    auto c = check_source(item(std::string("    input m: money\n    input r: rate\n    input n: int\n"
                                           "    input d: decimal\n    input dt: date\n"
                                           "    let x = ") +
                               k.expr +
                               "\n    require 用到: m > 0 and r > 0% and n > 0 and d > 0 and dt > 2025-01-01 else \"x\""
                               "\n    amount m"));
    ASSERT_EQ(c->errors(), 0u) << c->rendered();
    const ItemInfo& it = first_item(*c);
    ASSERT_EQ(it.lets.size(), 1u);
    EXPECT_EQ(it.lets[0].value->type.ty, k.type) << ty_name(it.lets[0].value->type.ty);
  }
}

// Combinations the dimension rules refuse, with the operand the error points at.
TEST(Checker, ArithmeticDimensionErrors) {
  struct Case {
    const char* expr;
    const char* message;
    const char* blamed;  // exact text of the primary span
  };
  const Case cases[] = {
      {"m + r", "cannot add `money` and `rate`", "r"},
      {"m - r", "cannot subtract `money` and `rate`", "r"},
      {"m + n", "cannot add `money` and `int`", "n"},
      {"m * m", "cannot multiply `money` and `money`", "m"},
      {"m / r", "cannot divide `money` and `rate`", "r"},
      {"r + n", "cannot add `rate` and `int`", "n"},
      {"dt + m", "cannot add `date` and `money`", "dt"},
      {"n of m", "`of` takes a rate and an amount, found `int` of `money`", "n"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.expr);
    auto c = check_source(item(std::string("    input m: money\n    input r: rate\n    input n: int\n"
                                           "    input dt: date\n"
                                           "    let x = ") +
                               k.expr +
                               "\n    require 用到: m > 0 and r > 0% and n > 0 and dt > 2025-01-01 else \"x\""
                               "\n    amount m"));
    ASSERT_EQ(c->errors(), 1u) << c->rendered();
    const Diagnostic* d = c->only(DiagCode::E0200);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->message, k.message);
    EXPECT_EQ(c->text_of(d->primary), k.blamed);
  }
}

TEST(Checker, MoneyPlusRateIsE0200AtTheRateOperand) {
  auto c = check_source(item(
      "    input compute_fee: money \"算力服务费用\"\n"
      "    require 有费用: compute_fee > 0 else \"未发生算力服务费用\"\n"
      "    amount compute_fee + 30%"));
  ASSERT_EQ(c->errors(), 1u) << c->rendered();
  const Diagnostic* d = c->only(DiagCode::E0200);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->message, "cannot add `money` and `rate`");
  EXPECT_EQ(c->text_of(d->primary), "30%");
  EXPECT_EQ(d->label, "this is `rate`");
  ASSERT_EQ(d->notes.size(), 1u);
  EXPECT_EQ(c->text_of(d->notes[0].span), "compute_fee");
  EXPECT_NE(d->help.find("30% of"), std::string::npos) << d->help;
  // The header points at the rate: line and code-point column of `30%`.
  const auto pos = c->sm.position(d->primary.file, d->primary.begin);
  EXPECT_EQ(c->sm.line_text(d->primary.file, pos.line), "    amount compute_fee + 30%");
  EXPECT_EQ(pos.column, 26u);
}

TEST(Checker, MoneyPlusChineseRateInputSpansExactlyTheOperand) {
  auto c = check_source(item(
      "    input 研发投入: money \"研发投入\"\n"
      "    input 支持比例: rate \"支持比例\"\n"
      "    require 有投入: 研发投入 > 0 and 支持比例 > 0% else \"x\"\n"
      "    amount 研发投入 + 支持比例"));
  ASSERT_EQ(c->errors(), 1u) << c->rendered();
  const Diagnostic* d = c->only(DiagCode::E0200);
  ASSERT_TRUE(d);
  EXPECT_EQ(c->text_of(d->primary), "支持比例");  // byte span of a CJK name, no more, no less
  const auto pos = c->sm.position(d->primary.file, d->primary.begin);
  EXPECT_EQ(pos.column, 19u);  // code points, not bytes
}

TEST(Checker, MoneyComparedWithIntInputIsE0202) {
  auto c = check_source(item(
      "    input fee: money \"费用\"\n"
      "    input 人数: int \"人数\"\n"
      "    require 人数足够: 人数 >= 10 else \"x\"\n"
      "    require 比较: fee < 人数 else \"y\"\n"
      "    amount 30% of fee"));
  ASSERT_EQ(c->errors(), 1u) << c->rendered();
  const Diagnostic* d = c->only(DiagCode::E0202);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->message, "cannot compare `money` with `int`");
  EXPECT_EQ(c->text_of(d->primary), "人数");
  ASSERT_EQ(d->notes.size(), 1u);
  EXPECT_EQ(c->text_of(d->notes[0].span), "fee");
}

TEST(Checker, UndeclaredEnumMemberIsE0103WithDidYouMean) {
  auto c = check_source(
      "enum 行业 \"所属行业\" { software \"软件\", manufacturing \"制造\", other \"其他\" }\n" +
      item("    input sector: 行业 \"所属行业\"\n"
           "    input fee: money \"费用\"\n"
           "    require 软件业: sector = softwar else \"x\"\n"
           "    amount 30% of fee"));
  ASSERT_EQ(c->errors(), 1u) << c->rendered();
  const Diagnostic* d = c->only(DiagCode::E0103);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->message, "`softwar` is not a member of enum `行业`");
  EXPECT_EQ(c->text_of(d->primary), "softwar");
  EXPECT_NE(d->help.find("did you mean `software`"), std::string::npos) << d->help;
}

TEST(Checker, EnumMemberInListIsE0103) {
  auto c = check_source(
      "enum 行业 \"所属行业\" { software \"软件\", manufacturing \"制造\", other \"其他\" }\n" +
      item("    input sector: 行业 \"所属行业\"\n"
           "    input fee: money \"费用\"\n"
           "    require 行业: sector in {software, spaceships} else \"x\"\n"
           "    amount 30% of fee"));
  const Diagnostic* d = c->only(DiagCode::E0103);
  ASSERT_TRUE(d);
  EXPECT_EQ(c->text_of(d->primary), "spaceships");
  EXPECT_EQ(c->errors(), 1u) << c->rendered();
}

TEST(Checker, NonBoolConditionIsE0201) {
  auto c = check_source(item(
      "    input fee: money \"费用\"\n"
      "    input 人数: int \"人数\"\n"
      "    require 人数足够: 人数 > 0 else \"x\"\n"
      "    require 不是布尔: 人数 else \"y\"\n"
      "    amount 30% of fee"));
  ASSERT_EQ(c->errors(), 1u) << c->rendered();
  const Diagnostic* d = c->only(DiagCode::E0201);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->message, "a condition must be `bool`, found `int`");
  EXPECT_EQ(c->text_of(d->primary), "人数");
}

TEST(Checker, CapOfAPercentageIsE0203) {
  auto c = check_source(item(
      "    input fee: money \"费用\"\n"
      "    amount 30% of fee\n"
      "    cap 30%"));
  ASSERT_EQ(c->errors(), 1u) << c->rendered();
  const Diagnostic* d = c->only(DiagCode::E0203);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->message, "the cap must be `money`, found `rate`");
  EXPECT_EQ(c->text_of(d->primary), "30%");
  EXPECT_NE(d->help.find("apply the rate"), std::string::npos) << d->help;
}

TEST(Checker, UnknownNameHasDidYouMean) {
  auto c = check_source(item(
      "    input compute_fee: money \"算力服务费用\"\n"
      "    require 有费用: compute_fee > 0 else \"x\"\n"
      "    amount 30% of compute_fe"));
  const Diagnostic* d = c->only(DiagCode::E0100);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->message, "unknown name `compute_fe`");
  EXPECT_EQ(c->text_of(d->primary), "compute_fe");
  EXPECT_EQ(d->help, "did you mean `compute_fee`?");
}

TEST(Checker, UnknownUnitPointsAtTheUnit) {
  auto c = check_source(item(
      "    input fee: money \"费用\"\n"
      "    amount 30% of fee\n"
      "    cap 600万块"));
  const Diagnostic* d = c->only(DiagCode::E0102);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->message, "unknown unit `万块`");
  EXPECT_EQ(c->text_of(d->primary), "万块");
  EXPECT_EQ(c->errors(), 1u) << c->rendered();
}

// ------------------------------------------------------------------ Chinese identifiers

TEST(Checker, ChineseIdentifierItemChecksClean) {
  auto c = check_source(
      "enum 企业规模 \"企业规模\" { 大型 \"大型企业\", 中型 \"中型企业\", 小型 \"小型企业\" }\n"
      "parameter 研发门槛: money \"研发投入门槛\"\n"
      "clause 二 \"支持研发投入\" {\n"
      "  item \"2.1\" \"研发投入支持\" {\n"
      "    input 研发投入: money \"研发投入\"\n"
      "    input 规模: 企业规模 \"企业规模\"\n"
      "    let 支持金额 = 20% of 研发投入\n"
      "    require 中小企业: 规模 in {中型, 小型} else \"仅支持中小企业\"\n"
      "    require 达到门槛: 研发投入 >= 研发门槛 else \"研发投入未达到门槛\"\n"
      "    amount 支持金额\n"
      "    cap 100万\n"
      "  }\n"
      "  group 每年上限 \"同一企业每年最高100万元\" {\n"
      "    items \"2.1\"\n"
      "    limit 100万\n"
      "    per enterprise\n"
      "    per year\n"
      "  }\n"
      "}\n");
  ASSERT_EQ(c->diags.size(), 0u) << c->rendered();
  const Policy& p = *c->policy;
  EXPECT_EQ(p.name, "测试政策");
  ASSERT_EQ(p.clauses.size(), 1u);
  EXPECT_EQ(p.clauses[0].number, "二");
  ASSERT_EQ(p.items.size(), 1u);
  const ItemInfo& it = p.items[0];
  EXPECT_EQ(it.number, "2.1");
  ASSERT_EQ(it.inputs.size(), 2u);
  EXPECT_EQ(p.fields[it.inputs[0].field].name, "研发投入");
  EXPECT_EQ(p.fields[it.inputs[0].field].type.ty, Ty::Money);
  EXPECT_EQ(p.fields[it.inputs[1].field].type.ty, Ty::Enum);
  ASSERT_EQ(it.lets.size(), 1u);
  EXPECT_EQ(it.lets[0].name, "支持金额");
  ASSERT_EQ(it.conditions.size(), 2u);
  EXPECT_EQ(it.conditions[0].name, "中小企业");
  EXPECT_EQ(it.conditions[1].reason, "研发投入未达到门槛");
  ASSERT_EQ(p.enums.size(), 1u);
  EXPECT_EQ(p.enums[0].name, "企业规模");
  EXPECT_EQ(p.enums[0].members, (std::vector<std::string>{"大型", "中型", "小型"}));
  ASSERT_EQ(p.rules.size(), 1u);
  EXPECT_EQ(p.rules[0].name, "每年上限");
  EXPECT_EQ(p.rules[0].scope_field, p.field_enterprise);
  EXPECT_GE(p.find_param("研发门槛"), 0);
  EXPECT_GE(p.find_field("研发投入"), 0);
}

// ------------------------------------------------------------------ money literals

// The value in fen of `cap LITERAL` in a clean item.
int64_t cap_fen(const std::string& literal) {
  auto c = check_source(item("    input fee: money\n    amount 30% of fee\n    cap " + literal));
  EXPECT_EQ(c->diags.size(), 0u) << literal << "\n" << c->rendered();
  if (!c->policy || c->policy->items.empty() || !c->policy->items[0].cap.expr) return -1;
  const TExpr& e = *c->policy->items[0].cap.expr;
  EXPECT_EQ(e.op, TOp::Const) << literal;
  EXPECT_EQ(e.type.ty, Ty::Money) << literal;
  return e.value;
}

TEST(Checker, MoneyLiteralsWithUnits) {
  EXPECT_EQ(cap_fen("600万"), 600000000);      // 6,000,000 yuan
  EXPECT_EQ(cap_fen("1.5亿"), 15000000000);    // 150,000,000 yuan
  EXPECT_EQ(cap_fen("6,000,000元"), 600000000);  // thousands separators
  EXPECT_EQ(cap_fen("0.01元"), 1);
  EXPECT_EQ(cap_fen("0"), 0);                     // 0 is the same in every unit
  EXPECT_EQ(cap_fen("12.5万"), 12500000);
  EXPECT_EQ(cap_fen("1000元"), 100000);
  EXPECT_EQ(cap_fen("0.5万"), 500000);
}

// `cap 30` is 30 元 or 30万? `fee × 30` thirty times or 30%? A plain number never takes a
// unit from its context (issue #8.6); a divisor stays a count.
TEST(Checker, PlainNumbersWhereMoneyOrARateIsMeantAreRefused) {
  struct Case {
    const char* body;
    const char* help;
  } cases[] = {
      {"    input fee: money\n    amount 30% of fee\n    cap 30", "`30元` or `30万`"},
      {"    input fee: money\n    amount fee * 30", "`30%`"},
      {"    input fee: money\n    amount 30 * fee", "`30%`"},
      {"    input fee: money\n    require big: fee > 100 else \"不足\"\n    amount fee", "`100元` or `100万`"},
      {"    input fee: money\n    amount min(fee, 200)", "`200元` or `200万`"},
      {"    input share: rate\n    input fee: money\n    require s: share < 0.5 else \"过高\"\n    amount share of fee", "`0.5%`"},
  };
  for (const auto& k : cases) {
    auto c = check_source(item(k.body));
    const Diagnostic* d = c->only(DiagCode::E0209);
    ASSERT_TRUE(d) << k.body;
    EXPECT_NE(d->help.find(k.help), std::string::npos) << k.body << "\n" << c->rendered();
  }
  auto ok = check_source(item("    input fee: money\n    amount fee / 2\n    cap 0"));
  EXPECT_EQ(ok->errors(), 0u) << ok->rendered();
}

TEST(Checker, UnitDeclarationsAreInFen) {
  auto c = check_source("unit 千 = 1000\n" + item("    input fee: money\n    amount 30% of fee\n    cap 3千"));
  ASSERT_EQ(c->diags.size(), 0u) << c->rendered();
  EXPECT_EQ(c->policy->items[0].cap.expr->value, 300000);
  EXPECT_EQ(c->policy->rounding_quantum, 1);  // `rounding half up to 0.01` is one fen
  EXPECT_EQ(c->policy->rounding, RoundingMode::HalfUp);
}

TEST(Checker, MoneyLiteralWithTooManyDecimalsIsOneE0206) {
  auto c = check_source(item("    input fee: money\n    amount 30% of fee\n    cap 1.234元"));
  const Diagnostic* d = c->only(DiagCode::E0206);
  ASSERT_TRUE(d);
  EXPECT_NE(d->message.find("1.234"), std::string::npos) << d->message;
  // One mistake, one report: no follow-on "the cap must be `money`, found `error`".
  EXPECT_EQ(c->errors(), 1u) << c->rendered();
  EXPECT_EQ(c->diags.count(DiagCode::E0203), 0u) << c->rendered();
}

TEST(Checker, FractionalQuotaPlacesIsOneE0206) {
  auto c = check_source(item("    input fee: money\n    input 得分: decimal\n    amount 30% of fee") +
                        "quota Q \"名额\" {\n  items \"1\"\n  places 20.5\n  per year\n  rank by 得分\n}\n");
  ASSERT_TRUE(c->diags.count(DiagCode::E0206) >= 1u) << c->rendered();
  EXPECT_EQ(c->diags.all().front().message, "`20.5` is not a whole number") << c->rendered();
  // One mistake, one report: no follow-on "expected a constant `int`, found `error`".
  EXPECT_EQ(c->errors(), 1u) << c->rendered();
}

// ------------------------------------------------------------------ dates and validity

TEST(Checker, ValidityFromDateForThreeYears) {
  auto c = check_source(
      "clause 二十一 \"施行日期\" {\n"
      "  text \"本措施自2025年1月10日起施行，有效期3年。\"\n"
      "  valid from 2025-01-10 for 3 years\n"
      "}\n");
  ASSERT_EQ(c->diags.size(), 0u) << c->rendered();
  const Validity& v = c->policy->validity;
  ASSERT_TRUE(v.present);
  int32_t from = 0;
  ASSERT_TRUE(parse_date("2025-01-10", &from));
  EXPECT_EQ(v.from, from);
  EXPECT_EQ(v.from, days_from_civil(2025, 1, 10));
  EXPECT_EQ(v.to, days_from_civil(2028, 1, 9));
  EXPECT_EQ(date_str(v.to), "2028-01-09");
  EXPECT_EQ(v.term.years, 3);
  EXPECT_EQ(v.term.months, 0);
  EXPECT_EQ(v.term.days, 0);
  ASSERT_GE(v.clause, 0);
  EXPECT_EQ(c->policy->clauses[v.clause].number, "二十一");
}

TEST(Checker, ValidityInMonthsAndChineseUnits) {
  auto c = check_source("clause 一 \"施行\" {\n  valid from 2025-01-10 for 18 months\n}\n");
  ASSERT_EQ(c->diags.size(), 0u) << c->rendered();
  EXPECT_EQ(c->policy->validity.term.months, 18);
  EXPECT_EQ(c->policy->validity.to, days_from_civil(2026, 7, 9));
  auto c2 = check_source("clause 一 \"施行\" {\n  valid from 2025-01-10 for 3年\n}\n");
  ASSERT_EQ(c2->diags.size(), 0u) << c2->rendered();
  EXPECT_EQ(c2->policy->validity.to, days_from_civil(2028, 1, 9));
}

TEST(Checker, ValidityWithImpossibleDateIsE0004) {
  auto c = check_source("clause 一 \"施行\" {\n  valid from 2025-02-30 for 3 years\n}\n");
  const Diagnostic* d = c->only(DiagCode::E0004);
  ASSERT_TRUE(d);
  EXPECT_EQ(c->text_of(d->primary), "2025-02-30");
  EXPECT_FALSE(c->policy->validity.present);
}

// A term too long for the calendar must be refused, not silently truncated to a nonsense end date.
TEST(Checker, ValidityTermTooLongIsAnError) {
  auto c = check_source("clause 一 \"施行\" {\n  valid from 2025-01-10 for 99999999999 years\n}\n");
  const Validity& v = c->policy->validity;
  EXPECT_TRUE(c->diags.has_errors() || (v.present && v.to >= v.from))
      << "accepted without error, validity " << date_str(v.from) << " .. " << date_str(v.to) << " (term "
      << v.term.years << " years)\n"
      << c->rendered();
}

TEST(Checker, YearOfDateIsInt) {
  auto c = check_source(item(
      "    input 成立日期: date \"成立日期\"\n"
      "    input fee: money\n"
      "    require 近年: year(成立日期) >= 2024 and year(date) in {2025, 2026} else \"x\"\n"
      "    amount 30% of fee"));
  ASSERT_EQ(c->diags.size(), 0u) << c->rendered();
  const TExpr& cond = *first_item(*c).conditions[0].cond;
  ASSERT_EQ(cond.op, TOp::And);
  const TExpr& cmp = *cond.args[0];
  ASSERT_EQ(cmp.op, TOp::Cmp);
  EXPECT_EQ(cmp.args[0]->op, TOp::Year);
  EXPECT_EQ(cmp.args[0]->type.ty, Ty::Int);
  EXPECT_EQ(cmp.args[1]->value, 2024);
}

// ------------------------------------------------------------------ structure

TEST(Checker, TiersWithoutOtherwiseIsE0106AtTheKeyword) {
  auto c = check_source(item(
      "    input fee: money\n"
      "    amount 30% of fee\n"
      "    cap {\n"
      "      100万 when fee > 1亿\n"
      "    }"));
  const Diagnostic* d = c->only(DiagCode::E0106);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->message, "the cap has tiers but no `otherwise` tier");
  EXPECT_EQ(c->text_of(d->primary), "cap");
  EXPECT_EQ(c->errors(), 1u) << c->rendered();
}

TEST(Checker, OptionalParameterInExpressionIsE0106) {
  auto c = check_source("parameter 门槛: money optional \"门槛\"\n" +
                        item("    input fee: money\n    require 达标: fee >= 门槛 else \"x\"\n    amount 30% of fee"));
  const Diagnostic* d = c->only(DiagCode::E0106);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->message, "optional parameter `门槛` cannot be used in an expression");
  EXPECT_EQ(c->text_of(d->primary), "门槛");
  EXPECT_EQ(c->errors(), 1u) << c->rendered();
}

TEST(Checker, RulesFileSetsParameterValues) {
  auto c = check_source("parameter 门槛: money \"门槛\"\nparameter 人数门槛: int\nparameter 比例: rate\n" +
                            item("    input fee: money\n    input n: int\n"
                                 "    require 达标: fee >= 门槛 and n >= 人数门槛 else \"x\"\n    amount 比例 of fee"),
                        "rules for 测试政策 {\n  门槛 = 100万\n  人数门槛 = 30\n  比例 = 12.5%\n}\n");
  ASSERT_EQ(c->diags.size(), 0u) << c->rendered();
  const Policy& p = *c->policy;
  ASSERT_EQ(p.params.size(), 3u);
  EXPECT_TRUE(p.params[0].has_value);
  EXPECT_EQ(p.params[0].value, 100000000);
  EXPECT_EQ(p.params[1].value, 30);
  EXPECT_EQ(p.params[2].value, 125000);  // ppm
  Diagnostics more;
  EXPECT_TRUE(check_parameter_values(p, more));
  EXPECT_TRUE(more.empty());
}

TEST(Checker, RulesForAnotherPolicyIsE0303AndUnknownParameterE0301) {
  auto other = check_source("parameter 门槛: money\n" + item("    input fee: money\n    require a: fee >= 门槛 else \"x\"\n    amount fee"),
                            "rules for 别的政策 {\n  门槛 = 100万\n}\n");
  const Diagnostic* d = other->only(DiagCode::E0303);
  ASSERT_TRUE(d);
  EXPECT_EQ(other->text_of(d->primary), "别的政策");
  Diagnostics missing;
  EXPECT_FALSE(check_parameter_values(*other->policy, missing));
  EXPECT_EQ(missing.count(DiagCode::E0300), 1u);

  auto unknown = check_source("parameter 门槛: money\n" + item("    input fee: money\n    require a: fee >= 门槛 else \"x\"\n    amount fee"),
                              "rules for 测试政策 {\n  门坎 = 100万\n}\n");
  const Diagnostic* u = unknown->only(DiagCode::E0301);
  ASSERT_TRUE(u);
  EXPECT_EQ(unknown->text_of(u->primary), "门坎");
  EXPECT_EQ(u->help, "did you mean `门槛`?");
}

// An input that is used, only in an expression that has an error, is not "never used": the error
// is the one report.
TEST(Checker, InputUsedInAnErroneousExpressionIsNotReportedUnused) {
  auto c = check_source(item(
      "    input compute_fee: money \"算力服务费用\"\n"
      "    amount compute_fee + 30%"));
  EXPECT_EQ(c->diags.count(DiagCode::E0200), 1u) << c->rendered();
  EXPECT_EQ(c->diags.count(DiagCode::W0002), 0u) << c->rendered();
}

TEST(Checker, DeepNestingIsE0002NotACrash) {
  const std::string deep = std::string(kMaxNesting + 50, '(') + "fee" + std::string(kMaxNesting + 50, ')');
  auto c = check_source(item("    input fee: money\n    amount " + deep));
  const Diagnostic* d = c->only(DiagCode::E0002);
  ASSERT_TRUE(d);
  EXPECT_EQ(c->text_of(d->primary), "(");
  // Nesting up to the limit is fine.
  const std::string ok = std::string(kMaxNesting - 10, '(') + "fee" + std::string(kMaxNesting - 10, ')');
  auto c2 = check_source(item("    input fee: money\n    amount " + ok));
  EXPECT_EQ(c2->diags.size(), 0u) << c2->rendered();
}

TEST(Checker, WithoutCommonFieldsIsE0401) {
  auto c = check_source(
      "policy p {\n  rounding half up to 0.01\n}\n"
      "clause 一 \"t\" {\n  item \"1\" \"a\" {\n    input fee: money\n    amount fee\n  }\n}\n",
      "", /*with_prelude=*/false);
  // application_id, applicant, item, accepted_on
  EXPECT_EQ(c->diags.count(DiagCode::E0401), 4u) << c->rendered();
}

// ------------------------------------------------------------------ field roles

// A policy without the prelude: its own header, units and `application` block.
std::string own_fields(const std::string& application) {
  return "policy p {\n  rounding half up to 0.01\n}\n"
         "unit 万 = 10000\n"
         "application {\n" + application + "}\n"
         "clause 一 \"t\" {\n  item \"1\" \"a\" {\n    input fee: money \"费用\"\n    amount fee\n    cap 10万\n  }\n}\n";
}

const char* const kRoleFields =
    "  field 申报号: text \"申报编号\" role application_id\n"
    "  field 企业: text \"统一社会信用代码\" role 申报单位\n"
    "  field 事项: text \"申报事项\" role item\n"
    "  field 受理日: date \"受理日期\" role 受理日期\n";

TEST(Checker, RolesNameTheCommonFieldsWhateverTheirNames) {
  auto c = check_source(own_fields(kRoleFields), "", /*with_prelude=*/false);
  ASSERT_EQ(c->diags.size(), 0u) << c->rendered();
  const Policy& p = *c->policy;
  EXPECT_EQ(p.field_id, p.find_field("申报号"));
  EXPECT_EQ(p.field_enterprise, p.find_field("企业"));
  EXPECT_EQ(p.field_item, p.find_field("事项"));
  EXPECT_EQ(p.field_date, p.find_field("受理日"));
  EXPECT_EQ(p.find_field("id"), -1);
}

TEST(Checker, FieldsNamedLikeTheRolesButWithoutRolesAreE0401) {
  auto c = check_source(own_fields("  field id: text \"申报编号\" role application_id\n"
                                   "  field enterprise: text \"统一社会信用代码\" role applicant\n"
                                   "  field item: text \"申报事项\"\n"
                                   "  field date: date \"受理日期\" role accepted_on\n"),
                        "", /*with_prelude=*/false);
  const Diagnostic* d = c->only(DiagCode::E0401);
  ASSERT_TRUE(d);
  EXPECT_NE(d->message.find("`item`"), std::string::npos) << d->message;
  EXPECT_EQ(c->text_of(d->primary), "p");  // the policy's name
  EXPECT_NE(d->help.find("import \"common\""), std::string::npos) << d->help;
  EXPECT_NE(d->help.find("role item"), std::string::npos) << d->help;
  EXPECT_EQ(c->errors(), 1u) << c->rendered();
}

TEST(Checker, UnknownRoleIsE0107WithASuggestion) {
  std::string fields = kRoleFields;
  fields.replace(fields.find("role 申报单位"), std::string("role 申报单位").size(), "role applicnt");
  auto c = check_source(own_fields(fields), "", /*with_prelude=*/false);
  const Diagnostic* d = c->only(DiagCode::E0107);
  ASSERT_TRUE(d);
  EXPECT_EQ(c->text_of(d->primary), "applicnt");
  EXPECT_EQ(d->help, "did you mean `applicant`?");
  // The role is missing too: nothing else plays it.
  EXPECT_EQ(c->diags.count(DiagCode::E0401), 1u) << c->rendered();

  auto far = check_source(own_fields(std::string(kRoleFields) + "  field x: text role 项目\n"), "", false);
  const Diagnostic* d2 = far->only(DiagCode::E0107);
  ASSERT_TRUE(d2);
  EXPECT_NE(d2->help.find("`accepted_on`（受理日期）"), std::string::npos) << d2->help;  // lists the roles
}

TEST(Checker, OneRoleOnTwoFieldsIsE0405PointingAtBoth) {
  auto c = check_source(own_fields(std::string(kRoleFields) + "  field 主体: text \"申报主体\" role applicant\n"), "",
                        /*with_prelude=*/false);
  const Diagnostic* d = c->only(DiagCode::E0405);
  ASSERT_TRUE(d);
  EXPECT_EQ(c->text_of(d->primary), "applicant");
  EXPECT_NE(d->message.find("`企业` and `主体`"), std::string::npos) << d->message;
  ASSERT_EQ(d->notes.size(), 1u);
  EXPECT_EQ(c->text_of(d->notes[0].span), "申报单位");
  EXPECT_EQ(c->errors(), 1u) << c->rendered();
  EXPECT_EQ(c->policy->field_enterprise, c->policy->find_field("企业"));
}

TEST(Checker, RoleOnAFieldOfTheWrongTypeIsE0406) {
  auto c = check_source(own_fields("  field 申报号: text role application_id\n"
                                   "  field 企业: text role applicant\n"
                                   "  field 事项: text role item\n"
                                   "  field 受理日: text \"受理日期\" role accepted_on\n"),
                        "", /*with_prelude=*/false);
  const Diagnostic* d = c->only(DiagCode::E0406);
  ASSERT_TRUE(d);
  EXPECT_EQ(c->text_of(d->primary), "text");
  EXPECT_NE(d->message.find("needs `date`"), std::string::npos) << d->message;
  ASSERT_EQ(d->notes.size(), 1u);
  EXPECT_EQ(c->text_of(d->notes[0].span), "accepted_on");
  EXPECT_EQ(c->errors(), 1u) << c->rendered();  // not reported missing as well
}

TEST(Checker, RoleOnAnOptionalFieldIsE0407) {
  auto c = check_source(own_fields("  field 申报号: text optional \"申报编号\" role application_id\n"
                                   "  field 企业: text role applicant\n"
                                   "  field 事项: text role item\n"
                                   "  field 受理日: date role accepted_on\n"),
                        "", /*with_prelude=*/false);
  const Diagnostic* d = c->only(DiagCode::E0407);
  ASSERT_TRUE(d);
  EXPECT_EQ(c->text_of(d->primary), "application_id");
  EXPECT_EQ(d->help, "remove `optional` from field `申报号`");
  EXPECT_EQ(c->errors(), 1u) << c->rendered();
}

// The batch engine finds the id, the applicant, the item and the date through the roles: a
// policy that names them its own way is decided, ordered and capped per applicant.
TEST(Checker, OwnFieldNamesWorkEndToEnd) {
  const std::string policy = own_fields(std::string(kRoleFields)) +
                             "group 合计 \"每家企业每年合计不超过15万元\" {\n  items \"1\"\n  limit 15万\n  per 企业\n  per year\n}\n";
  const std::string apps =
      R"({"申报号": "A2", "企业": "E1", "事项": "1", "受理日": "2025-03-02", "fee": "100000"})" "\n"
      R"({"申报号": "A1", "企业": "E1", "事项": "1", "受理日": "2025-03-01", "fee": "100000"})" "\n"
      R"({"申报号": "B1", "企业": "E2", "事项": "1", "受理日": "2025-03-03", "fee": "30000"})" "\n";
  testing::Outcome o = testing::decide(policy, apps);
  ASSERT_EQ(o.decisions.size(), 3u) << o.diagnostics;
  EXPECT_EQ(o.decisions[0]["id"], "A2") << o.decisions[0];
  // A1 was accepted first, so it gets its full 10万; A2 gets what is left of E1's 15万.
  EXPECT_EQ(o.decisions[1]["award"], "100000.00") << o.decisions[1];
  EXPECT_EQ(o.decisions[0]["award"], "50000.00") << o.decisions[0];
  EXPECT_EQ(o.decisions[2]["award"], "30000.00") << o.decisions[2];
  // An application without the field playing `item` is refused with an input error.
  testing::Outcome missing = testing::decide(policy, R"({"申报号": "C1", "企业": "E3", "受理日": "2025-03-01", "fee": "1"})");
  ASSERT_EQ(missing.decisions.size(), 1u) << missing.diagnostics;
  EXPECT_TRUE(missing.decisions[0].contains("error")) << missing.decisions[0];
}

}  // namespace
}  // namespace pol
