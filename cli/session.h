// What eval, run and test share: load a policy and print its diagnostics; read records
// (JSON Lines or CSV, a file or standard input) into a batch or its history.
#pragma once

#include "runtime/ledger/ledger.h"

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "compiler/driver/pipeline.h"
#include "runtime/portfolio/batch.h"

namespace pol::cli {

// The policy a command evaluates: the file, its rules files and `--set` overrides.
struct PolicyOptions {
  std::string policy;
  std::vector<std::string> rules, sets;
};
// Adds the positional POLICY (first) with --rules and --set to `cmd`.
void add_policy_options(CLI::App* cmd, PolicyOptions& o);
// Loads `o` (every required parameter must have a value) and prints its diagnostics.
std::unique_ptr<LoadedPolicy> load_and_report(const PolicyOptions& o);

// Loads and checks; prints diagnostics to stderr. Returns null when the policy has errors.
std::unique_ptr<LoadedPolicy> load_and_report(const std::string& policy, const std::vector<std::string>& rules,
                                              const std::vector<std::string>& sets, bool need_values);

// True when both name the same existing file (not for "-" or empty names).
bool same_file(const std::string& a, const std::string& b);

// Warns on stderr about recorded decisions whose texts were not UTF-8 (see Ledger::damaged_ids).
void report_damaged(const ledger::Ledger& led);
// Flushes standard output; false (after saying so on stderr) when the write failed.
bool flush_stdout();

// Reads `path` ("-" = stdin) as `format` ("", "jsonl", "csv"; "" = by extension) into the batch.
// Returns false with `error` when the file cannot be read. When whole_json is set, a file
// holding one (possibly pretty-printed) JSON object is read as one record.
// keep_raw: keep each application as received (Application::raw) for the ledger.
bool read_applications(const std::string& path, const std::string& format, Batch& batch, std::string& error,
                       bool whole_json = false, bool keep_raw = false);
// History: every bad record is reported in `errors` (one line each); returns false if any.
bool read_history(const std::string& path, const std::string& format, Batch& batch, std::vector<std::string>& errors);

}  // namespace pol::cli
