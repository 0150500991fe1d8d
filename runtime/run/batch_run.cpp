// The batch-run API: see batch_run.h. The steps of a batch, in order, each failure a message;
// the ledger's grants and recorded decisions are fed into the batch here, not by the ledger.
#include "runtime/run/batch_run.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <functional>

#include "compiler/diagnostics/messages_cli.h"
#include "runtime/input/records.h"
#include "values/fixed.h"

namespace pol {

namespace {

bool open_text(const std::string& path, const input::ReadOptions& how, bool one_object, std::string& text,
               std::unique_ptr<input::RecordReader>& reader, std::string& error, const std::string* given = nullptr) {
  if (given) text = *given;
  else if (!input::read_file(path, text, error, how.lang)) return false;
  input::Format f = input::resolve_format(how.format, path);
  if (f == input::Format::Jsonl && one_object) {
    // One pretty-printed object (nested objects and line breaks anywhere) is one application:
    // when the whole text is a single JSON object it is minified to one line.
    size_t bom = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    simdjson::dom::parser parser;
    simdjson::padded_string padded(text.data() + bom, text.size() - bom);
    simdjson::dom::element doc;
    if (!parser.parse(padded).get(doc) && doc.is_object()) {
      std::string one(padded.size(), '\0');
      size_t len = 0;
      if (!simdjson::minify(padded.data(), padded.size(), one.data(), len)) {
        one.resize(len);
        text = one + "\n";
      }
    }
  }
  reader = input::open_input(text, path, how, error);
  return reader != nullptr;
}

}  // namespace

bool read_applications(const std::string& path, const input::ReadOptions& how, Batch& batch, std::string& error,
                       bool one_object, bool keep_raw, const std::string* given) {
  std::string text;
  std::unique_ptr<input::RecordReader> reader;
  if (!open_text(path, how, one_object, text, reader, error, given)) return false;
  bool csv = input::resolve_format(how.format, path) == input::Format::Csv;
  Decoder dec(batch, keep_raw);
  input::RawRecord rec;
  bool first = true;
  while (reader->next(rec)) {
    // Without a usable header no row can be read: that is the file's problem, not a row's.
    if (first && csv && !rec.error.empty() && rec.line <= 1) {
      error = say(how.lang, CliMsg::RunCsvHeaderUnusable, {{"file", path}, {"message", rec.error}});
      return false;
    }
    first = false;
    dec.add_application(rec);
  }
  return true;
}

namespace {

// Decodes history records one by one; every bad one goes to `bad` (at: its index in memory,
// its line in a file) and to `errors` as "FILE:LINE: message" ("line LINE: message" in memory).
class HistoryFeed {
 public:
  HistoryFeed(Batch& batch, std::string file, std::vector<BadRecord>& bad, std::vector<std::string>& errors, Lang lang)
      : dec_(batch), file_(std::move(file)), bad_(bad), errors_(errors), lang_(lang) {
    dec_.set_lang(lang);
  }
  void add(const input::RawRecord& rec, size_t at) {
    if (dec_.add_history(rec, error_)) return;
    errors_.push_back(file_.empty()
                          ? say(lang_, CliMsg::RunAtLine, {{"line", std::to_string(rec.line)}, {"message", error_}})
                          : file_ + ":" + std::to_string(rec.line) + ": " + error_);
    bad_.push_back(BadRecord{at, error_});
  }

