// Unit tests of compiler/diagnostics: source positions and display widths, rendering (ASCII and
// Chinese lines, multi-line spans, notes, help, cropping), the code registry, "did you mean" and
// `polc explain` pages (read from the source tree's docs/errors; finding them from the program:
// data_dirs_test.cpp).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/explain.h"
#include "compiler/diagnostics/source.h"
#include "compiler/diagnostics/suggest.h"

namespace pol {
namespace {

// Span over the `nth` (0-based) occurrence of `needle` in file `file`.
Span span_of(const SourceManager& sm, uint32_t file, std::string_view needle, int nth = 0) {
  const std::string_view text = sm.text(file);
  size_t pos = text.find(needle);
  for (int i = 0; i < nth && pos != std::string_view::npos; ++i) pos = text.find(needle, pos + 1);
  EXPECT_NE(pos, std::string_view::npos) << "no occurrence " << nth << " of " << needle;
  return Span{file, static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + needle.size())};
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    const size_t nl = s.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(s.substr(start));
      break;
    }
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// Display column (0-based) of the first '^' in a caret line, counted after the "  | " gutter.
int caret_column(const std::string& caret_line, const std::string& gutter) {
  EXPECT_EQ(caret_line.compare(0, gutter.size(), gutter), 0) << caret_line;
  const size_t caret = caret_line.find('^');
  EXPECT_NE(caret, std::string::npos) << caret_line;
  return static_cast<int>(caret - gutter.size());  // only spaces before the caret
}

const char* kPolicy =
    "import \"common\"\n"
    "policy demo \"示例政策\" { issuer \"某区工业和信息化局\" }\n"
    "parameter min_rd: money \"研发投入门槛\"\n"
    "clause 二 \"加大优质优价算力供给\" {\n"
    "  text \"对购买算力的企业，按最高不超过算力服务费用的30%予以支持，最高不超过600万元。\"\n"
    "  item \"2\" \"算力支持\" {\n"
    "    input compute_fee: money \"算力服务费用\"\n"
    "    require 有费用: compute_fee > 0 else \"未发生算力服务费用\"\n"
    "    amount 30% of compute_fee\n"
    "    cap 600万\n"
    "  }\n"
    "}\n";

// ---------------------------------------------------------------- SourceManager

TEST(SourceManager, IdsStartAtOneAndUnknownIdsAreSafe) {
  SourceManager sm;
  EXPECT_EQ(sm.add("a.pol", "abc"), 1u);
  EXPECT_EQ(sm.add("b.pol", "def"), 2u);
  EXPECT_EQ(sm.path(1), "a.pol");
  EXPECT_EQ(sm.text(2), "def");
  EXPECT_EQ(sm.find("b.pol"), 2u);
  EXPECT_EQ(sm.find("c.pol"), 0u);
  EXPECT_EQ(sm.path(0), "");
  EXPECT_EQ(sm.text(7), "");
  EXPECT_EQ(sm.line_text(0, 1), "");
  EXPECT_FALSE(sm.valid(0));
  EXPECT_TRUE(sm.valid(2));
}

TEST(SourceManager, TextViewsSurviveLaterAdds) {
  SourceManager sm;
  const uint32_t a = sm.add("a.pol", "short");  // small-string-optimized text must not move
  const std::string_view view = sm.text(a);
  for (int i = 0; i < 100; ++i) sm.add("f" + std::to_string(i), "x");
  EXPECT_EQ(view, "short");
  EXPECT_EQ(view.data(), sm.text(a).data());
}

TEST(SourceManager, PositionsCountCodePoints) {
  SourceManager sm;
  const uint32_t f = sm.add("x.pol", "ab\n算力服务费用 x\r\nlast");
  EXPECT_EQ(sm.line_count(f), 3u);
  auto p = sm.position(f, 0);
  EXPECT_EQ(p.line, 1u);
  EXPECT_EQ(p.column, 1u);
  p = sm.position(f, 2);  // the '\n' itself
  EXPECT_EQ(p.line, 1u);
  EXPECT_EQ(p.column, 3u);
  const Span x = span_of(sm, f, "x");
  p = sm.position(f, x.begin);
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.column, 8u);  // six CJK code points and a space before it
  p = sm.position(f, 3 + 4);  // inside the second character (算 = bytes 3..5, 力 = 6..8)
  EXPECT_EQ(p.column, 2u);
  p = sm.position(f, 10'000);  // clamped to the end
  EXPECT_EQ(p.line, 3u);
  EXPECT_EQ(p.column, 5u);
  EXPECT_EQ(sm.line_text(f, 1), "ab");
  EXPECT_EQ(sm.line_text(f, 2), "算力服务费用 x");  // no \r
  EXPECT_EQ(sm.line_text(f, 3), "last");
  EXPECT_EQ(sm.line_text(f, 4), "");
  EXPECT_EQ(sm.offset_of(f, 2, 8), x.begin);
  EXPECT_EQ(sm.offset_of(f, 2, 99), x.end);  // clamped to the end of the line, before \r
}

TEST(SourceManager, TrailingNewlineMakesAnEmptyLastLine) {
  SourceManager sm;
  const uint32_t f = sm.add("x.pol", "a\n");
  EXPECT_EQ(sm.line_count(f), 2u);
  const auto p = sm.position(f, 2);
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.column, 1u);
  EXPECT_EQ(sm.line_text(f, 2), "");
}

