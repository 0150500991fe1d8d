// The .xlsx record reader (open_xlsx in records.h): walks the <row> elements of the sheet, turns
// each cell into the text the sheet shows (xlsx_cells.cpp) and hands out a row as the CSV reader
// does: named by the header row, every cell a string, empty cells left out.
#include <fmt/format.h>

#include <exception>
#include <unordered_map>

#include "compiler/diagnostics/messages_input.h"
#include "runtime/input/records.h"
#include "runtime/input/xlsx.h"
#include "runtime/portfolio/cells.h"

namespace pol::input {
namespace {

using xlsx::child;
using xlsx::local_name;

// "B12" → column 1 (0-based) and row 12; false for anything else. Columns end at XFD (16384).
bool cell_ref(std::string_view r, size_t* col, size_t* row) {
  size_t i = 0, c = 0;
  while (i < r.size() && r[i] >= 'A' && r[i] <= 'Z' && i < 3) c = c * 26 + size_t(r[i++] - 'A' + 1);
  size_t digits = i, n = 0;
  while (i < r.size() && r[i] >= '0' && r[i] <= '9' && i - digits < 7) n = n * 10 + size_t(r[i++] - '0');
  if (digits == 0 || i == digits || i != r.size() || c > 16384 || n == 0) return false;
  *col = c - 1;
  *row = n;
  return true;
}

std::string column_name(size_t col) {
  std::string s;
  for (size_t c = col + 1; c > 0; c = (c - 1) / 26) s.insert(s.begin(), char('A' + (c - 1) % 26));
  return s;
}

class XlsxReader final : public RecordReader {
 public:
  bool open(std::string_view bytes, const std::string& sheet, Msg& error) {
    if (!xlsx::open_workbook(bytes, sheet, wb_, error)) return false;
    row_ = child(child(wb_.sheet, "worksheet"), "sheetData").first_child();
    return read_header(error);
  }

  bool next(RawRecord& rec) override {
    rec.fields.clear();
    rec.clear_error();
    try {
      while (row_) {
        pugi::xml_node row = row_;
        row_ = row_.next_sibling();
        if (local_name(row) != "row") continue;
        scan(row, rec);
        if (!rec.error.empty()) return true;
        if (cells_.empty()) continue;  // an empty row, like a blank line of a CSV file
        fields(rec);
        return true;
      }
      return false;
    } catch (const std::exception& e) {  // only allocation failure can get here
      rec.fields.clear();
      rec.set_error(msg(InputMsg::CannotReadRow, {{"why", e.what()}}));
      row_ = pugi::xml_node();
      return true;
    }
  }

 private:
  struct Cell {
    size_t column;
    std::string_view shared;  // a shared string (stable), else texts_[text]
    size_t text;
  };

  // The first row with a cell names the columns; a gap is allowed (a column without a name must
  // stay empty below), a name used twice is not.
  bool read_header(Msg& error) {
    RawRecord rec;
    while (row_) {
      pugi::xml_node row = row_;
      row_ = row_.next_sibling();
      if (local_name(row) != "row") continue;
      scan(row, rec);
      if (!rec.error.empty()) {
        error = msg(InputMsg::HeaderRowProblem,
                    {{"sheet", xlsx::shown(wb_.sheet_name)}, {"row", std::to_string(rec.line)}, nested("why", rec.problem)});
        return false;
      }
      if (cells_.empty()) continue;
      header_line_ = rec.line;
      std::unordered_map<std::string, size_t> seen;
      for (const Cell& c : cells_) {
        std::string name(cells::trim(text_of(c)));  // "id " is the column id
        auto [it, fresh] = seen.emplace(name, c.column);
        if (!fresh) {
          error = msg(InputMsg::HeaderRowDuplicate, {{"sheet", xlsx::shown(wb_.sheet_name)},
                                                     {"row", std::to_string(rec.line)},
                                                     {"name", xlsx::shown(name)},
                                                     {"first", column_name(it->second)},
                                                     {"second", column_name(c.column)}});
          return false;
        }
        if (header_.size() <= c.column) header_.resize(c.column + 1);
        header_[c.column] = std::move(name);
      }
      return true;
    }
    return true;  // an empty sheet: no records
  }

  std::string_view text_of(const Cell& c) const { return c.shared.data() ? c.shared : std::string_view(texts_[c.text]); }

