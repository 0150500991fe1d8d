// polc: the Pol command line. Subcommands live in their own files (cmd_*.cpp); this file
// only wires them into CLI11 and maps outcomes to exit codes (0 ok, 1 findings, 2 usage).
// The language (--lang anywhere on the line, else POL_LANG or the locale) is chosen first, since
// every help text is built in it when the commands are registered.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "cli/cli_text.h"
#include "cli/commands.h"
#include "cli/lang_option.h"
#include "cli/reference.h"
#include "cli/usage.h"
#include "cli/version.h"

namespace {

// The value of `--lang X` / `--lang=X` wherever it is on the line (before `--`); nullopt when not given.
std::optional<std::string> lang_argument(int argc, char** argv) {
  std::optional<std::string> value;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) break;
    if (std::strcmp(argv[i], "--lang") == 0 && i + 1 < argc) value = argv[++i];
    else if (std::strncmp(argv[i], "--lang=", 7) == 0) value = argv[i] + 7;
  }
  return value;
}

// The first argument that is not --lang or its value: the command's name, an option, or null.
const char* first_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--lang") == 0) ++i;
    else if (std::strncmp(argv[i], "--lang=", 7) != 0) return argv[i];
  }
  return nullptr;
}

// CLI11's own words in its help pages.
void set_labels(CLI::App& app, pol::Lang lang) {
  using pol::CliMsg;
  using pol::cli::say;
  auto f = app.get_formatter();
  f->label("Usage", say(lang, CliMsg::LabelUsage));
  f->label("OPTIONS", say(lang, CliMsg::LabelOptions));
  f->label("Positionals", say(lang, CliMsg::LabelPositionals));
  f->label("POSITIONALS", say(lang, CliMsg::LabelPositionals));
  f->label("SUBCOMMAND", say(lang, CliMsg::LabelSubcommand));
  f->label("SUBCOMMANDS", say(lang, CliMsg::LabelSubcommands));
  f->label("REQUIRED", say(lang, CliMsg::LabelRequired));
  f->label("Needs", say(lang, CliMsg::LabelNeeds));
  f->label("Excludes", say(lang, CliMsg::LabelExcludes));
  app.option_defaults()->group(say(lang, CliMsg::LabelOptionsGroup));
}

// The listed commands' group, the heading they are shown under in --help.
void set_command_groups(CLI::App& app, const std::string& heading) {
  for (CLI::App* sub : app.get_subcommands([](const CLI::App* c) { return pol::cli::is_listed(c); })) {
    sub->group(heading);
    set_command_groups(*sub, heading);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using pol::CliMsg;
  using pol::cli::say;
  if (auto value = lang_argument(argc, argv)) {
    if (*value != "zh" && *value != "en") {
      pol::cli::say_err(pol::Lang::En, CliMsg::BadLang, {{"value", *value}});
      pol::cli::say_err(pol::Lang::Zh, CliMsg::BadLang, {{"value", *value}});
      return 2;
    }
    setenv("POL_LANG", value->c_str(), 1);
  }
  pol::cli::Registry reg;
  const char* word = first_word(argc, argv);
  // `polc reference man|bash` writes the files the build installs: always in English, whatever
  // the builder's locale.
  const bool reference = word && std::strcmp(word, "reference") == 0;
  reg.lang = reference ? pol::Lang::En : pol::lang_from_environment();
  const pol::Lang lang = reg.lang;

  CLI::App app{say(lang, CliMsg::HelpApp)};
  set_labels(app, lang);
  app.require_subcommand(1);
  app.set_help_flag("-h,--help", say(lang, CliMsg::HelpHelpFlag));
  app.set_help_all_flag("--help-all", say(lang, CliMsg::HelpHelpAll));
  app.set_version_flag("--version", pol::cli::version_text(), say(lang, CliMsg::HelpVersionFlag));
  pol::cli::register_check(app, reg);
  pol::cli::register_compile(app, reg);
  pol::cli::register_eval(app, reg);
  pol::cli::register_run(app, reg);
  pol::cli::register_diff(app, reg);
  pol::cli::register_report(app, reg);
  pol::cli::register_explain(app, reg);
  pol::cli::register_test(app, reg);
  pol::cli::register_ledger(app, reg);
  pol::cli::register_version(app, reg);
  pol::cli::register_reference(app, reg);
  pol::cli::add_lang_option_everywhere(&app, lang);
  set_command_groups(app, say(lang, CliMsg::LabelSubcommandsGroup));
  // Bare `polc` and a mistyped command get a short answer, not CLI11's error wall.
  if (!word) {
    std::fputs(pol::cli::short_usage(app, lang).c_str(), stderr);
    return 2;
  }
  if (word[0] != '-') {
    if (std::string unknown = pol::cli::unknown_command(app, word, lang); !unknown.empty()) {
      std::fputs(unknown.c_str(), stderr);
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  return reg.exit_code;
}
