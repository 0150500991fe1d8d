#include "runtime/staff/xlsx.h"

#include <xlsxwriter.h>

#include <cstdlib>

#include "compiler/diagnostics/messages_input.h"
#include "compiler/diagnostics/source.h"
#include "runtime/staff/totals.h"
#include "values/date.h"
#include "values/fixed.h"

namespace pol::staff {
namespace {

// A sheet holds at most 1,048,576 rows; a longer run goes on in 核定结果（2）and so on.
constexpr lxw_row_t kRowsPerSheet = 1048575;
// Excel keeps at most 32,767 characters in a cell.
constexpr size_t kCellBytes = 32000;

// Amounts are written as numbers so staff can sum and sort them. An xlsx number is an IEEE
// double: a fen amount below 10^15 becomes the double nearest its exact decimal value (fen and
// 100 are exact doubles, the division is correctly rounded), which libxlsxwriter writes with 16
// significant digits — the same digits again. A larger amount is written as exact text.
constexpr int64_t kExactAsNumber = 1000000000000000;

class Workbook {
 public:
  explicit Workbook(const std::string& path) {
    lxw_workbook_options opts = {};
    opts.constant_memory = LXW_TRUE;
    opts.use_zip64 = LXW_TRUE;
    wb_ = workbook_new_opt(path.c_str(), &opts);
    if (!wb_) return;
    head_ = workbook_add_format(wb_);
    format_set_bold(head_);
    format_set_bg_color(head_, 0xEEEEEE);
    format_set_border(head_, LXW_BORDER_THIN);
    format_set_text_wrap(head_);
    format_set_align(head_, LXW_ALIGN_VERTICAL_TOP);
    title_ = workbook_add_format(wb_);
    format_set_bold(title_);
    format_set_font_size(title_, 14);
    section_ = workbook_add_format(wb_);
    format_set_bold(section_);
    money_ = workbook_add_format(wb_);
    format_set_num_format(money_, "#,##0.00");
    format_set_align(money_, LXW_ALIGN_VERTICAL_TOP);
    wrap_ = workbook_add_format(wb_);
    format_set_text_wrap(wrap_);
    format_set_align(wrap_, LXW_ALIGN_VERTICAL_TOP);
    top_ = workbook_add_format(wb_);
    format_set_align(top_, LXW_ALIGN_VERTICAL_TOP);
  }
  ~Workbook() {
    if (wb_ && !closed_) workbook_close(wb_);
  }
  bool ok() const { return wb_ != nullptr && err_ == LXW_NO_ERROR; }
  std::string error() const { return wb_ ? lxw_strerror(err_) : "cannot create the workbook"; }
  lxw_worksheet* sheet(const std::string& name) {
    lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
    if (!ws) err_ = LXW_ERROR_MEMORY_MALLOC_FAILED;
    return ws;
  }
  void text(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, std::string_view raw, lxw_format* f = nullptr) {
    std::string scratch;
    std::string s(utf8_prefix(valid_utf8(raw, scratch), kCellBytes));
    if (s.size() < valid_utf8(raw, scratch).size()) s += "…";
    for (char& ch : s)  // XML 1.0 cannot hold most control characters
      if (static_cast<unsigned char>(ch) < 0x20 && ch != '\n' && ch != '\t') ch = ' ';
    keep(worksheet_write_string(ws, r, c, s.c_str(), f ? f : top_));
  }
  void number(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, double v) { keep(worksheet_write_number(ws, r, c, v, top_)); }
  void money(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, int64_t fen) {
    if (fen > -kExactAsNumber && fen < kExactAsNumber)
      keep(worksheet_write_number(ws, r, c, static_cast<double>(fen) / 100.0, money_));
    else
      text(ws, r, c, money_plain_str(fen));
  }
  void header(lxw_worksheet* ws, lxw_row_t r, const std::vector<std::string>& names) {
    for (size_t c = 0; c < names.size(); ++c) text(ws, r, static_cast<lxw_col_t>(c), names[c], head_);
  }
  void keep(lxw_error e) {
    if (e != LXW_NO_ERROR && err_ == LXW_NO_ERROR) err_ = e;
  }
  bool close() {
    closed_ = true;
    lxw_error e = workbook_close(wb_);
    keep(e);
    return err_ == LXW_NO_ERROR;
  }
  lxw_workbook* wb_ = nullptr;
  lxw_format *head_ = nullptr, *title_ = nullptr, *section_ = nullptr, *money_ = nullptr, *wrap_ = nullptr,
             *top_ = nullptr;

