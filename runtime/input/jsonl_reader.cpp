// JSON Lines reader on simdjson ondemand, plus the shared helpers format_from_path and read_file
// (open_input.cpp chooses the reader).
// Each line is copied into a reader-owned padded buffer (capacity reused) and parsed in place;
// strings unescape into the parser's own buffer, so every view lives until the next next() call.
#include <simdjson.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <exception>

#include "compiler/diagnostics/messages_input.h"
#include "runtime/input/records.h"

namespace pol::input {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

bool is_blank(const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    char c = p[i];
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty()) {
    char c = s.back();
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    s.remove_suffix(1);
  }
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Strict RFC 8259 number grammar; simdjson hands us the raw token without checking it.
bool valid_json_number(std::string_view s) {
  size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < n && is_digit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < n && s[i] == '.') {
    size_t d = ++i;
    while (i < n && is_digit(s[i])) ++i;
    if (i == d) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t d = i;
    while (i < n && is_digit(s[i])) ++i;
    if (i == d) return false;
  }
  return i == n;
}

// A JSON type as a message names it ({type}).
MsgArg type_name(od::json_type t) {
  InputMsg m = InputMsg::JsonTypeOther;
  switch (t) {
    case od::json_type::array: m = InputMsg::JsonTypeArray; break;
    case od::json_type::object: m = InputMsg::JsonTypeObject; break;
    case od::json_type::number: m = InputMsg::JsonTypeNumber; break;
    case od::json_type::string: m = InputMsg::JsonTypeString; break;
    case od::json_type::boolean: m = InputMsg::JsonTypeBoolean; break;
    case od::json_type::null: m = InputMsg::JsonTypeNull; break;
  }
  return nested("type", msg(m));
}

// What is wrong with the JSON ({why}); simdjson's own words for the rare rest.
MsgArg describe(error_code e) {
  switch (e) {
    case simdjson::TAPE_ERROR: return nested("why", msg(InputMsg::JsonMalformed));
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return nested("why", msg(InputMsg::JsonUnterminated));
    case simdjson::STRING_ERROR: return nested("why", msg(InputMsg::JsonBadString));
    case simdjson::UNCLOSED_STRING: return nested("why", msg(InputMsg::JsonUnclosedString));
    case simdjson::NUMBER_ERROR: return nested("why", msg(InputMsg::JsonBadNumber));
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return nested("why", msg(InputMsg::JsonBadLiteral));
    case simdjson::UTF8_ERROR: return nested("why", msg(InputMsg::JsonBadUtf8));
    case simdjson::DEPTH_ERROR: return nested("why", msg(InputMsg::JsonTooDeep));
    case simdjson::INCORRECT_TYPE: return nested("why", msg(InputMsg::JsonUnexpected));
    case simdjson::EMPTY: return nested("why", msg(InputMsg::JsonEmpty));
    default: return nested("why", msg(InputMsg::JsonOtherProblem, {{"why", simdjson::error_message(e)}}));
  }
}

// 1-based column counted in UTF-8 code points, so it matches what an editor shows.
size_t column_of(const char* base, const char* at) {
  size_t col = 1;
  for (const char* p = base; p < at; ++p) {
    if ((static_cast<unsigned char>(*p) & 0xC0) != 0x80) ++col;
  }
  return col;
}

