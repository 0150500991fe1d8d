// One untyped input record (name/value pairs as read from a JSON Lines or CSV line): what the
// readers produce and the decoder consumes. Types only, so the evaluation library that decodes
// records needs none of the readers (simdjson stays in the I/O library).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostics/message.h"

namespace pol::input {

enum class RawKind : uint8_t { String, Number, True, False, Null, Other /* object or array */ };

struct RawField {
  std::string_view name;  // field name (unescaped)
  RawKind kind;
  // String: unescaped UTF-8 contents; Number: the raw number token exactly as written (e.g. "0.05",
  // "1e5", "-5"), never converted through double; True/False: "true"/"false"; Null: "";
  // Other: the raw JSON text of the object or array.
  std::string_view text;
};

struct RawRecord {
  size_t line = 0;               // 1-based line in the input (CSV: physical line where the record starts)
  std::vector<RawField> fields;  // reused between calls
  std::string error;  // non-empty when this line could not be parsed at all (then fields is empty);
                      // the message names the problem and the column and/or field (English)
  Msg problem;        // the same from the catalogue (InputMsg), rendered in the language it is shown in;
                      // MsgId::None when `error` was written otherwise (shown as it is)
  void set_error(Msg m) {
    error = render_msg(m, Lang::En);
    problem = std::move(m);
  }
  void clear_error() {
    error.clear();
    problem = Msg{};
  }
};

}  // namespace pol::input
