// Short usage and unknown commands; see usage.h.
#include "cli/usage.h"

#include <algorithm>
#include <cctype>

#include "cli/reference.h"
#include "compiler/diagnostics/suggest.h"

namespace pol::cli {

namespace {

// What a command does, in a few words: its description's first line up to a colon or the end
// of a sentence (not the full stop of "e.g. ").
std::string summary(const std::string& description) {
  std::string s = description.substr(0, description.find('\n'));
  for (size_t i = 0; i + 2 < s.size(); ++i)
    if ((s[i] == ':' || s[i] == '.') && s[i + 1] == ' ' && (s[i] == ':' || std::isupper(static_cast<unsigned char>(s[i + 2])))) {
      s.resize(i);
      break;
    }
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s.size() > 70) s = s.substr(0, s.rfind(' ', 70)) + " …";
  return s;
}

}  // namespace

std::string short_usage(const CLI::App& app) {
  auto commands = app.get_subcommands([](const CLI::App* c) { return is_listed(c); });
  std::string out = "usage: polc COMMAND [ARGS...]\n\ncommands:\n";
  size_t width = 0;
  for (const CLI::App* c : commands) width = std::max(width, c->get_name().size());
  for (const CLI::App* c : commands)
    out += "  " + c->get_name() + std::string(width - c->get_name().size() + 2, ' ') + summary(c->get_description()) + "\n";
  out += "\n`polc COMMAND --help` lists a command's options, `polc --help-all` those of every command\n";
  return out;
}

std::string unknown_command(const CLI::App& app, std::string_view word) {
  std::vector<std::string> names;
  for (const CLI::App* c : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (c->get_name() == word) return {};
    if (is_listed(c)) names.push_back(c->get_name());
  }
  std::string out = "error: unknown command `" + std::string(word) + "`";
  if (auto near = did_you_mean(word, names)) out += "; did you mean `" + *near + "`?";
  return out + "\nrun `polc` for the list of commands\n";
}

}  // namespace pol::cli
