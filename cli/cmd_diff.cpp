// polc diff — what a policy change costs on a batch (docs/diff.md): the same applications
// decided under an old and a new policy, the decisions that change, totals per item, year and
// enterprise, and the rules that differ. The command only parses options and picks a writer;
// the comparison is runtime/diff.
#include <cstdio>

#include "cli/commands.h"
#include "cli/session.h"
#include "runtime/diff/diff.h"

namespace pol::cli {
namespace {

std::string set_name(const std::string& s) { return s.substr(0, s.find('=')); }

// How a side is named in the report: the file, its rules files and --set values.
std::string describe(const PolicyOptions& o) {
  std::string s = o.policy;
  for (const auto& r : o.revisions) s += " " + r;
  for (const auto& r : o.rules) s += " --rules " + r;
  for (const auto& v : o.sets) s += " --set " + v;
  return s;
}

}  // namespace

void register_diff(CLI::App& app, Registry& reg) {
  struct Opts {
    PolicyOptions old_pol;
    std::string new_policy, apps, history, input_format, format = "text", output;
    std::vector<std::string> new_rules, new_sets, new_revisions;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand(
      "diff",
      "What a policy change costs: decides the same applications under the old policy (POLICY with its\n"
      "--rules and --set) and the new one, and lists the decisions that change, the totals per item, year\n"
      "and enterprise, and the rules that differ between the two policies.\n"
      "The new policy is POLICY again with --new-rules in place of --rules and --new-set values added to the\n"
      "--set values (same name: the new value), or, with --new, another policy (source or compiled) with only\n"
      "its own --new-rules and --new-set.\n"
      "Exit 0: compared; 1: some applications had input errors (the rest compared); 2: usage or policy errors.\n"
      "Examples: polc diff policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol \\\n"
      "            --new-set annual_budget=4000000 examples/batch.jsonl\n"
      "          polc diff old.polc --new new.polc apps.jsonl --format html -o report.html");
  // The old policy's options are declared here rather than by add_policy_options: the command
  // has two policies, and its positionals are exactly POLICY and APPLICATIONS.
  cmd->add_option("policy", o->old_pol.policy, "The old policy (.pol or compiled)")->required();
  cmd->add_option("--rules", o->old_pol.rules, "Rules file(s) of the old policy")->allow_extra_args(false);
  cmd->add_option("--set", o->old_pol.sets, "A parameter of the old policy: NAME=VALUE")->allow_extra_args(false);
  cmd->add_option("applications", o->apps, "Applications: .jsonl or .csv (read once per policy, so not stdin)")->required();
  cmd->add_option("--new", o->new_policy, "The new policy (.pol or compiled); default: POLICY itself");
  cmd->add_option("--new-rules", o->new_rules, "Rules file(s) of the new policy (default without --new: --rules)")
      ->allow_extra_args(false);
  cmd->add_option("--new-set", o->new_sets, "A parameter of the new policy: NAME=VALUE (e.g. annual_budget=4000000)")
      ->allow_extra_args(false);
  cmd->add_option("--new-revision", o->new_revisions,
                  "A revision of POLICY (.pol): the new policy is POLICY as the revision amends it, every application\n"
                  "judged by the text in force on its date (repeatable, in the order they take effect)")
      ->allow_extra_args(false);
  cmd->add_option("--history", o->history, "Earlier grants, counted under both policies (.jsonl or .csv)");
  cmd->add_option("--input-format", o->input_format, "jsonl, csv or xlsx for the applications (default: by file extension)")
      ->check(CLI::IsMember({"jsonl", "csv", "xlsx"}));
  cmd->add_option("--format", o->format, "text (default, for staff), json (one document), csv (one row per changed\n"
                                         "application) or html (one self-contained page with charts)")
      ->check(CLI::IsMember({"text", "json", "csv", "html"}));
  cmd->add_option("-o,--output", o->output, "Write the report to FILE instead of standard output");
  cmd->callback([o, &reg] {
    PolicyOptions new_pol;
    if (!o->new_policy.empty()) {
      new_pol.policy = o->new_policy;
      new_pol.rules = o->new_rules;
      new_pol.sets = o->new_sets;
    } else {
      if (o->new_rules.empty() && o->new_sets.empty() && o->new_revisions.empty()) {
        std::fprintf(stderr, "error: nothing to compare: give the new policy with --new, --new-revision, --new-rules or --new-set\n");
        reg.exit_code = 2;
        return;
      }
      new_pol.policy = o->old_pol.policy;
      new_pol.revisions = o->new_revisions;
      new_pol.rules = o->new_rules.empty() ? o->old_pol.rules : o->new_rules;
      for (const auto& s : o->old_pol.sets) {
        bool replaced = false;
        for (const auto& n : o->new_sets) replaced |= set_name(n) == set_name(s);
        if (!replaced) new_pol.sets.push_back(s);
      }
      new_pol.sets.insert(new_pol.sets.end(), o->new_sets.begin(), o->new_sets.end());
    }
    if (!o->output.empty()) {
      std::vector<std::string> inputs = {o->old_pol.policy, new_pol.policy, o->apps, o->history};
      inputs.insert(inputs.end(), o->old_pol.rules.begin(), o->old_pol.rules.end());
      inputs.insert(inputs.end(), new_pol.rules.begin(), new_pol.rules.end());
      if (!output_apart_from(o->output, inputs, "comparison")) {
        reg.exit_code = 2;
        return;
      }
    }
    auto before = load_and_report(o->old_pol);
    auto after = load_and_report(new_pol);
    if (!before || !after) {
      reg.exit_code = 2;
      return;
    }
    BatchRequest req;
    req.applications = o->apps;
    req.input_format = o->input_format;
    req.history = o->history;
    diff::BatchDiff d;
    d.old_label = describe(o->old_pol);
    d.new_label = describe(new_pol);
    std::vector<std::string> errors;
    bool compared = diff::diff_on_batch(*before, *after, req, d, errors);
    for (const auto& w : d.warnings) std::fprintf(stderr, "%s\n", w.c_str());
    if (!compared) {
      for (const auto& e : errors) std::fprintf(stderr, "error: %s\n", e.c_str());
      reg.exit_code = 2;
      return;
    }
    std::string report = o->format == "json"  ? diff::write_json(d)
                         : o->format == "csv"  ? diff::write_csv(d)
                         : o->format == "html" ? diff::write_html(d)
                                               : diff::write_text(d);
    FILE* out = o->output.empty() ? stdout : std::fopen(o->output.c_str(), "wb");
    if (!out) {
      std::fprintf(stderr, "error: cannot write `%s`\n", o->output.c_str());
      reg.exit_code = 2;
      return;
    }
    std::fwrite(report.data(), 1, report.size(), out);
    bool failed = std::fflush(out) != 0 || std::ferror(out) != 0;
    if (out != stdout) failed |= std::fclose(out) != 0;
    if (failed) {
      std::fprintf(stderr, "error: writing the report failed\n");
      reg.exit_code = 2;
      return;
    }
    reg.exit_code = d.any_input_errors() ? 1 : 0;
  });
}

}  // namespace pol::cli
