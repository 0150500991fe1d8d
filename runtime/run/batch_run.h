// One batch from its records to decisions, the one API `polc run`, `polc eval` and `polc test`
// call (the commands only parse options, or test records, and use what this returns): the
// history from a --history file (or in-memory records) and the grant ledger, the applications
// (JSON Lines, CSV, one pretty-printed object, or in-memory records), what the ledger already
// decided, the decision, and — with `record` — the ledger transaction, all or nothing.
// The ledger only reads and records; feeding what it read into the batch happens here.
// Lifetime: a BatchRun refers to the LoadedPolicy it was made for; in-memory records are read
// during decide_batch only.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "runtime/input/record.h"
#include "runtime/input/records.h"
#include "runtime/ledger/ledger.h"
#include "runtime/portfolio/batch.h"
#include "runtime/portfolio/progress.h"

namespace pol {

struct BatchRequest {
  std::string applications;         // a path, or "-" for standard input
  std::string input_format;         // "jsonl", "csv", "xlsx", or "" (by extension)
  std::string encoding;             // of CSV applications: "utf-8", "gbk", "gb18030", or "" (detected)
  std::string sheet;                // of .xlsx applications: the sheet's name, or "" (the first)
  bool one_application = false;     // eval: exactly one application, possibly a pretty-printed object
  std::string history;              // a --history grant list, or ""
  std::string ledger;               // the grant ledger, or ""
  bool record = false;              // record the decisions in the ledger
  // Records already in memory (`polc test` builds them from its test records), used instead of
  // the files above when set. Each record's `line` is the one messages cite.
  const std::vector<input::RawRecord>* application_records = nullptr;
  const std::vector<input::RawRecord>* history_records = nullptr;
  // Texts already read (decide_levels reads each file once for all the run's policies), used
  // instead of reading `applications` / `history` when set.
  const std::string* applications_text = nullptr;
  const std::string* history_text = nullptr;
  // Several policies in one run (decide_levels sets these): the run's policies, whether this
  // batch reports records that belong to none of them, and the batches decided before it.
  const RunPolicies* run = nullptr;
  bool first_in_run = true;
  std::vector<Batch*> other_batches;
  // Told how reading, deciding and recording go (a progress line); null: nobody watches.
  const ProgressHook* progress = nullptr;
  // The language of the errors and warnings this run reports (BatchRun::warnings, `errors`).
  Lang lang = Lang::En;
};

// A history record that cannot be used.
struct BadRecord {
  size_t index = 0;     // its position in BatchRequest::history_records; in a file: its line
  std::string message;  // the Decoder's message ("[E0601] …")
};

struct BatchRun {
  std::unique_ptr<Batch> batch;
  std::unique_ptr<ledger::Ledger> ledger;  // open (and, with record, its write lock held) until recorded
  size_t ledger_grants = 0, ledger_dups = 0;
  std::vector<BadRecord> bad_history;      // when decide_batch stopped at the history
  std::vector<std::string> warnings;       // for people; the run goes on
  std::string started_at;                  // UTC, when the batch began (recorded with it)
};

// Reads everything and decides the batch. false: nothing was decided (and nothing will be
// recorded); `errors` says why, one message each.
bool decide_batch(const LoadedPolicy& lp, const BatchRequest& req, BatchRun& run, std::vector<std::string>& errors);

// With req.record: records the decided batch and commits. false: nothing was recorded.
bool record_batch(const LoadedPolicy& lp, const BatchRequest& req, BatchRun& run, ledger::RecordStats& stats,
                  std::string& error);

// Several policies of different levels decided in one run (docs/language.md §13.7). Each record
// (application or history grant) names its policy in a `policy` field. The policies are decided
// one after another, each after every policy of the run whose awards it reads (its `highest`,
// `combined` and `award of` links), so it reads their decisions as well as their grants in the
// history and the ledger. With req.record each policy's decisions are recorded, in a transaction
// of its own, before the next policy is decided.
struct LevelsRun {
  RunPolicies policies;
  std::vector<const LoadedPolicy*> order;  // the order of deciding
  std::vector<BatchRun> runs;              // parallel to order
  std::vector<ledger::RecordStats> recorded;  // parallel to order (with record)
  // Every decision in input order: (index into runs, application index in its batch).
  std::vector<std::pair<uint32_t, uint32_t>> merged;
  std::vector<std::string> warnings;
};
// false: stopped (errors say why); the policies decided and recorded before it stay recorded.
bool decide_levels(const std::vector<const LoadedPolicy*>& policies, const BatchRequest& req, LevelsRun& out,
                   std::vector<std::string>& errors);
// The order in which `policies` are decided: each after those it links to. false on a cycle.
bool level_order(const std::vector<const LoadedPolicy*>& policies, std::vector<size_t>& order, std::string& error,
                 Lang lang = Lang::En);
// Warnings for a decided batch whose level links read a policy the run does not decide: only its
// grants in the history (and ledger) count.
void level_warnings(const Batch& batch, std::vector<std::string>& warnings, Lang lang = Lang::En);

// Reads `path` as `how` says (format, encoding, sheet) into the batch (applications) — one_object:
// one (pretty-printed) JSON object is one record; keep_raw: keep each record for the ledger. false
// with `error` when the file cannot be read at all (nor its encoding, workbook or header).
bool read_applications(const std::string& path, const input::ReadOptions& how, Batch& batch, std::string& error,
                       bool one_object = false, bool keep_raw = false, const std::string* text = nullptr);
// History: every bad record is reported in `errors` (one line each); false if any.
bool read_history(const std::string& path, const std::string& format, Batch& batch, std::vector<std::string>& errors);

// The ledger's side of a batch, the steps decide_batch takes (also for tests that decide in
// rounds by hand). Adds the ledger's recorded grants to batch.history, decoded like --history
// records but keeping award 0 (see Application::award); a grant whose id is in `skip` (read
// from --history with the same award) is not added again, one with another award is an error.
// false with one message per grant that cannot be used.
bool load_ledger_history(ledger::Ledger& ledger, Batch& batch, const std::unordered_map<std::string, int64_t>& skip,
                         std::vector<std::string>& errors, size_t* loaded = nullptr, size_t* skipped = nullptr,
                         Lang lang = Lang::En);
// Marks each application whose id the ledger already decided as Status::Recorded, its recorded
// decision in batch.recorded; `changed` gets the ids whose application as received differs
// from the recorded one (the recorded decision stands). Returns the number marked, -1 on error.
int64_t mark_recorded(ledger::Ledger& ledger, Batch& batch, std::vector<std::string>* changed, std::string& error);

}  // namespace pol
