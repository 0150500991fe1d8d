// polc check FILE... — parse and type-check policies (and rules files), print diagnostics.
#include <cstdio>
#include <map>
#include <unistd.h>

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
  auto* cmd = app.add_subcommand("check", "Parse and type-check policy files; print every diagnostic.\n"
                                          "Exit 0 when clean, 1 when there are errors, 2 for usage errors.\n"
                                          "Example: polc check policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol");
  cmd->add_option("files", opts->files, "Policy files (.pol)")->required();
  cmd->add_option("--rules", opts->rules, "Rules files with parameter values, checked against the policy")->allow_extra_args(false);
  cmd->add_option("--set", opts->sets, "Override a parameter: NAME=VALUE")->allow_extra_args(false);
  cmd->add_flag("--dump-ast", opts->dump_ast, "Print the syntax tree");
  add_lang_option(cmd);
  cmd->add_flag("--dump-ir", opts->dump_ir, "Print the slot map and each item's instructions");
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
              std::fprintf(stderr, "%s: a test file (%zu tests); run it with `polc test %s`\n", f.c_str(),
                           file->tests.size(), f.c_str());
            } else {
              std::fprintf(stderr, "%s: rules for `%s`; check them against the policy with `polc check POLICY --rules %s`\n",
                           f.c_str(), file->rules[0].policy.text.c_str(), f.c_str());
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
          std::fprintf(stderr, "%s: ok (%zu clauses, %zu items, %zu portfolio rules)\n", f.c_str(),
                       lp->policy->clauses.size(), lp->policy->items.size(), lp->policy->rules.size());
        else
          for (const auto& v : lp->policy->versions) {
            std::string from;
            if (v.in_force_from != INT32_MIN) format_date(v.in_force_from, from);
            std::fprintf(stderr, "%s: ok — version %s%s%s\n", f.c_str(), v.name.c_str(),
                         from.empty() ? "" : ", in force from ", from.c_str());
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