 private:
  lxw_error err_ = LXW_NO_ERROR;
  bool closed_ = false;
};

// The decisions sheet's columns; 政策 only when several policies were decided together.
std::vector<std::string> decision_columns(bool several) {
  std::vector<std::string> c = {"申报编号", "申报单位", "事项", "事项名称", "受理日期", "核定结果",
                                "核定金额（元）", "原因（未满足的条件、起作用的上限）", "计算", "依据条款", "状态代码"};
  if (several) c.insert(c.begin() + 1, "政策");
  return c;
}

void decision_sheet_layout(Workbook& w, lxw_worksheet* ws, bool several) {
  std::vector<double> widths = {16, 22, 7, 24, 11, 30, 16, 60, 50, 40, 14};
  if (several) widths.insert(widths.begin() + 1, 18);
  size_t wrapped_from = several ? 8 : 7;  // reasons, calculation, clauses
  for (size_t c = 0; c < widths.size(); ++c)
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c],
                         c >= wrapped_from && c < wrapped_from + 3 ? w.wrap_ : nullptr);
  w.header(ws, 0, decision_columns(several));
  worksheet_freeze_panes(ws, 1, 0);
}

// Staff filter the decisions by result, item or applicant.
void decision_sheet_filter(lxw_worksheet* ws, lxw_row_t last_row, bool several) {
  worksheet_autofilter(ws, 0, 0, last_row, static_cast<lxw_col_t>(decision_columns(several).size() - 1));
}

void decision_row(Workbook& w, lxw_worksheet* ws, lxw_row_t r, const StaffDecision& d, bool several) {
  lxw_col_t c = 0;
  w.text(ws, r, c++, d.id);
  if (several) w.text(ws, r, c++, d.policy_title);
  w.text(ws, r, c++, d.enterprise);
  w.text(ws, r, c++, d.item);
  w.text(ws, r, c++, d.item_title);
  w.text(ws, r, c++, d.date && d.kind != StaffDecision::Kind::InputError ? date_str(d.date) : "");
  if (d.kind == StaffDecision::Kind::AlreadyDecided) {
    w.text(ws, r, c++, status_zh(DecisionStatus::AlreadyDecided));
    c++;  // the award was recorded in the earlier run: nothing is granted again
    w.text(ws, r, c++, "已于此前决定（见台账），本次不再决定", w.wrap_);
    c += 2;
    w.text(ws, r, c++, status_name(DecisionStatus::AlreadyDecided));
    return;
  }
  w.text(ws, r, c++, status_zh(d.status));
  if (d.discretionary) w.text(ws, r, c++, "由主管部门确定");
  else if (d.kind == StaffDecision::Kind::InputError) c++;
  else w.money(ws, r, c++, d.award);
  std::string reasons = d.reasons;
  if (d.discretionary && d.ceiling >= 0) reasons = "支持金额由主管部门确定，不超过 " + money_str(d.ceiling);
  w.text(ws, r, c++, reasons, w.wrap_);
  w.text(ws, r, c++, d.calculation, w.wrap_);
  w.text(ws, r, c++, d.citations, w.wrap_);
  w.text(ws, r, c++, status_name(d.kind == StaffDecision::Kind::InputError ? DecisionStatus::InputError : d.status));
}