TEST(SourceManager, ByteOrderMarkIsNotAColumn) {
  SourceManager sm;
  const uint32_t f = sm.add("x.pol", "\xEF\xBB\xBFpolicy p\nx");
  EXPECT_EQ(sm.line_text(f, 1), "policy p");
  EXPECT_EQ(sm.line_start(f, 1), 3u);
  EXPECT_EQ(sm.position(f, 3).column, 1u);
  EXPECT_EQ(sm.position(f, 10).column, 8u);
}

TEST(SourceManager, CodePointIndexToOffset) {
  SourceManager sm;
  const std::string text = "ab\n算力\r\n服务 x";
  const uint32_t f = sm.add("x.pol", text);
  const std::u32string cps = to_u32(text);
  size_t byte = 0;
  for (size_t i = 0; i < cps.size(); ++i) {
    EXPECT_EQ(sm.offset_of_code_point(f, i), byte) << "code point " << i;
    byte += to_utf8(std::u32string(1, cps[i])).size();
  }
  EXPECT_EQ(sm.offset_of_code_point(f, cps.size()), text.size());
  EXPECT_EQ(sm.offset_of_code_point(f, cps.size() + 10), text.size());
}

TEST(Utf8, FirstInvalidByte) {
  EXPECT_FALSE(first_invalid_utf8("算力 abc").has_value());
  EXPECT_EQ(first_invalid_utf8("ab\xFF"), 2u);
  EXPECT_EQ(first_invalid_utf8("a\xE7\xAE"), 1u);           // truncated
  EXPECT_EQ(first_invalid_utf8("\xC0\xAF"), 0u);            // overlong '/'
  EXPECT_EQ(first_invalid_utf8("x\xED\xA0\x80"), 1u);       // surrogate
}

