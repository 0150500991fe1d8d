// polc diff — what a policy change costs on a batch (docs/diff.md): the same applications
// decided under an old and a new policy, the decisions that change, totals per item, year and
// enterprise, and the rules that differ. The command only parses options and picks a writer;
// the comparison is runtime/diff.
#include <cstdio>

#include "cli/cli_text.h"
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
  const Lang lang = reg.lang;
  auto* cmd = app.add_subcommand("diff", say(lang, CliMsg::HelpDiff));
  cmd->add_option("policy", o->old_pol.policy, say(lang, CliMsg::HelpDiffPolicy))->required();
  cmd->add_option("--rules", o->old_pol.rules, say(lang, CliMsg::HelpDiffRules))->allow_extra_args(false);
  cmd->add_option("--set", o->old_pol.sets, say(lang, CliMsg::HelpDiffSet))->allow_extra_args(false);
  cmd->add_option("applications", o->apps, say(lang, CliMsg::HelpDiffApplications))->required();
  cmd->add_option("--new", o->new_policy, say(lang, CliMsg::HelpDiffNew));
  cmd->add_option("--new-rules", o->new_rules, say(lang, CliMsg::HelpDiffNewRules))
      ->allow_extra_args(false);
  cmd->add_option("--new-set", o->new_sets, say(lang, CliMsg::HelpDiffNewSet))
      ->allow_extra_args(false);
  cmd->add_option("--new-revision", o->new_revisions,
                  say(lang, CliMsg::HelpDiffNewRevision))
      ->allow_extra_args(false);
  cmd->add_option("--history", o->history, say(lang, CliMsg::HelpDiffHistory));
  cmd->add_option("--input-format", o->input_format, say(lang, CliMsg::HelpDiffInputFormat))
      ->check(CLI::IsMember({"jsonl", "csv", "xlsx"}));
  cmd->add_option("--format", o->format, say(lang, CliMsg::HelpDiffFormat))
      ->check(CLI::IsMember({"text", "json", "csv", "html"}));
  cmd->add_option("-o,--output", o->output, say(lang, CliMsg::HelpDiffOutput));
  cmd->callback([o, &reg] {
    PolicyOptions new_pol;
    if (!o->new_policy.empty()) {
      new_pol.policy = o->new_policy;
      new_pol.rules = o->new_rules;
      new_pol.sets = o->new_sets;
    } else {
      if (o->new_rules.empty() && o->new_sets.empty() && o->new_revisions.empty()) {
        say_err(reg.lang, CliMsg::DiffNothingToCompare);
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
      if (!output_apart_from(o->output, inputs, CliMsg::OutputIsInputComparison, reg.lang)) {
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
    req.lang = reg.lang;
    diff::BatchDiff d;
    d.old_label = describe(o->old_pol);
    d.new_label = describe(new_pol);
    d.lang = reg.lang;  // input errors in the language asked for
    std::vector<std::string> errors;
    bool compared = diff::diff_on_batch(*before, *after, req, d, errors);
    for (const auto& w : d.warnings) std::fprintf(stderr, "%s\n", w.c_str());
    if (!compared) {
      for (const auto& e : errors) error_line(reg.lang, e);
      reg.exit_code = 2;
      return;
    }
    std::string report = o->format == "json"  ? diff::write_json(d)
                         : o->format == "csv"  ? diff::write_csv(d)
                         : o->format == "html" ? diff::write_html(d)
                                               : diff::write_text(d);
    FILE* out = o->output.empty() ? stdout : std::fopen(o->output.c_str(), "wb");
    if (!out) {
      say_err(reg.lang, CliMsg::CannotWrite, {{"file", o->output}});
      reg.exit_code = 2;
      return;
    }
    std::fwrite(report.data(), 1, report.size(), out);
    bool failed = std::fflush(out) != 0 || std::ferror(out) != 0;
    if (out != stdout) failed |= std::fclose(out) != 0;
    if (failed) {
      say_err(reg.lang, CliMsg::DiffWritingFailed);
      reg.exit_code = 2;
      return;
    }
    reg.exit_code = d.any_input_errors() ? 1 : 0;
  });
}

}  // namespace pol::cli
