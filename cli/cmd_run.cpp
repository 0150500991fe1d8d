// polc run — evaluate a batch of applications against a policy and its history
// (docs/interpretation.md §4): one decision per line in input order, a summary on stderr.
// With --ledger the earlier grants also come from the grant ledger and applications already
// recorded there are not decided again; with --record this batch's decisions are recorded in
// one transaction (docs/ledger.md).
#include <cstdio>
#include <functional>
#include <fstream>
#include <unordered_map>

#include "cli/cli_text.h"
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
bool write_decisions(FILE* out, const std::string& path, const std::string& format, const std::string& explain, Lang lang, size_t n,
                     const std::function<std::pair<Batch*, uint32_t>(size_t)>& at, bool& input_errors) {
  if (format == "xlsx") {
    if (out != stdout && std::fclose(out) != 0) return false;
    std::string error;
    if (staff::write_decisions_xlsx(path, n, at, input_errors, error, lang)) return true;
    error_line(lang, error);
    return false;
  }
  std::vector<std::pair<Batch*, std::unique_ptr<Explainer>>> explainers;  // one per batch, reused
  auto explainer = [&](Batch* b) -> Explainer& {
    for (auto& [batch, ex] : explainers)
      if (batch == b) return *ex;
    auto ex = std::make_unique<Explainer>(*b);
    ex->set_lang(lang);  // input errors in the language asked for
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
  const Lang lang = reg.lang;
  auto* cmd = app.add_subcommand("run", say(lang, CliMsg::HelpRun));
  add_policy_options(cmd, o->pol, lang, &o->apps, say(lang, CliMsg::HelpRunApplications));
  cmd->add_option("--history", o->history, say(lang, CliMsg::HelpRunHistory));
  cmd->add_option("--input-format", o->input_format, say(lang, CliMsg::HelpRunInputFormat))
      ->check(CLI::IsMember({"jsonl", "csv", "xlsx"}));
  cmd->add_option("--encoding", o->encoding, say(lang, CliMsg::HelpRunEncoding))
      ->check(CLI::IsMember({"utf-8", "utf8", "gbk", "gb18030"}, CLI::ignore_case));
  cmd->add_option("--sheet", o->sheet, say(lang, CliMsg::HelpRunSheet));
  cmd->add_option("--format", o->format, say(lang, CliMsg::HelpRunFormat))
      ->check(CLI::IsMember({"json", "csv", "text", "xlsx"}));
  cmd->add_option("-o,--output", o->output, say(lang, CliMsg::HelpRunOutput));
  cmd->add_option("--explain", o->explain,
                  say(lang, CliMsg::HelpRunExplain))
      ->check(CLI::IsMember({"full", "brief", "none"}));
  cmd->add_flag("-q,--quiet", o->quiet, say(lang, CliMsg::HelpQuiet));
  auto* ledger_opt = cmd->add_option(
      "--ledger", o->ledger,
      say(lang, CliMsg::HelpRunLedger));
  cmd->add_flag("--record", o->record,
                say(lang, CliMsg::HelpRunRecord))
      ->needs(ledger_opt);
  cmd->callback([o, &reg] {
    if (o->format == "xlsx" && o->output.empty()) {
      say_err(reg.lang, CliMsg::RunXlsxNeedsOutput);
      reg.exit_code = 2;
      return;
    }
    // Text and CSV are read by people: their steps are sentences. Without the sentences they
    // would print empty step lines, so a shorter explanation is refused there.
    if (o->explain != "full" && o->format != "json") {
      say_err(reg.lang, CliMsg::RunExplainNeedsJson, {{"explain", o->explain}, {"format", o->format}});
      reg.exit_code = 2;
      return;
    }
    if (o->history == "-" && o->apps == "-") {
      say_err(reg.lang, CliMsg::HistoryAndAppsFromStdin);
      reg.exit_code = 2;
      return;
    }
    // Writing the decisions over one of the inputs would destroy it (the ledger above all).
    if (!o->output.empty() && !output_apart_from(o->output, inputs_of(o->pol, {o->apps, o->history, o->ledger}), CliMsg::OutputIsInputRun, reg.lang)) {
      reg.exit_code = 2;
      return;
    }
    // A person watching a long run on a terminal sees how far it is (never in pipes or tests).
    ProgressLine progress(ProgressLine::enabled_for(o->quiet, o->output.empty()), reg.lang);
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
      req.lang = reg.lang;
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
        if (!o->quiet || is_warning(w)) std::fprintf(stderr, "%s\n", w.c_str());
      if (!decided) {
        for (const auto& e : errors) error_line(reg.lang, e);
        for (size_t k = 0; o->record && k < levels.order.size(); ++k)
          if (levels.recorded[k].run_id)
            say_err(reg.lang, CliMsg::RunRecordedAsRunNote,
                    {{"policy", levels.order[k]->policy->name}, {"run", std::to_string(levels.recorded[k].run_id)}});
        reg.exit_code = 2;
        return;
      }
      FILE* out = o->output.empty() ? stdout : std::fopen(o->output.c_str(), "wb");
      if (!out) {
        say_err(reg.lang, CliMsg::CannotWrite, {{"file", o->output}});
        reg.exit_code = 2;
        return;
      }
      bool input_errors = false;
      bool written = write_decisions(out, o->output, o->format, o->explain, reg.lang, levels.merged.size(), [&](size_t k) {
        progress.writing(k, levels.merged.size());
        return std::make_pair(levels.runs[levels.merged[k].first].batch.get(), levels.merged[k].second);
      }, input_errors);
      progress.clear();
      if (!written) {
        say_err(reg.lang, CliMsg::RunWritingFailed);
        reg.exit_code = 2;
        return;
      }
      if (!o->quiet)
        for (size_t k = 0; k < levels.runs.size(); ++k) {
          const LoadedPolicy& lp = *levels.order[k];
          if (lp.policy->level.empty())
            say_err(reg.lang, CliMsg::RunPolicyHeading, {{"title", lp.policy->title}, {"name", lp.policy->name}});
          else
            say_err(reg.lang, CliMsg::RunPolicyHeadingLevel,
                    {{"title", lp.policy->title}, {"name", lp.policy->name}, {"level", lp.policy->level}});
          std::fputs(batch_summary(*levels.runs[k].batch, reg.lang).c_str(), stderr);
          if (o->record && levels.recorded[k].decided)
            say_err(reg.lang, CliMsg::RunRecordedSummary,
                    {{"decided", std::to_string(levels.recorded[k].decided)},
                     {"granted", std::to_string(levels.recorded[k].granted)},
                     {"total", money_str(levels.recorded[k].total_fen)}, {"run", std::to_string(levels.recorded[k].run_id)}});
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
    if (run.ledger) report_damaged(*run.ledger, reg.lang);
    for (const auto& w : run.warnings)
      if (!o->quiet || is_warning(w)) std::fprintf(stderr, "%s\n", w.c_str());
    if (!decided) {
      for (const auto& e : errors) error_line(reg.lang, e);
      if (o->record) say_err(reg.lang, CliMsg::RunNothingRecorded, {{"ledger", o->ledger}});
      reg.exit_code = 2;
      return;
    }
    Batch& batch = *run.batch;
    std::string error;
    FILE* out = stdout;
    if (!o->output.empty()) {
      out = std::fopen(o->output.c_str(), "wb");
      if (!out) {
        say_err(reg.lang, CliMsg::CannotWrite, {{"file", o->output}});
        if (o->record) say_err(reg.lang, CliMsg::RunNothingRecorded, {{"ledger", o->ledger}});
        reg.exit_code = 2;
        return;
      }
    }
    // Recorded first, written out after: a decision is shown only once it is in the ledger.
    ledger::RecordStats recorded;
    if (o->record) {
      if (!record_batch(*lp, req, run, recorded, error)) {
        progress.clear();
        error_line(reg.lang, error);
        say_err(reg.lang, CliMsg::RunNothingRecordedNothingWritten, {{"ledger", o->ledger}});
        if (out != stdout) {
          std::fclose(out);
          std::remove(o->output.c_str());
        }
        reg.exit_code = 2;
        return;
      }
    }
    bool input_errors = false;
    bool write_failed = !write_decisions(out, o->output, o->format, o->explain, reg.lang, batch.apps.size(), [&](size_t k) {
      progress.writing(k, batch.apps.size());
      return std::make_pair(&batch, static_cast<uint32_t>(k));
    }, input_errors);
    progress.clear();
    if (write_failed) {
      say_err(reg.lang, CliMsg::RunWritingFailed);
      if (o->record && recorded.decided)
        say_err(reg.lang, CliMsg::RunRecordedButNotWritten, {{"ledger", o->ledger}, {"run", std::to_string(recorded.run_id)}});
      reg.exit_code = 2;
      return;
    }
    if (!o->quiet) {
      std::fputs(batch_summary(batch, reg.lang).c_str(), stderr);
      const std::string counted = std::to_string(run.ledger_grants + run.ledger_dups);
      if (run.ledger && run.ledger_dups)
        say_err(reg.lang, CliMsg::RunLedgerCountedDups,
                {{"ledger", o->ledger}, {"count", counted}, {"dups", std::to_string(run.ledger_dups)}});
      else if (run.ledger)
        say_err(reg.lang, CliMsg::RunLedgerCounted, {{"ledger", o->ledger}, {"count", counted}});
      if (o->record && recorded.decided)
        say_err(reg.lang, CliMsg::RunRecordedSummary,
                {{"decided", std::to_string(recorded.decided)}, {"granted", std::to_string(recorded.granted)},
                 {"total", money_str(recorded.total_fen)}, {"run", std::to_string(recorded.run_id)}});
      else if (o->record)
        say_err(reg.lang, CliMsg::RunNothingNewToRecord);
    }
    reg.exit_code = input_errors ? 1 : 0;
  });
}

}  // namespace pol::cli
