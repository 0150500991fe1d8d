// Unit tests for the JSON Lines and CSV record readers (runtime/input/records.h).
// Each test reads a literal input through a reader and checks fields, kinds, lines and errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/input/records.h"

namespace pol::input {
namespace {

// A copied-out record, so tests can look at several records after the reader moved on.
struct Rec {
  size_t line = 0;
  std::string error;
  std::vector<std::pair<std::string, std::pair<RawKind, std::string>>> fields;

  const std::pair<RawKind, std::string>* get(const std::string& name) const {
    for (const auto& f : fields) {
      if (f.first == name) return &f.second;
    }
    return nullptr;
  }
  std::string text(const std::string& name) const {
    auto* f = get(name);
    return f ? f->second : std::string("<missing>");
  }
  RawKind kind(const std::string& name) const {
    auto* f = get(name);
    return f ? f->first : RawKind::Other;
  }
};

std::vector<Rec> read_all(RecordReader& reader) {
  std::vector<Rec> out;
  RawRecord rec;
  while (reader.next(rec)) {
    Rec r;
    r.line = rec.line;
    r.error = rec.error;
    for (const auto& f : rec.fields) r.fields.push_back({std::string(f.name), {f.kind, std::string(f.text)}});
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<Rec> jsonl(std::string_view text) { return read_all(*open_jsonl(text)); }
std::vector<Rec> csv(std::string_view text) { return read_all(*open_csv(text)); }

// ---------------------------------------------------------------- JSON Lines

TEST(Jsonl, ScalarKinds) {
  auto recs = jsonl(R"({"id":"A1","amount":"1234.50","n":42,"ok":true,"no":false,"z":null})"
                    "\n");
  ASSERT_EQ(recs.size(), 1u);
  const Rec& r = recs[0];
  EXPECT_EQ(r.line, 1u);
  EXPECT_EQ(r.error, "");
  ASSERT_EQ(r.fields.size(), 6u);
  EXPECT_EQ(r.fields[0].first, "id");  // document order is kept
  EXPECT_EQ(r.kind("id"), RawKind::String);
  EXPECT_EQ(r.text("id"), "A1");
  EXPECT_EQ(r.kind("amount"), RawKind::String);
  EXPECT_EQ(r.text("amount"), "1234.50");
  EXPECT_EQ(r.kind("n"), RawKind::Number);
  EXPECT_EQ(r.text("n"), "42");
  EXPECT_EQ(r.kind("ok"), RawKind::True);
  EXPECT_EQ(r.text("ok"), "true");
  EXPECT_EQ(r.kind("no"), RawKind::False);
  EXPECT_EQ(r.text("no"), "false");
  EXPECT_EQ(r.kind("z"), RawKind::Null);
  EXPECT_EQ(r.text("z"), "");
}

TEST(Jsonl, NumbersKeptExactlyAsWritten) {
  auto recs = jsonl(R"({"a": 0.05, "b":12345678.90 ,"c":1e5,"d":-5,"e":0,"f":1.5E-3,"g":123456789012345678901234567890})");
  ASSERT_EQ(recs.size(), 1u);
  const Rec& r = recs[0];
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.text("a"), "0.05");
  EXPECT_EQ(r.text("b"), "12345678.90");
  EXPECT_EQ(r.text("c"), "1e5");
  EXPECT_EQ(r.text("d"), "-5");
  EXPECT_EQ(r.text("e"), "0");
  EXPECT_EQ(r.text("f"), "1.5E-3");
  EXPECT_EQ(r.text("g"), "123456789012345678901234567890");
  for (const char* k : {"a", "b", "c", "d", "e", "f", "g"}) EXPECT_EQ(r.kind(k), RawKind::Number) << k;
}

TEST(Jsonl, UnicodeAndEscapes) {
  auto recs = jsonl(R"({"name":"深圳市龙岗区","esc":"\u4e2d\u6587","q":"say \"hi\"\n\\","\u952e":"v"})");
  ASSERT_EQ(recs.size(), 1u);
  const Rec& r = recs[0];
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.text("name"), "深圳市龙岗区");
  EXPECT_EQ(r.text("esc"), "中文");
  EXPECT_EQ(r.text("q"), "say \"hi\"\n\\");
  EXPECT_EQ(r.text("键"), "v");  // keys are unescaped too
}

TEST(Jsonl, NestedValuesAreOtherWithRawText) {
  auto recs = jsonl(R"({"o": {"x": [1, 2]} , "a":[ "p", {"q":null} ],"n":1})");
  ASSERT_EQ(recs.size(), 1u);
  const Rec& r = recs[0];
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.kind("o"), RawKind::Other);
  EXPECT_EQ(r.text("o"), R"({"x": [1, 2]})");
  EXPECT_EQ(r.kind("a"), RawKind::Other);
  EXPECT_EQ(r.text("a"), R"([ "p", {"q":null} ])");
  EXPECT_EQ(r.text("n"), "1");
}