TEST(DisplayWidth, EastAsianWideAndCombining) {
  EXPECT_EQ(display_width(""), 0);
  EXPECT_EQ(display_width("compute_fee"), 11);
  EXPECT_EQ(display_width("算力服务费用"), 12);
  EXPECT_EQ(display_width("，。（）《》、：；"), 18);  // CJK and fullwidth punctuation
  EXPECT_EQ(display_width("ＡＢ１"), 6);              // fullwidth forms
  EXPECT_EQ(display_width("かなカナ"), 8);
  EXPECT_EQ(display_width("한국"), 4);
  EXPECT_EQ(display_width("\u3000"), 2);               // ideographic space
  EXPECT_EQ(display_width("e\u0301"), 1);              // combining acute accent
  EXPECT_EQ(display_width("a\u200Bb"), 2);             // zero width space
  EXPECT_EQ(display_width("\t"), 4);
  EXPECT_EQ(display_width("30%予以支持"), 11);
  EXPECT_EQ(display_width("“引号”"), 6);               // ambiguous width counts 1
  EXPECT_EQ(display_width("\xFF"), 1);                 // invalid byte shown as U+FFFD
  EXPECT_EQ(display_width("𠀀"), 2);                   // CJK extension B
}

// ---------------------------------------------------------------- rendering

TEST(Render, AsciiLine) {
  SourceManager sm;
  const uint32_t f = sm.add("policies/x.pol", "policy demo {\n  amount compute_fee + 30%\n}\n");
  Diagnostics ds;
  ds.report_verbatim(DiagCode::E0200, span_of(sm, f, "30%"), "cannot add `money` and `rate`")
      .with_label_verbatim("this is `rate`");
  const std::string expected =
      "policies/x.pol:2:24: error[E0200]: cannot add `money` and `rate`\n"
      "  |\n"
      "2 |   amount compute_fee + 30%\n"
      "  | " + std::string(23, ' ') + "^~~ this is `rate`\n";
  EXPECT_EQ(render(ds.all()[0], sm), expected);
}

TEST(Render, GutterWidensForTwoDigitLines) {
  SourceManager sm;
  std::string text;
  for (int i = 1; i < 12; ++i) text += "\n";
  text += "    amount compute_fee + 30%\n";
  const uint32_t f = sm.add("policies/x.pol", text);
  Diagnostic d;
  d.code = DiagCode::E0200;
  d.message = "cannot add `money` and `rate`";
  d.primary = span_of(sm, f, "30%");
  d.label = "this is `rate`";
  d.help = "did you mean `compute_fee`?";
  d.note_verbatim("money + rate is not defined");
  const std::string expected =
      "policies/x.pol:12:26: error[E0200]: cannot add `money` and `rate`\n"
      "   |\n"
      "12 |     amount compute_fee + 30%\n"
      "   |                          ^~~ this is `rate`\n"
      "   = note: money + rate is not defined\n"
      "   = help: did you mean `compute_fee`?\n";
  EXPECT_EQ(render(d, sm), expected);
}

TEST(Render, ChineseLineCaretsByDisplayWidth) {
  SourceManager sm;
  const std::string line = "对购买算力的企业，按最高不超过算力服务费用的30%予以支持";
  const uint32_t f = sm.add("p.pol", line + "\n");
  // The second 算力服务费用... is preceded by 对购买算力的企业，按最高不超过 = 15 wide characters.
  const Span span = span_of(sm, f, "算力服务费用");
  ASSERT_EQ(sm.text(f).substr(0, span.begin), "对购买算力的企业，按最高不超过");
  Diagnostic d;
  d.code = DiagCode::E0100;
  d.message = "unknown name `算力服务费用`";
  d.primary = span;
  const auto lines = lines_of(render(d, sm));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "p.pol:1:16: error[E0100]: unknown name `算力服务费用`");  // code point column
  EXPECT_EQ(lines[2], "1 | " + line);
  EXPECT_EQ(caret_column(lines[3], "  | "), 2 * 15);
  EXPECT_EQ(lines[3], "  | " + std::string(30, ' ') + "^" + std::string(11, '~'));
}

