// polc run — evaluate a batch of applications against a policy and its history
// (INTERPRETATION §4): one decision per line in input order, a summary on stderr.
#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "cli/session.h"
#include "runtime/explain/explain.h"

namespace pol::cli {

void register_run(CLI::App& app, Registry& reg) {
  struct Opts {
    std::string policy, apps, history, input_format, format = "json", output;
    std::vector<std::string> rules, sets;
    bool quiet = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand(
      "run",
      "Evaluate a batch of applications (JSON Lines or CSV) with portfolio rules: group caps, quotas,\n"
      "one-off keys, no double support and total control, counting the history of earlier grants.\n"
      "Writes one decision per line in input order; a summary goes to stderr.\n"
      "Exit 0: all evaluated; 1: some applications had input errors (the rest decided); 2: usage or policy errors.\n"
      "Example: polc run policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol \\\n"
      "           --set annual_budget=4000000 --history grants.jsonl examples/batch.jsonl");
  cmd->add_option("policy", o->policy, "The policy (.pol)")->required();
  cmd->add_option("applications", o->apps, "Applications: .jsonl, .csv, or - for standard input")->required();
  cmd->add_option("--rules", o->rules, "Rules file(s) with the implementation-rule parameter values");
  cmd->add_option("--set", o->sets, "Override a parameter for this run: NAME=VALUE (e.g. annual_budget=4000000)");
  cmd->add_option("--history", o->history, "Earlier grants: application fields plus `award` (.jsonl or .csv)");
  cmd->add_option("--input-format", o->input_format, "jsonl or csv (default: by file extension)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  cmd->add_option("--format", o->format, "Output: json (default, one line per decision), csv, or text")
      ->check(CLI::IsMember({"json", "csv", "text"}));
  cmd->add_option("-o,--output", o->output, "Write decisions to FILE instead of standard output");
  cmd->add_flag("-q,--quiet", o->quiet, "No summary on stderr");
  cmd->callback([o, &reg] {
    auto lp = load_and_report(o->policy, o->rules, o->sets, true);
    if (!lp) {
      reg.exit_code = 2;
      return;
    }
    Batch batch(*lp->policy, lp->program);
    if (!o->history.empty()) {
      std::vector<std::string> errors;
      if (!read_history(o->history, o->input_format, batch, errors)) {
        for (const auto& e : errors) std::fprintf(stderr, "error: history %s\n", e.c_str());
        std::fprintf(stderr, "error: the history has %zu bad record(s); nothing was decided\n", errors.size());
        reg.exit_code = 2;
        return;
      }
    }
    std::string error;
    if (!read_applications(o->apps, o->input_format, batch, error)) {
      std::fprintf(stderr, "error: %s\n", error.c_str());
      reg.exit_code = 2;
      return;
    }
    evaluate(batch);
    FILE* out = stdout;
    if (!o->output.empty()) {
      out = std::fopen(o->output.c_str(), "wb");
      if (!out) {
        std::fprintf(stderr, "error: cannot write `%s`\n", o->output.c_str());
        reg.exit_code = 2;
        return;
      }
    }
    Explainer ex(batch);
    std::string buf;
    buf.reserve(1 << 20);
    if (o->format == "csv") Explainer::csv_header(buf);
    bool input_errors = false;
    for (uint32_t i = 0; i < batch.apps.size(); ++i) {
      input_errors |= batch.decisions[i].status == Status::Error;
      if (o->format == "json") ex.json_line(i, buf);
      else if (o->format == "csv") ex.csv_row(i, buf);
      else {
        ex.text_block(i, buf);
        buf += '\n';
      }
      if (buf.size() > (1 << 20) - 65536) {
        std::fwrite(buf.data(), 1, buf.size(), out);
        buf.clear();
      }
    }
    std::fwrite(buf.data(), 1, buf.size(), out);
    bool write_failed = std::ferror(out) != 0;
    if (out != stdout) write_failed |= std::fclose(out) != 0;
    else std::fflush(stdout);
    if (write_failed) {
      std::fprintf(stderr, "error: writing the decisions failed\n");
      reg.exit_code = 2;
      return;
    }
    if (!o->quiet) std::fputs(batch_summary(batch).c_str(), stderr);
    reg.exit_code = input_errors ? 1 : 0;
  });
}

}  // namespace pol::cli
