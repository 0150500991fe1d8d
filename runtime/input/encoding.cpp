// Text encodings of CSV files: valid UTF-8 is read as it is; anything else is tried as GB18030
// (the superset of GBK, what Excel on Chinese Windows saves as "CSV") through glibc's iconv. A
// file that is neither is refused as a whole, naming the first byte each reading stumbled on —
// never read row by row as garbled text that is "missing" every field.
#include <fmt/format.h>
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "compiler/diagnostics/messages_input.h"
#include "compiler/diagnostics/source.h"
#include "runtime/input/records.h"

namespace pol::input {
namespace {

// Where a reading stopped: the byte offset of the first byte it could not read.
struct Stop {
  size_t offset = 0;
  bool stopped = false;
  bool no_converter = false;  // this C library cannot convert from the encoding at all
  bool cut = false;           // the text ends inside a character
};

size_t line_of(std::string_view text, size_t offset) {
  return 1 + size_t(std::count(text.begin(), text.begin() + std::min(offset, text.size()), '\n'));
}

// Where a reading stopped, as the placeholder `name` of a message: the byte (or the end), its
// offset and line, and whether a character was cut off by the end of the file.
MsgArg where(std::string name, std::string_view text, size_t offset, bool cut = false) {
  const bool at_byte = offset < text.size();
  InputMsg m = at_byte ? (cut ? InputMsg::ByteAtCut : InputMsg::ByteAt) : (cut ? InputMsg::EndAtCut : InputMsg::EndAt);
  return nested(std::move(name),
                msg(m, {{"byte", at_byte ? fmt::format("0x{:02X}", static_cast<unsigned char>(text[offset])) : std::string()},
                        {"offset", std::to_string(offset)},
                        {"line", std::to_string(line_of(text, offset))}}));
}

// Converts `text` from `charset` to UTF-8 into `out`; on a byte it cannot read, the Stop says where.
Stop convert(std::string_view text, const char* charset, std::string& out) {
  Stop stop;
  iconv_t cd = iconv_open("UTF-8", charset);
  if (cd == reinterpret_cast<iconv_t>(-1)) {  // glibc without the converter: nothing can be read
    stop.stopped = stop.no_converter = true;
    return stop;
  }
  out.assign(text.size() + text.size() / 2 + 16, '\0');
  char* in = const_cast<char*>(text.data());
  size_t in_left = text.size(), used = 0;
  while (in_left > 0) {
    char* o = out.data() + used;
    size_t o_left = out.size() - used;
    size_t rc = iconv(cd, &in, &in_left, &o, &o_left);
    used = out.size() - o_left;
    if (rc != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    stop.stopped = true;  // EILSEQ: not a character; EINVAL: cut off at the end
    stop.cut = errno == EINVAL;
    stop.offset = size_t(in - text.data());
    break;
  }
  iconv_close(cd);
  out.resize(used);
  return stop;
}

const char* iconv_name(Encoding e) { return e == Encoding::Gbk ? "GBK" : "GB18030"; }
const char* shown_name(Encoding e) {
  switch (e) {
    case Encoding::Utf8: return "UTF-8";
    case Encoding::Gbk: return "GBK";
    case Encoding::Gb18030: return "GB18030";
    case Encoding::Detect: break;
  }
  return "UTF-8 or GBK/GB18030";
}

}  // namespace

bool encoding_from_name(std::string_view name, Encoding* out) {
  std::string n;
  for (char c : name) n += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (n.empty() || n == "auto") *out = Encoding::Detect;
  else if (n == "utf-8" || n == "utf8") *out = Encoding::Utf8;
  else if (n == "gbk" || n == "cp936") *out = Encoding::Gbk;
  else if (n == "gb18030") *out = Encoding::Gb18030;
  else return false;
  return true;
}

bool to_utf8(std::string& text, Encoding enc, std::string& error, Encoding* found) {
  Msg m;
  if (to_utf8(text, enc, m, found)) return true;
  error = render_msg(m, Lang::En);
  return false;
}

bool to_utf8(std::string& text, Encoding enc, Msg& error, Encoding* found) {
  // Excel's "Unicode text" is UTF-16 (and tab-separated): name it rather than misread it.
  if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
    error = msg(InputMsg::Utf16Text);
    return false;
  }
  std::optional<uint32_t> bad_utf8;
  if (enc == Encoding::Detect || enc == Encoding::Utf8) {
    bad_utf8 = first_invalid_utf8(text);
    if (!bad_utf8) {
      if (found) *found = Encoding::Utf8;
      return true;
    }
    if (enc == Encoding::Utf8) {
      error = msg(InputMsg::NotUtf8AsAsked, {where("where", text, *bad_utf8)});
      return false;
    }
  }
  const Encoding as = enc == Encoding::Detect ? Encoding::Gb18030 : enc;
  std::string converted;
  Stop stop = convert(text, iconv_name(as), converted);
  if (!stop.stopped) {
    text.swap(converted);
    if (found) *found = as;
    return true;
  }
  if (stop.no_converter) {
    error = msg(InputMsg::NoConverter, {{"encoding", shown_name(as)}});
    return false;
  }
  if (enc != Encoding::Detect) {
    error = msg(InputMsg::NotEncodingAsAsked, {{"encoding", shown_name(as)},
                                               {"name", as == Encoding::Gbk ? "gbk" : "gb18030"},
                                               where("where", text, stop.offset, stop.cut)});
    return false;
  }
  error = msg(InputMsg::NeitherEncoding, {where("utf8", text, *bad_utf8), where("gb", text, stop.offset, stop.cut)});
  return false;
}

}  // namespace pol::input