TEST(Render, ChineseInsidePolicySource) {
  SourceManager sm;
  const uint32_t f = sm.add("policies/demo.pol", kPolicy);
  const Span span = span_of(sm, f, "算力服务费用", 0);  // inside the text "..." of clause 二
  Diagnostic d;
  d.code = DiagCode::E0100;
  d.message = "unknown name";
  d.primary = span;
  d.label = "这里";
  const auto lines = lines_of(render(d, sm));
  ASSERT_EQ(lines.size(), 4u);
  // `  text "` is 8 ASCII columns, then 对购买算力的企业，按最高不超过 (15 wide characters).
  EXPECT_EQ(lines[0], "policies/demo.pol:5:24: error[E0100]: unknown name");
  EXPECT_EQ(caret_column(lines[3], "  | "), 8 + 2 * 15);
  EXPECT_EQ(lines[3].substr(4 + 38), "^" + std::string(11, '~') + " 这里");
}

TEST(Render, TabsExpandedInLineAndCaret) {
  SourceManager sm;
  const uint32_t f = sm.add("t.pol", "\tamount\t算力 x\n");
  Diagnostic d;
  d.code = DiagCode::E0100;
  d.message = "unknown name `x`";
  d.primary = span_of(sm, f, "x");
  const auto lines = lines_of(render(d, sm));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "t.pol:1:12: error[E0100]: unknown name `x`");
  EXPECT_EQ(lines[2], "1 |     amount    算力 x");
  EXPECT_EQ(caret_column(lines[3], "  | "), 4 + 6 + 4 + 4 + 1);
}

TEST(Render, MultiLineSpanUnderlinesToEndOfFirstLine) {
  SourceManager sm;
  const uint32_t f = sm.add("m.pol", "  require ok: a >\n      b else \"x\"\n");
  Diagnostic d;
  d.code = DiagCode::E0201;
  d.message = "condition is not bool";
  const Span a = span_of(sm, f, "a >");
  const Span b = span_of(sm, f, "b");
  d.primary = Span{f, a.begin, b.end};
  d.label = "this is `money`";
  const auto lines = lines_of(render(d, sm));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "m.pol:1:15: error[E0201]: condition is not bool");
  EXPECT_EQ(lines[2], "1 |   require ok: a >");
  EXPECT_EQ(lines[3], "  |               ^~~ this is `money`");
}

TEST(Render, EmptySpanAndSpanAtEndOfLineGetOneCaret) {
  SourceManager sm;
  const uint32_t f = sm.add("e.pol", "cap 600万\n");
  Diagnostic d;
  d.code = DiagCode::E0001;
  d.message = "expected `}`";
  d.primary = Span{f, 4, 4};
  auto lines = lines_of(render(d, sm));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[3], "  |     ^");
  const uint32_t eol = static_cast<uint32_t>(sm.line_text(f, 1).size());
  d.primary = Span{f, eol, eol + 1};  // the newline itself
  lines = lines_of(render(d, sm));
  EXPECT_EQ(lines[0], "e.pol:1:9: error[E0001]: expected `}`");
  EXPECT_EQ(lines[3], "  | " + std::string(4 + 3 + 2, ' ') + "^");
}

TEST(Render, LocatedAndUnlocatedNotesAndHelp) {
  SourceManager sm;
  const uint32_t f = sm.add("policies/demo.pol", kPolicy);
  Diagnostics ds;
  ds.report_verbatim(DiagCode::E0101, span_of(sm, f, "compute_fee", 0), "duplicate declaration of `compute_fee`")
      .note_verbatim(span_of(sm, f, "min_rd"), "first declared here")
      .note_verbatim("names must be unique within an item")
      .with_help_verbatim("rename one of them");
  const std::string out = render(ds.all()[0], sm);
  const auto lines = lines_of(out);
  ASSERT_EQ(lines.size(), 10u) << out;
  EXPECT_EQ(lines[0], "policies/demo.pol:7:11: error[E0101]: duplicate declaration of `compute_fee`");
  EXPECT_EQ(lines[2], "7 |     input compute_fee: money \"算力服务费用\"");
  EXPECT_EQ(lines[3], "  | " + std::string(10, ' ') + "^" + std::string(10, '~'));  // compute_fee
  EXPECT_EQ(lines[4], "policies/demo.pol:3:11: note: first declared here");
  EXPECT_EQ(lines[5], "  |");
  EXPECT_EQ(lines[6], "3 | parameter min_rd: money \"研发投入门槛\"");
  EXPECT_EQ(lines[7], "  | " + std::string(10, ' ') + "^~~~~~");  // min_rd
  EXPECT_EQ(lines[8], "  = note: names must be unique within an item");
  EXPECT_EQ(lines[9], "  = help: rename one of them");
}