void summary_sheet(Workbook& w, lxw_worksheet* ws, const RunTotals& t) {
  worksheet_set_column(ws, 0, 0, 44, w.wrap_);
  worksheet_set_column(ws, 1, 1, 26, w.wrap_);
  worksheet_set_column(ws, 2, 4, 16, nullptr);
  lxw_row_t r = 0;
  std::string title;
  for (const auto& p : t.policies) title += (title.empty() ? "《" : "、《") + p + "》";
  w.text(ws, r++, 0, title + "核定结果汇总", w.title_);
  ++r;
  w.text(ws, r++, 0, "概况", w.section_);
  auto count_row = [&](const char* label, size_t v) {
    w.text(ws, r, 0, label);
    w.number(ws, r++, 1, static_cast<double>(v));
  };
  count_row("申报件数", t.applications);
  count_row("已决定", t.decided);
  count_row("符合条件", t.eligible);
  count_row("获得支持", t.granted);
  count_row("不符合条件", t.ineligible);
  count_row("输入有误", t.input_errors);
  if (t.already_decided) count_row("已于此前决定", t.already_decided);
  if (t.to_be_set) count_row("金额由主管部门确定", t.to_be_set);
  w.text(ws, r, 0, "支持金额合计（元）");
  w.money(ws, r++, 1, t.total);
  w.text(ws, r, 0, "上限削减合计（元）");
  w.money(ws, r++, 1, t.cut);
  // label_first: the words first (a status: 予以支持, then its code); else the key (item, year).
  auto keyed = [&](const char* section, const std::vector<std::string>& head, const std::vector<KeyedTotal>& rows,
                   bool label_first) {
    ++r;
    w.text(ws, r++, 0, section, w.section_);
    w.header(ws, r++, head);
    size_t apps = 0, granted = 0;
    int64_t amount = 0;
    for (const auto& k : rows) {
      w.text(ws, r, 0, label_first ? k.label : k.key);
      w.text(ws, r, 1, label_first ? k.key : k.label);
      w.number(ws, r, 2, static_cast<double>(k.applications));
      w.number(ws, r, 3, static_cast<double>(k.granted));
      w.money(ws, r++, 4, k.amount);
      apps += k.applications;
      granted += k.granted;
      amount += k.amount;
    }
    w.text(ws, r, 0, "合计", w.section_);
    w.number(ws, r, 2, static_cast<double>(apps));
    w.number(ws, r, 3, static_cast<double>(granted));
    w.money(ws, r++, 4, amount);
  };
  keyed("按事项", {"事项", "事项名称", "申报件数", "获支持件数", "支持金额（元）"}, t.per_item, false);
  keyed("按核定结果", {"核定结果", "状态代码", "件数", "获支持件数", "支持金额（元）"}, t.per_status, true);
  keyed("按年度（受理日期）", {"年度", "", "申报件数", "获支持件数", "支持金额（元）"}, t.per_year, false);
  ++r;
  w.text(ws, r++, 0, "起作用的上限", w.section_);
  w.header(ws, r++, {"上限", "条款", "起作用次数", "削减金额（元）"});
  for (const auto& c : t.caps) {
    w.text(ws, r, 0, c.label);
    w.text(ws, r, 1, c.clause);
    w.number(ws, r, 2, static_cast<double>(c.times));
    w.money(ws, r++, 3, c.cut);
  }
  if (t.caps.empty()) w.text(ws, r++, 0, "没有上限起作用");
  ++r;
  w.text(ws, r++, 0, "未获支持的原因", w.section_);
  w.header(ws, r++, {"原因", "条款", "件数"});
  for (const auto& x : t.rejections) {
    w.text(ws, r, 0, x.reason);
    w.text(ws, r, 1, x.clause);
    w.number(ws, r++, 2, static_cast<double>(x.applications));
  }
  if (t.rejections.empty()) w.text(ws, r++, 0, "每件申报都获得支持");
  if (!t.budgets.empty()) {
    ++r;
    w.text(ws, r++, 0, "资金使用（总额控制）", w.section_);
    w.header(ws, r++, {"资金", "年度", "资金总额（元）", "此前已拨付（元）", "本批核定（元）"});
    for (const auto& b : t.budgets) {
      w.text(ws, r, 0, b.label + (b.clause.empty() ? "" : "（" + b.clause + "）"));
      w.text(ws, r, 1, std::to_string(b.year));
      w.money(ws, r, 2, b.budget);
      w.money(ws, r, 3, b.history);
      w.money(ws, r++, 4, b.granted);
    }
  }
}

}  // namespace

bool write_decisions_xlsx(const std::string& path, size_t n, const DecisionAt& at, bool& input_errors,
                          std::string& error, Lang lang) {
  input_errors = false;
  Workbook w(path);
  if (!w.ok()) {
    error = render_msg(msg(InputMsg::XlsxCannotCreate, {{"path", path}}), lang);
    return false;
  }
  bool several = false;
  for (size_t k = 1; k < n && !several; ++k) several = at(k).first != at(0).first;
  lxw_doc_properties props = {};
  std::string title = "核定结果";
  props.title = const_cast<char*>(title.c_str());
  workbook_set_properties(w.wb_, &props);
  lxw_worksheet* ws = w.sheet("核定结果");
  if (!ws) {
    error = render_msg(msg(InputMsg::XlsxSheetFailed, {{"detail", w.error()}}), lang);
    return false;
  }
  decision_sheet_layout(w, ws, several);
  DecisionReader reader;
  TotalsBuilder totals;
  StaffDecision d;
  lxw_row_t row = 1;
  int sheet = 1;
  for (size_t k = 0; k < n && w.ok(); ++k) {
    auto [batch, a] = at(k);
    reader.read(*batch, a, d);
    input_errors |= d.kind == StaffDecision::Kind::InputError;
    totals.add(d);
    if (row > kRowsPerSheet) {
      decision_sheet_filter(ws, row - 1, several);
      ws = w.sheet("核定结果（" + std::to_string(++sheet) + "）");
      if (!ws) break;
      decision_sheet_layout(w, ws, several);
      row = 1;
    }
    decision_row(w, ws, row++, d, several);
  }
  if (ws) decision_sheet_filter(ws, row - 1, several);
  if (w.ok()) {
    lxw_worksheet* sum = w.sheet("汇总");
    if (sum) summary_sheet(w, sum, totals.finish());
  }
  if (!w.close()) {
    error = render_msg(msg(InputMsg::XlsxWriteFailed, {{"path", path}, {"detail", w.error()}}), lang);
    return false;
  }
  return true;
}

}  // namespace pol::staff
