// What staff get from a run, end to end through the real polc: `polc run --format xlsx` (the
// workbook read back from its XML parts), `polc report` (the director's page and the decision
// letters, hostile ids included), and both pages as real headless Chromium lays them out — the
// Chinese text present and nothing wider than the window (the letter in an A4-wide window).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "tests/unit/cli_fixture.h"

namespace {

using pol::testing::polc;
using pol::testing::PolcRun;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// Standard output of a shell command.
std::string capture(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t k;
  while ((k = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, k);
  pclose(p);
  return out;
}

// The cells of every sheet of a workbook as JSON {"sheet name": [[cell, …], …]}, read from its
// XML with Python's standard library (the xlsx is a zip archive of XML parts).
nlohmann::json read_workbook(const std::string& path) {
  static const char* kScript = R"PY(
import json, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
wb = z.read('xl/workbook.xml').decode()
rels = z.read('xl/_rels/workbook.xml.rels').decode()
target = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
target.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)})
out = {}
for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', wb):
    xml = z.read('xl/' + target[rid]).decode()
    rows = []
    for row in re.findall(r'<row [^>]*>(.*?)</row>', xml, re.S):
        cells = []
        for attrs, body in re.findall(r'<c ([^>]*?)(?:/>|>(.*?)</c>)', row, re.S):
            col = re.search(r'r="([A-Z]+)\d+"', attrs).group(1)
            index = 0
            for ch in col: index = index * 26 + ord(ch) - 64
            while len(cells) < index - 1: cells.append(None)
            if 't="inlineStr"' in attrs: cells.append(re.sub(r'<[^>]+>', '', body))
            elif '<v>' in (body or ''): cells.append(float(re.search(r'<v>([^<]*)</v>', body).group(1)))
            else: cells.append(None)
        rows.append(cells)
    out[name] = rows
print(json.dumps(out, ensure_ascii=False))
)PY";
  std::string script = path + ".py";
  std::ofstream(script) << kScript;
  std::string text = capture("python3 " + script + " " + path);
  return nlohmann::json::parse(text);
}

class StaffOutputs : public pol::testing::TempDirTest {
 protected:
  static std::string batch() { return std::string(POL_SOURCE_DIR) + "/examples/batch.jsonl"; }
};

TEST_F(StaffOutputs, RunWritesAWorkbookOfTheSameDecisions) {
  std::string xlsx = path("decisions.xlsx");
  PolcRun r = polc("run " + policy() + " " + batch() + " --format xlsx -o " + xlsx + " -q");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(xlsx).rfind("PK", 0), 0u) << "a zip archive";
  nlohmann::json wb = read_workbook(xlsx);
  ASSERT_TRUE(wb.contains("核定结果") && wb.contains("汇总")) << wb.dump();
  const auto& rows = wb["核定结果"];
  ASSERT_EQ(rows.size(), 13u);
  EXPECT_EQ(rows[0][0], "申报编号");
  EXPECT_EQ(rows[0][5], "核定结果");
  EXPECT_EQ(rows[0][6], "核定金额（元）");
  // Row by row what `polc run` says in JSON: the id, the award, the status.
  PolcRun json = polc("run " + policy() + " " + batch() + " -q");
  ASSERT_EQ(json.status, 0) << json.err;
  std::istringstream lines(json.out);
  std::string line;
  for (size_t i = 1; std::getline(lines, line); ++i) {
    auto d = nlohmann::json::parse(line);
    ASSERT_LT(i, rows.size());
    EXPECT_EQ(rows[i][0], d["id"]);
    EXPECT_EQ(rows[i][1], d["enterprise"]);
    // Numbers go through the workbook's doubles; two decimals come back exactly.
    char award[32];
    std::snprintf(award, sizeof award, "%.2f", rows[i][6].get<double>());
    EXPECT_EQ(award, d["award"].get<std::string>()) << d["id"];
    EXPECT_EQ(rows[i][10], d["status"]);
  }
  EXPECT_EQ(rows[2][5], "予以支持（受上限限制）");  // LG-0002
  EXPECT_NE(rows[2][7].get<std::string>().find("第二条 购买算力每家企业每年最高600万元"), std::string::npos) << rows[2][7];
  EXPECT_NE(rows[2][9].get<std::string>().find("第二条「加大优质优价算力供给」"), std::string::npos);
  EXPECT_NE(rows[4][7].get<std::string>().find("不满足「非关联方」"), std::string::npos) << rows[4][7];  // LG-0004
  std::string styles = capture("python3 -c \"import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).read('xl/styles.xml').decode())\" " + xlsx);
  EXPECT_NE(styles.find("formatCode=\"#,##0.00\""), std::string::npos) << "awards shown as money, two decimals";
  // The summary: totals per item and per status.
  std::string summary = wb["汇总"].dump();
  EXPECT_NE(summary.find("\"按事项\""), std::string::npos) << summary;
  EXPECT_NE(summary.find("[\"2\",\"购买算力支持\",3.0,2.0,6000000.0]"), std::string::npos) << summary;
  EXPECT_NE(summary.find("[\"予以支持（受上限限制）\",\"capped\",5.0,5.0,5800000.0]"), std::string::npos) << summary;
  EXPECT_NE(summary.find("[\"支持金额合计（元）\",15400000.0]"), std::string::npos) << summary;
}

