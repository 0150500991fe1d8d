// Reading an error page <CODE>.md; see explain.h.
#include "compiler/diagnostics/explain.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pol {

std::string normalize_code(std::string_view code) {
  while (!code.empty() && std::isspace(static_cast<unsigned char>(code.front()))) code.remove_prefix(1);
  while (!code.empty() && std::isspace(static_cast<unsigned char>(code.back()))) code.remove_suffix(1);
  if (code.size() != 5 || !std::isalpha(static_cast<unsigned char>(code[0]))) return {};
  std::string out(1, static_cast<char>(std::toupper(static_cast<unsigned char>(code[0]))));
  for (size_t i = 1; i < code.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(code[i]))) return {};
    out += code[i];
  }
  return out;
}

std::optional<std::string> explain_page(std::string_view code, std::string_view errors_dir) {
  const std::string name = normalize_code(code);
  if (name.empty() || errors_dir.empty()) return std::nullopt;
  const std::filesystem::path page = std::filesystem::path(std::string(errors_dir)) / (name + ".md");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(page, ec)) return std::nullopt;
  std::ifstream in(page, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

}  // namespace pol
