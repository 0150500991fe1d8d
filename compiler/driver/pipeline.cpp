#include "compiler/driver/pipeline.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/check/check.h"
#include "compiler/diagnostics/messages_driver.h"
#include "compiler/driver/amend.h"
#include "compiler/driver/compiled.h"
#include "compiler/driver/data_dirs.h"
#include "compiler/driver/programme.h"
#include "compiler/driver/sha256.h"
#include "compiler/parse/parse.h"
#include "values/date.h"

namespace pol {

std::string default_stdlib_dir() {
  if (const char* env = std::getenv("POL_STDLIB"); env && *env) return env;
  return find_data_dir("stdlib");
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

  // `text`: the file's contents when the caller has read them already.
  const ast::File* load(const std::string& path, Span from, std::string* read = nullptr) {
    std::string text;
    if (read) text = std::move(*read);
    else if (!read_source_file(path, text)) {
      lp_.diags.report(DiagCode::E0003, from, msg(DriverMsg::CannotRead, {{"path", path}}))
          .with_help(msg(from.file ? DriverMsg::ImportsNameAModule : DriverMsg::CheckThePath));
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
      std::string library = is_path ? "" : opts_.stdlib_dir.empty() ? default_stdlib_dir() : opts_.stdlib_dir;
      if (!is_path && library.empty()) {
        // A copied or moved polc without its share/pol folder: say where it looked.
        lp_.diags.report(DiagCode::E0003, imp.path.span, msg(DriverMsg::NoStandardLibrary, {{"module", path}}))
            .with_help(msg(DriverMsg::StandardLibraryLookedIn, {{"places", data_dir_candidates("stdlib")}}));
        continue;
      }
      std::string full = is_path ? dir_of(lp_.sources.path(f.file_id)) + "/" + path : library + "/" + path + ".pol";
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

bool same_diagnostic(const Diagnostic& a, const Diagnostic& b) {
  return a.code == b.code && a.primary.file == b.primary.file && a.primary.begin == b.primary.begin && a.message == b.message;
}

// The revisions of a programme: each one's header checked against the policy and the one
// before; each version (the policy with revisions 1..k applied) parsed afresh, amended, checked
// and lowered as a policy of its own; then all linked into lp's policy and program (programme.h).
bool revise(LoadedPolicy& lp, const std::vector<const ast::File*>& policy_files,
            const std::vector<const ast::File*>& revisions, const std::vector<const ast::File*>& rules,
            const LoadOptions& o) {
  Diagnostics& diags = lp.diags;
  const Policy& base = *lp.policy;
  std::vector<CheckedVersion> versions(1);
  versions[0].info.name = base.name;
  versions[0].info.title = base.title;
  versions[0].info.short_title = base.short_title;
  versions[0].info.issuer = base.issuer;
  versions[0].info.number = base.number;
  versions[0].info.draft = base.draft;
  versions[0].info.span = base.span;
  int32_t previous = base.validity.present ? base.validity.from : INT32_MIN;
  std::string previous_name = base.name;
  for (const ast::File* r : revisions) {
    const ast::PolicyHeader* h = r->revision.get();
    Span whole{r->file_id, 0, 0};
    if (!h) {
      diags.report(DiagCode::E0412, r->policy ? r->policy->span : whole,
                   msg(DriverMsg::NotARevision, {{"path", lp.sources.path(r->file_id)}}))
          .with_help(msg(DriverMsg::ARevisionStartsWith, {{"base", base.name}}));
      continue;
    }
    if (h->base.text != base.name)
      diags.report(DiagCode::E0412, h->base.span, msg(DriverMsg::AmendsAnotherPolicy, {{"named", h->base.text}, {"base", base.name}}))
          .with_help(msg(DriverMsg::WriteRevisionOf, {{"name", h->name.text}, {"base", base.name}}));
    CheckedVersion v;
    v.info.name = h->name.text;
    v.info.title = h->title.text;
    v.info.short_title = h->short_title.text;
    v.info.issuer = h->issuer.text.empty() ? base.issuer : h->issuer.text;
    v.info.number = h->number.text;
    v.info.draft = h->status.text == "draft";
    for (const auto& n : h->notes) v.info.notes.push_back(n.text);
    for (const auto& a : r->amendments) v.info.amended_clauses.push_back(a.number.text);
    for (const auto& c : r->clauses) v.info.amended_clauses.push_back(c.number.text);
    v.info.span = h->span;
    int32_t day = 0;
    if (h->effective.text.empty()) {
      diags.report(DiagCode::E0412, h->name.span, msg(DriverMsg::RevisionWithoutEffective, {{"name", h->name.text}}))
          .with_help(msg(DriverMsg::AddEffective));
    } else if (!parse_date(h->effective.text, &day)) {
      diags.report(DiagCode::E0004, h->effective.span, msg(DriverMsg::NotACalendarDate, {{"text", h->effective.text}}));
    } else if (day <= previous) {
      diags.report(DiagCode::E0413, h->effective.span,
                   msg(DriverMsg::RevisionNotAfter, {{"name", h->name.text}, {"date", h->effective.text}, {"previous", previous_name}}))
          .with_help(msg(DriverMsg::GiveRevisionsInOrder));
    }
    v.info.in_force_from = day;
    previous = day;
    previous_name = h->name.text;
    versions.push_back(std::move(v));
  }
  if (diags.has_errors()) return false;
  versions[0].policy = std::move(lp.policy);
  versions[0].program = std::move(lp.program);

  for (size_t k = 1; k < versions.size(); ++k) {
    // A fresh syntax tree of the policy (and of each revision): amendments move their parts in.
    Diagnostics scratch;
    std::vector<std::unique_ptr<ast::File>> fresh;
    for (const ast::File* f : policy_files) fresh.push_back(parse(f->file_id, lp.sources, scratch));
    std::vector<std::unique_ptr<ast::File>> revised;
    for (size_t j = 1; j <= k; ++j) revised.push_back(parse(revisions[j - 1]->file_id, lp.sources, scratch));
    for (size_t j = 0; j < revised.size(); ++j) apply_revision(*fresh.back(), *revised[j], diags, j + 1 == k);
    if (diags.has_errors()) return false;
    std::vector<const ast::File*> files;
    for (const auto& f : fresh) files.push_back(f.get());
    Diagnostics checked;
    versions[k].policy = check(files, rules, checked);
    if (o.need_parameter_values && !checked.has_errors()) check_parameter_values(*versions[k].policy, checked);
    // What the amended text gets wrong is reported once, wherever it is written.
    for (const auto& d : checked.all()) {
      bool seen = false;
      for (const auto& e : diags.all()) seen = seen || same_diagnostic(d, e);
      if (!seen) diags.add(d);
    }
    if (checked.has_errors()) return false;
    versions[k].program = ir::lower(*versions[k].policy);
  }

  // Gaps: a version that ends before the next takes effect leaves applications with no text.
  for (size_t k = 0; k + 1 < versions.size(); ++k) {
    const Validity& v = versions[k].policy->validity;
    int32_t next = versions[k + 1].info.in_force_from;
    if (v.present && v.to < next - 1) {
      std::string a, b;
      format_date(v.to + 1, a);
      format_date(next - 1, b);
      diags.report(DiagCode::W0004, versions[k + 1].info.span,
                   msg(DriverMsg::NoVersionInForce,
                       {{"from", a}, {"to", b}, {"earlier", versions[k].info.name}, {"later", versions[k + 1].info.name}}))
          .with_help(msg(DriverMsg::OutsideEveryWindow));
    }
  }

  auto linked = std::make_unique<Policy>();
  ir::Program prog;
  if (!link_versions(versions, *linked, prog, diags)) return false;
  lp.policy = std::move(linked);
  lp.program = std::move(prog);
  for (const auto& problem : ir::verify(lp.program, *lp.policy))
    diags.report(DiagCode::E0009, lp.policy->span, msg(DriverMsg::LinkedProgramUnsound, {{"problem", problem}}))
        .with_help(msg(DriverMsg::ReportWithRevisions));
  return !diags.has_errors();
}

}  // namespace

DocumentInfo document_info(const std::string& path) {
  DocumentInfo info;
  std::string text;
  if (!read_source_file(path, text)) return info;
  if (is_compiled_policy(text)) {
    info.kind = DocumentInfo::Kind::Policy;
    info.name = compiled_policy_name(text);
    return info;
  }
  SourceManager sm;
  Diagnostics diags;
  auto file = parse(sm.add(path, std::move(text)), sm, diags);
  info.kind = DocumentInfo::Kind::Other;
  if (file->revision) {
    info.kind = DocumentInfo::Kind::Revision;
    info.name = file->revision->base.text;
  } else if (file->policy) {
    info.kind = DocumentInfo::Kind::Policy;
    info.name = file->policy->name.text;
  } else if (!file->rules.empty()) {
    info.kind = DocumentInfo::Kind::Rules;
    info.name = file->rules[0].policy.text;
  } else if (file->tests_for) {
    info.kind = DocumentInfo::Kind::Tests;
  }
  return info;
}

std::unique_ptr<LoadedPolicy> load_policy(const LoadOptions& o) {
  // A compiled policy (polc compile) carries its checked policy, parameter values and IR.
  std::string text;
  bool read = read_source_file(o.policy_path, text);
  if (read && is_compiled_policy(text)) {
    auto lp = load_compiled(o.policy_path, text);
    if (lp->ok() && (!o.rules_paths.empty() || !o.sets.empty() || !o.revision_paths.empty()))
      lp->diags.report(DiagCode::E0010, Span{}, msg(DriverMsg::CompiledCarriesValues))
          .with_help(msg(DriverMsg::CompileAgainWithThem));
    if (lp->ok() && o.need_parameter_values) check_parameter_values(*lp->policy, lp->diags);
    return lp;
  }
  auto lp = std::make_unique<LoadedPolicy>();
  Loader loader(*lp, o);
  const ast::File* main = loader.load(o.policy_path, Span{}, read ? &text : nullptr);
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
      lp->diags.report(DiagCode::E0302, Span{}, msg(DriverMsg::SetNotNameValue, {{"text", s}}))
          .with_help(msg(DriverMsg::SetExample));
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
      lp->diags.report(DiagCode::E0302, Span{id, 0, 0}, msg(DriverMsg::SetNotOne, {{"text", s}}))
          .with_help(msg(DriverMsg::OneParameterPerSet));
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
    lp->diags.report(DiagCode::E0009, lp->policy->span, msg(DriverMsg::LoweredProgramUnsound, {{"problem", problem}}))
        .with_help(msg(DriverMsg::ReportWithPolicy));
  if (lp->diags.has_errors()) return lp;

  std::vector<const ast::File*> revisions;
  if (!o.revision_paths.empty()) {
    for (const auto& path : o.revision_paths)
      if (const ast::File* f = loader.load(path, Span{})) revisions.push_back(f);
    if (lp->diags.has_errors() || !revise(*lp, policy_files, revisions, rules, o)) return lp;
  }

  Sha256 h;
  // Each file as its length and text, so moving text between files changes the identity.
  auto add = [&](const ast::File* f) {
    std::string_view t = lp->sources.text(f->file_id);
    h.update(std::to_string(t.size()) + ":");
    h.update(t);
  };
  for (const auto* f : policy_files) add(f);
  for (const auto* f : revisions) add(f);
  for (const auto* f : rules) add(f);
  lp->identity = lp->policy->name + "@" + h.hex().substr(0, 16);
  return lp;
}

}  // namespace pol