TEST_F(StaffOutputs, RunRefusesAWorkbookOnStandardOutput) {
  PolcRun r = polc("run " + policy() + " " + batch() + " --format xlsx");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty()) << "nothing binary on a terminal";
  EXPECT_NE(r.err.find("--format xlsx writes a workbook"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("-o FILE.xlsx"), std::string::npos) << r.err;
  EXPECT_EQ(polc("run " + policy() + " " + batch() + " --format xlsx --explain brief -o " + path("x.xlsx")).status, 2);
  std::string bad = std::string(POL_SOURCE_DIR) + "/examples/bad_batch.jsonl";
  EXPECT_EQ(polc("run " + policy() + " " + bad + " --format xlsx -q -o " + path("bad.xlsx")).status, 1)
      << "input errors: exit 1, the workbook still written";
  EXPECT_EQ(read_workbook(path("bad.xlsx"))["核定结果"][1][10], "input_error");
}

TEST_F(StaffOutputs, ReportAndLetters) {
  std::string page = path("report.html"), letters = path("letters");
  PolcRun r = polc("report " + policy() + " --set annual_budget=4000000 " + batch() + " -o " + page + " --letters " + letters);
  ASSERT_EQ(r.status, 0) << r.err;
  std::string html = read_file(page);
  for (const char* heading : {"支持资金核定情况报告", "概况", "按事项", "按年度（受理日期）", "按核定结果",
                              "起作用最多的上限", "未获支持的原因", "资金使用"})
    EXPECT_NE(html.find(heading), std::string::npos) << heading;
  EXPECT_NE(html.find("3,999,999.92 元"), std::string::npos) << "the total under total control";
  EXPECT_NE(html.find("<td>年度财政资金总额控制</td><td>第十八条</td><td class=\"num\">9</td><td class=\"num\">11,400,000.08 元</td>"),
            std::string::npos) << "the cap that bound most often, how often and how much";
  EXPECT_NE(html.find("<td>不满足「非关联方」</td><td>第三条</td><td class=\"num\">1</td>"), std::string::npos);
  EXPECT_NE(html.find("99.9%"), std::string::npos) << "budget use";
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg")) << "nothing loaded from outside";
  // One letter per application, the index beside them.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(letters)) files += e.path().extension() == ".html";
  EXPECT_EQ(files, 13u);
  std::string letter = read_file(letters + "/LG-0002.html");
  EXPECT_NE(letter.find("核定结果告知书"), std::string::npos);
  EXPECT_NE(letter.find("人民币 <span class=\"amount\">389,610.38 元</span>"), std::string::npos);
  EXPECT_NE(letter.find("人民币叁拾捌万玖仟陆佰壹拾元叁角捌分"), std::string::npos);
  EXPECT_NE(letter.find("最高不超过600万元。"), std::string::npos) << "the clause text, verbatim";
  EXPECT_NE(letter.find("第十八条「财政资金总额控制」"), std::string::npos);
  EXPECT_NE(letter.find("@page{size:A4"), std::string::npos);
  std::string refused = read_file(letters + "/LG-0004.html");
  EXPECT_NE(refused.find("不符合条件"), std::string::npos);
  EXPECT_NE(refused.find("零元整"), std::string::npos);
  EXPECT_NE(read_file(letters + "/index.html").find("<a href=\"LG-0012.html\">LG-0012</a>"), std::string::npos);

  EXPECT_EQ(polc("report " + policy() + " " + batch() + " -o " + batch()).status, 2) << "never over an input";
  std::string bad = std::string(POL_SOURCE_DIR) + "/examples/bad_batch.jsonl";
  PolcRun b = polc("report " + policy() + " " + bad + " -q -o " + path("bad.html") + " --letters " + path("bad"));
  EXPECT_EQ(b.status, 1) << b.err;
  EXPECT_NE(read_file(path("bad/index.html")).find("输入有误，未生成告知书"), std::string::npos);
}

