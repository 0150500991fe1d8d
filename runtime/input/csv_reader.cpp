// RFC 4180 CSV reader: a hand-written scanner over the borrowed input text.
// Cells point straight into the text; only quoted cells containing "" escapes are unescaped, into a
// reader-owned scratch string reused per row. Header names are owned by the reader.
#include <algorithm>
#include <cstring>
#include <exception>

#include <unordered_map>

#include "compiler/diagnostics/messages_input.h"
#include "runtime/input/records.h"
#include "runtime/portfolio/cells.h"

namespace pol::input {
namespace {

bool is_blank_char(char c) { return c == ' ' || c == '\t' || c == '\r'; }

class CsvReader final : public RecordReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {
    // A sheet saved with CR line ends only (classic Mac "CSV"): its CRs end the lines. Within a
    // file that has LF line ends, a lone CR stays content.
    if (text_.find('\n') == std::string_view::npos && text_.find('\r') != std::string_view::npos) {
      owned_.assign(text_);
      std::replace(owned_.begin(), owned_.end(), '\r', '\n');
      text_ = owned_;
    }
    if (text_.size() >= 3 && std::memcmp(text_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  }

  bool next(RawRecord& rec) override {
    rec.fields.clear();
    rec.clear_error();
    try {
      return next_row(rec);
    } catch (const std::exception& e) {  // only allocation failure can get here
      rec.fields.clear();
      rec.set_error(msg(InputMsg::CannotReadRow, {{"why", e.what()}}));
      done_ = true;
      return true;
    }
  }

 private:
  // One scanned cell that is present (quoted, or non-empty); empty unquoted cells are only
  // counted. Unescaped cells live in scratch_ and get their pointer after the row ends.
  struct Cell {
    const char* ptr;
    size_t len;
    size_t scratch_off;
    size_t column;  // 0-based
    bool in_scratch;
  };
  enum class RowError { None, Unterminated, AfterQuote };

  bool next_row(RawRecord& rec) {
    if (done_) return false;
    if (!have_header_) {
      have_header_ = true;
      if (!read_header(rec)) return false;
      if (!rec.error.empty()) {
        done_ = true;
        return true;
      }
    }
    skip_blank_lines();
    if (pos_ >= text_.size()) {
      done_ = true;
      return false;
    }
    rec.line = line_;
    scan_row();
    if (row_error_ != RowError::None) {
      const size_t col = err_col_;
      const std::string_view name = col <= header_.size() ? std::string_view(header_[col - 1]) : "";
      const bool unterminated = row_error_ == RowError::Unterminated;
      rec.set_error(name.empty() ? msg(unterminated ? InputMsg::CsvUnterminated : InputMsg::CsvAfterQuote, {{"column", std::to_string(col)}})
                                 : msg(unterminated ? InputMsg::CsvUnterminatedNamed : InputMsg::CsvAfterQuoteNamed,
                                       {{"column", std::to_string(col)}, {"name", std::string(name)}}));
      return true;
    }
    if (ncells_ > header_.size()) {
      rec.set_error(msg(InputMsg::CsvTooManyCells, {{"cells", std::to_string(ncells_)},
                                                    {"columns", std::to_string(header_.size())},
                                                    {"extra", std::to_string(header_.size() + 1)}}));
      return true;
    }
    for (const Cell& c : cells_) {
      rec.fields.push_back(RawField{header_[c.column], RawKind::String, std::string_view(c.ptr, c.len)});
    }
    return true;
  }

  // Returns false when the input holds no header at all (empty input); sets rec.error on a bad one.
  bool read_header(RawRecord& rec) {
    skip_blank_lines();
    if (pos_ >= text_.size()) {
      done_ = true;
      return false;
    }
    rec.line = line_;
    scan_row();
    if (row_error_ != RowError::None) {
      rec.set_error(msg(row_error_ == RowError::Unterminated ? InputMsg::CsvHeaderUnterminated : InputMsg::CsvHeaderAfterQuote,
                        {{"column", std::to_string(err_col_)}}));
      return true;
    }
    header_.assign(ncells_, std::string());
    // A name is matched without the spaces around it ("id " is the column id).
    for (const Cell& c : cells_) header_[c.column] = cells::trim(std::string_view(c.ptr, c.len));
    std::unordered_map<std::string_view, size_t> seen;  // a wide header must not cost n² comparisons
    for (size_t i = 0; i < header_.size(); ++i) {
      if (header_[i].empty()) {
        rec.set_error(msg(InputMsg::CsvHeaderEmptyName, {{"column", std::to_string(i + 1)}}));
        return true;
      }
      auto [it, fresh] = seen.emplace(header_[i], i);
      if (!fresh) {
        rec.set_error(msg(InputMsg::CsvHeaderDuplicate, {{"name", header_[i]},
                                                         {"first", std::to_string(it->second + 1)},
                                                         {"second", std::to_string(i + 1)}}));
        return true;
      }
    }
    return true;
  }

  // Skips lines holding nothing but spaces, tabs and CRs.
  void skip_blank_lines() {
    const char* p = text_.data();
    const size_t n = text_.size();
    while (pos_ < n) {
      size_t i = pos_;
      while (i < n && is_blank_char(p[i])) ++i;
      if (i < n && p[i] != '\n') return;  // real content on this line
      pos_ = i < n ? i + 1 : n;
      if (i < n) ++line_;
    }
  }

  static bool ends_line(const char* p, size_t i, size_t n) {
    return p[i] == '\n' || (p[i] == '\r' && (i + 1 == n || p[i + 1] == '\n'));
  }

  // Scans an unquoted run from i up to ',' or the end of the line; returns its end.
  static size_t scan_plain(const char* p, size_t i, size_t n) {
    for (;;) {
      while (i < n && p[i] != ',' && p[i] != '\n' && p[i] != '\r') ++i;
      if (i < n && p[i] == '\r' && i + 1 < n && p[i + 1] != '\n') {  // lone CR is content
        ++i;
        continue;
      }
      return i;
    }
  }

  void set_error(RowError e, size_t col) {
    if (row_error_ == RowError::None) {
      row_error_ = e;
      err_col_ = col;
    }
  }

  // Scans one row starting at pos_ into cells_, leaving pos_ after its line end.
  void scan_row() {
    cells_.clear();
    ncells_ = 0;
    scratch_.clear();
    row_error_ = RowError::None;
    const char* p = text_.data();
    const size_t n = text_.size();
    size_t i = pos_;
    for (;; ++ncells_) {
      Cell c{p + i, 0, 0, ncells_, false};
      if (i < n && p[i] == '"') {
        const size_t start = ++i;
        for (;;) {
          const void* qv = i < n ? std::memchr(p + i, '"', n - i) : nullptr;
          if (!qv) {
            line_ += size_t(std::count(p + i, p + n, '\n'));
            set_error(RowError::Unterminated, ncells_ + 1);
            i = n;
            break;
          }
          const size_t q = size_t(static_cast<const char*>(qv) - p);
          line_ += size_t(std::count(p + i, p + q, '\n'));
          if (q + 1 < n && p[q + 1] == '"') {  // "" escape: keep one quote
            if (!c.in_scratch) {
              c.in_scratch = true;
              c.scratch_off = scratch_.size();
              scratch_.append(p + start, q + 1 - start);
            } else {
              scratch_.append(p + i, q + 1 - i);
            }
            i = q + 2;
            continue;
          }
          if (c.in_scratch) {
            scratch_.append(p + i, q - i);
            c.len = scratch_.size() - c.scratch_off;
          } else {
            c.ptr = p + start;
            c.len = q - start;
          }
          i = q + 1;
          if (i < n && p[i] != ',' && !ends_line(p, i, n)) {
            set_error(RowError::AfterQuote, ncells_ + 1);
            i = scan_plain(p, i, n);
          }
          break;
        }
        cells_.push_back(c);
      } else {
        const size_t end = scan_plain(p, i, n);
        if (end != i) {
          c.len = end - i;
          cells_.push_back(c);
        }
        i = end;
      }
      if (i < n && p[i] == ',') {
        ++i;
        continue;
      }
      if (i < n && p[i] == '\r') ++i;
      if (i < n && p[i] == '\n') {
        ++i;
        ++line_;
      }
      pos_ = i;
      ++ncells_;
      break;
    }
    for (Cell& c : cells_) {
      if (c.in_scratch) c.ptr = scratch_.data() + c.scratch_off;
    }
  }

  std::string owned_;  // a converted copy of the text, when it needed one
  std::string_view text_;
  size_t pos_ = 0;
  size_t line_ = 1;  // physical line of pos_
  bool have_header_ = false;
  bool done_ = false;
  std::vector<std::string> header_;
  std::vector<Cell> cells_;  // present cells of the current row
  size_t ncells_ = 0;        // all cells of the current row, empty ones included
  std::string scratch_;
  RowError row_error_ = RowError::None;
  size_t err_col_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader> open_csv(std::string_view text) {
  return std::make_unique<CsvReader>(text);
}

}  // namespace pol::input
