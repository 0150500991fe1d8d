// How the text of a cell — a CSV or .xlsx cell, or a JSON string value — is read as a typed value:
// the spellings government offices write (是/否, 600万, 1,000,000.00元, 2023年6月1日, 2023/6/1) each
// read one way, exactly (money is scaled integers, never floating point). Whatever is not listed
// here is refused, so an ambiguous cell stays an input error naming its field (docs/input.md).
// Pure functions over borrowed text; nothing is kept.
#pragma once

#include <cstdint>
#include <string_view>

#include "values/fixed.h"

namespace pol::cells {

// `s` without the spaces around it: ASCII space, tab, CR and LF, the full-width space U+3000 and
// the no-break space U+00A0 (both common in sheets typed with a Chinese input method).
std::string_view trim(std::string_view s);

// true, True, TRUE, 是, 1 → true; false, False, FALSE, 否, 0 → false. false when none of these.
bool parse_bool(std::string_view s, bool* out);

// An amount of money in fen: digits with optional thousands separators (1,000,000.00) and an
// optional unit after them — 元, 万元 or 万 (10⁴ 元), 亿元 or 亿 (10⁸ 元) — as in `600万`,
// `12.5万元`, `1,000,000.00元`. The errors are parse_decimal's; TooPrecise means the amount is not
// a whole number of fen once the unit is applied. `unit` (if not null) gets the unit written ("" if none).
DecimalError parse_money(std::string_view s, int64_t* fen, std::string_view* unit = nullptr);

enum class DateCell : uint8_t {
  Ok,
  NotADate,  // not one of the accepted spellings (06/01/2023, 20230601, 2023-6 for a day…)
  NoSuchDay  // spelt as a date, but the calendar has no such day (2023/2/30) or month (2023年13月)
};
// 2023-06-01, 2023/06/01, 2023/6/1, 2023.06.01, 2023年6月1日 (four-digit year first; one separator
// throughout) → days since 1970-01-01.
DateCell parse_date(std::string_view s, int32_t* day);
// A year-month: 2023-06, 2023/06, 2023.06, 2023年6月 → the month's first day.
DateCell parse_year_month(std::string_view s, int32_t* day);

}  // namespace pol::cells