TEST_F(StaffOutputs, HostileIdsAreEscapedAndNamedSafely) {
  std::string apps = write("apps.jsonl",
      R"({"id":"<script>alert(1)</script>","enterprise":"E&<1>","item":"2","date":"2025-03-01","compute_fee":"1000000"})" "\n"
      R"({"id":"../../escape","enterprise":"E2","item":"2","date":"2025-03-01","compute_fee":"1000000"})" "\n"
      R"({"id":"a/b","enterprise":"E3","item":"2","date":"2025-03-01","compute_fee":"1000000"})" "\n"
      R"({"id":"a_b","enterprise":"E4","item":"2","date":"2025-03-01","compute_fee":"1000000"})" "\n"
      R"({"id":"龙岗·1","enterprise":"E5","item":"2","date":"2025-03-01","compute_fee":"1000000"})" "\n");
  std::string letters = path("letters");
  PolcRun r = polc("report " + policy() + " " + apps + " -q -o " + path("r.html") + " --letters " + letters);
  ASSERT_EQ(r.status, 0) << r.err;
  std::regex safe("[A-Za-z0-9_-][A-Za-z0-9._-]*\\.html");
  size_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(letters)) {
    ++n;
    EXPECT_TRUE(e.is_regular_file()) << e.path();
    EXPECT_TRUE(std::regex_match(e.path().filename().string(), safe)) << e.path();
    std::string text = read_file(e.path().string());
    EXPECT_EQ(text.find("<script"), std::string::npos) << e.path();
  }
  EXPECT_EQ(n, 6u) << "five letters, the index; nothing outside the folder";
  EXPECT_FALSE(std::filesystem::exists(path("escape.html")));
  EXPECT_TRUE(std::filesystem::exists(letters + "/a_b.html"));
  std::string index = read_file(letters + "/index.html");
  EXPECT_NE(index.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(index.find("E&amp;&lt;1&gt;"), std::string::npos);
  EXPECT_NE(index.find("龙岗·1"), std::string::npos);
}

// ---- both pages in a real browser ----

std::string chromium() {
  for (const char* name : {"chromium", "chromium-browser"}) {
    std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return name;
  }
  return "";
}

// Appended to a copy of a page (the pages themselves carry no script): after layout, whether the
// document is wider than the window and which elements reach past its right edge, written into
// the DOM for --dump-dom to show.
constexpr const char* kLayoutCheck = R"(<script>
window.addEventListener('load', function () {
  var de = document.documentElement, width = de.clientWidth, past = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 0.5)
      past.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className : '') + '@' + Math.round(r.right));
  });
  var out = document.createElement('pre');
  out.id = 'layout-check';
  out.textContent = 'fits=' + (de.scrollWidth <= width && past.length === 0) + ' scrollWidth=' + de.scrollWidth +
                    ' clientWidth=' + width + ' past=' + past.slice(0, 8).join(',');
  document.body.appendChild(out);
});
</script>
)";

class StaffPagesInChromium : public pol::testing::TempDirTest {
 protected:
  // The page as Chromium laid it out in a window `width` px wide: its DOM after the check ran.
  std::string render(const std::string& page, int width, int height) {
    std::string html = read_file(page);
    size_t body = html.rfind("</body>");
    EXPECT_NE(body, std::string::npos);
    html.insert(body, kLayoutCheck);
    std::string variant = page + ".check.html";
    std::ofstream(variant, std::ios::binary) << html;
    std::string dom = path("dom.html");
    std::string cmd = browser_ + " --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir=" +
                      path("profile") + " --window-size=" + std::to_string(width) + "," + std::to_string(height) +
                      " --virtual-time-budget=5000 --dump-dom file://" + variant + " >" + dom + " 2>/dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return read_file(dom);
  }
  static std::string layout(const std::string& dom) {
    size_t at = dom.find("<pre id=\"layout-check\">");
    return at == std::string::npos ? "(no layout check in the DOM)" : dom.substr(at, dom.find("</pre>", at) - at);
  }
  void SetUp() override {
    TempDirTest::SetUp();
    browser_ = chromium();
  }
  std::string browser_;
};

