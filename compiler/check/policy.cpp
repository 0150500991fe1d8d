#include "compiler/check/policy.h"

namespace pol {

std::string cite_clause(std::string_view number) {
  if (number.empty()) return "";
  std::string out;
  size_t level = 0, at = 0;
  while (at <= number.size()) {
    size_t dot = number.find('.', at);
    std::string_view part = number.substr(at, dot == std::string_view::npos ? std::string_view::npos : dot - at);
    switch (level++) {
      case 0: out += "第"; out += part; out += "条"; break;
      case 1: out += "第（"; out += part; out += "）项"; break;
      case 2: out += "第"; out += part; out += "目"; break;
      default: out += "（"; out += part; out += "）"; break;
    }
    if (dot == std::string_view::npos) break;
    at = dot + 1;
  }
  return out;
}

bool RuleInfo::applies_to(int item) const {
  if (items.empty()) return true;
  for (int i : items)
    if (i == item) return true;
  return false;
}

int Policy::find_item(std::string_view number) const {
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i].number == number) return static_cast<int>(i);
  return -1;
}

int Policy::find_field(std::string_view n) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == n) return static_cast<int>(i);
  return -1;
}

int Policy::find_param(std::string_view n) const {
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].name == n) return static_cast<int>(i);
  return -1;
}

std::string Policy::type_name(Type t) const {
  if (t.ty == Ty::Enum && t.enum_id < enums.size()) return enums[t.enum_id].name;
  return ty_name(t.ty);
}

}  // namespace pol
