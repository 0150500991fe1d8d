// The command reference for the man page and the bash completion; see reference.h.
#include "cli/reference.h"

#include <cctype>
#include <cstdio>
#include <memory>

#include "cli/cli_text.h"

namespace pol::cli {

namespace {

std::vector<const CLI::App*> listed(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* c) { return is_listed(c); });
}

bool is_help(const CLI::Option* o) {
  for (const auto& n : o->get_lnames())
    if (n == "help" || n == "help-all") return true;
  return false;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

// One line of roff text: backslashes and a leading control character escaped, and the hyphens
// of an option (--dump-ast: a word that starts with one) made minus signs, so it can be copied
// from the page; a hyphen inside a word (type-check) stays a hyphen.
std::string roff(const std::string& line) {
  std::string out;
  if (!line.empty() && (line[0] == '.' || line[0] == '\'')) out += "\\&";
  bool option = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    const bool starts_word = c == '-' && (i == 0 || !std::isalnum(static_cast<unsigned char>(line[i - 1])));
    if (starts_word) option = true;
    else if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') option = false;
    if (c == '\\') out += "\\e";
    else if (c == '-' && option) out += "\\-";
    else out += c;
  }
  return out;
}

// A description as --help shows it: prose in filled paragraphs, examples and indented lines as
// they are written.
void man_description(const std::string& text, std::string& out) {
  bool verbatim = false, paragraph = false;
  for (const std::string& line : lines_of(text)) {
    bool code = line.rfind("Example", 0) == 0 || line.rfind(' ', 0) == 0;
    if (code && !verbatim) {
      out += ".PP\n.nf\n";
      verbatim = true;
    } else if (!code && verbatim) {
      out += ".fi\n";
      verbatim = false;
      paragraph = false;
    }
    if (!code && (!paragraph || line.rfind("Exit", 0) == 0 || line.empty())) {
      out += ".PP\n";
      paragraph = true;
      if (line.empty()) continue;
    }
    out += roff(line) + "\n";
  }
  if (verbatim) out += ".fi\n";
}

void man_command(const CLI::App& command, const std::string& path, const CLI::Formatter& fmt, std::string& out) {
  out += ".SS \"" + roff(path) + "\"\n";
  std::string usage = fmt.make_usage(&command, path);
  usage = usage.substr(usage.find(':') + 2);
  while (!usage.empty() && usage.back() == '\n') usage.pop_back();
  out += ".B " + roff(usage) + "\n";
  man_description(command.get_description(), out);
  auto options = command.get_options([](const CLI::Option* o) { return !is_help(o) && !o->get_group().empty(); });
  for (bool positional : {true, false})
    for (const CLI::Option* o : options) {
      if (o->get_positional() != positional || (positional && o->nonpositional())) continue;
      out += ".TP\n";
      out += (positional ? "\\fI" : "\\fB") + roff(fmt.make_option_name(o, positional)) + "\\fR";
      out += roff(fmt.make_option_opts(o)) + "\n";
      for (const std::string& line : lines_of(o->get_description())) out += roff(line) + "\n";
    }
  for (const CLI::App* sub : listed(command)) man_command(*sub, path + " " + sub->get_name(), fmt, out);
}

// "TEXT:{json,csv,text}" -> "json csv text"; "" when the option takes any value.
std::string choices(const CLI::Option* o) {
  std::string t = o->get_type_name();
  size_t open = t.find(":{"), close = t.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return {};
  std::string list = t.substr(open + 2, close - open - 2);
  for (char& c : list)
    if (c == ',') c = ' ';
  return list;
}

struct BashTables {
  std::string subcommands, options, values;
};

void bash_command(const CLI::App& command, const std::string& path, BashTables& t) {
  std::string subs, opts;
  for (const CLI::App* sub : listed(command)) subs += (subs.empty() ? "" : " ") + sub->get_name();
  for (const CLI::Option* o : command.get_options([](const CLI::Option* o) { return o->nonpositional(); })) {
    if (o->get_group().empty()) continue;
    std::vector<std::string> names;
    for (const auto& s : o->get_snames()) names.push_back("-" + s);
    for (const auto& l : o->get_lnames()) names.push_back("--" + l);
    // The help flags of every command are flags to the script without a line each.
    const std::string values = is_help(o) ? "" : o->get_expected_max() == 0 ? "FLAG" : choices(o);
    for (const auto& n : names) {
      opts += (opts.empty() ? "" : " ") + n;
      if (!values.empty()) t.values += "    \"" + path + "|" + n + "\") echo \"" + values + "\" ;;\n";
    }
  }
  if (!subs.empty()) t.subcommands += "    \"" + path + "\") echo \"" + subs + "\" ;;\n";
  t.options += "    \"" + path + "\") echo \"" + opts + "\" ;;\n";
  for (const CLI::App* sub : listed(command))
    bash_command(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), t);
}

}  // namespace

bool is_listed(const CLI::App* command) { return !command->get_group().empty() && !command->get_name().empty(); }

std::string man_commands(const CLI::App& app) {
  auto fmt = std::dynamic_pointer_cast<CLI::Formatter>(app.get_formatter());
  if (!fmt) fmt = std::make_shared<CLI::Formatter>();
  std::string out;
  for (const CLI::App* c : listed(app)) man_command(*c, "polc " + c->get_name(), *fmt, out);
  return out;
}

std::string bash_tables(const CLI::App& app) {
  BashTables t;
  bash_command(app, "", t);
  return "# The commands and options of polc " /* generated: see cli/reference.h */
         "(generated from its command line by `polc reference bash`).\n"
         "# _polc_subcommands PATH: the subcommands of a command (\"\" for polc itself).\n"
         "_polc_subcommands() {\n  case \"$1\" in\n" + t.subcommands + "  esac\n}\n"
         "# _polc_options PATH: every option of a command.\n"
         "_polc_options() {\n  case \"$1\" in\n" + t.options + "  esac\n}\n"
         "# _polc_values PATH OPTION: FLAG when it takes no value, else its choices; nothing: any value.\n"
         "_polc_values() {\n  case \"$1|$2\" in\n" + t.values + "  esac\n}\n";
}

void register_reference(CLI::App& app, Registry& reg) {
  auto what = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("reference", say(reg.lang, CliMsg::HelpReference));
  cmd->group("");  // for the build, not listed
  cmd->add_option("what", *what, say(reg.lang, CliMsg::HelpReferenceWhat))->required()->check(CLI::IsMember({"man", "bash"}));
  cmd->callback([what, &reg, &app] {
    std::string text = *what == "man" ? man_commands(app) : bash_tables(app);
    std::fputs(text.c_str(), stdout);
    reg.exit_code = std::fflush(stdout) == 0 ? 0 : 2;
  });
}

}  // namespace pol::cli
