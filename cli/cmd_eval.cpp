// polc eval — the decision for one application (no history), with its explanation.
#include <cstdio>

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
  auto* cmd = app.add_subcommand(
      "eval",
      "Decide one application (a JSON object; no history) and explain the amount: each condition,\n"
      "the arithmetic, the cap and the group cap that bound it, each naming its clause.\n"
      "Exit 0: decided; 1: the application has input errors; 2: usage or policy errors.\n"
      "Example: polc eval policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol examples/application.json");
  add_policy_options(cmd, o->pol, &o->application, "the application: a JSON object (file, or - for stdin)");
  cmd->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([o, &reg] {
    if (policy_groups(o->pol).size() > 1) {
      std::fprintf(stderr, "error: eval decides one application of one policy; to decide policies of different levels "
                           "together use `polc run POLICY POLICY2 APPLICATIONS` (the other level's grants may also come "
                           "from --history in `polc run`)\n");
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
    BatchRun run;
    std::vector<std::string> problems;
    if (!decide_batch(*lp, req, run, problems)) {
      for (const auto& e : problems) std::fprintf(stderr, "error: %s\n", e.c_str());
      reg.exit_code = 2;
      return;
    }
    Batch& batch = *run.batch;
    Explainer ex(batch);
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
          out += "  原文（" + cite_clause(clause->number) + "「" + clause->title + "」）：" + clause->text + "\n";
      }
    }
    std::fputs(out.c_str(), stdout);
    if (!flush_stdout()) {
      reg.exit_code = 2;
      return;
    }
    reg.exit_code = errors ? 1 : 0;
  });
}

}  // namespace pol::cli
