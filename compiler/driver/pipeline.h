// The pipeline, listed in one place: read → parse (imports too) → check → rules → lower.
// A LoadedPolicy owns every source buffer, AST, the checked policy and its IR; diagnostics
// spans point into its SourceManager, so it must outlive their rendering.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/check/policy.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/ir/ir.h"

namespace pol {

struct LoadOptions {
  std::string policy_path;
  std::vector<std::string> revision_paths;  // revisions of the policy, in the order they take effect
  std::vector<std::string> rules_paths;
  std::vector<std::string> sets;   // NAME=VALUE, applied after the rules files
  std::string stdlib_dir;          // default: default_stdlib_dir()
  bool need_parameter_values = false;  // eval/run: every required parameter must be set
};

struct LoadedPolicy {
  SourceManager sources;
  Diagnostics diags;
  std::vector<std::unique_ptr<ast::File>> files;  // imports first, then the policy, then rules
  std::unique_ptr<Policy> policy;
  ir::Program program;
  std::string identity;  // policy name + SHA-256 of the policy, imports and rules text
  bool ok() const { return policy && !diags.has_errors(); }
};

std::unique_ptr<LoadedPolicy> load_policy(const LoadOptions& options);

// What a file on a command line is, read without checking it: a policy (source or compiled), a
// revision of one, a rules file, a test file. `name`: the policy's name, the policy a revision
// amends, or the policy a rules file is for.
struct DocumentInfo {
  enum class Kind : uint8_t { Unreadable, Policy, Revision, Rules, Tests, Other } kind = Kind::Unreadable;
  std::string name;
};
DocumentInfo document_info(const std::string& path);

// The library folder: $POL_STDLIB, or find_data_dir("stdlib") (data_dirs.h); "" when neither.
std::string default_stdlib_dir();

// Reads a source file whole; false when it cannot be read.
bool read_source_file(const std::string& path, std::string& out);

}  // namespace pol
