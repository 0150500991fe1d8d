// One batch from files to decisions, the one API `polc run` and `polc eval` call (the CLI only
// parses options and writes what this returns): the history from a --history file and the grant
// ledger, the applications (JSON Lines, CSV, or one pretty-printed object), what the ledger
// already decided, the decision, and — with `record` — the ledger transaction, all or nothing.
// Lifetime: a BatchRun refers to the LoadedPolicy it was made for.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "runtime/ledger/ledger.h"
#include "runtime/portfolio/batch.h"

namespace pol {

struct BatchRequest {
  std::string applications;         // a path, or "-" for standard input
  std::string input_format;         // "jsonl", "csv", or "" (by extension)
  bool one_application = false;     // eval: exactly one application, possibly a pretty-printed object
  std::string history;              // a --history grant list, or ""
  std::string ledger;               // the grant ledger, or ""
  bool record = false;              // record the decisions in the ledger
};

struct BatchRun {
  std::unique_ptr<Batch> batch;
  std::unique_ptr<ledger::Ledger> ledger;  // open (and, with record, its write lock held) until recorded
  size_t ledger_grants = 0, ledger_dups = 0;
  std::vector<std::string> warnings;       // for people; the run goes on
  std::string started_at;                  // UTC, when the batch began (recorded with it)
};

// Reads everything and decides the batch. false: nothing was decided (and nothing will be
// recorded); `errors` says why, one message each.
bool decide_batch(const LoadedPolicy& lp, const BatchRequest& req, BatchRun& run, std::vector<std::string>& errors);

// With req.record: records the decided batch and commits. false: nothing was recorded.
bool record_batch(const LoadedPolicy& lp, const BatchRequest& req, BatchRun& run, ledger::RecordStats& stats,
                  std::string& error);

// Reads `path` as `format` into the batch (applications) — one_object: one (pretty-printed)
// JSON object is one record; keep_raw: keep each record for the ledger. false with `error`
// when the file cannot be read at all.
bool read_applications(const std::string& path, const std::string& format, Batch& batch, std::string& error,
                       bool one_object = false, bool keep_raw = false);
// History: every bad record is reported in `errors` (one line each); false if any.
bool read_history(const std::string& path, const std::string& format, Batch& batch, std::vector<std::string>& errors);

}  // namespace pol