 private:
  Decoder dec_;
  std::string file_, error_;
  std::vector<BadRecord>& bad_;
  std::vector<std::string>& errors_;
  Lang lang_;
};

bool read_history_file(const std::string& path, const std::string& format, Batch& batch, std::vector<BadRecord>& bad,
                       std::vector<std::string>& errors, const std::string* given = nullptr, Lang lang = Lang::En) {
  std::string text, error;
  std::unique_ptr<input::RecordReader> reader;
  input::ReadOptions how;
  how.format = format;
  how.lang = lang;
  if (!open_text(path, how, false, text, reader, error, given)) {
    errors.push_back(error);
    return false;
  }
  HistoryFeed feed(batch, path, bad, errors, lang);
  input::RawRecord rec;
  while (reader->next(rec)) feed.add(rec, rec.line);
  return bad.empty();
}

}  // namespace

bool read_history(const std::string& path, const std::string& format, Batch& batch, std::vector<std::string>& errors) {
  std::vector<BadRecord> bad;
  return read_history_file(path, format, batch, bad, errors);
}

bool load_ledger_history(ledger::Ledger& ledger, Batch& batch, const std::unordered_map<std::string, int64_t>& skip,
                         std::vector<std::string>& errors, size_t* loaded, size_t* skipped, Lang lang) {
  if (loaded) *loaded = 0;
  if (skipped) *skipped = 0;
  std::vector<ledger::RecordedGrant> grants;
  std::string error;
  if (!ledger.recorded_grants(grants, error)) {
    errors.push_back(error);
    return false;
  }
  std::string text;  // the applications as JSON Lines, one per grant used
  std::vector<const ledger::RecordedGrant*> used;
  size_t n_skipped = 0;
  const Policy& own = *batch.policy;
  for (const auto& g : grants) {
    // A ledger shared by several policies: another policy's grant matters here only when a level
    // link of this policy reads it (the others are that policy's own business).
    if (!g.policy.empty() && g.policy != own.name &&
        std::none_of(own.level_links.begin(), own.level_links.end(), [&](const LevelLink& l) { return l.policy == g.policy; }))
      continue;
    if (auto it = skip.find(g.id); it != skip.end()) {
      if (it->second == g.award_fen) {
        ++n_skipped;
        continue;
      }
      errors.push_back(say(lang, CliMsg::RunGrantTwoAmounts,
                           {{"id", g.id}, {"history", money_plain_str(it->second)}, {"ledger", money_plain_str(g.award_fen)}}));
      continue;
    }
    if (g.application.empty() || g.application.find('\n') != std::string::npos) {
      errors.push_back(say(lang, CliMsg::RunLedgerGrantDamaged, {{"id", g.id}}));
      continue;
    }
    text += g.application;
    text += '\n';
    used.push_back(&g);
  }
  auto reader = input::open_jsonl(text);
  Decoder dec(batch);
  dec.set_lang(lang);
  dec.keep_zero_awards(true);
  input::RawRecord rec;
  std::string award_text;
  size_t i = 0, ok = 0;
  while (i < used.size() && reader->next(rec)) {
    // The award is the ledger's, whatever the recorded application says.
    rec.fields.erase(std::remove_if(rec.fields.begin(), rec.fields.end(),
                                    [](const input::RawField& f) { return f.name == "award"; }),
                     rec.fields.end());
    award_text = money_plain_str(used[i]->award_fen);
    rec.fields.push_back(input::RawField{"award", input::RawKind::String, award_text});
    // Whose grant it is: the ledger knows the policy that decided it, whatever the record says.
    rec.fields.erase(std::remove_if(rec.fields.begin(), rec.fields.end(),
                                    [](const input::RawField& f) { return f.name == "policy"; }),
                     rec.fields.end());
    rec.fields.push_back(input::RawField{"policy", input::RawKind::String, used[i]->policy});
    if (dec.add_history(rec, error)) ++ok;
    else errors.push_back(say(lang, CliMsg::RunLedgerGrantBad, {{"id", used[i]->id}, {"message", error}}));
    ++i;
  }
  if (i != used.size()) errors.push_back(say(lang, CliMsg::RunLedgerUnreadable));
  if (loaded) *loaded = ok;
  if (skipped) *skipped = n_skipped;
  return errors.empty();
}

int64_t mark_recorded(ledger::Ledger& ledger, Batch& batch, std::vector<std::string>* changed, std::string& error) {
  std::vector<std::string_view> ids;
  ids.reserve(batch.apps.size());
  for (const Application& app : batch.apps) ids.push_back(app.id);
  std::vector<ledger::RecordedDecision> found;
  if (!ledger.recorded_decisions(ids, found, error)) return -1;
  for (auto& r : found) {
    const Application& app = batch.apps[r.index];
    Decision d;
    d.status = Status::Recorded;
    d.error = static_cast<uint32_t>(batch.recorded.size());
    batch.recorded.push_back(std::move(r.decision));
    if (changed && !app.raw.empty() && r.application != app.raw) changed->emplace_back(app.id);
    batch.decisions[r.index] = d;
  }
  return static_cast<int64_t>(found.size());
}

namespace {

// The steps of decide_batch, in order; each false stops the batch with its messages in `errors`.

bool take_history(const BatchRequest& req, BatchRun& run, std::vector<std::string>& errors) {
  bool ok = true;
  if (req.history_records) {
    HistoryFeed feed(*run.batch, "", run.bad_history, errors, req.lang);
    for (size_t i = 0; i < req.history_records->size(); ++i) feed.add((*req.history_records)[i], i);
    ok = run.bad_history.empty();
  } else if (!req.history.empty()) {
    ok = read_history_file(req.history, "", *run.batch, run.bad_history, errors, req.history_text, req.lang);
  }
  if (ok) return true;
  errors.push_back(say(req.lang, CliMsg::RunHistoryBad, {{"count", std::to_string(errors.size())}}));
  return false;
}

bool take_ledger_history(const BatchRequest& req, BatchRun& run, std::vector<std::string>& errors) {
  std::string error;
  run.ledger = ledger::Ledger::open(req.ledger, req.record ? ledger::Access::Write : ledger::Access::Read, error, req.lang);
  // Recording: the write lock is held from reading the earlier grants to the commit, so no
  // other run can record in between and this batch is never decided against a stale memory.
  if (!run.ledger || !(req.record ? run.ledger->begin_write(error) : run.ledger->begin_read(error))) {
    errors.push_back(error);
    return false;
  }
  std::unordered_map<std::string, int64_t> from_file;  // grants already read from --history
  for (const auto& h : run.batch->history)
    if (!h.id.empty()) from_file.emplace(std::string(h.id), h.award);
  std::vector<std::string> problems;
  if (!load_ledger_history(*run.ledger, *run.batch, from_file, problems, &run.ledger_grants, &run.ledger_dups, req.lang)) {
    errors.insert(errors.end(), problems.begin(), problems.end());
    errors.push_back(say(req.lang, CliMsg::RunLedgerGrantsUnusable, {{"count", std::to_string(problems.size())}}));
    return false;
  }
  if (run.ledger_dups)
    run.warnings.push_back(say(req.lang, CliMsg::RunGrantsInBoth, {{"count", std::to_string(run.ledger_dups)}}));
  return true;
}

bool take_applications(const BatchRequest& req, BatchRun& run, std::vector<std::string>& errors) {
  Batch& batch = *run.batch;
  if (req.application_records) {
    Decoder dec(batch, run.ledger != nullptr);
    for (const auto& rec : *req.application_records) dec.add_application(rec);
  } else {
    std::string error;
    input::ReadOptions how;
    how.format = req.input_format;
    how.encoding = req.encoding;
    how.sheet = req.sheet;
    how.lang = req.lang;
    if (!read_applications(req.applications, how, batch, error, req.one_application, run.ledger != nullptr,
                           req.applications_text)) {
      errors.push_back(error);
      return false;
    }
  }
  if (req.one_application && batch.apps.size() != 1) {
    errors.push_back(say(req.lang, CliMsg::RunEvalHoldsMany,
                         {{"file", req.applications}, {"count", std::to_string(batch.apps.size())}}));
    return false;
  }
  return true;
}

bool take_recorded(const BatchRequest& req, BatchRun& run, std::vector<std::string>& errors) {
  Batch& batch = *run.batch;
  std::vector<std::string> changed;
  std::string error;
  if (mark_recorded(*run.ledger, batch, &changed, error) < 0) {
    errors.push_back(error);
    return false;
  }
  if (!changed.empty()) {
    std::string ids;
    for (size_t i = 0; i < changed.size() && i < 5; ++i) ids += (i ? ", " : "") + changed[i];
    if (changed.size() > 5) ids += ", …";
    run.warnings.push_back(say(req.lang, CliMsg::RunApplicationsChanged, {{"count", std::to_string(changed.size())}, {"ids", ids}}));
  }
  if (!req.record) {
    run.ledger->rollback();  // end the read snapshot
    return true;
  }
  // The ledger keeps each decision under its application id: an application without one
  // could be decided again by a later run, so it is rejected.
  for (size_t i = 0; i < batch.apps.size(); ++i) {
    Decision& d = batch.decisions[i];
    if (d.status != Status::Pending || !batch.apps[i].id.empty()) continue;
    d = Decision{};
    d.status = Status::Error;
    d.error_code = DiagCode::E0601;
    d.error = static_cast<uint32_t>(batch.errors.size());
    batch.errors.push_back(InputError(DiagCode::E0601, msg(CliMsg::RunRecordNeedsId)));
  }
  return true;
}

}  // namespace

bool decide_batch(const LoadedPolicy& lp, const BatchRequest& req, BatchRun& run, std::vector<std::string>& errors) {
  run.batch = std::make_unique<Batch>(*lp.policy, lp.program);
  run.batch->run = req.run;
  run.batch->first_in_run = req.first_in_run;
  run.batch->other_batches = req.other_batches;
  run.started_at = ledger::utc_now();
  if (!take_history(req, run, errors)) return false;
  if (!req.ledger.empty() && !take_ledger_history(req, run, errors)) return false;
  report_progress(req.progress, BatchStep::Reading, 0, 0);
  if (!take_applications(req, run, errors)) return false;
  if (run.ledger && !take_recorded(req, run, errors)) return false;
  report_progress(req.progress, BatchStep::Deciding, 0, run.batch->apps.size());
  evaluate(*run.batch);
  if (!run.batch->fatal.empty()) {
    const std::string fatal =
        run.batch->fatal_msg.id == MsgId::None ? run.batch->fatal : render_msg(run.batch->fatal_msg, req.lang);
    errors.push_back(say(req.lang, CliMsg::RunFatal, {{"message", fatal}}));
    return false;
  }
  level_warnings(*run.batch, run.warnings, req.lang);
  return true;
}

void level_warnings(const Batch& batch, std::vector<std::string>& warnings, Lang lang) {
  const Policy& p = *batch.policy;
  std::vector<std::string> said;
  for (const auto& l : p.level_links) {
    if (std::find(said.begin(), said.end(), l.policy) != said.end()) continue;
    said.push_back(l.policy);
    if (batch.run && std::find(batch.run->names.begin(), batch.run->names.end(), l.policy) != batch.run->names.end()) continue;
    size_t n = 0;
    for (const auto& g : batch.other_grants) n += g.policy == l.policy;
    warnings.push_back(
        say(lang, CliMsg::RunReadsUndecidedPolicy, {{"policy", p.name}, {"other", l.policy}, {"count", std::to_string(n)}}));
  }
}

bool level_order(const std::vector<const LoadedPolicy*>& policies, std::vector<size_t>& order, std::string& error,
                 Lang lang) {
  const size_t n = policies.size();
  std::vector<std::vector<size_t>> reads(n);  // reads[i]: the run's policies i links to
  for (size_t i = 0; i < n; ++i)
    for (const auto& l : policies[i]->policy->level_links)
      for (size_t j = 0; j < n; ++j)
        if (j != i && policies[j]->policy->name == l.policy &&
            std::find(reads[i].begin(), reads[i].end(), j) == reads[i].end())
          reads[i].push_back(j);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < i; ++j)
      if (policies[i]->policy->name == policies[j]->policy->name) {
        error = say(lang, CliMsg::LevelsGivenTwice, {{"policy", policies[i]->policy->name}});
        return false;
      }
  order.clear();
  std::vector<int> state(n, 0);  // 0 new, 1 on the path, 2 placed
  std::vector<std::string> path;
  std::function<bool(size_t)> visit = [&](size_t i) {
    if (state[i] == 2) return true;
    if (state[i] == 1) {
      std::string cycle = policies[i]->policy->name;
      for (auto it = path.rbegin(); it != path.rend() && *it != policies[i]->policy->name; ++it) cycle += " ← " + *it;
      error = say(lang, CliMsg::LevelsCycle, {{"path", cycle}});
      return false;
    }
    state[i] = 1;
    path.push_back(policies[i]->policy->name);
    for (size_t j : reads[i])
      if (!visit(j)) return false;
    path.pop_back();
    state[i] = 2;
    order.push_back(i);
    return true;
  };
  for (size_t i = 0; i < n; ++i)
    if (!visit(i)) return false;
  return true;
}

