// What the commands share: load a policy and print its diagnostics, report a ledger's damaged
// rows, flush standard output. Reading and deciding a batch is runtime/run/batch_run.h.
#pragma once

#include "runtime/ledger/ledger.h"

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "compiler/diagnostics/messages_cli.h"
#include "compiler/driver/pipeline.h"
#include "runtime/portfolio/batch.h"

namespace pol::cli {

// The policy a command evaluates: the file, its rules files and `--set` overrides.
struct PolicyOptions {
  std::string policy;
  std::vector<std::string> revisions;  // revision documents given after the policy
  std::vector<std::string> rules, sets;
  std::vector<std::string> documents;  // as given: the policy, then its revisions
};
// Adds the positional POLICY [REVISION...] (first) with --rules and --set to `cmd`.
// trailing: the command's own positional input, given after the documents (its help text, in
// `lang`, the language of the other help texts).
void add_policy_options(CLI::App* cmd, PolicyOptions& o, Lang lang, std::string* trailing = nullptr,
                        const std::string& trailing_help = "");
// Loads `o` (every required parameter must have a value) and prints its diagnostics.
std::unique_ptr<LoadedPolicy> load_and_report(const PolicyOptions& o);

// The policies given together (levels, docs/language.md §13.7): the documents split where a
// policy, not a revision of the one before, begins; each rules file goes to the policy it is
// `rules for`; `--set POLICY.NAME=VALUE` to that policy, a plain `NAME=VALUE` to the first.
// One group when a single policy (with its revisions) is given.
std::vector<PolicyOptions> policy_groups(const PolicyOptions& o);
// Loads every group (printing diagnostics); empty when any of them has errors.
std::vector<std::unique_ptr<LoadedPolicy>> load_all_and_report(const std::vector<PolicyOptions>& groups);

// Loads and checks; prints diagnostics to stderr. Returns null when the policy has errors.
std::unique_ptr<LoadedPolicy> load_and_report(const std::string& policy, const std::vector<std::string>& rules,
                                              const std::vector<std::string>& sets, bool need_values,
                                              const std::vector<std::string>& revisions = {});

// True when both name the same existing file (not for "-" or empty names).
bool same_file(const std::string& a, const std::string& b);

// The files a batch command reads: the policy's documents and rules, then `files` (applications,
// history, ledger; empty names are ignored by output_apart_from).
std::vector<std::string> inputs_of(const PolicyOptions& pol, std::initializer_list<std::string> files);
// False, after saying so on stderr, when -o `output` names one of `inputs`: writing would destroy it.
// `says`: the message (CliMsg::OutputIsInputRun or OutputIsInputComparison), with {file}.
bool output_apart_from(const std::string& output, const std::vector<std::string>& inputs, CliMsg says, Lang lang);

// Warns on stderr about recorded decisions whose texts were not UTF-8 (see Ledger::damaged_ids).
void report_damaged(const ledger::Ledger& led, Lang lang);
// Flushes standard output; false (after saying so on stderr) when the write failed.
bool flush_stdout(Lang lang);

}  // namespace pol::cli
