// Pol's value types and the dimension rules between them (money × rate → money, …).
// Every runtime value fits one int64 slot; the type says how to read it (fen, ppm, days…).
#pragma once

#include <cstdint>
#include <string>

namespace pol {

enum class Ty : uint8_t {
  Error,     // already diagnosed: silences follow-on errors
  Number,    // an unsuffixed literal whose type comes from context (6,000,000 as money)
  Money,     // fen
  Rate,      // parts per million
  Int,
  Decimal,   // millionths
  Bool,
  Text,      // index into the batch's text table
  Date,      // days since 1970-01-01
  Duration,  // only as a literal (validity, series windows)
  Enum,      // member index
};

struct Type {
  Ty ty = Ty::Error;
  uint16_t enum_id = 0;
  friend bool operator==(Type a, Type b) { return a.ty == b.ty && (a.ty != Ty::Enum || a.enum_id == b.enum_id); }
  friend bool operator!=(Type a, Type b) { return !(a == b); }
};

inline Type T(Ty t) { return Type{t, 0}; }
const char* ty_name(Ty t);
bool is_numeric(Ty t);  // Money, Rate, Int, Decimal, Number
// Built-in type names as written in Pol (`money`, `rate`, `int`, `decimal`, `bool`, `text`, `date`, `duration`).
bool builtin_type(const std::string& name, Ty* out);

}  // namespace pol
