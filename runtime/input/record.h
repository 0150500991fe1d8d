// One untyped input record (name/value pairs as read from a JSON Lines or CSV line): what the
// readers produce and the decoder consumes. Types only, so the evaluation library that decodes
// records needs none of the readers (simdjson stays in the I/O library).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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
                      // the message names the problem and the column and/or field
};

}  // namespace pol::input