  // The present cells of `row` into cells_ (texts_ for texts made here); rec.line its number,
  // rec.error set for a cell that cannot be read.
  void scan(const pugi::xml_node& row, RawRecord& rec) {
    cells_.clear();
    used_ = 0;
    size_t line = row.attribute("r").as_ullong(0);
    rec.line = line > last_line_ && line < (size_t{1} << 31) ? line : last_line_ + 1;
    last_line_ = rec.line;
    size_t next_col = 0;
    for (pugi::xml_node c : row.children()) {
      if (local_name(c) != "c") continue;
      size_t col = next_col, r = rec.line;
      const char* ref = c.attribute("r").value();
      if (*ref && (!cell_ref(ref, &col, &r) || r != rec.line || col < next_col)) {
        rec.set_error(msg(InputMsg::BadCellReference, {{"ref", xlsx::shown(ref)}, {"row", std::to_string(rec.line)}}));
        return;
      }
      next_col = col + 1;
      if (!cell(c, col, rec)) return;
    }
  }

  // One cell: its value as the sheet shows it, trimmed of nothing (the decoder trims).
  bool cell(const pugi::xml_node& c, size_t col, RawRecord& rec) {
    std::string_view type = c.attribute("t").value();
    std::string_view v = child(c, "v").text().get();
    auto where = [&] { return column_name(col) + std::to_string(rec.line); };
    if (type == "s") {
      size_t i = 0;
      bool number = !v.empty() && v.size() < 10;
      for (char ch : v) {
        number = number && ch >= '0' && ch <= '9';
        i = i * 10 + size_t(ch - '0');
      }
      if (!number || i >= wb_.shared_strings.size()) {
        rec.set_error(msg(InputMsg::NoSharedString, {{"cell", where()}, {"index", xlsx::shown(v)}}));
        return false;
      }
      if (!wb_.shared_strings[i].empty()) cells_.push_back(Cell{col, wb_.shared_strings[i], 0});
      return true;
    }
    if (type == "e") {
      rec.set_error(msg(InputMsg::FormulaError, {{"cell", where()}, {"value", xlsx::shown(v)}}));
      return false;
    }
    std::string& out = text();
    if (type == "inlineStr") {
      out = xlsx::string_item(child(c, "is"));
    } else if (type == "str") {
      out = xlsx::unescape(v);
    } else if (type == "b") {
      out = v == "1" ? "true" : v == "0" ? "false" : std::string(v);
    } else if (type == "d") {  // an ISO 8601 date (strict OOXML): midnight is the date alone
      out = v;
      if (out.size() > 10 && out[10] == 'T' && out.find_first_not_of("0:.", 11) == std::string::npos) out.resize(10);
    } else if (v.empty()) {
      out.clear();
    } else {
      size_t style = c.attribute("s").as_uint(0);
      xlsx::Shown shown = style < wb_.cell_formats.size() ? wb_.cell_formats[style] : xlsx::Shown::Number;
      bool done = shown != xlsx::Shown::Number && xlsx::serial_text(v, wb_.date1904, shown, out);
      if (!done && !xlsx::number_text(v, out)) out = v;  // not a number: the decoder says so
    }
    if (out.empty()) {
      --used_;
      return true;
    }
    cells_.push_back(Cell{col, std::string_view(), used_ - 1});
    return true;
  }

  // A scratch text for the current row (the strings are kept between rows, their capacity reused).
  std::string& text() {
    if (used_ == texts_.size()) texts_.emplace_back();
    return texts_[used_++];
  }

  void fields(RawRecord& rec) {
    for (const Cell& c : cells_) {
      if (c.column >= header_.size() || header_[c.column].empty()) {
        rec.fields.clear();
        rec.set_error(msg(InputMsg::CellWithoutColumn, {{"cell", column_name(c.column) + std::to_string(rec.line)},
                                                        {"column", column_name(c.column)},
                                                        {"row", std::to_string(header_line_)}}));
        return;
      }
      rec.fields.push_back(RawField{header_[c.column], RawKind::String, text_of(c)});
    }
  }

  xlsx::Workbook wb_;
  pugi::xml_node row_;  // the next <row> (or other element) of sheetData
  std::vector<std::string> header_;  // by column; "" where the header row has no name
  size_t header_line_ = 0, last_line_ = 0;
  std::vector<Cell> cells_;
  std::vector<std::string> texts_;
  size_t used_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader> open_xlsx(std::string_view bytes, const std::string& sheet, Msg& error) {
  try {
    auto reader = std::make_unique<XlsxReader>();
    if (!reader->open(bytes, sheet, error)) return nullptr;
    return reader;
  } catch (const std::exception& e) {  // allocation failure
    error = msg(InputMsg::CannotReadWorkbook, {{"why", e.what()}});
    return nullptr;
  }
}

std::unique_ptr<RecordReader> open_xlsx(std::string_view bytes, const std::string& sheet, std::string& error) {
  Msg m;
  auto reader = open_xlsx(bytes, sheet, m);
  if (!reader) error = render_msg(m, Lang::En);
  return reader;
}

}  // namespace pol::input
