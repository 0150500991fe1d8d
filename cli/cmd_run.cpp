// polc run — evaluate a batch of applications against a policy and its history
// (docs/interpretation.md §4): one decision per line in input order, a summary on stderr.
// With --ledger the earlier grants also come from the grant ledger and applications already
// recorded there are not decided again; with --record this batch's decisions are recorded in
// one transaction (docs/ledger.md).
#include <cstdio>
#include <functional>
#include <fstream>
#include <unordered_map>

#include "cli/commands.h"
#include "cli/progress_line.h"
#include "cli/session.h"
#include "runtime/explain/explain.h"
#include "runtime/ledger/ledger.h"
#include "runtime/run/batch_run.h"
#include "runtime/staff/xlsx.h"

namespace pol::cli {

namespace {

// Writes the decisions at positions 0..n-1 (at(i): the batch and the application) in the chosen
// form; false when writing failed. input_errors: whether any was an input error. xlsx: a workbook
// is a zip archive written by name (`path`), so `out` is only closed.
bool write_decisions(FILE* out, const std::string& path, const std::string& format, const std::string& explain, size_t n,
                     const std::function<std::pair<Batch*, uint32_t>(size_t)>& at, bool& input_errors) {
  if (format == "xlsx") {
    if (out != stdout && std::fclose(out) != 0) return false;
    std::string error;
    if (staff::write_decisions_xlsx(path, n, at, input_errors, error)) return true;
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return false;
  }
  std::vector<std::pair<Batch*, std::unique_ptr<Explainer>>> explainers;  // one per batch, reused
  auto explainer = [&](Batch* b) -> Explainer& {
    for (auto& [batch, ex] : explainers)
      if (batch == b) return *ex;
    auto ex = std::make_unique<Explainer>(*b);
    ex->set_detail(explain == "none" ? Explainer::Detail::None : explain == "brief" ? Explainer::Detail::Brief
                                                                                   : Explainer::Detail::Full);
    explainers.emplace_back(b, std::move(ex));
    return *explainers.back().second;
  };
  std::string buf;
  buf.reserve(1 << 20);
  if (format == "csv") Explainer::csv_header(buf);
  input_errors = false;
  for (size_t k = 0; k < n; ++k) {
    auto [batch, i] = at(k);
    Explainer& ex = explainer(batch);
    input_errors |= batch->decisions[i].status == Status::Error;
    if (format == "json") ex.json_line(i, buf);
    else if (format == "csv") ex.csv_row(i, buf);
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
  bool write_failed = std::fflush(out) != 0 || std::ferror(out) != 0;
  if (out != stdout) write_failed |= std::fclose(out) != 0;
  return !write_failed;
}

}  // namespace


void register_run(CLI::App& app, Registry& reg) {
  struct Opts {
    PolicyOptions pol;
    std::string apps, history, input_format, format = "json", output, ledger, explain = "full";
    std::string encoding, sheet;  // of the applications file (CSV; .xlsx)
    bool quiet = false, record = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand(
      "run",
      "Evaluate a batch of applications (JSON Lines, CSV in UTF-8 or GBK, or an .xlsx sheet) with portfolio\n"
      "rules: group caps, quotas, one-off keys, no double support and total control, counting the history\n"
      "of earlier grants.\n"
      "Writes one decision per line in input order; a summary goes to stderr.\n"
      "Exit 0: all evaluated; 1: some applications had input errors (the rest decided); 2: usage or policy errors.\n"
      "Example: polc run policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol \\\n"
      "           --set annual_budget=4000000 --history grants.jsonl examples/batch.jsonl\n"
      "With the grant ledger (SQLite; see `polc ledger --help`):\n"
      "         polc run policies/longgang_ai_2025.pol round2.jsonl --rules policies/longgang_ai_2025_rules.pol \\\n"
      "           --ledger grants.db --record");
  add_policy_options(cmd, o->pol, &o->apps, "the applications: .jsonl, .csv, .xlsx, or - for standard input");
  cmd->add_option("--history", o->history, "Earlier grants: application fields plus `award` (.jsonl, .csv or .xlsx)");
  cmd->add_option("--input-format", o->input_format, "jsonl, csv or xlsx for the applications (default: by file extension; the history always by its extension)")
      ->check(CLI::IsMember({"jsonl", "csv", "xlsx"}));
  cmd->add_option("--encoding", o->encoding, "Of CSV applications: utf-8, gbk or gb18030 (default: UTF-8 if the file is\n"
                                             "valid UTF-8, else GB18030/GBK; a file that is neither is refused)")
      ->check(CLI::IsMember({"utf-8", "utf8", "gbk", "gb18030"}, CLI::ignore_case));
  cmd->add_option("--sheet", o->sheet, "Of .xlsx applications: the sheet to read (default: the first sheet)");
  cmd->add_option("--format", o->format, "Output: json (default, one line per decision), csv, text, or xlsx (an Excel\n"
                                         "workbook for staff: a decisions sheet and a summary sheet; needs -o FILE.xlsx)")
      ->check(CLI::IsMember({"json", "csv", "text", "xlsx"}));
  cmd->add_option("-o,--output", o->output, "Write decisions to FILE instead of standard output");
  cmd->add_option("--explain", o->explain,
                  "JSON explanations: full (default: every step with its figures and its sentence), brief (the\n"
                  "steps and their figures, no sentences: for programs reading many decisions), none")
      ->check(CLI::IsMember({"full", "brief", "none"}));
  cmd->add_flag("-q,--quiet", o->quiet, "No summary on stderr");
  auto* ledger_opt = cmd->add_option(
      "--ledger", o->ledger,
      "Grant ledger (SQLite file): its grants count as history (with --history, too); applications it\n"
      "already holds are reported as already decided and not decided again");
  cmd->add_flag("--record", o->record,
                "Record this batch's decisions in the --ledger (created if missing), in one transaction: all\n"
                "or nothing. Holds the ledger's write lock from reading its grants to the commit; the decisions\n"
                "are written out only after they are recorded")
      ->needs(ledger_opt);
  cmd->callback([o, &reg] {
    if (o->format == "xlsx" && o->output.empty()) {
      std::fprintf(stderr, "error: --format xlsx writes a workbook (a zip archive), not a stream: give -o FILE.xlsx\n");
      reg.exit_code = 2;
      return;
    }
    // Text and CSV are read by people: their steps are sentences. Without the sentences they
    // would print empty step lines, so a shorter explanation is refused there.
    if (o->explain != "full" && o->format != "json") {
      std::fprintf(stderr, "error: --explain %s applies to --format json; --format %s always explains in full\n",
                   o->explain.c_str(), o->format.c_str());
      reg.exit_code = 2;
      return;
    }
    if (o->history == "-" && o->apps == "-") {
      std::fprintf(stderr, "error: the history and the applications cannot both come from standard input\n");
      reg.exit_code = 2;
      return;
    }
    // Writing the decisions over one of the inputs would destroy it (the ledger above all).
    if (!o->output.empty() && !output_apart_from(o->output, inputs_of(o->pol, {o->apps, o->history, o->ledger}), "run")) {
      reg.exit_code = 2;
      return;
    }
    // A person watching a long run on a terminal sees how far it is (never in pipes or tests).
    ProgressLine progress(ProgressLine::enabled_for(o->quiet, o->output.empty()));
    auto request = [&] {
      BatchRequest req;
      req.applications = o->apps;
      req.input_format = o->input_format;
      req.encoding = o->encoding;
      req.sheet = o->sheet;
      req.history = o->history;
      req.ledger = o->ledger;
      req.record = o->record;
      req.progress = progress.hook();
      return req;
    };
    std::vector<PolicyOptions> groups = policy_groups(o->pol);
    if (groups.size() > 1) {
      // Several policies of different levels, decided together (docs/language.md §13.7).
      auto policies = load_all_and_report(groups);
      if (policies.empty()) {
        reg.exit_code = 2;
        return;
      }
      std::vector<const LoadedPolicy*> lps;
      for (const auto& lp : policies) lps.push_back(lp.get());
      BatchRequest req = request();
      LevelsRun levels;
      std::vector<std::string> errors;
      bool decided = decide_levels(lps, req, levels, errors);
      progress.clear();
      for (const auto& w : levels.warnings)
        if (!o->quiet || w.find("warning") != std::string::npos) std::fprintf(stderr, "%s\n", w.c_str());
      if (!decided) {
        for (const auto& e : errors) std::fprintf(stderr, "error: %s\n", e.c_str());
        for (size_t k = 0; o->record && k < levels.order.size(); ++k)
          if (levels.recorded[k].run_id)
            std::fprintf(stderr, "note: the decisions of `%s` were recorded in the ledger as run %lld; running again with "
                         "--ledger goes on from there\n", levels.order[k]->policy->name.c_str(),
                         static_cast<long long>(levels.recorded[k].run_id));
        reg.exit_code = 2;
        return;
      }
      FILE* out = o->output.empty() ? stdout : std::fopen(o->output.c_str(), "wb");
      if (!out) {
        std::fprintf(stderr, "error: cannot write `%s`\n", o->output.c_str());
        reg.exit_code = 2;
        return;
      }
      bool input_errors = false;
      bool written = write_decisions(out, o->output, o->format, o->explain, levels.merged.size(), [&](size_t k) {
        progress.writing(k, levels.merged.size());
        return std::make_pair(levels.runs[levels.merged[k].first].batch.get(), levels.merged[k].second);
      }, input_errors);
      progress.clear();
      if (!written) {
        std::fprintf(stderr, "error: writing the decisions failed\n");
        reg.exit_code = 2;
        return;
      }
      if (!o->quiet)
        for (size_t k = 0; k < levels.runs.size(); ++k) {
          const LoadedPolicy& lp = *levels.order[k];
          std::fprintf(stderr, "《%s》(%s%s%s):\n", lp.policy->title.c_str(), lp.policy->name.c_str(),
                       lp.policy->level.empty() ? "" : ", ", lp.policy->level.c_str());
          std::fputs(batch_summary(*levels.runs[k].batch).c_str(), stderr);
          if (o->record && levels.recorded[k].decided)
            std::fprintf(stderr, "  recorded %zu decision(s) (%zu granted, total %s) in the ledger as run %lld\n",
                         levels.recorded[k].decided, levels.recorded[k].granted,
                         money_str(levels.recorded[k].total_fen).c_str(), static_cast<long long>(levels.recorded[k].run_id));
        }
      reg.exit_code = input_errors ? 1 : 0;
      return;
    }
    auto lp = load_and_report(o->pol);
    if (!lp) {
      reg.exit_code = 2;
      return;
    }
    BatchRequest req = request();
    BatchRun run;
    std::vector<std::string> errors;
    bool decided = decide_batch(*lp, req, run, errors);
    progress.clear();
    if (run.ledger) report_damaged(*run.ledger);
    for (const auto& w : run.warnings)
      if (!o->quiet || w.rfind("warning", 0) == 0) std::fprintf(stderr, "%s\n", w.c_str());
    if (!decided) {
      for (const auto& e : errors) std::fprintf(stderr, "error: %s\n", e.c_str());
      if (o->record) std::fprintf(stderr, "error: nothing was recorded in the ledger `%s`\n", o->ledger.c_str());
      reg.exit_code = 2;
      return;
    }
    Batch& batch = *run.batch;
    std::string error;
    FILE* out = stdout;
    if (!o->output.empty()) {
      out = std::fopen(o->output.c_str(), "wb");
      if (!out) {
        std::fprintf(stderr, "error: cannot write `%s`\n", o->output.c_str());
        if (o->record) std::fprintf(stderr, "error: nothing was recorded in the ledger `%s`\n", o->ledger.c_str());
        reg.exit_code = 2;
        return;
      }
    }
    // Recorded first, written out after: a decision is shown only once it is in the ledger.
    ledger::RecordStats recorded;
    if (o->record) {
      if (!record_batch(*lp, req, run, recorded, error)) {
        progress.clear();
        std::fprintf(stderr, "error: %s\n", error.c_str());
        std::fprintf(stderr, "error: nothing was recorded in the ledger `%s`; no decision was written\n",
                     o->ledger.c_str());
        if (out != stdout) {
          std::fclose(out);
          std::remove(o->output.c_str());
        }
        reg.exit_code = 2;
        return;
      }
    }
    bool input_errors = false;
    bool write_failed = !write_decisions(out, o->output, o->format, o->explain, batch.apps.size(), [&](size_t k) {
      progress.writing(k, batch.apps.size());
      return std::make_pair(&batch, static_cast<uint32_t>(k));
    }, input_errors);
    progress.clear();
    if (write_failed) {
      std::fprintf(stderr, "error: writing the decisions failed\n");
      if (o->record && recorded.decided)
        std::fprintf(stderr, "note: the decisions are recorded in the ledger `%s` (run %lld); running the batch again "
                     "with --ledger shows them\n", o->ledger.c_str(), static_cast<long long>(recorded.run_id));
      reg.exit_code = 2;
      return;
    }
    if (!o->quiet) {
      std::fputs(batch_summary(batch).c_str(), stderr);
      if (run.ledger)
        std::fprintf(stderr, "  ledger %s: %zu earlier grant(s) counted%s\n", o->ledger.c_str(),
                     run.ledger_grants + run.ledger_dups,
                     run.ledger_dups ? (" (" + std::to_string(run.ledger_dups) + " of them also in --history)").c_str() : "");
      if (o->record && recorded.decided)
        std::fprintf(stderr, "  recorded %zu decision(s) (%zu granted, total %s) in the ledger as run %lld\n",
                     recorded.decided, recorded.granted, money_str(recorded.total_fen).c_str(),
                     static_cast<long long>(recorded.run_id));
      else if (o->record)
        std::fprintf(stderr, "  nothing new to record in the ledger\n");
    }
    reg.exit_code = input_errors ? 1 : 0;
  });
}

}  // namespace pol::cli
