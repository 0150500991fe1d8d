// Short usage and unknown commands; see usage.h.
#include "cli/usage.h"

#include <algorithm>
#include <cctype>

#include "cli/cli_text.h"
#include "cli/reference.h"
#include "compiler/diagnostics/suggest.h"

namespace pol::cli {

namespace {

// Display columns of UTF-8 text: two for a character of three or more bytes (Chinese), else one.
size_t columns(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;
    n += c >= 0xE0 ? 2 : 1;
  }
  return n;
}

// What a command does, in a few words: its description's first line up to a colon or the end
// of a sentence (not the full stop of "e.g. "); in Chinese up to the first 。 or ：.
std::string summary(const std::string& description) {
  std::string s = description.substr(0, description.find('\n'));
  for (size_t i = 0; i + 2 < s.size(); ++i)
    if ((s[i] == ':' || s[i] == '.') && s[i + 1] == ' ' && (s[i] == ':' || std::isupper(static_cast<unsigned char>(s[i + 2])))) {
      s.resize(i);
      break;
    }
  for (const char* stop : {"。", "："})
    if (size_t at = s.find(stop); at != std::string::npos) s.resize(at);
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s.size() > 70 && columns(s) == s.size()) {
    s = s.substr(0, s.rfind(' ', 70)) + " …";
  } else if (columns(s) > 70) {  // Chinese: cut between characters
    size_t end = 0;
    while (end < s.size() && columns(std::string_view(s).substr(0, end)) < 66) {
      ++end;
      while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
    }
    s = s.substr(0, end) + "…";
  }
  return s;
}

}  // namespace

std::string short_usage(const CLI::App& app, Lang lang) {
  auto commands = app.get_subcommands([](const CLI::App* c) { return is_listed(c); });
  std::string out = say(lang, CliMsg::UsageHead) + "\n";
  size_t width = 0;
  for (const CLI::App* c : commands) width = std::max(width, c->get_name().size());
  for (const CLI::App* c : commands)
    out += "  " + c->get_name() + std::string(width - c->get_name().size() + 2, ' ') + summary(c->get_description()) + "\n";
  out += "\n" + say(lang, CliMsg::UsageTail) + "\n";
  return out;
}

std::string unknown_command(const CLI::App& app, std::string_view word, Lang lang) {
  std::vector<std::string> names;
  for (const CLI::App* c : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (c->get_name() == word) return {};
    if (is_listed(c)) names.push_back(c->get_name());
  }
  std::string out;
  if (auto near = did_you_mean(word, names))
    out = say(lang, CliMsg::UnknownCommandNear, {{"word", std::string(word)}, {"near", *near}});
  else
    out = say(lang, CliMsg::UnknownCommand, {{"word", std::string(word)}});
  return out + "\n" + say(lang, CliMsg::UnknownCommandHint) + "\n";
}

}  // namespace pol::cli
