// `polc diff --format csv`: one row per changed application, for spreadsheets — UTF-8 with a
// byte-order mark like the decisions CSV, cells that would start a formula kept as text.
#include <cstring>

#include "compiler/diagnostics/source.h"
#include "runtime/diff/diff.h"
#include "runtime/explain/csv_cell.h"
#include "values/fixed.h"

namespace pol::diff {
namespace {

void cell(std::string_view raw, std::string& out) {
  std::string scratch;
  std::string_view s = valid_utf8(raw, scratch);
  if (!s.empty() && std::strchr("=+-@\t\r", s[0])) {
    append_csv_cell("'" + std::string(s), out);
    return;
  }
  append_csv_cell(s, out);
}

void side(const DecisionView& v, std::string& out) {
  out += v.decided ? (v.eligible ? "true," : "false,") : ",";
  out += v.decided ? status_name(v.status) : "input_error";
  out += ',';
  if (v.decided) format_money_plain(v.award, out);
  out += ',';
}

}  // namespace

std::string write_csv(const BatchDiff& d) {
  std::string out =
      "\xEF\xBB\xBFid,enterprise,item,year,old_eligible,old_status,old_award,new_eligible,new_status,new_award,"
      "difference,step,clause,old_step,new_step\n";
  for (const auto& c : d.changes) {
    cell(c.id, out);
    out += ',';
    cell(c.enterprise, out);
    out += ',';
    cell(c.item, out);
    out += ',';
    if (c.year) out += std::to_string(c.year);
    out += ',';
    side(c.before, out);
    side(c.after, out);
    format_money_plain(c.difference(), out);  // a number the sheet computes with, sign included
    out += ',';
    cell(c.first_step.kind, out);
    out += ',';
    cell(c.first_step.clause, out);
    out += ',';
    cell(c.before.decided ? c.first_step.old_text : c.before.error, out);
    out += ',';
    cell(c.after.decided ? c.first_step.new_text : c.after.error, out);
    out += '\n';
  }
  return out;
}

}  // namespace pol::diff