TEST_F(StaffPagesInChromium, ReportFitsTheWindow) {
  if (browser_.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup.sh installs it)";
  std::string page = path("report.html");
  std::string apps = std::string(POL_SOURCE_DIR) + "/examples/batch.jsonl";
  PolcRun r = polc("report " + policy() + " --set annual_budget=4000000 " + apps + " -q -o " + page);
  ASSERT_EQ(r.status, 0) << r.err;
  for (int width : {1280, 800, 640}) {
    std::string dom = render(page, width, 900);
    EXPECT_NE(layout(dom).find("fits=true"), std::string::npos) << width << " px: " << layout(dom);
    for (const char* text : {"支持资金核定情况报告", "按事项", "起作用最多的上限", "年度财政资金总额控制", "未获支持的原因",
                             "资金使用", "3,999,999.92 元"})
      EXPECT_NE(dom.find(text), std::string::npos) << text;
    size_t bars = 0;
    for (size_t at = dom.find("class=\"item-bar\""); at != std::string::npos; at = dom.find("class=\"item-bar\"", at + 1))
      ++bars;
    EXPECT_EQ(bars, 9u) << "one bar per item applied for";
    EXPECT_NE(dom.find("<svg id=\"chart-caps\""), std::string::npos);
  }
}

TEST_F(StaffPagesInChromium, LetterFitsAnA4Page) {
  if (browser_.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup.sh installs it)";
  std::string apps = write("apps.jsonl",
      std::string(R"({"id":"LG-LONG-)") + std::string(120, '9') +
      R"(","enterprise":"91440300MA5G0000019144030000000000000000000000000000000000001","item":"2","date":"2025-03-01","compute_fee":"123456789.01"})" "\n" +
      read_file(std::string(POL_SOURCE_DIR) + "/examples/batch.jsonl"));
  std::string letters = path("letters");
  PolcRun r = polc("report " + policy() + " " + apps + " -q -o " + path("r.html") + " --letters " + letters);
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* id : {"LG-0002", "LG-0004"}) {
    std::string dom = render(letters + "/" + id + ".html", 794, 1123);  // A4 at 96 dpi
    EXPECT_NE(layout(dom).find("fits=true"), std::string::npos) << id << ": " << layout(dom);
    EXPECT_NE(dom.find("核定结果告知书"), std::string::npos);
    EXPECT_NE(dom.find("政策依据"), std::string::npos);
  }
  std::string dom = render(letters + "/LG-0002.html", 794, 1123);
  EXPECT_NE(dom.find("人民币壹佰伍拾万元整"), std::string::npos);  // 1,500,000.00 元: the group cap's room
  // A long id and applicant code wrap inside the page rather than widen it.
  std::string long_letter;
  for (const auto& e : std::filesystem::directory_iterator(letters))
    if (e.path().filename().string().rfind("LG-LONG-", 0) == 0) long_letter = e.path().string();
  ASSERT_FALSE(long_letter.empty());
  EXPECT_NE(layout(render(long_letter, 794, 1123)).find("fits=true"), std::string::npos) << layout(render(long_letter, 794, 1123));
  // And it prints: Chromium's PDF of the letter, on A4.
  std::string pdf = path("letter.pdf");
  std::string cmd = browser_ + " --headless --no-sandbox --disable-gpu --user-data-dir=" + path("profile") +
                    " --no-pdf-header-footer --print-to-pdf=" + pdf + " file://" + letters + "/LG-0002.html >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::string bytes = read_file(pdf);
  EXPECT_EQ(bytes.rfind("%PDF", 0), 0u);
  EXPECT_TRUE(std::regex_search(bytes, std::regex("/MediaBox ?\\[0 0 59[45][.0-9]* 84[12][.0-9]*\\]")))
      << "A4 is 595 × 842 points";
}

}  // namespace