TEST(Jsonl, BadLineInTheMiddleIsAnErrorRecordAndReadingContinues) {
  auto recs = jsonl(
      "{\"id\":\"1\"}\n"
      "{\"id\":\"2\",\"amount\": }\n"
      "{\"id\":\"3\"}\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].error, "");
  EXPECT_NE(recs[1].error, "");
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_TRUE(recs[1].fields.empty());
  EXPECT_NE(recs[1].error.find("amount"), std::string::npos) << recs[1].error;
  EXPECT_EQ(recs[2].error, "");
  EXPECT_EQ(recs[2].line, 3u);
  EXPECT_EQ(recs[2].text("id"), "3");
}

TEST(Jsonl, ManyKindsOfInvalidLines) {
  const char* bad[] = {
      "[1,2]",                      // not an object
      "\"just a string\"",          // not an object
      "42",                         // not an object
      "{\"a\":1",                   // unterminated
      "{\"a\":1,}",                 // trailing comma
      "{\"a\" 1}",                  // missing colon
      "{\"a\":1 \"b\":2}",          // missing comma
      "{\"a\":12abc}",              // bad number
      "{\"a\":01}",                 // leading zero
      "{\"a\":1.}",                 // bad number
      "{\"a\":tru}",                // bad literal
      "{\"a\":\"x\\q\"}",           // bad escape
      "{\"a\":\"unclosed}",         // unclosed string
      "{\"a\":1} trailing",         // trailing garbage
      "{\"a\":1}{\"b\":2}",         // two objects on one line
      "{\"a\":[1, 2x]}",            // bad number nested
      "{\"a\":{\"b\":1,}}",         // bad nested object
      "{\"a\":1,\"a\":2}",          // duplicate key
      "{\"\\u0061\":1,\"a\":2}",    // duplicate after unescaping
      "{\"a\":\"\xff\"}",           // invalid UTF-8
  };
  for (const char* line : bad) {
    auto recs = jsonl(std::string(line) + "\n{\"ok\":1}\n");
    ASSERT_EQ(recs.size(), 2u) << line;
    EXPECT_NE(recs[0].error, "") << line;
    EXPECT_TRUE(recs[0].fields.empty()) << line;
    EXPECT_EQ(recs[1].error, "") << line;
    EXPECT_EQ(recs[1].text("ok"), "1") << line;
  }
}

TEST(Jsonl, DeepNestingIsAnErrorNotACrash) {
  std::string line = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto recs = jsonl(line + "\n{\"ok\":1}\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_NE(recs[0].error, "");
  EXPECT_EQ(recs[1].text("ok"), "1");
}

TEST(Jsonl, ErrorMessagesNameTheProblem) {
  auto recs = jsonl("{\"a\":1,\"a\":2}\n[1]\n{\"x\":1,\"amount\":12abc}\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_NE(recs[0].error.find("duplicate key \"a\""), std::string::npos) << recs[0].error;
  EXPECT_NE(recs[1].error.find("expected a JSON object"), std::string::npos) << recs[1].error;
  EXPECT_NE(recs[2].error.find("\"amount\""), std::string::npos) << recs[2].error;
  EXPECT_NE(recs[2].error.find("number"), std::string::npos) << recs[2].error;
}

TEST(Jsonl, BlankLinesSkippedAndLineNumbersKept) {
  auto recs = jsonl("\n{\"a\":1}\n\n   \n\t\n{\"a\":2}\n\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].line, 2u);
  EXPECT_EQ(recs[1].line, 6u);
}

TEST(Jsonl, CrlfLineEnds) {
  auto recs = jsonl("{\"a\":1.50,\"s\":\"x\"}\r\n\r\n{\"a\":true}\r\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].error, "");
  EXPECT_EQ(recs[0].text("a"), "1.50");
  EXPECT_EQ(recs[0].text("s"), "x");
  EXPECT_EQ(recs[1].line, 3u);
  EXPECT_EQ(recs[1].kind("a"), RawKind::True);
}

TEST(Jsonl, BomOnFirstLineAndNoTrailingNewline) {
  auto recs = jsonl("\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].error, "");
  EXPECT_EQ(recs[0].text("a"), "1");
  EXPECT_EQ(recs[1].text("b"), "2");
}

TEST(Jsonl, EmptyInputAndEmptyObject) {
  EXPECT_TRUE(jsonl("").empty());
  EXPECT_TRUE(jsonl("\n\n").empty());
  auto recs = jsonl("{}\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].error, "");
  EXPECT_TRUE(recs[0].fields.empty());
}

TEST(Jsonl, ViewsValidUntilNextCall) {
  // A long line after a short one must not corrupt anything: buffers grow and are reused.
  std::string long_value(100000, 'x');
  std::string text = "{\"a\":\"short\"}\n{\"a\":\"" + long_value + "\",\"n\":7}\n{\"a\":\"again\"}\n";
  auto reader = open_jsonl(text);
  RawRecord rec;
  ASSERT_TRUE(reader->next(rec));
  EXPECT_EQ(rec.fields[0].text, "short");
  ASSERT_TRUE(reader->next(rec));
  ASSERT_EQ(rec.error, "");
  EXPECT_EQ(rec.fields[0].text, long_value);
  EXPECT_EQ(rec.fields[1].text, "7");
  ASSERT_TRUE(reader->next(rec));
  EXPECT_EQ(rec.fields[0].text, "again");
  EXPECT_FALSE(reader->next(rec));
  EXPECT_FALSE(reader->next(rec));  // stays at end
}

// ---------------------------------------------------------------- CSV

TEST(Csv, BasicWithBomAndCrlf) {
  auto recs = csv("\xEF\xBB\xBFid,amount,ok\r\nA1,1234.50,true\r\nA2,0.05,false\r\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].error, "");
  EXPECT_EQ(recs[0].line, 2u);
  ASSERT_EQ(recs[0].fields.size(), 3u);
  EXPECT_EQ(recs[0].fields[0].first, "id");  // BOM stripped from the first name
  EXPECT_EQ(recs[0].text("id"), "A1");
  EXPECT_EQ(recs[0].text("amount"), "1234.50");
  EXPECT_EQ(recs[0].text("ok"), "true");  // no CR left on the last cell
  EXPECT_EQ(recs[0].kind("ok"), RawKind::String);
  EXPECT_EQ(recs[1].line, 3u);
  EXPECT_EQ(recs[1].text("amount"), "0.05");
}

TEST(Csv, QuotedCommasQuotesAndNewlines) {
  auto recs = csv(
      "id,\"na,me\",note\n"
      "1,\"Smith, John\",\"he said \"\"hi\"\"\"\n"
      "2,\"line one\nline two\",\"\"\"\"\n"
      "3,plain,\"\"\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].text("na,me"), "Smith, John");
  EXPECT_EQ(recs[0].text("note"), "he said \"hi\"");
  EXPECT_EQ(recs[1].line, 3u);
  EXPECT_EQ(recs[1].text("na,me"), "line one\nline two");
  EXPECT_EQ(recs[1].text("note"), "\"");
  EXPECT_EQ(recs[2].line, 5u);  // physical line, after the embedded newline
  ASSERT_NE(recs[2].get("note"), nullptr);  // quoted empty cell is present, just empty
  EXPECT_EQ(recs[2].text("note"), "");
}

TEST(Csv, EmbeddedCrlfNewlineKeptAndLinesCounted) {
  auto recs = csv("a,b\r\n\"x\r\ny\",2\r\nz,3\r\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].text("a"), "x\r\ny");
  EXPECT_EQ(recs[0].text("b"), "2");
  EXPECT_EQ(recs[1].line, 4u);
  EXPECT_EQ(recs[1].text("a"), "z");
}

TEST(Csv, EmptyCellsOmittedAndShortRowsAllowed) {
  auto recs = csv("a,b,c,d\n1,,3,\n,2\n,,,\n");
  ASSERT_EQ(recs.size(), 3u);
  ASSERT_EQ(recs[0].fields.size(), 2u);
  EXPECT_EQ(recs[0].text("a"), "1");
  EXPECT_EQ(recs[0].get("b"), nullptr);
  EXPECT_EQ(recs[0].text("c"), "3");
  EXPECT_EQ(recs[0].get("d"), nullptr);
  ASSERT_EQ(recs[1].fields.size(), 1u);
  EXPECT_EQ(recs[1].text("b"), "2");
  EXPECT_EQ(recs[2].error, "");
  EXPECT_TRUE(recs[2].fields.empty());
}

TEST(Csv, ExtraCellsAreAnErrorAndReadingContinues) {
  auto recs = csv("a,b\n1,2\n1,2,3\n4,5\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].error, "");
  EXPECT_NE(recs[1].error, "");
  EXPECT_NE(recs[1].error.find("column 3"), std::string::npos) << recs[1].error;
  EXPECT_TRUE(recs[1].fields.empty());
  EXPECT_EQ(recs[1].line, 3u);
  EXPECT_EQ(recs[2].text("a"), "4");
}

TEST(Csv, MalformedQuotes) {
  auto recs = csv("a,b\n\"x\"y,2\n3,4\n5,\"open\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_NE(recs[0].error.find("after closing quote"), std::string::npos) << recs[0].error;
  EXPECT_NE(recs[0].error.find("column 1 (\"a\")"), std::string::npos) << recs[0].error;
  EXPECT_EQ(recs[1].error, "");
  EXPECT_EQ(recs[1].text("b"), "4");
  EXPECT_NE(recs[2].error.find("unterminated"), std::string::npos) << recs[2].error;
  EXPECT_NE(recs[2].error.find("\"b\""), std::string::npos) << recs[2].error;
  EXPECT_EQ(recs[2].line, 4u);
}

TEST(Csv, BlankLinesSkippedNoTrailingNewline) {
  auto recs = csv("\na,b\n\n1,2\r\n\r\n  \n3,4");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].line, 4u);
  EXPECT_EQ(recs[1].line, 7u);
  EXPECT_EQ(recs[1].text("b"), "4");
}

TEST(Csv, UnicodeAndSpacesKept) {
  auto recs = csv("名称,金额\n 深圳 ,\"1,000.00\"\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].text("名称"), " 深圳 ");
  EXPECT_EQ(recs[0].text("金额"), "1,000.00");
}

TEST(Csv, HeaderOnlyOrEmpty) {
  EXPECT_TRUE(csv("").empty());
  EXPECT_TRUE(csv("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(csv("a,b\n").empty());
  EXPECT_TRUE(csv("a,b").empty());
}

TEST(Csv, BadHeaderIsOneErrorRecord) {
  auto dup = csv("a,b,a\n1,2,3\n");
  ASSERT_EQ(dup.size(), 1u);
  EXPECT_EQ(dup[0].line, 1u);
  EXPECT_NE(dup[0].error.find("duplicate column name \"a\""), std::string::npos) << dup[0].error;
  auto empty = csv("a,,c\n1,2,3\n");
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_NE(empty[0].error.find("column 2"), std::string::npos) << empty[0].error;
}

TEST(Csv, ViewsIntoScratchSurviveManyEscapedCells) {
  // Several escaped cells in one row force the scratch buffer to grow mid-row.
  std::string row;
  std::string header;
  for (int i = 0; i < 50; ++i) {
    header += (i ? ",c" : "c") + std::to_string(i);
    row += std::string(i ? "," : "") + "\"" + std::string(size_t(i) * 10, 'x') + "\"\"" + std::to_string(i) + "\"";
  }
  auto recs = csv(header + "\n" + row + "\n");
  ASSERT_EQ(recs.size(), 1u);
  ASSERT_EQ(recs[0].fields.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(recs[0].text("c" + std::to_string(i)), std::string(size_t(i) * 10, 'x') + "\"" + std::to_string(i));
  }
}

// ---------------------------------------------------------------- helpers

TEST(Format, FromPath) {
  EXPECT_EQ(format_from_path("apps.csv"), Format::Csv);
  EXPECT_EQ(format_from_path("/data/x.y/apps.CSV"), Format::Csv);
  EXPECT_EQ(format_from_path("apps.jsonl"), Format::Jsonl);
  EXPECT_EQ(format_from_path("apps.json"), Format::Jsonl);
  EXPECT_EQ(format_from_path("apps.ndjson"), Format::Jsonl);
  EXPECT_EQ(format_from_path("-"), Format::Jsonl);
  EXPECT_EQ(format_from_path("csv"), Format::Jsonl);
  EXPECT_EQ(format_from_path("dir.csv/apps"), Format::Jsonl);
}

TEST(ReadFile, MissingFileAndRoundTrip) {
  std::string out, error;
  EXPECT_FALSE(read_file("/nonexistent/dir/apps.jsonl", out, error));
  EXPECT_NE(error.find("/nonexistent/dir/apps.jsonl"), std::string::npos) << error;

  std::string path = ::testing::TempDir() + "records_test_roundtrip.jsonl";
  std::string content = "{\"a\":1}\n{\"b\":\"中\"}\n";
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(content.data(), 1, content.size(), f);
  std::fclose(f);
  error.clear();
  ASSERT_TRUE(read_file(path, out, error)) << error;
  EXPECT_EQ(out, content);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace pol::input
