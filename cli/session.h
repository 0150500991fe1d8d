// What the commands share: load a policy and print its diagnostics, report a ledger's damaged
// rows, flush standard output. Reading and deciding a batch is runtime/run/batch_run.h.
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

}  // namespace pol::cli
