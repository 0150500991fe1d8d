// The inside of the .xlsx reader (open_xlsx in records.h), in two steps: open_workbook() finds the
// sheet in the zip package and reads what its cells refer to (shared strings, which number
// formats are dates, the date system); cell_text() turns one stored value into the text the sheet
// shows. Exposed for the reader and its tests only. A Workbook owns every text it hands out.
#pragma once

#include <pugixml.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostics/message.h"

namespace pol::input::xlsx {

// What a cell's number format shows a number as.
enum class Shown : uint8_t { Number, Date, YearMonth, DateTime, Time };

// The kind of a number format: built-in `id` (Excel's fixed list, including the Chinese date
// formats 27–36 and 50–58) or, for a custom format, its `code` ("yyyy/m/d", "yyyy\"年\"m\"月\"").
Shown format_shown(int id, std::string_view code);

// A number as stored in a sheet ("15000000", "88.5", "1.5E-3", "0.30000000000000004") as plain
// decimal text rounded to 15 significant digits, as Excel shows it ("0.0015", "0.3"); never via
// floating point. false when `v` is not a number.
bool number_text(std::string_view v, std::string& out);

// A date serial (days since 1899-12-30, or since 1904-01-01 in the 1904 date system; the 1900
// system counts Excel's nonexistent 1900-02-29 as serial 60) as `shown`: "2023-06-01", "2023-06",
// "2023-06-01 08:30:00" (a time of day that is not midnight is kept, so it is never lost
// silently), "08:30:00". false when `v` is not a number or lies before the system's first day.
bool serial_text(std::string_view v, bool date1904, Shown shown, std::string& out);

// OOXML strings escape characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x).
std::string unescape(std::string_view s);

// A name or value from the package as a message quotes it: at most 60 bytes, cut between
// characters, bytes that are not UTF-8 as U+FFFD (a damaged part may hold anything).
std::string shown(std::string_view s);

struct Workbook {
  std::string sheet_name;
  std::vector<std::string> sheets;          // every sheet's name, in the workbook's order
  std::vector<std::string> shared_strings;  // xl/sharedStrings.xml, by index
  std::vector<Shown> cell_formats;          // by cell style index (a cell's `s`)
  bool date1904 = false;
  std::string sheet_xml;                    // the worksheet part, parsed in place into `sheet`
  pugi::xml_document sheet;
};

// Opens the package in `bytes` and loads sheet `name` (the first sheet when empty). false with a
// message for people: not a zip or not a workbook (an .xls, an .ods), no such sheet (the names
// are listed), a part that is missing, damaged or not well-formed XML.
bool open_workbook(std::string_view bytes, const std::string& name, Workbook& wb, Msg& error);

// The element's name without its namespace prefix ("x:row" → "row").
std::string_view local_name(const pugi::xml_node& n);
// The first child element of `n` named `local` whatever its prefix; an empty node if none.
pugi::xml_node child(const pugi::xml_node& n, std::string_view local);
// The text of a string item (<si> or <is>): its <t>, or its runs' <t> joined; phonetic
// guides (<rPh>, the furigana/pinyin Excel stores for East Asian text) left out.
std::string string_item(const pugi::xml_node& si);

}  // namespace pol::input::xlsx