class JsonlReader final : public RecordReader {
 public:
  explicit JsonlReader(std::string_view text) : text_(text) {
    if (text_.size() >= 3 && std::memcmp(text_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  }

  bool next(RawRecord& rec) override {
    rec.fields.clear();
    rec.clear_error();
    try {
      return next_line(rec);
    } catch (const std::exception& e) {  // only allocation failure can get here
      rec.fields.clear();
      rec.set_error(msg(InputMsg::CannotReadLine, {{"why", e.what()}}));
      pos_ = text_.size();
      return true;
    }
  }

 private:
  bool next_line(RawRecord& rec) {
    const size_t size = text_.size();
    while (pos_ < size) {
      const char* start = text_.data() + pos_;
      const size_t remaining = size - pos_;
      const void* nl = std::memchr(start, '\n', remaining);
      size_t len = nl ? size_t(static_cast<const char*>(nl) - start) : remaining;
      pos_ += nl ? len + 1 : len;
      ++line_;
      if (len > 0 && start[len - 1] == '\r') --len;
      if (is_blank(start, len)) continue;
      rec.line = line_;
      parse_line(start, len, rec);
      return true;
    }
    return false;
  }

  void ensure_buffer(size_t n) {
    const size_t need = n + simdjson::SIMDJSON_PADDING;
    if (need <= cap_) return;
    size_t cap = std::max<size_t>({need, cap_ * 2, 4096});
    buf_.reset(new char[cap]);
    cap_ = cap;
  }

  void parse_line(const char* start, size_t n, RawRecord& rec) {
    ensure_buffer(n);
    std::memcpy(buf_.get(), start, n);
    std::memset(buf_.get() + n, ' ', simdjson::SIMDJSON_PADDING);
    if (n > parser_.capacity()) {
      size_t cap = std::max<size_t>({n, parser_.capacity() * 2, 4096});
      if (error_code e = parser_.allocate(cap, parser_.max_depth())) {
        rec.set_error(msg(InputMsg::CannotParseLine, {{"why", simdjson::error_message(e)}}));
        return;
      }
    }

    od::document doc;
    if (error_code e = parser_.iterate(buf_.get(), n, cap_).get(doc)) {
      rec.set_error(msg(InputMsg::InvalidJson, {describe(e)}));
      return;
    }
    od::json_type type;
    if (error_code e = doc.type().get(type)) return fail(rec, doc, e, {}, false);
    if (type != od::json_type::object) {
      rec.set_error(msg(InputMsg::NotAnObject, {type_name(type)}));
      return;
    }
    od::object obj;
    if (error_code e = doc.get_object().get(obj)) {
      // simdjson checks the root's closing brace up front; say what that means for a line.
      if (e == simdjson::INCOMPLETE_ARRAY_OR_OBJECT && trim_right(std::string_view(start, n)).back() != '}') {
        rec.set_error(msg(InputMsg::ObjectNotClosed));
        return;
      }
      return fail(rec, doc, e, {}, false);
    }

    std::string_view last_key;
    for (auto field_result : obj) {
      od::field field;
      if (error_code e = std::move(field_result).get(field)) return fail(rec, doc, e, last_key, true);
      std::string_view key;
      if (error_code e = field.unescaped_key().get(key)) return fail(rec, doc, e, last_key, true);
      RawField out{key, RawKind::Null, {}};
      if (error_code e = read_value(field.value(), out)) return fail(rec, doc, e, key, false);
      rec.fields.push_back(out);
      last_key = key;
    }
    // Anything after the closing brace ("{...} x", "{...}{...}") is an error.
    auto where = doc.current_location();
    if (!where.error()) {
      rec.fields.clear();
      rec.set_error(msg(InputMsg::TextAfterObject, {{"column", std::to_string(column_of(buf_.get(), where.value_unsafe()))}}));
      return;
    }
    check_duplicates(rec);
  }

  // Fills out.kind/out.text from v, validating everything it touches (nested values too).
  error_code read_value(od::value v, RawField& out, size_t depth = 0) {
    od::json_type type;
    if (error_code e = v.type().get(type)) return e;
    switch (type) {
      case od::json_type::string:
        out.kind = RawKind::String;
        return v.get_string().get(out.text);
      case od::json_type::number: {
        std::string_view tok = trim_right(v.raw_json_token());
        if (!valid_json_number(tok)) return simdjson::NUMBER_ERROR;
        out.kind = RawKind::Number;
        out.text = tok;
        return simdjson::SUCCESS;
      }
      case od::json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b)) return simdjson::T_ATOM_ERROR;
        out.kind = b ? RawKind::True : RawKind::False;
        out.text = b ? std::string_view("true") : std::string_view("false");
        return simdjson::SUCCESS;
      }
      case od::json_type::null: {
        bool is_null = false;
        if (v.is_null().get(is_null) || !is_null) return simdjson::N_ATOM_ERROR;
        out.kind = RawKind::Null;
        out.text = {};
        return simdjson::SUCCESS;
      }
      case od::json_type::object:
      case od::json_type::array: {
        const char* begin = v.raw_json_token().data();
        if (error_code e = validate(v, depth + 1)) return e;
        // After the walk the iterator sits on the token following the value (',' or '}').
        const char* end = nullptr;
        if (error_code e = v.current_location().get(end)) return e;
        out.kind = RawKind::Other;
        out.text = trim_right(std::string_view(begin, size_t(end - begin)));
        return simdjson::SUCCESS;
      }
    }
    return simdjson::INCORRECT_TYPE;
  }

  // Walks a nested value completely so malformed content is reported, not silently skipped.
  // Depth is bounded so a line of a million '[' cannot overflow the stack.
  error_code validate(od::value v, size_t depth) {
    if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
    od::json_type type;
    if (error_code e = v.type().get(type)) return e;
    switch (type) {
      case od::json_type::object: {
        od::object o;
        if (error_code e = v.get_object().get(o)) return e;
        for (auto fr : o) {
          od::field f;
          if (error_code e = std::move(fr).get(f)) return e;
          std::string_view key;
          if (error_code e = f.unescaped_key().get(key)) return e;
          if (error_code e = validate(f.value(), depth + 1)) return e;
        }
        return simdjson::SUCCESS;
      }
      case od::json_type::array: {
        od::array a;
        if (error_code e = v.get_array().get(a)) return e;
        for (auto er : a) {
          od::value item;
          if (error_code e = std::move(er).get(item)) return e;
          if (error_code e = validate(item, depth + 1)) return e;
        }
        return simdjson::SUCCESS;
      }
      default: {
        RawField scratch{{}, RawKind::Null, {}};
        return read_value(v, scratch, depth);
      }
    }
  }

  void fail(RawRecord& rec, od::document& doc, error_code e, std::string_view key, bool after) {
    rec.fields.clear();
    std::string column;
    const char* at = nullptr;
    if (!doc.current_location().get(at) && at >= buf_.get() && at <= buf_.get() + cap_) {
      column = std::to_string(column_of(buf_.get(), at));
    }
    const bool at_column = !column.empty();
    if (key.data() == nullptr) {
      rec.set_error(at_column ? msg(InputMsg::InvalidJsonAt, {{"column", column}, describe(e)})
                              : msg(InputMsg::InvalidJson, {describe(e)}));
    } else {
      InputMsg m = after ? (at_column ? InputMsg::InvalidJsonAtAfterField : InputMsg::InvalidJsonAfterField)
                         : (at_column ? InputMsg::InvalidJsonAtInField : InputMsg::InvalidJsonInField);
      rec.set_error(msg(m, {{"column", column}, {"name", std::string(key)}, describe(e)}));
    }
  }

  void check_duplicates(RawRecord& rec) {
    const auto& f = rec.fields;
    const size_t n = f.size();
    if (n <= 32) {
      for (size_t i = 1; i < n; ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (f[i].name == f[j].name) return duplicate(rec, f[i].name);
        }
      }
      return;
    }
    names_.clear();
    for (const auto& field : f) names_.push_back(field.name);
    std::sort(names_.begin(), names_.end());
    auto it = std::adjacent_find(names_.begin(), names_.end());
    if (it != names_.end()) duplicate(rec, *it);
  }

  void duplicate(RawRecord& rec, std::string_view name) {
    rec.set_error(msg(InputMsg::DuplicateKey, {{"name", std::string(name)}}));
    rec.fields.clear();
  }

  static constexpr size_t kMaxDepth = 256;

  std::string_view text_;
  size_t pos_ = 0;
  size_t line_ = 0;
  od::parser parser_;
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  std::vector<std::string_view> names_;
};

}  // namespace

