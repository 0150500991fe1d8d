// Input errors in the language asked for (#12): the same bad application decoded once keeps each
// problem as a catalogue message, shown in Chinese under Lang::Zh and in English under Lang::En —
// a missing field, an amount cell that is not an amount, a date that is not a date, an unknown
// item, a CSV file that is neither UTF-8 nor GBK, a workbook that cannot be read. The decision
// writers (JSON, CSV, text) render them in the Explainer's language; the explanations themselves
// stay the policy's own Chinese words.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/diagnostics/message.h"
#include "runtime/explain/explain.h"
#include "runtime/input/records.h"
#include "runtime/portfolio/batch.h"
#include "tests/unit/policy_fixture.h"

namespace pol {
namespace {

// The Longgang policy and a batch decoded from CSV or JSON Lines text.
class InputMessages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { lp_ = testing::load_longgang().release(); }
  static void TearDownTestSuite() {
    delete lp_;
    lp_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(lp_ && lp_->ok()); }

  std::unique_ptr<Batch> decide(const std::string& text, input::Format format) {
    auto batch = std::make_unique<Batch>(*lp_->policy, lp_->program);
    Decoder dec(*batch);
    auto reader = input::open_reader(format, text);
    input::RawRecord rec;
    while (reader->next(rec)) dec.add_application(rec);
    evaluate(*batch);
    return batch;
  }
  // Every input error of application `a`, each rendered in `lang`.
  static std::vector<std::string> errors(const Batch& b, uint32_t a, Lang lang) {
    std::vector<std::string> out;
    for (const InputError& e : b.input_errors(b.decisions.at(a))) out.push_back(e.text(lang));
    return out;
  }
  static bool has(const std::vector<std::string>& texts, const std::string& want) {
    for (const auto& t : texts)
      if (t == want) return true;
    return false;
  }
  static std::string joined(const std::vector<std::string>& texts) {
    std::string out;
    for (const auto& t : texts) out += t + "\n";
    return out;
  }

