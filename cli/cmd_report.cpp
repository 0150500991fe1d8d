// polc report — the decisions of a batch for programme staff (docs/reports.md): one self-contained
// HTML page for a director and, with --letters, one printable decision letter per application.
// The batch is decided exactly as `polc run` decides it (the batch-run API: history, ledger,
// several policies); the page and the letters are runtime/staff.
#include <cstdio>

#include "cli/cli_text.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "runtime/explain/explain.h"
#include "runtime/run/batch_run.h"
#include "runtime/staff/report.h"

namespace pol::cli {

void register_report(CLI::App& app, Registry& reg) {
  struct Opts {
    PolicyOptions pol;
    std::string apps, history, input_format, ledger, output, letters;
    bool quiet = false;
  };
  auto o = std::make_shared<Opts>();
  const Lang lang = reg.lang;
  auto* cmd = app.add_subcommand("report", say(lang, CliMsg::HelpReport));
  add_policy_options(cmd, o->pol, lang, &o->apps, say(lang, CliMsg::HelpReportApplications));
  cmd->add_option("--history", o->history, say(lang, CliMsg::HelpReportHistory));
  cmd->add_option("--input-format", o->input_format, say(lang, CliMsg::HelpReportInputFormat))
      ->check(CLI::IsMember({"jsonl", "csv"}));
  cmd->add_option("--ledger", o->ledger,
                  say(lang, CliMsg::HelpReportLedger));
  cmd->add_option("-o,--output", o->output, say(lang, CliMsg::HelpReportOutput))->required();
  cmd->add_option("--letters", o->letters, say(lang, CliMsg::HelpReportLetters));
  cmd->add_flag("-q,--quiet", o->quiet, say(lang, CliMsg::HelpQuiet));
  cmd->callback([o, &reg] {
    if (o->history == "-" && o->apps == "-") {
      say_err(reg.lang, CliMsg::HistoryAndAppsFromStdin);
      reg.exit_code = 2;
      return;
    }
    // The report must not be written over one of the inputs.
    if (!output_apart_from(o->output, inputs_of(o->pol, {o->apps, o->history, o->ledger}), CliMsg::OutputIsInputRun, reg.lang)) {
      reg.exit_code = 2;
      return;
    }
    BatchRequest req;
    req.applications = o->apps;
    req.input_format = o->input_format;
    req.history = o->history;
    req.ledger = o->ledger;
    req.lang = reg.lang;
    std::vector<std::string> errors;
    // Decided as `polc run` decides: one policy (with its revisions), or several levels together.
    std::vector<PolicyOptions> groups = policy_groups(o->pol);
    std::vector<std::unique_ptr<LoadedPolicy>> policies;
    BatchRun run;
    LevelsRun levels;
    bool decided = false;
    std::vector<std::string>* warnings = nullptr;
    if (groups.size() > 1) {
      policies = load_all_and_report(groups);
      if (policies.empty()) {
        reg.exit_code = 2;
        return;
      }
      std::vector<const LoadedPolicy*> lps;
      for (const auto& lp : policies) lps.push_back(lp.get());
      decided = decide_levels(lps, req, levels, errors);
      warnings = &levels.warnings;
    } else {
      policies.push_back(load_and_report(o->pol));
      if (!policies.back()) {
        reg.exit_code = 2;
        return;
      }
      decided = decide_batch(*policies.back(), req, run, errors);
      if (run.ledger) report_damaged(*run.ledger, reg.lang);
      warnings = &run.warnings;
    }
    for (const auto& w : *warnings)
      if (!o->quiet || is_warning(w)) std::fprintf(stderr, "%s\n", w.c_str());
    if (!decided) {
      for (const auto& e : errors) error_line(reg.lang, e);
      reg.exit_code = 2;
      return;
    }
    size_t n = groups.size() > 1 ? levels.merged.size() : run.batch->apps.size();
    staff::DecisionAt at = [&](size_t k) -> std::pair<Batch*, uint32_t> {
      if (groups.size() > 1) return {levels.runs[levels.merged[k].first].batch.get(), levels.merged[k].second};
      return {run.batch.get(), static_cast<uint32_t>(k)};
    };
    staff::ReportRequest rr;
    rr.output = o->output;
    rr.letters_dir = o->letters;
    rr.lang = reg.lang;
    rr.applications = o->apps == "-" ? "标准输入" : o->apps;
    staff::ReportWritten written;
    std::string error;
    if (!staff::write_report(rr, n, at, written, error)) {
      error_line(reg.lang, error);
      reg.exit_code = 2;
      return;
    }
    if (!o->quiet) {
      if (groups.size() > 1)
        for (const auto& r : levels.runs) std::fputs(batch_summary(*r.batch, reg.lang).c_str(), stderr);
      else
        std::fputs(batch_summary(*run.batch, reg.lang).c_str(), stderr);
      if (o->letters.empty())
        say_err(reg.lang, CliMsg::ReportWritten, {{"file", o->output}, {"count", std::to_string(written.decisions)}});
      else
        say_err(reg.lang, CliMsg::ReportWrittenLetters,
                {{"file", o->output}, {"count", std::to_string(written.decisions)},
                 {"letters", std::to_string(written.letters)}, {"dir", o->letters}});
    }
    reg.exit_code = written.input_errors ? 1 : 0;
  });
}

}  // namespace pol::cli
