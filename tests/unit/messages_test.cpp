// The message catalogue (messages.def) and the choice of language: every message has both texts
// with the same placeholders, every code a Chinese summary, and `polc check` speaks Chinese under
// a zh locale or --lang zh, English under --lang en.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/message.h"
#include "compiler/diagnostics/messages_driver.h"
#include "tests/unit/cli_fixture.h"

namespace pol {
namespace {

std::multiset<std::string> placeholders(std::string_view text) {
  std::multiset<std::string> names;
  for (size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    // Only `{identifier}` is a placeholder; other braces (`{ title "…" }` in a Pol snippet) are text.
    const std::string name(text.substr(open + 1, close - open - 1));
    bool identifier = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
    for (char c : name) identifier = identifier && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (identifier) names.insert(name);
  }
  return names;
}

std::set<std::string> distinct(const std::multiset<std::string>& m) { return {m.begin(), m.end()}; }

TEST(MessageCatalogue, EveryMessageHasBothTextsWithTheSamePlaceholders) {
  for (MsgId id : all_msg_ids()) {
    SCOPED_TRACE(msg_name(id));
    const std::string_view en = msg_template(id, Lang::En);
    const std::string_view zh = msg_template(id, Lang::Zh);
    EXPECT_FALSE(en.empty());
    EXPECT_FALSE(zh.empty());
    EXPECT_EQ(distinct(placeholders(en)), distinct(placeholders(zh)));
  }
}

TEST(MessageCatalogue, EveryCodeHasAChineseSummary) {
  for (DiagCode code : kAllDiagCodes) {
    SCOPED_TRACE(code_name(code));
    EXPECT_STRNE(code_summary(code, Lang::Zh), "");
    EXPECT_STRNE(code_summary(code, Lang::Zh), code_summary(code, Lang::En));
  }
}

TEST(MessageCatalogue, RendersPlaceholdersAndTerms) {
  Msg m = msg(MsgId::CannotCombine, {term("verb", "add"), term("left", "money"), term("right", "rate")});
  EXPECT_EQ(render_msg(m, Lang::En), "cannot add `money` and `rate`");
  EXPECT_EQ(render_msg(m, Lang::Zh), "不能将 `金额` 与 `比例` 相加");
  EXPECT_EQ(render_msg(msg(MsgId::UnknownName, {{"name", "compute_fe"}}), Lang::Zh), "未知的名称 `compute_fe`");
  EXPECT_EQ(term_in("区级", Lang::Zh), "区级");  // not a term: unchanged
}

TEST(MessageCatalogue, LanguageNames) {
  EXPECT_EQ(parse_lang("zh_CN.UTF-8"), Lang::Zh);
  EXPECT_EQ(parse_lang("zh"), Lang::Zh);
  EXPECT_EQ(parse_lang("en_US.UTF-8"), Lang::En);
  EXPECT_EQ(parse_lang("C.UTF-8"), Lang::En);
  EXPECT_EQ(parse_lang("fr_FR"), std::nullopt);
}

TEST(MessageCatalogue, DiagnosticKeepsEnglishAndRendersChinese) {
  SourceManager sm;
  const uint32_t file = sm.add("a.pol", "amount 30% of compute_fe\n");
  Diagnostics ds;
  ds.report(DiagCode::E0100, Span{file, 14, 24}, msg(MsgId::UnknownName, {{"name", "compute_fe"}}))
      .with_help(msg(MsgId::DidYouMean, {{"name", "compute_fee"}}));
  EXPECT_EQ(ds.all()[0].message, "unknown name `compute_fe`");
  EXPECT_EQ(ds.all()[0].help, "did you mean `compute_fee`?");
  RenderOptions zh;
  zh.lang = Lang::Zh;
  const std::string out = render_all(ds, sm, zh);
  EXPECT_NE(out.find("a.pol:1:15: 错误[E0100]: 未知的名称 `compute_fe`"), std::string::npos) << out;
  EXPECT_NE(out.find("= 帮助: 是不是 `compute_fee`？"), std::string::npos) << out;
  EXPECT_NE(out.find("共 1 个错误。"), std::string::npos) << out;
  EXPECT_EQ(render_all(ds, sm, false).find("error[E0100]: unknown name `compute_fe`") != std::string::npos, true);
}

TEST(MessageCatalogue, NestedMessagesAndSectionsRenderInTheSameLanguage) {
  Msg m = msg(DriverMsg::NotUsableCompiled, {{"path", "a.json"}, nested("why", msg(DriverMsg::CompiledNotJson))});
  EXPECT_EQ(render_msg(m, Lang::En), "`a.json` is not a usable compiled policy: it is not valid JSON");
  EXPECT_EQ(render_msg(m, Lang::Zh), "`a.json` 不是可用的已编译政策：它不是有效的 JSON");
  EXPECT_STREQ(msg_name(msg(DriverMsg::CompiledNotJson).id), "CompiledNotJson");
  // Each section's ids are distinct from the others' and from the core's.
  std::set<uint16_t> ids;
  for (MsgId id : all_msg_ids()) EXPECT_TRUE(ids.insert(static_cast<uint16_t>(id)).second) << msg_name(id);
}

// Product code reports catalogue messages only: the *_verbatim functions (texts shown as written
// in every language) are for the renderer's own tests, and a diagnostic's help or message is never
// assigned directly. Scans every source file of compiler/, runtime/ and cli/.
TEST(MessageCatalogue, ProductCodeReportsCatalogueMessagesOnly) {
  namespace fs = std::filesystem;
  const std::regex forbidden(R"((report|with_label|with_help|note)_verbatim\(|\.help \+?= |d\.message = )");
  size_t scanned = 0;
  for (const char* dir : {"compiler", "runtime", "cli"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(POL_SOURCE_DIR) / dir)) {
      const std::string ext = e.path().extension().string();
      if (ext != ".cpp" && ext != ".h") continue;
      const std::string name = e.path().filename().string();
      if (name == "diagnostic.h" || name == "diagnostic.cpp") continue;  // where they are defined
      std::ifstream in(e.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n)
        EXPECT_FALSE(std::regex_search(line, forbidden)) << e.path().string() << ":" << n << ": " << line;
      ++scanned;
    }
  }
  EXPECT_GT(scanned, 100u);
}

// Must-show 1 of issue #12: the same mistake, in Chinese by locale or --lang zh, English by --lang en.
class PolcLanguage : public testing::TempDirTest {
 protected:
  std::string bad_policy() {
    return write("bad.pol",
                 "import \"common\"\n"
                 "policy bad {\n  rounding half up to 0.01\n}\n"
                 "clause 一 \"测试\" {\n  item \"1\" \"算力支持\" {\n"
                 "    input compute_fee: money \"算力服务费用\"\n"
                 "    amount 30% of compute_fe\n  }\n}\n");
  }
  // Runs polc with the environment variable `name` set to `value` for this call only.
  static testing::PolcRun with_env(const char* name, const char* value, const std::string& args) {
    const char* old_pol = std::getenv("POL_LANG");
    std::string saved_pol = old_pol ? old_pol : "";
    const char* old = std::getenv(name);
    std::string saved = old ? old : "";
    unsetenv("POL_LANG");
    setenv(name, value, 1);
    testing::PolcRun r = testing::polc(args);
    if (old) setenv(name, saved.c_str(), 1);
    else unsetenv(name);
    if (old_pol) setenv("POL_LANG", saved_pol.c_str(), 1);
    return r;
  }
};

TEST_F(PolcLanguage, ChineseUnderAChineseLocale) {
  auto r = with_env("LC_ALL", "zh_CN.UTF-8", "check " + bad_policy());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("错误[E0100]: 未知的名称 `compute_fe`"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("帮助: 是不是 `compute_fee`？"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("共 1 个错误。"), std::string::npos) << r.err;
}

TEST_F(PolcLanguage, LangOptionChoosesTheLanguage) {
  const std::string file = bad_policy();
  auto zh = with_env("LC_ALL", "C", "check --lang zh " + file);
  EXPECT_NE(zh.err.find("错误[E0100]: 未知的名称 `compute_fe`"), std::string::npos) << zh.err;
  auto en = with_env("LC_ALL", "zh_CN.UTF-8", "check --lang en " + file);
  EXPECT_NE(en.err.find("error[E0100]: unknown name `compute_fe`"), std::string::npos) << en.err;
  EXPECT_NE(en.err.find("= help: did you mean `compute_fee`?"), std::string::npos) << en.err;
  EXPECT_NE(en.err.find("1 error generated."), std::string::npos) << en.err;
  EXPECT_EQ(en.err.find("错误"), std::string::npos) << en.err;
  auto bad = testing::polc("check --lang fr " + file);
  EXPECT_EQ(bad.status, 2);
}

// Loading (compiler/driver): files, --set, revisions and compiled policies speak the same language.
TEST_F(PolcLanguage, LoadingErrorsInBothLanguages) {
  const std::string missing = path("missing.pol");
  auto zh = with_env("LC_ALL", "C", "check --lang zh " + missing);
  EXPECT_NE(zh.err.find("无法读取文件 `" + missing + "`"), std::string::npos) << zh.err;
  EXPECT_NE(zh.err.find("请检查文件路径"), std::string::npos) << zh.err;
  auto en = with_env("LC_ALL", "C", "check --lang en " + missing);
  EXPECT_NE(en.err.find("cannot read `" + missing + "`"), std::string::npos) << en.err;

  const std::string compiled = write("bad.json", "{not json");
  auto zc = with_env("LC_ALL", "C", "check --lang zh " + compiled);
  EXPECT_EQ(zc.status, 1) << zc.err;
  auto ec = with_env("LC_ALL", "C", "check --lang en " + compiled);
  // Not JSON: read as a policy source, refused by the parser; either way both languages differ.
  EXPECT_NE(zc.err, ec.err);

  auto zs = with_env("LC_ALL", "zh_CN.UTF-8", "eval " + policy() + " --set annual_budget " + write("a.json", "{}"));
  EXPECT_NE(zs.err.find("`--set annual_budget` 不是 名称=值 的形式"), std::string::npos) << zs.err;
  EXPECT_NE(zs.err.find("例如 `--set annual_budget=4000000`"), std::string::npos) << zs.err;
}

}  // namespace
}  // namespace pol
