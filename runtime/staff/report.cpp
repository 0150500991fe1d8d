// write_report(): one pass over the decisions — letters written as they are read, totals kept —
// then the director's page.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "compiler/diagnostics/messages_cli.h"
#include "runtime/staff/html.h"
#include "runtime/staff/report.h"
#include "values/fixed.h"

namespace pol::staff {
namespace {

bool write_file(const std::string& path, const std::string& text, std::string& error, Lang lang) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.close();
  if (!f) {
    error = render_msg(msg(CliMsg::ReportCannotWrite, {{"path", path}}), lang);
    return false;
  }
  return true;
}

constexpr const char* kIndexStyle =
    "body{font-family:\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",\"Microsoft YaHei\",sans-serif;margin:0 auto;"
    "padding:1.5em 2em;max-width:64em;color:#222}table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}"
    "th{background:#f3f5f8}td.num{text-align:right;white-space:nowrap}";

}  // namespace

bool write_report(const ReportRequest& req, size_t n, const DecisionAt& at, ReportWritten& out, std::string& error) {
  namespace fs = std::filesystem;
  bool letters = !req.letters_dir.empty();
  if (letters) {
    std::error_code ec;
    fs::create_directories(req.letters_dir, ec);
    if (!fs::is_directory(req.letters_dir, ec)) {
      error = render_msg(msg(CliMsg::ReportCannotMakeLettersFolder, {{"path", req.letters_dir}}), req.lang);
      return false;
    }
  }
  DecisionReader reader;
  TotalsBuilder totals;
  StaffDecision d;
  std::set<std::string> taken = {"index"};  // the list of letters is index.html
  std::string index;
  for (size_t k = 0; k < n; ++k) {
    auto [batch, a] = at(k);
    reader.read(*batch, a, d);
    totals.add(d);
    ++out.decisions;
    out.input_errors += d.kind == StaffDecision::Kind::InputError;
    if (!letters) continue;
    std::string amount = d.discretionary ? std::string("由主管部门确定") : money_str(d.award);
    if (d.kind != StaffDecision::Kind::Decided) {
      // Nothing to tell the applicant from this run: an input error, or a decision made before.
      index += "<tr><td>" + esc(d.id) + "</td><td>" + esc(d.enterprise) + "</td><td>" + esc(d.item) + "</td><td>" +
               esc(d.kind == StaffDecision::Kind::InputError ? "输入有误，未生成告知书：" + d.error
                                                              : std::string("已于此前决定，未生成告知书")) +
               "</td><td class=\"num\"></td></tr>\n";
      continue;
    }
    std::string name = letter_file_name(d.id, taken);
    if (!write_file((fs::path(req.letters_dir) / name).string(), letter_html(d), error, req.lang)) return false;
    ++out.letters;
    index += "<tr><td><a href=\"" + esc(name) + "\">" + esc(d.id) + "</a></td><td>" + esc(d.enterprise) + "</td><td>" +
             esc(d.item) + "</td><td>" + esc(status_zh(d.status)) + "</td><td class=\"num\">" + esc(amount) +
             "</td></tr>\n";
  }
  if (letters) {
    std::string page = std::string("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                                   "<title>核定结果告知书目录</title>\n<style>") +
                       kIndexStyle + "</style>\n</head>\n<body>\n<h1>核定结果告知书目录</h1>\n" +
                       fmt::format("<p>共 {} 份告知书。</p>\n", out.letters) +
                       "<table><thead><tr><th>申报编号</th><th>申报单位</th><th>事项</th><th>核定结果</th>"
                       "<th>核定支持金额</th></tr></thead><tbody>\n" +
                       index + "</tbody></table>\n</body>\n</html>\n";
    if (!write_file((fs::path(req.letters_dir) / "index.html").string(), page, error, req.lang)) return false;
  }
  return write_file(req.output, report_html(totals.finish(), req, out.letters), error, req.lang);
}

}  // namespace pol::staff
