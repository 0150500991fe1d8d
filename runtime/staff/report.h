// `polc report`: the decisions of a run for a director — one self-contained HTML page (inline
// CSS and SVG charts, no script, nothing loaded from outside) with the totals per item, year and
// status, the caps that cut awards most often, why applications got nothing and how much of each
// fund was used — and, on request, one printable decision letter (核定结果告知书) per application,
// with the amount in figures and in capitals and the clause texts the decision rests on.
// Everything is read from the decided batches (decisions.h); nothing is decided again.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "runtime/staff/decisions.h"
#include "runtime/staff/totals.h"

namespace pol::staff {

struct ReportRequest {
  std::string output;        // the report page
  std::string letters_dir;   // one letter per application in this folder; "" for none
  std::string applications;  // the applications as the page names them (a file name)
  Lang lang = Lang::En;      // of the errors; the page and the letters are Chinese, for staff
};

struct ReportWritten {
  size_t decisions = 0, letters = 0, input_errors = 0;
};

// Reads the n decisions once, writes the letters (and their index.html) as it goes, then the page.
// false with `error` when a file could not be written.
bool write_report(const ReportRequest& req, size_t n, const DecisionAt& at, ReportWritten& out, std::string& error);

// The page, from the run's totals. letters: how many letters were written beside it.
std::string report_html(const RunTotals& t, const ReportRequest& req, size_t letters);

// One application's letter; d is a decided application (not an input error).
std::string letter_html(const StaffDecision& d);

// A file name for the letter of `id`, safe on every common file system: ASCII letters, digits,
// '-', '_' and '.' are kept (no leading dot), anything else becomes '_', at most 64 bytes, and a
// device name (CON, NUL, …) is never produced. When anything was changed a short hash of the id
// is added, so two ids never share a file; `taken` (lower case, without ".html") keeps the names
// given out so far, case-insensitively. "LG-0001" → "LG-0001.html".
std::string letter_file_name(std::string_view id, std::set<std::string>& taken);

}  // namespace pol::staff
