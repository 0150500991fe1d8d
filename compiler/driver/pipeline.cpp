#include "compiler/driver/pipeline.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/check/check.h"
#include "compiler/driver/compiled.h"
#include "compiler/driver/sha256.h"
#include "compiler/parse/parse.h"

namespace pol {

std::string default_stdlib_dir() {
  if (const char* env = std::getenv("POL_STDLIB")) return env;
  return POL_STDLIB_DIR;
}

bool read_source_file(const std::string& path, std::string& out) {
  // A folder opens as an empty stream on Linux: it would pass as an empty library.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

namespace {

std::string dir_of(const std::string& path) {
  auto pos = path.find_last_of('/');
  return pos == std::string::npos ? "." : path.substr(0, pos);
}

class Loader {
 public:
  Loader(LoadedPolicy& lp, const LoadOptions& o) : lp_(lp), opts_(o) {}

  const ast::File* load(const std::string& path, Span from) {
    std::string text;
    if (!read_source_file(path, text)) {
      lp_.diags.report(DiagCode::E0003, from, "cannot read `" + path + "`")
          .help = from.file ? "imports name a library module (`import \"common\"`) or a path relative to this file"
                            : "check the path";
      return nullptr;
    }
    uint32_t id = lp_.sources.add(path, std::move(text));
    lp_.files.push_back(parse(id, lp_.sources, lp_.diags));
    const ast::File* f = lp_.files.back().get();
    return f;
  }

  // Loads imports depth-first so a library precedes the files that use it.
  void imports(const ast::File& f, std::vector<const ast::File*>& order, std::set<std::string>& seen) {
    for (const auto& imp : f.imports) {
      std::string path = imp.path.text;
      bool is_path = path.size() > 4 && path.compare(path.size() - 4, 4, ".pol") == 0;
      std::string full = is_path ? dir_of(lp_.sources.path(f.file_id)) + "/" + path
                                 : (opts_.stdlib_dir.empty() ? default_stdlib_dir() : opts_.stdlib_dir) + "/" + path + ".pol";
      if (!seen.insert(full).second) continue;
      const ast::File* lib = load(full, imp.path.span);
      if (!lib) continue;
      imports(*lib, order, seen);
      order.push_back(lib);
    }
  }

 private:
  LoadedPolicy& lp_;
  const LoadOptions& opts_;
};

}  // namespace

std::unique_ptr<LoadedPolicy> load_policy(const LoadOptions& o) {
  // A compiled policy (polc compile) carries its checked policy, parameter values and IR.
  {
    std::string text;
    if (read_source_file(o.policy_path, text) && is_compiled_policy(text)) {
      auto lp = load_compiled(o.policy_path, text);
      if (lp->ok() && (!o.rules_paths.empty() || !o.sets.empty()))
        lp->diags.report(DiagCode::E0010, Span{}, "a compiled policy carries its parameter values; --rules and --set cannot change them")
            .help = "compile again with the rules files and --set values: `polc compile POLICY --rules FILE -o FILE`";
      if (lp->ok() && o.need_parameter_values) check_parameter_values(*lp->policy, lp->diags);
      return lp;
    }
  }
  auto lp = std::make_unique<LoadedPolicy>();
  Loader loader(*lp, o);
  const ast::File* main = loader.load(o.policy_path, Span{});
  if (!main) return lp;
  std::vector<const ast::File*> policy_files;
  std::set<std::string> seen{o.policy_path};
  loader.imports(*main, policy_files, seen);
  policy_files.push_back(main);

  std::vector<const ast::File*> rules;
  for (const auto& r : o.rules_paths)
    if (const ast::File* f = loader.load(r, Span{})) rules.push_back(f);
  // `--set NAME=VALUE` becomes a one-line rules file, so its value is parsed and checked
  // exactly like a rules-file line and its diagnostics point into it.
  std::string policy_name = main->policy ? main->policy->name.text : "_";
  for (const auto& s : o.sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      lp->diags.report(DiagCode::E0302, Span{}, "`--set " + s + "` is not of the form NAME=VALUE")
          .help = "e.g. `--set annual_budget=4000000`";
      continue;
    }
    std::string text = "rules for " + policy_name + " { " + s.substr(0, eq) + " = " + s.substr(eq + 1) + " }";
    uint32_t id = lp->sources.add("--set", std::move(text));
    lp->files.push_back(parse(id, lp->sources, lp->diags));
    lp->files.back()->command_line = true;
    const ast::File* f = lp->files.back().get();
    // One --set sets one parameter: a value that closes the block and opens another is refused.
    bool single = f->rules.size() == 1 && f->rules[0].sets.size() == 1 && f->rules[0].sets[0].name.text == s.substr(0, eq) &&
                  !f->policy && f->parameters.empty() && f->clauses.empty() && f->tests.empty();
    if (!single && !lp->diags.has_errors()) {
      lp->diags.report(DiagCode::E0302, Span{id, 0, 0}, "`--set " + s + "` is not one NAME=VALUE")
          .help = "give one parameter and one value per --set";
      continue;
    }
    rules.push_back(f);
  }
  if (lp->diags.has_errors()) return lp;  // syntax errors: checking would only cascade

  lp->policy = check(policy_files, rules, lp->diags);
  if (o.need_parameter_values && !lp->diags.has_errors()) check_parameter_values(*lp->policy, lp->diags);
  if (lp->diags.has_errors()) return lp;
  lp->program = ir::lower(*lp->policy);
  // A program the verifier refuses is a fault of the compiler, never of the policy: say so
  // rather than evaluate it.
  for (const auto& problem : ir::verify(lp->program, *lp->policy))
    lp->diags.report(DiagCode::E0009, lp->policy->span, "internal compiler error: lowered program is unsound: " + problem)
        .help = "please report this with the policy file";
  if (lp->diags.has_errors()) return lp;

  Sha256 h;
  // Each file as its length and text, so moving text between files changes the identity.
  auto add = [&](const ast::File* f) {
    std::string_view t = lp->sources.text(f->file_id);
    h.update(std::to_string(t.size()) + ":");
    h.update(t);
  };
  for (const auto* f : policy_files) add(f);
  for (const auto* f : rules) add(f);
  lp->identity = lp->policy->name + "@" + h.hex().substr(0, 16);
  return lp;
}

}  // namespace pol
