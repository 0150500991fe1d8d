// polc check FILE... — parse and type-check policies (and rules files), print diagnostics.
#include <cstdio>
#include <map>
#include <unistd.h>

#include "cli/cli_text.h"
#include "cli/commands.h"
#include "cli/lang_option.h"
#include "compiler/driver/compiled.h"
#include "compiler/driver/levels.h"
#include "compiler/driver/pipeline.h"
#include "compiler/parse/parse.h"
#include "runtime/input/records.h"
#include "values/date.h"

namespace pol::cli {

bool stderr_is_tty() { return isatty(2) != 0; }

void register_check(CLI::App& app, Registry& reg) {
  struct Opts {
    std::vector<std::string> files, rules, sets;
    bool dump_ast = false, dump_ir = false;
  };
  auto opts = std::make_shared<Opts>();
  const Lang lang = reg.lang;
  auto* cmd = app.add_subcommand("check", say(lang, CliMsg::HelpCheck));
  cmd->add_option("files", opts->files, say(lang, CliMsg::HelpCheckFiles))->required();
  cmd->add_option("--rules", opts->rules, say(lang, CliMsg::HelpCheckRules))->allow_extra_args(false);
  cmd->add_option("--set", opts->sets, say(lang, CliMsg::HelpSet))->allow_extra_args(false);
  cmd->add_flag("--dump-ast", opts->dump_ast, say(lang, CliMsg::HelpCheckDumpAst));
  add_lang_option(cmd, lang);
  cmd->add_flag("--dump-ir", opts->dump_ir, say(lang, CliMsg::HelpCheckDumpIr));
  cmd->callback([opts, &reg] {
    int errors = 0;
    // A revision is checked with the policy given before it: `polc check POLICY REVISION…`.
    std::vector<std::string> files;
    std::map<std::string, std::vector<std::string>> revisions_of;
    for (const auto& f : opts->files) {
      std::string text, error;
      if (!files.empty() && input::read_file(f, text, error) && text.find("revision") != std::string::npos) {
        SourceManager sm;
        Diagnostics diags;
        auto file = parse(sm.add(f, std::move(text)), sm, diags);
        if (file->revision) {
          revisions_of[files.back()].push_back(f);
          continue;
        }
      }
      files.push_back(f);
    }
    std::vector<std::unique_ptr<LoadedPolicy>> keep;
    std::vector<LoadedPolicy*> loaded;
    for (const auto& f : files) {
      // A test file or a rules file on its own is parsed, not checked as a policy.
      {
        SourceManager sm;
        Diagnostics diags;
        std::string text, error;
        if (input::read_file(f, text, error) && !is_compiled_policy(text)) {
          uint32_t id = sm.add(f, std::move(text));
          auto file = parse(id, sm, diags);
          bool tests = file->tests_for != nullptr, rules = !file->rules.empty();
          if (!file->policy && (tests || rules || diags.has_errors())) {
            std::fputs(render_all(diags, sm, terminal_render_options(stderr_is_tty())).c_str(), stderr);
            if (diags.has_errors()) {
              ++errors;
            } else if (tests) {
              say_err(reg.lang, CliMsg::CheckTestFile, {{"file", f}, {"count", std::to_string(file->tests.size())}});
            } else {
              say_err(reg.lang, CliMsg::CheckRulesFile, {{"file", f}, {"policy", file->rules[0].policy.text}});
            }
            if (opts->dump_ast) std::fputs(ast::dump(*file).c_str(), stdout);
            continue;
          }
        }
      }
      LoadOptions lo;
      lo.policy_path = f;
      lo.revision_paths = revisions_of[f];
      lo.rules_paths = opts->rules;
      lo.sets = opts->sets;
      auto lp = load_policy(lo);
      loaded.push_back(lp.get());
      lp->diags.sort_by_position();
      std::string out = render_all(lp->diags, lp->sources, terminal_render_options(stderr_is_tty()));
      std::fputs(out.c_str(), stderr);
      if (opts->dump_ast)
        for (const auto& file : lp->files) std::fputs(ast::dump(*file).c_str(), stdout);
      if (opts->dump_ir && lp->ok()) std::fputs(ir::dump(lp->program, *lp->policy).c_str(), stdout);
      if (lp->diags.has_errors()) ++errors;
      else if (!opts->dump_ast && !opts->dump_ir)
      {
        if (lp->policy->versions.empty())
          say_err(reg.lang, CliMsg::CheckOk,
                  {{"file", f}, {"clauses", std::to_string(lp->policy->clauses.size())},
                   {"items", std::to_string(lp->policy->items.size())}, {"rules", std::to_string(lp->policy->rules.size())}});
        else
          for (const auto& v : lp->policy->versions) {
            std::string from;
            if (v.in_force_from != INT32_MIN) format_date(v.in_force_from, from);
            if (from.empty()) say_err(reg.lang, CliMsg::CheckOkVersion, {{"file", f}, {"version", v.name}});
            else say_err(reg.lang, CliMsg::CheckOkVersionFrom, {{"file", f}, {"version", v.name}, {"date", from}});
          }
      }
      keep.push_back(std::move(lp));
    }
    // Policies of different levels checked together: what each says of the others holds.
    std::vector<LoadedPolicy*> good;
    for (auto* lp : loaded)
      if (lp->ok()) {
        lp->diags.clear();
        good.push_back(lp);
      }
    if (good.size() > 1 && !check_level_links(good)) {
      for (auto* lp : good) std::fputs(render_all(lp->diags, lp->sources, terminal_render_options(stderr_is_tty())).c_str(), stderr);
      ++errors;
    }
    reg.exit_code = errors ? 1 : 0;
  });
}

}  // namespace pol::cli