std::unique_ptr<RecordReader> open_jsonl(std::string_view text) {
  return std::make_unique<JsonlReader>(text);
}

Format format_from_path(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot == std::string_view::npos) return Format::Jsonl;
  std::string_view ext = base.substr(dot + 1);
  auto is = [&](std::string_view want) {
    if (ext.size() != want.size()) return false;
    for (size_t i = 0; i < ext.size(); ++i)
      if ((ext[i] | 0x20) != want[i]) return false;
    return true;
  };
  if (is("csv")) return Format::Csv;
  if (is("xlsx")) return Format::Xlsx;
  return Format::Jsonl;
}

Format resolve_format(std::string_view asked, std::string_view path) {
  if (asked == "csv") return Format::Csv;
  if (asked == "xlsx") return Format::Xlsx;
  if (asked == "jsonl" || asked == "json") return Format::Jsonl;
  return format_from_path(path);
}

bool read_file(const std::string& path, std::string& out, std::string& error, Lang lang) {
  out.clear();
  const bool is_stdin = path == "-";
  const std::string shown = is_stdin ? std::string("<stdin>") : path;
  std::error_code ec;
  if (!is_stdin && std::filesystem::is_directory(path, ec)) {
    error = render_msg(msg(InputMsg::IsAFolder, {{"path", shown}}), lang);
    return false;
  }
  std::FILE* f = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) {
    error = render_msg(msg(InputMsg::CannotOpenFile, {{"path", shown}, {"why", std::strerror(errno)}}), lang);
    return false;
  }
  bool ok = true;
  try {
    size_t used = 0;
    if (!is_stdin && std::fseek(f, 0, SEEK_END) == 0) {
      long size = std::ftell(f);
      if (size > 0) out.resize(size_t(size) + 1);  // +1 so EOF is seen without another grow
      std::rewind(f);
    }
    for (;;) {
      if (used == out.size()) out.resize(std::max<size_t>(out.size() * 2, 1 << 16));
      size_t got = std::fread(&out[used], 1, out.size() - used, f);
      used += got;
      if (got == 0) break;
    }
    if (std::ferror(f)) {
      error = render_msg(msg(InputMsg::CannotReadFile, {{"path", shown}, {"why", std::strerror(errno)}}), lang);
      ok = false;
    }
    out.resize(used);
  } catch (const std::exception& e) {
    error = render_msg(msg(InputMsg::CannotReadFile, {{"path", shown}, {"why", e.what()}}), lang);
    ok = false;
  }
  if (!is_stdin) std::fclose(f);
  if (!ok) out.clear();
  return ok;
}

}  // namespace pol::input