TEST(Render, DiagnosticWithoutLocation) {
  SourceManager sm;
  Diagnostic d;
  d.code = DiagCode::E0302;
  d.message = "invalid --set value `min_rd=abc`";
  d.help = "write --set name=value, e.g. --set min_rd=100万";
  EXPECT_EQ(render(d, sm),
            "error[E0302]: invalid --set value `min_rd=abc`\n"
            "  = help: write --set name=value, e.g. --set min_rd=100万\n");
}

TEST(Render, WarningLevelAndColor) {
  SourceManager sm;
  const uint32_t f = sm.add("w.pol", "input unused: money\n");
  Diagnostic d;
  d.code = DiagCode::W0002;
  d.message = "input `unused` is never used";
  d.primary = span_of(sm, f, "unused");
  const std::string plain = render(d, sm);
  EXPECT_EQ(plain.rfind("w.pol:1:7: warning[W0002]: input `unused` is never used\n", 0), 0u) << plain;
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  const std::string colored = render(d, sm, true);
  EXPECT_NE(colored.find("\x1b[1;33mwarning[W0002]:"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[0m"), std::string::npos);
}

TEST(Render, InvalidUtf8IsShownAsReplacementCharacter) {
  SourceManager sm;
  const uint32_t f = sm.add("bad.pol", "text \"a\xFF\xFE\" x\n");
  Diagnostic d;
  d.code = DiagCode::E0005;
  d.message = "input is not valid UTF-8";
  d.primary = Span{f, 7, 9};
  const std::string out = render(d, sm);
  EXPECT_FALSE(first_invalid_utf8(out).has_value());
  const auto lines = lines_of(out);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "bad.pol:1:8: error[E0005]: input is not valid UTF-8");
  EXPECT_EQ(lines[2], "1 | text \"a\uFFFD\uFFFD\" x");
  EXPECT_EQ(lines[3], "  |        ^~");
}

TEST(Render, LongLinesAreCroppedAroundTheSpan) {
  SourceManager sm;
  std::string text = "  text \"";
  for (int i = 0; i < 60; ++i) text += "政策";
  text += "算力服务费用";
  for (int i = 0; i < 60; ++i) text += "支持";
  text += "\"\n";
  const uint32_t f = sm.add("long.pol", text);
  Diagnostic d;
  d.code = DiagCode::E0100;
  d.message = "unknown name";
  d.primary = span_of(sm, f, "算力服务费用");
  RenderOptions options;
  options.max_line_width = 60;
  const auto lines = lines_of(render(d, sm, options));
  ASSERT_EQ(lines.size(), 4u);
  const std::string shown = lines[2].substr(4);
  EXPECT_EQ(shown.rfind("...", 0), 0u) << shown;
  EXPECT_EQ(shown.substr(shown.size() - 3), "...");
  EXPECT_LE(display_width(shown), 60);
  EXPECT_NE(shown.find("算力服务费用"), std::string::npos);
  // The caret is under 算: its display column in the cropped line.
  const int col = display_width(shown.substr(0, shown.find("算力服务费用")));
  EXPECT_EQ(caret_column(lines[3], "  | "), col);
  EXPECT_NE(lines[3].find("^" + std::string(11, '~')), std::string::npos);

  options.max_line_width = 0;  // never crop
  const auto full = lines_of(render(d, sm, options));
  EXPECT_EQ(full[2], "1 | " + text.substr(0, text.size() - 1));
  EXPECT_EQ(caret_column(full[3], "  | "), 8 + 2 * 120);
}

TEST(RenderAll, SummaryLine) {
  SourceManager sm;
  const uint32_t f = sm.add("a.pol", "x y z\n");
  Diagnostics ds;
  EXPECT_EQ(render_all(ds, sm), "");
  ds.report_verbatim(DiagCode::E0100, Span{f, 0, 1}, "unknown name `x`");
  EXPECT_NE(render_all(ds, sm).find("\n1 error generated.\n"), std::string::npos);
  ds.report_verbatim(DiagCode::E0100, Span{f, 2, 3}, "unknown name `y`");
  std::string out = render_all(ds, sm);
  EXPECT_EQ(lines_of(out).back(), "2 errors generated.");
  ds.report_verbatim(DiagCode::W0002, Span{f, 4, 5}, "input `z` never used");
  out = render_all(ds, sm);
  EXPECT_NE(out.find("2 errors and 1 warning generated.\n"), std::string::npos);
  EXPECT_NE(out.find("a.pol:1:3: error[E0100]: unknown name `y`"), std::string::npos);
}

TEST(Diagnostics, CountsAndStableSort) {
  SourceManager sm;
  const uint32_t a = sm.add("a.pol", "0123456789");
  const uint32_t b = sm.add("b.pol", "0123456789");
  Diagnostics ds;
  EXPECT_FALSE(ds.has_errors());
  ds.report_verbatim(DiagCode::W0001, Span{b, 1, 2}, "w");
  ds.report_verbatim(DiagCode::E0100, Span{a, 5, 6}, "first at 5");
  ds.report_verbatim(DiagCode::E0101, Span{a, 5, 7}, "second at 5");
  ds.report_verbatim(DiagCode::E0100, Span{a, 1, 2}, "at 1");
  ds.report_verbatim(DiagCode::E0302, Span{}, "no location");
  EXPECT_EQ(ds.error_count(), 4u);
  EXPECT_EQ(ds.warning_count(), 1u);
  EXPECT_TRUE(ds.has_errors());
  EXPECT_EQ(ds.count(DiagCode::E0100), 2u);
  ds.sort_by_position();
  std::vector<std::string> order;
  for (const Diagnostic& d : ds.all()) order.push_back(d.message);
  EXPECT_EQ(order, (std::vector<std::string>{"no location", "at 1", "first at 5", "second at 5", "w"}));
}

// ---------------------------------------------------------------- registry

TEST(Registry, RoundTripAndLevels) {
  std::set<std::string> names;
  for (DiagCode code : kAllDiagCodes) {
    const std::string name = code_name(code);
    EXPECT_TRUE(names.insert(name).second) << "duplicate " << name;
    ASSERT_EQ(name.size(), 5u);
    EXPECT_TRUE(name[0] == 'E' || name[0] == 'W') << name;
    EXPECT_EQ(code_level(code), name[0] == 'W' ? Level::Warning : Level::Error) << name;
    EXPECT_STRNE(code_summary(code), "") << name;
    const auto back = code_from_name(name);
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(*back, code);
  }
  EXPECT_GE(names.size(), 38u);
  EXPECT_EQ(code_name(DiagCode::E0203), std::string("E0203"));
  EXPECT_EQ(code_from_name("e0200"), DiagCode::E0200);
  EXPECT_FALSE(code_from_name("E9999").has_value());
  EXPECT_FALSE(code_from_name("").has_value());
  EXPECT_EQ(code_level(DiagCode::W0001), Level::Warning);
  EXPECT_STREQ(code_summary(DiagCode::E0001), "syntax error");
  Diagnostic d;
  d.code = DiagCode::W0002;
  EXPECT_EQ(d.level(), Level::Warning);
}

// ---------------------------------------------------------------- did you mean

TEST(Suggest, EditDistanceCountsCodePoints) {
  EXPECT_EQ(edit_distance(U"", U""), 0u);
  EXPECT_EQ(edit_distance(U"kitten", U"sitting"), 3u);
  EXPECT_EQ(edit_distance(U"compute_fe", U"compute_fee"), 1u);
  EXPECT_EQ(edit_distance(to_u32("算力费"), to_u32("算力服务费用")), 3u);
  EXPECT_EQ(edit_distance(to_u32("算例"), to_u32("算力")), 1u);  // one character, not three bytes
  EXPECT_EQ(to_u32("a算"), std::u32string(U"a\u7B97"));
  EXPECT_EQ(to_utf8(to_u32("算力 abc")), "算力 abc");
}

TEST(Suggest, DidYouMean) {
  const std::vector<std::string> names = {"min_rd", "compute_fee", "compute_fees_total", "研发费用",
                                          "算力服务费用", "企业规模"};
  EXPECT_EQ(did_you_mean("compute_fe", names), "compute_fee");
  EXPECT_EQ(did_you_mean("comptue_fee", names), "compute_fee");
  EXPECT_EQ(did_you_mean("Compute_Fee", names), "compute_fee");
  EXPECT_EQ(did_you_mean("ｃｏｍｐｕｔｅ＿ｆｅｅ", names), "compute_fee");  // typed with a Chinese IME
  EXPECT_EQ(did_you_mean("min_r", names), "min_rd");
  EXPECT_EQ(did_you_mean("算力费", names), "算力服务费用");     // abbreviation
  EXPECT_EQ(did_you_mean("算力服务费", names), "算力服务费用");
  EXPECT_EQ(did_you_mean("研发费", names), "研发费用");
  EXPECT_EQ(did_you_mean("企业规横", names), "企业规模");       // one wrong character
  EXPECT_FALSE(did_you_mean("营业收入", names).has_value());
  EXPECT_FALSE(did_you_mean("xyz", names).has_value());
  EXPECT_NE(did_you_mean("compute_fee", names), std::optional<std::string>("compute_fee"));
  EXPECT_FALSE(did_you_mean("x", {}).has_value());
  EXPECT_EQ(did_you_mean_help("compute_fe", names), "did you mean `compute_fee`?");
  EXPECT_EQ(did_you_mean_help("zzz", names), "");
}

// ---------------------------------------------------------------- explain

const char* const kErrorPages = POL_SOURCE_DIR "/docs/errors";

TEST(Explain, EveryRegisteredCodeHasAPage) {
  for (DiagCode code : kAllDiagCodes) {
    const auto page = explain_page(code_name(code), kErrorPages);
    ASSERT_TRUE(page.has_value()) << "missing " << kErrorPages << "/" << code_name(code) << ".md";
    EXPECT_EQ(page->rfind(std::string("# ") + code_name(code), 0), 0u) << code_name(code);
    EXPECT_NE(page->find(code_summary(code)), std::string::npos)
        << code_name(code) << " page should quote its summary";
    EXPECT_NE(page->find("```pol"), std::string::npos) << code_name(code) << " needs an example";
  }
}

TEST(Explain, LookupRules) {
  EXPECT_TRUE(explain_page("e0200", kErrorPages).has_value());
  EXPECT_TRUE(explain_page(" E0200\n", kErrorPages).has_value());
  EXPECT_FALSE(explain_page("E9999", kErrorPages).has_value());
  EXPECT_FALSE(explain_page("../E0200", kErrorPages).has_value());
  EXPECT_FALSE(explain_page("E02001", kErrorPages).has_value());
  EXPECT_FALSE(explain_page("E0200", "/nonexistent/docs/errors").has_value());
  EXPECT_FALSE(explain_page("E0200", "").has_value());
  EXPECT_EQ(normalize_code("w0001"), "W0001");
  EXPECT_EQ(normalize_code("E/200"), "");
}

}  // namespace
}  // namespace pol