bool decide_levels(const std::vector<const LoadedPolicy*>& policies, const BatchRequest& req, LevelsRun& out,
                   std::vector<std::string>& errors) {
  std::vector<size_t> order;
  std::string error;
  if (!level_order(policies, order, error, req.lang)) {
    errors.push_back(error);
    return false;
  }
  for (const auto* lp : policies) {
    out.policies.names.push_back(lp->policy->name);
    out.policies.titles.push_back(lp->policy->title);
    out.policies.known.push_back(lp->policy->name);
  }
  for (const auto* lp : policies)
    for (const auto& l : lp->policy->level_links)
      if (std::find(out.policies.known.begin(), out.policies.known.end(), l.policy) == out.policies.known.end())
        out.policies.known.push_back(l.policy);
  // Each file is read once for all the policies (standard input can be read only once).
  std::string apps_text, history_text;
  BatchRequest each = req;
  if (!req.application_records) {
    if (!input::read_file(req.applications, apps_text, error, req.lang)) {
      errors.push_back(error);
      return false;
    }
    each.applications_text = &apps_text;
  }
  if (!req.history_records && !req.history.empty()) {
    if (!input::read_file(req.history, history_text, error, req.lang)) {
      errors.push_back(error);
      return false;
    }
    each.history_text = &history_text;
  }
  each.run = &out.policies;
  out.runs.resize(order.size());
  out.recorded.resize(order.size());
  for (size_t k = 0; k < order.size(); ++k) {
    const LoadedPolicy& lp = *policies[order[k]];
    out.order.push_back(&lp);
    each.first_in_run = k == 0;
    each.other_batches.clear();
    for (size_t j = 0; j < k; ++j) each.other_batches.push_back(out.runs[j].batch.get());
    BatchRun& run = out.runs[k];
    if (!decide_batch(lp, each, run, errors)) {
      errors.push_back(say(req.lang, CliMsg::LevelsWhileDeciding, {{"policy", lp.policy->name}}));
      return false;
    }
    for (auto& w : run.warnings) out.warnings.push_back(lp.policy->name + ": " + w);
    if (req.record && !record_batch(lp, each, run, out.recorded[k], error)) {
      errors.push_back(error);
      errors.push_back(say(req.lang, CliMsg::LevelsNothingRecorded, {{"policy", lp.policy->name}}));
      return false;
    }
  }
  // Input order: records are numbered by their line; ties (records in memory) keep the run order.
  for (uint32_t r = 0; r < out.runs.size(); ++r)
    for (uint32_t i = 0; i < out.runs[r].batch->apps.size(); ++i) out.merged.push_back({r, i});
  std::stable_sort(out.merged.begin(), out.merged.end(), [&](const auto& x, const auto& y) {
    return out.runs[x.first].batch->apps[x.second].line < out.runs[y.first].batch->apps[y.second].line;
  });
  return true;
}

bool record_batch(const LoadedPolicy& lp, const BatchRequest& req, BatchRun& run, ledger::RecordStats& stats,
                  std::string& error) {
  if (!req.record || !run.ledger) return true;
  ledger::RunInfo info;
  info.kind = "run";
  info.input = req.applications;
  info.started_at = run.started_at;
  info.policy = &lp;
  info.progress = req.progress;
  if (!run.ledger->record_batch(*run.batch, info, stats, error) || !run.ledger->commit(error)) {
    run.ledger->rollback();
    return false;
  }
  return true;
}

}  // namespace pol
