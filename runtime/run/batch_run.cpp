// The batch-run API: see batch_run.h. The steps of `polc run`, in order, each failure a message.
#include "runtime/run/batch_run.h"

#include <simdjson.h>

#include <unordered_map>

#include "runtime/input/records.h"

namespace pol {

namespace {

bool open_text(const std::string& path, const std::string& format, bool one_object, std::string& text,
               std::unique_ptr<input::RecordReader>& reader, std::string& error) {
  if (!input::read_file(path, text, error)) return false;
  input::Format f = input::resolve_format(format, path);
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
  reader = input::open_reader(f, text);
  return true;
}

}  // namespace

bool read_applications(const std::string& path, const std::string& format, Batch& batch, std::string& error,
                       bool one_object, bool keep_raw) {
  std::string text;
  std::unique_ptr<input::RecordReader> reader;
  if (!open_text(path, format, one_object, text, reader, error)) return false;
  bool csv = input::resolve_format(format, path) == input::Format::Csv;
  Decoder dec(batch, keep_raw);
  input::RawRecord rec;
  bool first = true;
  while (reader->next(rec)) {
    // Without a usable header no row can be read: that is the file's problem, not a row's.
    if (first && csv && !rec.error.empty() && rec.line <= 1) {
      error = path + ": the CSV header is unusable: " + rec.error;
      return false;
    }
    first = false;
    dec.add_application(rec);
  }
  return true;
}

bool read_history(const std::string& path, const std::string& format, Batch& batch, std::vector<std::string>& errors) {
  std::string text, error;
  std::unique_ptr<input::RecordReader> reader;
  if (!open_text(path, format, false, text, reader, error)) {
    errors.push_back(error);
    return false;
  }
  Decoder dec(batch);
  input::RawRecord rec;
  while (reader->next(rec)) {
    if (!dec.add_history(rec, error)) errors.push_back(path + ":" + std::to_string(rec.line) + ": " + error);
  }
  return errors.empty();
}


bool decide_batch(const LoadedPolicy& lp, const BatchRequest& req, BatchRun& run, std::vector<std::string>& errors) {
  run.batch = std::make_unique<Batch>(*lp.policy, lp.program);
  run.started_at = ledger::utc_now();
  Batch& batch = *run.batch;
  if (!req.history.empty() && !read_history(req.history, "", batch, errors)) {
    errors.push_back("the history has " + std::to_string(errors.size()) + " bad record(s); nothing was decided");
    return false;
  }
  std::string error;
  if (!req.ledger.empty()) {
    run.ledger = ledger::Ledger::open(req.ledger, req.record ? ledger::Access::Write : ledger::Access::Read, error);
    // Recording: the write lock is held from reading the earlier grants to the commit, so no
    // other run can record in between and this batch is never decided against a stale memory.
    if (!run.ledger || !(req.record ? run.ledger->begin_write(error) : run.ledger->begin_read(error))) {
      errors.push_back(error);
      return false;
    }
    std::unordered_map<std::string, int64_t> from_file;  // grants already read from --history
    for (const auto& h : batch.history)
      if (!h.id.empty()) from_file.emplace(std::string(h.id), h.award);
    std::vector<std::string> problems;
    if (!run.ledger->load_history(batch, from_file, problems, &run.ledger_grants, &run.ledger_dups)) {
      errors.insert(errors.end(), problems.begin(), problems.end());
      errors.push_back("the ledger's grants cannot be used as they are (" + std::to_string(problems.size()) +
                       " problem(s) above); nothing was decided");
      return false;
    }
    if (run.ledger_dups)
      run.warnings.push_back("note: " + std::to_string(run.ledger_dups) +
                             " grant(s) are both in --history and in the ledger; each is counted once");
  }
  if (!read_applications(req.applications, req.input_format, batch, error, req.one_application, run.ledger != nullptr)) {
    errors.push_back(error);
    return false;
  }
  if (req.one_application && batch.apps.size() != 1) {
    errors.push_back("`" + req.applications + "` holds " + std::to_string(batch.apps.size()) +
                     " applications; eval decides one (use `polc run` for a batch)");
    return false;
  }
  if (run.ledger) {
    std::vector<std::string> changed;
    if (run.ledger->mark_recorded(batch, &changed, error) < 0) {
      errors.push_back(error);
      return false;
    }
    if (!changed.empty()) {
      std::string ids;
      for (size_t i = 0; i < changed.size() && i < 5; ++i) ids += (i ? ", " : "") + changed[i];
      if (changed.size() > 5) ids += ", …";
      run.warnings.push_back("warning: " + std::to_string(changed.size()) +
                             " application(s) differ from what the ledger recorded under the same id (" + ids +
                             "); the recorded decision stands");
    }
    if (req.record) {
      // The ledger keeps each decision under its application id: an application without one
      // could be decided again by a later run, so it is rejected.
      for (size_t i = 0; i < batch.apps.size(); ++i) {
        Decision& d = batch.decisions[i];
        if (d.status != Status::Pending || !batch.apps[i].id.empty()) continue;
        d = Decision{};
        d.status = Status::Error;
        d.error_code = DiagCode::E0601;
        d.error = static_cast<uint32_t>(batch.errors.size());
        batch.errors.push_back("field `id`: missing or empty; with --record every application needs an id, the "
                               "key under which the ledger keeps its decision");
      }
    } else {
      run.ledger->rollback();  // end the read snapshot
    }
  }
  evaluate(batch);
  if (!batch.fatal.empty()) {
    errors.push_back(batch.fatal + "; nothing was decided");
    return false;
  }
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
  if (!run.ledger->record_batch(*run.batch, info, stats, error) || !run.ledger->commit(error)) {
    run.ledger->rollback();
    return false;
  }
  return true;
}

}  // namespace pol
