// Civil dates as day counts, and calendar durations ("3 years", "1 year 6 months").
// A date is a plain int32 so the evaluator compares and subtracts dates as integers; the
// calendar only matters when parsing, printing and adding years or months.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pol {

// dates are int32 days since 1970-01-01 (proleptic Gregorian)
int32_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(int32_t days, int* y, unsigned* m, unsigned* d);
bool is_leap_year(int y);
unsigned days_in_month(int y, unsigned m);  // m in 1..12

// strict "YYYY-MM-DD": 4-digit year 1000..9999, 2-digit month and day, real calendar date
// (2025-02-30 and 2023-02-29 are false). *out is written only on success.
bool parse_date(std::string_view text, int32_t* out);
void format_date(int32_t days, std::string& out);  // "2025-01-10"
std::string date_str(int32_t days);
int year_of(int32_t days);

struct Duration {
  int32_t years = 0, months = 0, days = 0;
};

// date + duration: add years and months on the calendar as one month count (day-of-month clamped
// to the month's end: 2024-02-29 + 1 year = 2025-02-28; 2024-01-31 + 1 month = 2024-02-29), then
// days. Negative fields go backwards. false if the result leaves the int32 day range.
bool add_duration(int32_t date, Duration d, int32_t* out);
// last day of a term that starts on `start` and lasts `d`: start + d - 1 day
// (2025-01-10 + 3 years -> 2028-01-09). The start day itself counts as the term's first day.
bool term_end(int32_t start, Duration d, int32_t* out);
void format_duration(Duration d, std::string& out);  // "3 years", "1 year 6 months", "10 days"; all zero: "0 days"
std::string duration_str(Duration d);
// For explanations: "3年", "1年6个月", "10天", each part with its sign; all zero: "0天".
void format_duration_zh(Duration d, std::string& out);

}  // namespace pol