  static LoadedPolicy* lp_;
};
LoadedPolicy* InputMessages::lp_ = nullptr;

TEST_F(InputMessages, OneBadApplicationInChineseAndInEnglish) {
  // No enterprise, an amount written 5000万x, a date written month first.
  auto b = decide("id,item,date,compute_fee\nLG-1,2,03/01/2025,5000万x\n", input::Format::Csv);
  ASSERT_EQ(b->decisions.size(), 1u);
  ASSERT_EQ(b->decisions[0].status, Status::Error);
  const auto zh = errors(*b, 0, Lang::Zh), en = errors(*b, 0, Lang::En);
  ASSERT_EQ(zh.size(), 3u) << joined(zh);
  ASSERT_EQ(en.size(), zh.size());
  EXPECT_TRUE(has(zh, "缺少字段 `enterprise`（统一社会信用代码），事项 2 需要此项")) << joined(zh);
  EXPECT_TRUE(has(en, "missing field `enterprise`（统一社会信用代码）, which item 2 needs")) << joined(en);
  EXPECT_TRUE(has(zh, "字段 `date`（受理日期）：`03/01/2025` 不是日期（可写 2023-06-01、2023/6/1、2023.06.01 或 "
                      "2023年6月1日，年份在前）"))
      << joined(zh);
  EXPECT_TRUE(has(en, "field `date`（受理日期）: `03/01/2025` is not a date (write 2023-06-01, 2023/6/1, 2023.06.01 or "
                      "2023年6月1日, the year first)"))
      << joined(en);
  // The list of accepted forms is complete in both languages.
  EXPECT_TRUE(has(zh, "字段 `compute_fee`（算力服务费用）：`5000万x` 不是金额（可写 1250000、1,250,000.00、1250000元、"
                      "125万、125万元 或 1.25亿）"))
      << joined(zh);
  EXPECT_TRUE(has(en, "field `compute_fee`（算力服务费用）: `5000万x` is not an amount (write 1250000, 1,250,000.00, "
                      "1250000元, 125万, 125万元 or 1.25亿)"))
      << joined(en);
  // The English `message` beside the catalogue form, for code that shows it as it is.
  for (const InputError& e : b->input_errors(b->decisions[0])) EXPECT_EQ(e.message, e.text(Lang::En));
}

TEST_F(InputMessages, AnUnknownItemAndAWrongType) {
  auto b = decide(
      "{\"id\":\"LG-1\",\"enterprise\":\"E1\",\"item\":\"99\",\"date\":\"2025-03-01\"}\n"
      "{\"id\":\"LG-2\",\"enterprise\":\"E1\",\"item\":\"3\",\"date\":\"2025-03-01\",\"contract_amount\":\"100\","
      "\"via_data_exchange\":\"也许\",\"seller_affiliated\":false}\n",
      input::Format::Jsonl);
  ASSERT_EQ(b->decisions.size(), 2u);
  auto zh = errors(*b, 0, Lang::Zh), en = errors(*b, 0, Lang::En);
  ASSERT_EQ(zh.size(), 1u) << joined(zh);
  EXPECT_EQ(zh[0].rfind("字段 `item`：本政策没有事项 `99`；可申报的事项为 2, 3, 4, ", 0), 0u) << zh[0];
  EXPECT_EQ(en[0].rfind("field `item`: this policy has no item `99`; its items are 2, 3, 4, ", 0), 0u) << en[0];
  zh = errors(*b, 1, Lang::Zh), en = errors(*b, 1, Lang::En);
  EXPECT_TRUE(has(zh, "字段 `via_data_exchange`（通过数据交易平台采购）：应为 true 或 false（也可写 是/否、TRUE/FALSE、1/0），"
                      "实际为文本 `也许`"))
      << joined(zh);
  EXPECT_TRUE(has(en, "field `via_data_exchange`（通过数据交易平台采购）: expected true or false (是/否, TRUE/FALSE or 1/0 "
                      "too), got the text `也许`"))
      << joined(en);
}

TEST_F(InputMessages, TheDecisionWritersShowTheExplainersLanguage) {
  auto b = decide("id,enterprise,item,date,compute_fee\nLG-1,E1,2,2025-03-01,5000万x\nLG-2,E1,2,2025-03-01,100\n",
                  input::Format::Csv);
  for (Lang lang : {Lang::Zh, Lang::En}) {
    Explainer ex(*b);
    ex.set_lang(lang);
    std::string json, text, csv, good;
    ex.json_line(0, json);
    ex.text_block(0, text);
    ex.csv_row(0, csv);
    ex.text_block(1, good);
    const std::string want = lang == Lang::Zh ? "字段 `compute_fee`（算力服务费用）：`5000万x` 不是金额"
                                              : "field `compute_fee`（算力服务费用）: `5000万x` is not an amount";
    EXPECT_NE(nlohmann::json::parse(json)["error"].get<std::string>().find(want), std::string::npos) << json;
    EXPECT_NE(csv.find(want), std::string::npos) << csv;
    EXPECT_EQ(text.rfind(lang == Lang::Zh ? "申报 LG-1（第 2 行）：输入有误 error[E0602]: " + want
                                          : "application LG-1 (line 2): input error error[E0602]: " + want,
                         0),
              0u)
        << text;
    // A decided application is explained in the policy's own words, whatever the language.
    EXPECT_EQ(good.rfind("申报 LG-2 · 事项 2", 0), 0u) << good;
  }
}

TEST_F(InputMessages, ACsvFileThatIsNeitherUtf8NorGbk) {
  std::string data = "id,enterprise,item,date,compute_fee\nA1,\xFF\xFF,2,2025-03-01,100\n";
  std::string zh, en;
  std::string copy = data;
  input::ReadOptions how;
  how.lang = Lang::Zh;
  EXPECT_EQ(input::open_input(copy, "bad.csv", how, zh), nullptr);
  copy = data;
  how.lang = Lang::En;
  EXPECT_EQ(input::open_input(copy, "bad.csv", how, en), nullptr);
  EXPECT_EQ(zh.rfind("bad.csv：文件既不是 UTF-8 也不是 GBK/GB18030 文本：按 UTF-8 读，第 2 行字节偏移 39 处的字节 0xFF无效；", 0), 0u)
      << zh;
  EXPECT_NE(zh.find("请将表格另存为“CSV UTF-8”"), std::string::npos) << zh;
  EXPECT_EQ(en.rfind("bad.csv: the file is neither UTF-8 nor GBK/GB18030 text: as UTF-8, the byte 0xFF at byte offset 39 "
                     "(line 2) is invalid; as GB18030, ",
                     0),
            0u)
      << en;
  // The message kept with the conversion's failure is the catalogue's.
  Msg why;
  copy = data;
  EXPECT_FALSE(input::to_utf8(copy, input::Encoding::Detect, why));
  EXPECT_EQ(render_msg(why, Lang::En), en.substr(std::string("bad.csv: ").size()));
}

TEST_F(InputMessages, AWorkbookThatCannotBeRead) {
  std::string data = "PK\x03\x04 not really a zip";
  std::string zh, en;
  input::ReadOptions how;
  how.lang = Lang::Zh;
  std::string copy = data;
  EXPECT_EQ(input::open_input(copy, "apps.xlsx", how, zh), nullptr);
  how.lang = Lang::En;
  copy = data;
  EXPECT_EQ(input::open_input(copy, "apps.xlsx", how, en), nullptr);
  EXPECT_EQ(zh.rfind("apps.xlsx：不是 .xlsx 工作簿（无法作为 zip 压缩包读取：", 0), 0u) << zh;
  EXPECT_EQ(en.rfind("apps.xlsx: not an .xlsx workbook (it cannot be read as a zip archive: ", 0), 0u) << en;
  // A workbook given where an application file is decided: one error record, in either language.
  auto b = decide(data, input::Format::Xlsx);
  ASSERT_EQ(b->decisions.size(), 1u);
  EXPECT_EQ(errors(*b, 0, Lang::Zh)[0].rfind("不是 .xlsx 工作簿", 0), 0u) << errors(*b, 0, Lang::Zh)[0];
  EXPECT_EQ(errors(*b, 0, Lang::En)[0].rfind("not an .xlsx workbook", 0), 0u) << errors(*b, 0, Lang::En)[0];
}

TEST_F(InputMessages, RowsThatCannotBeReadInBothLanguages) {
  auto b = decide("{\"id\":\"A1\",\"id\":\"A2\"}\n[1]\n", input::Format::Jsonl);
  ASSERT_EQ(b->decisions.size(), 2u);
  EXPECT_EQ(errors(*b, 0, Lang::En)[0], "duplicate key \"id\"");
  EXPECT_EQ(errors(*b, 0, Lang::Zh)[0], "字段名 \"id\" 重复");
  EXPECT_EQ(errors(*b, 1, Lang::En)[0], "expected a JSON object, got an array");
  EXPECT_EQ(errors(*b, 1, Lang::Zh)[0], "应为 JSON 对象，实际为数组");
}

}  // namespace
}  // namespace pol
