// polc eval — the decision for one application (no history), with its explanation.
#include <cstdio>

#include "cli/cli_text.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "runtime/run/batch_run.h"
#include "runtime/explain/explain.h"

namespace pol::cli {

void register_eval(CLI::App& app, Registry& reg) {
  struct Opts {
    PolicyOptions pol;
    std::string application, format = "text";
  };
  auto o = std::make_shared<Opts>();
  const Lang lang = reg.lang;
  auto* cmd = app.add_subcommand("eval", say(lang, CliMsg::HelpEval));
  add_policy_options(cmd, o->pol, lang, &o->application, say(lang, CliMsg::HelpEvalApplication));
  cmd->add_option("--format", o->format, say(lang, CliMsg::HelpFormatTextJson))->check(CLI::IsMember({"text", "json"}));
  cmd->callback([o, &reg] {
    if (policy_groups(o->pol).size() > 1) {
      say_err(reg.lang, CliMsg::EvalOnePolicy);
      reg.exit_code = 2;
      return;
    }
    auto lp = load_and_report(o->pol);
    if (!lp) {
      reg.exit_code = 2;
      return;
    }
    BatchRequest req;
    req.applications = o->application;
    req.input_format = "jsonl";
    req.one_application = true;
    req.lang = reg.lang;
    BatchRun run;
    std::vector<std::string> problems;
    if (!decide_batch(*lp, req, run, problems)) {
      for (const auto& e : problems) error_line(reg.lang, e);
      reg.exit_code = 2;
      return;
    }
    Batch& batch = *run.batch;
    Explainer ex(batch);
    ex.set_lang(reg.lang);  // input errors in the language asked for
    std::string out;
    bool errors = false;
    for (uint32_t i = 0; i < batch.apps.size(); ++i) {
      errors |= batch.decisions[i].status == Status::Error;
      if (o->format == "json") ex.json_line(i, out);
      else {
        ex.text_block(i, out);
        // The sentence the decision rests on, so a reviewer can read it beside the arithmetic.
        const Application& app = batch.apps[i];
        const ClauseInfo* clause = app.item >= 0 && batch.decisions[i].status != Status::Error
                                       ? lp->policy->clause_of_item(app.item)
                                       : nullptr;
        if (clause && !clause->text.empty())
          out += say(reg.lang, CliMsg::EvalClauseText,
                     {{"clause", cite_clause(clause->number)}, {"title", clause->title}, {"text", clause->text}}) + "\n";
      }
    }
    std::fputs(out.c_str(), stdout);
    if (!flush_stdout(reg.lang)) {
      reg.exit_code = 2;
      return;
    }
    reg.exit_code = errors ? 1 : 0;
  });
}

}  // namespace pol::cli
