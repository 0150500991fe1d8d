// polc report — the decisions of a batch for programme staff (docs/reports.md): one self-contained
// HTML page for a director and, with --letters, one printable decision letter per application.
// The batch is decided exactly as `polc run` decides it (the batch-run API: history, ledger,
// several policies); the page and the letters are runtime/staff.
#include <cstdio>

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
  auto* cmd = app.add_subcommand(
      "report",
      "核定情况报告与告知书 — decides a batch exactly as `polc run` does and writes one self-contained HTML\n"
      "page for a director (-o): totals per item, year and status with bar charts, the caps that bound most\n"
      "often and how much they cut, why applications got nothing, and how much of each fund was used —\n"
      "Chinese headings, inline CSS and SVG, no script, nothing loaded from outside.\n"
      "With --letters DIR, also one printable A4 decision letter (核定结果告知书) per application,\n"
      "DIR/<application id>.html, with the amount in figures and in capitals (大写), each step of the\n"
      "explanation and the clause texts it rests on, and DIR/index.html listing them.\n"
      "Exit 0: written; 1: written, some applications had input errors; 2: usage or policy errors.\n"
      "Example: polc report policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol \\\n"
      "           examples/batch.jsonl -o report.html --letters letters/");
  add_policy_options(cmd, o->pol, &o->apps, "the applications: .jsonl, .csv, or - for standard input");
  cmd->add_option("--history", o->history, "Earlier grants: application fields plus `award` (.jsonl or .csv)");
  cmd->add_option("--input-format", o->input_format, "jsonl or csv for the applications (default: by file extension)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  cmd->add_option("--ledger", o->ledger,
                  "Grant ledger (SQLite file), read only: its grants count as history; applications it already\n"
                  "holds are shown as already decided (record decisions with `polc run --record`)");
  cmd->add_option("-o,--output", o->output, "The report page to write (HTML)")->required();
  cmd->add_option("--letters", o->letters, "Folder for one decision letter per application (created if missing)");
  cmd->add_flag("-q,--quiet", o->quiet, "No summary on stderr");
  cmd->callback([o, &reg] {
    if (o->history == "-" && o->apps == "-") {
      std::fprintf(stderr, "error: the history and the applications cannot both come from standard input\n");
      reg.exit_code = 2;
      return;
    }
    // The report must not be written over one of the inputs.
    if (!output_apart_from(o->output, inputs_of(o->pol, {o->apps, o->history, o->ledger}), "run")) {
      reg.exit_code = 2;
      return;
    }
    BatchRequest req;
    req.applications = o->apps;
    req.input_format = o->input_format;
    req.history = o->history;
    req.ledger = o->ledger;
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
      if (run.ledger) report_damaged(*run.ledger);
      warnings = &run.warnings;
    }
    for (const auto& w : *warnings)
      if (!o->quiet || w.find("warning") != std::string::npos) std::fprintf(stderr, "%s\n", w.c_str());
    if (!decided) {
      for (const auto& e : errors) std::fprintf(stderr, "error: %s\n", e.c_str());
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
    rr.applications = o->apps == "-" ? "标准输入" : o->apps;
    staff::ReportWritten written;
    std::string error;
    if (!staff::write_report(rr, n, at, written, error)) {
      std::fprintf(stderr, "error: %s\n", error.c_str());
      reg.exit_code = 2;
      return;
    }
    if (!o->quiet) {
      if (groups.size() > 1)
        for (const auto& r : levels.runs) std::fputs(batch_summary(*r.batch).c_str(), stderr);
      else
        std::fputs(batch_summary(*run.batch).c_str(), stderr);
      std::fprintf(stderr, "  report %s: %zu decision(s)", o->output.c_str(), written.decisions);
      if (!o->letters.empty()) std::fprintf(stderr, "; %zu letter(s) in %s", written.letters, o->letters.c_str());
      std::fprintf(stderr, "\n");
    }
    reg.exit_code = written.input_errors ? 1 : 0;
  });
}

}  // namespace pol::cli
