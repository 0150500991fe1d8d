#include "compiler/check/types.h"

namespace pol {

const char* ty_name(Ty t) {
  switch (t) {
    case Ty::Error: return "error";
    case Ty::Number: return "number";
    case Ty::Money: return "money";
    case Ty::Rate: return "rate";
    case Ty::Int: return "int";
    case Ty::Decimal: return "decimal";
    case Ty::Bool: return "bool";
    case Ty::Text: return "text";
    case Ty::Date: return "date";
    case Ty::Duration: return "duration";
    case Ty::Enum: return "enum";
  }
  return "?";
}

bool is_numeric(Ty t) {
  return t == Ty::Money || t == Ty::Rate || t == Ty::Int || t == Ty::Decimal || t == Ty::Number;
}

bool builtin_type(const std::string& n, Ty* out) {
  static const struct { const char* name; Ty ty; } kTypes[] = {
      {"money", Ty::Money}, {"rate", Ty::Rate},     {"int", Ty::Int},   {"decimal", Ty::Decimal},
      {"bool", Ty::Bool},   {"text", Ty::Text},     {"date", Ty::Date}, {"duration", Ty::Duration},
      {"金额", Ty::Money},  {"比例", Ty::Rate},     {"整数", Ty::Int},  {"小数", Ty::Decimal},
      {"是否", Ty::Bool},   {"文本", Ty::Text},     {"日期", Ty::Date}, {"期限", Ty::Duration},
      // A year and month (2025-03), kept as its first day: every date operation applies to it.
      {"month", Ty::Date},  {"年月", Ty::Date},
  };
  for (auto& t : kTypes)
    if (n == t.name) {
      *out = t.ty;
      return true;
    }
  return false;
}

}  // namespace pol
