// The checker's diagnostics in Chinese (issue #12): for representative bad policies, every text
// of every diagnostic (message, label, help, notes) comes from the catalogue, the Chinese
// rendering says the expected thing, and no English sentence is left in it. The English texts
// themselves are pinned by the other checker tests and the golden files under tests/check.
#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/check/check.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/source.h"
#include "compiler/parse/parse.h"

namespace pol {
namespace {

// The common fields and units inline, so that the sources do not depend on stdlib/.
const char* const kPrelude =
    "policy 测试政策 \"测试\" {\n"
    "  issuer \"某区工业和信息化局\"\n"
    "  rounding half up to 0.01\n"
    "}\n"
    "unit 元 = 1\n"
    "unit 万 = 10000\n"
    "application {\n"
    "  field id: text \"申报编号\" role application_id\n"
    "  field enterprise: text \"统一社会信用代码\" role applicant\n"
    "  field item: text \"申报事项\" role item\n"
    "  field date: date \"受理日期\" role accepted_on\n"
    "}\n";

struct Checked {
  SourceManager sm;
  Diagnostics diags;
  std::vector<std::unique_ptr<ast::File>> files;
  std::unique_ptr<Policy> policy;

  std::string rendered(Lang lang) const {
    RenderOptions o;
    o.lang = lang;
    return render_all(diags, sm, o);
  }
};

// Parses and checks `body` (after the prelude unless told otherwise), with an optional rules
// file; the parse must succeed, since only the checker's diagnostics are under test here.
std::unique_ptr<Checked> check_source(const std::string& body, const std::string& rules = "",
                                      bool with_prelude = true) {
  auto c = std::make_unique<Checked>();
  const uint32_t file = c->sm.add("test.pol", (with_prelude ? std::string(kPrelude) : std::string()) + body);
  c->files.push_back(parse(file, c->sm, c->diags));
  std::vector<const ast::File*> rules_files;
  if (!rules.empty()) {
    const uint32_t r = c->sm.add("test.rules.pol", rules);
    c->files.push_back(parse(r, c->sm, c->diags));
    rules_files.push_back(c->files.back().get());
  }
  EXPECT_FALSE(c->diags.has_errors()) << c->rendered(Lang::En);
  if (c->diags.has_errors()) return c;
  c->policy = check({c->files.front().get()}, rules_files, c->diags);
  return c;
}

std::string item(const std::string& statements) {
  return "clause 一 \"测试\" {\n  item \"1\" \"测试事项\" {\n" + statements + "\n  }\n}\n";
}

// Three or more English words in a row, outside `code` and "quoted text": a sentence that was
// not translated. Returns the run found, or "".
std::string english_run(std::string_view text) {
  std::string plain;
  bool code = false, quoted = false;
  for (char ch : text) {
    if (ch == '`' && !quoted) code = !code;
    else if (ch == '"' && !code) quoted = !quoted;
    else if (!code && !quoted) plain += ch;
  }
  int words = 0;
  std::string run;
  size_t i = 0;
  while (i < plain.size()) {
    const unsigned char ch = plain[i];
    if (std::isalpha(ch)) {
      size_t j = i;
      while (j < plain.size() && (std::isalpha(static_cast<unsigned char>(plain[j])) || plain[j] == '\'')) ++j;
      run += plain.substr(i, j - i) + " ";
      if (++words >= 3) return run;
      i = j;
    } else if (ch == ' ' || ch == ',') {
      ++i;
    } else {
      words = 0;
      run.clear();
      ++i;
    }
  }
  return "";
}

// Every text of every diagnostic has its catalogue message, and none renders in Chinese with an
// English sentence in it.
void expect_all_translated(const Checked& c) {
  for (const Diagnostic& d : c.diags.all()) {
    SCOPED_TRACE(std::string(code_name(d.code)) + ": " + d.message);
    EXPECT_NE(d.message_msg.id, MsgId::None) << "message not from the catalogue";
    if (!d.label.empty()) {
      EXPECT_NE(d.label_msg.id, MsgId::None) << "label not from the catalogue: " << d.label;
    }
    if (!d.help.empty()) {
      EXPECT_NE(d.help_msg.id, MsgId::None) << "help not from the catalogue: " << d.help;
    }
    for (const Note& n : d.notes) EXPECT_NE(n.msg.id, MsgId::None) << "note not from the catalogue: " << n.message;
    std::vector<const Msg*> parts = {&d.message_msg, &d.label_msg, &d.help_msg};
    for (const Note& n : d.notes) parts.push_back(&n.msg);
    for (const Msg* m : parts) {
      if (m->id == MsgId::None) continue;
      const std::string zh = render_msg(*m, Lang::Zh);
      EXPECT_EQ(english_run(zh), "") << "English left in: " << zh;
      EXPECT_NE(zh, render_msg(*m, Lang::En)) << "the same in both languages: " << zh;
    }
  }
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(CheckMessages, TheSniffTestFindsEnglish) {
  EXPECT_NE(english_run("参数 `x` is set twice"), "");
  EXPECT_EQ(english_run("参数 `is set twice` 重复设定"), "");
  EXPECT_EQ(english_run("请写 `level district`（区级）"), "");
}

TEST(CheckMessages, DuplicateDeclarations) {
  auto c = check_source(
      "parameter rate_cap: rate \"比例上限\"\n"
      "parameter rate_cap: rate \"比例上限\"\n"
      "enum 企业类型 \"企业类型\" { 国有, 民营, 民营 }\n" +
      item("    input fee: money \"费用\"\n"
           "    let x = fee\n"
           "    let x = fee\n"
           "    require 有费用: fee > 0元 else \"无费用\"\n"
           "    require 有费用: fee > 1元 else \"无费用\"\n"
           "    amount 30% of x"));
  const std::string zh = c->rendered(Lang::Zh);
  EXPECT_TRUE(contains(zh, "错误[E0101]: 参数 `rate_cap` 重复声明")) << zh;
  EXPECT_TRUE(contains(zh, "第一次声明在这里")) << zh;
  EXPECT_TRUE(contains(zh, "成员 `民营` 重复列出")) << zh;
  EXPECT_TRUE(contains(zh, "`x` 重复定义")) << zh;
  EXPECT_TRUE(contains(zh, "条件 `有费用` 重复定义")) << zh;
  expect_all_translated(*c);
  // The English stays as it was.
  const std::string en = c->rendered(Lang::En);
  EXPECT_TRUE(contains(en, "member `民营` is listed twice")) << en;
  EXPECT_TRUE(contains(en, "condition `有费用` is defined twice")) << en;
}

TEST(CheckMessages, WrongTypes) {
  auto c = check_source(item(
      "    input fee: money \"费用\"\n"
      "    input started: date \"成立日期\"\n"
      "    require 有费用: fee else \"无费用\"\n"
      "    require 年份: year(fee) > 2020 else \"年份不对\"\n"
      "    require 取整: (started rounded down to 1) > started else \"不对\"\n"
      "    amount min(fee, started)"));
  const std::string zh = c->rendered(Lang::Zh);
  EXPECT_TRUE(contains(zh, "错误[E0201]: 条件必须是 `是否`，这里是 `金额`")) << zh;
  EXPECT_TRUE(contains(zh, "`year` 需要一个日期")) << zh;
  EXPECT_TRUE(contains(zh, "只有金额、比例和小数可以取整，这里是 `日期`")) << zh;
  EXPECT_TRUE(contains(zh, "`min` 的各个值必须是同一种数值类型，或者都是日期")) << zh;
  expect_all_translated(*c);
}

TEST(CheckMessages, PortfolioRules) {
  auto c = check_source(item(
                            "    input 得分: decimal \"得分\"\n"
                            "    input 费用: money \"费用\"\n"
                            "    amount 30% of 费用") +
                        "quota Q \"名额\" {\n  items \"1\", \"9\"\n  limit 100万\n  rank by 得分\n  per year\n}\n"
                        "budget B \"资金池\" {\n  limit 1000万\n  per year\n}\n"
                        "exclusive X \"不重复\" {\n  key 企业\n  limit 1万\n}\n");
  const std::string zh = c->rendered(Lang::Zh);
  EXPECT_TRUE(contains(zh, "`quota` 规则中不能写 `limit`")) << zh;
  EXPECT_TRUE(contains(zh, "`quota` 规则可以写：`items`、`places`、`per`、`rank by`")) << zh;
  EXPECT_TRUE(contains(zh, "`quota Q` 必须写 `places`")) << zh;
  EXPECT_TRUE(contains(zh, "本政策中没有事项 \"9\"")) << zh;
  EXPECT_TRUE(contains(zh, "`exclusive` 规则中不能写 `limit`")) << zh;
  EXPECT_TRUE(contains(zh, "警告[W0005]: `budget B` 没有写明申请总额超出资金总额时怎样分配")) << zh;
  expect_all_translated(*c);
  const std::string en = c->rendered(Lang::En);
  EXPECT_TRUE(contains(en, "`limit` does not belong in an `exclusive`")) << en;
  EXPECT_TRUE(contains(en, "`limit` does not belong in a `quota`")) << en;
}

TEST(CheckMessages, UnknownKeyAndRole) {
  auto c = check_source(
      "policy 测试政策 \"测试\" {\n  rounding half up to 0.01\n}\n"
      "unit 元 = 1\n"
      "application {\n"
      "  field id: text \"申报编号\" role application_id\n"
      "  field enterprise: text \"统一社会信用代码\" role applicant\n"
      "  field item: text \"申报事项\" role item\n"
      "  field date: date \"受理日期\" role accepted_onn\n"
      "  field 项目: text \"项目编号\" role 扶持事项\n"
      "  field 第二: text \"项目编号\" role matter\n"
      "}\n" +
          item("    input fee: money \"费用\"\n    amount 30% of fee") +
          "once O \"一次\" {\n  items \"1\"\n  key enterprse\n}\n",
      "", false);
  const std::string zh = c->rendered(Lang::Zh);
  EXPECT_TRUE(contains(zh, "用作键的字段 `enterprse` 不存在")) << zh;
  EXPECT_TRUE(contains(zh, "是不是 `enterprise`？")) << zh;
  EXPECT_TRUE(contains(zh, "未知的角色 `accepted_onn`")) << zh;
  EXPECT_TRUE(contains(zh, "角色 `matter`（扶持事项）同时给了 `项目` 和 `第二` 两个字段")) << zh;
  EXPECT_TRUE(contains(zh, "第一次在这里指定")) << zh;
  EXPECT_TRUE(contains(zh, "没有哪个申报通用字段担任角色 `accepted_on`（受理日期）")) << zh;
  expect_all_translated(*c);
}

TEST(CheckMessages, ItemsInputsAndLiterals) {
  auto c = check_source(
      "clause 一 \"测试\" {\n"
      "  item \"1\" \"测试事项\" {\n"
      "    input fee: money optional \"费用\"\n"
      "    input period: duration \"期限\"\n"
      "    require 有费用: fee > 1.234元 else \"无费用\"\n"
      "    let y = 1元 or else 0元\n"
      "    cap 100万 - (fee or else 0元)\n"
      "  }\n"
      "  item \"2\" \"第二事项\" {\n"
      "    input fee: int \"费用\"\n"
      "    amount 1元 * fee\n"
      "  }\n"
      "}\n");
  const std::string zh = c->rendered(Lang::Zh);
  EXPECT_TRUE(contains(zh, "`fee` 是可缺省的：请写明未填写时怎样处理")) << zh;
  EXPECT_TRUE(contains(zh, "申报数据不能直接提供期限（`duration`）")) << zh;
  EXPECT_TRUE(contains(zh, "事项 \"1\" 没有写支持金额（`amount`）")) << zh;
  EXPECT_TRUE(contains(zh, "输入项 `fee` 在这里是 `整数`，在另一个事项中却是 `金额`")) << zh;
  EXPECT_TRUE(contains(zh, "`or else` 的左边必须是可缺省的输入项")) << zh;
  EXPECT_TRUE(contains(zh, "警告[W0003]: 上限的计算结果可能小于零")) << zh;
  expect_all_translated(*c);
}

TEST(CheckMessages, RulesFiles) {
  auto c = check_source(
      "parameter 门槛: money \"门槛\"\n"
      "parameter 期限: duration \"期限\"\n" +
          item("    input fee: money \"费用\"\n    require 达到门槛: fee >= 门槛 else \"未达到\"\n    amount 30% of fee"),
      "rules for 测试政策 {\n  门槛 = 10万\n  门槛 = 20万\n  门坎2 = 1万\n}\n");
  const std::string zh = c->rendered(Lang::Zh);
  EXPECT_TRUE(contains(zh, "参数 `门槛` 在这些实施细则中设定了两次")) << zh;
  EXPECT_TRUE(contains(zh, "第一次在这里设定")) << zh;
  Diagnostics missing;
  ASSERT_TRUE(c->policy);
  EXPECT_FALSE(check_parameter_values(*c->policy, missing));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(render_msg(missing.all()[0].message_msg, Lang::Zh), "参数 `期限` 没有设定取值");
  EXPECT_EQ(render_msg(missing.all()[0].help_msg, Lang::Zh),
            "请在实施细则参数文件中给它赋值（`期限 = …`），或在命令行上指定（`--set 期限=…`）");
  expect_all_translated(*c);

  auto other = check_source(item("    input fee: money \"费用\"\n    amount 30% of fee"),
                            "rules for 别的政策 {\n}\n");
  const std::string zh2 = other->rendered(Lang::Zh);
  EXPECT_TRUE(contains(zh2, "这些实施细则是 `别的政策` 的，不是 `测试政策` 的")) << zh2;
  EXPECT_TRUE(contains(zh2, "政策在这里声明")) << zh2;
  expect_all_translated(*other);
}

TEST(CheckMessages, HeaderAndValidity) {
  auto c = check_source(
      "policy 头 \"测试\" {\n  status final2\n  level 县级\n}\n"
      "unit 元 = 1\n"
      "application {\n"
      "  field id: text \"申报编号\" role application_id\n"
      "  field enterprise: text \"统一社会信用代码\" role applicant\n"
      "  field item: text \"申报事项\" role item\n"
      "  field date: date \"受理日期\" role accepted_on\n"
      "}\n"
      "clause 二 \"测试\" {\n  valid from 2025-02-30 for 3 years\n}\n"
      "clause 一 \"测试\" {\n  valid from 2025-01-01 to 2024-01-01\n}\n",
      "", false);
  const std::string zh = c->rendered(Lang::Zh);
  EXPECT_TRUE(contains(zh, "政策 `头` 没有写明支持金额如何取整")) << zh;
  EXPECT_TRUE(contains(zh, "状态 `final2` 无效，只能是 `final` 或 `draft`")) << zh;
  EXPECT_TRUE(contains(zh, "级别 `县级` 无效")) << zh;
  EXPECT_TRUE(contains(zh, "`2025-02-30` 不是日历上存在的日期")) << zh;
  EXPECT_TRUE(contains(zh, "第一条排在编号相同或更大的条款之后")) << zh;
  expect_all_translated(*c);
}

}  // namespace
}  // namespace pol
