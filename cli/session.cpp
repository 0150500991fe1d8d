#include "cli/session.h"

#include <cstdio>
#include <filesystem>


#include "cli/cli_text.h"
#include "cli/commands.h"
#include "cli/lang_option.h"
#include "compiler/driver/levels.h"
#include "runtime/input/records.h"

namespace pol::cli {

std::unique_ptr<LoadedPolicy> load_and_report(const std::string& policy, const std::vector<std::string>& rules,
                                              const std::vector<std::string>& sets, bool need_values,
                                              const std::vector<std::string>& revisions) {
  LoadOptions lo;
  lo.policy_path = policy;
  lo.revision_paths = revisions;
  lo.rules_paths = rules;
  lo.sets = sets;
  lo.need_parameter_values = need_values;
  auto lp = load_policy(lo);
  lp->diags.sort_by_position();
  if (!lp->diags.all().empty()) {  // warnings too: a policy officer should see them wherever it runs
    std::fputs(render_all(lp->diags, lp->sources, terminal_render_options(stderr_is_tty())).c_str(), stderr);
  }
  if (!lp->ok()) return nullptr;
  return lp;
}

std::vector<PolicyOptions> policy_groups(const PolicyOptions& o) {
  std::vector<PolicyOptions> groups;
  if (o.documents.size() <= 1) return {o};
  std::vector<std::string> names;  // each group's policy name
  for (size_t i = 0; i < o.documents.size(); ++i) {
    DocumentInfo info = i == 0 ? document_info(o.documents[0]) : document_info(o.documents[i]);
    if (i == 0 || info.kind == DocumentInfo::Kind::Policy) {
      PolicyOptions g;
      g.policy = o.documents[i];
      g.documents.push_back(o.documents[i]);
      groups.push_back(std::move(g));
      names.push_back(info.name);
    } else {
      groups.back().revisions.push_back(o.documents[i]);
      groups.back().documents.push_back(o.documents[i]);
    }
  }
  if (groups.size() == 1) return {o};
  for (const auto& r : o.rules) {
    std::string target = document_info(r).name;
    size_t g = 0;
    for (size_t k = 0; k < names.size(); ++k)
      if (names[k] == target) g = k;
    groups[g].rules.push_back(r);
  }
  for (const auto& s : o.sets) {
    size_t dot = s.find('.'), eq = s.find('=');
    size_t g = 0;
    std::string set = s;
    if (dot != std::string::npos && dot < eq)
      for (size_t k = 0; k < names.size(); ++k)
        if (names[k] == s.substr(0, dot)) {
          g = k;
          set = s.substr(dot + 1);
        }
    groups[g].sets.push_back(set);
  }
  return groups;
}

std::vector<std::unique_ptr<LoadedPolicy>> load_all_and_report(const std::vector<PolicyOptions>& groups) {
  std::vector<std::unique_ptr<LoadedPolicy>> out;
  bool ok = true;
  for (const auto& g : groups) {
    out.push_back(load_and_report(g));
    ok = ok && out.back();
  }
  if (!ok) {
    out.clear();
    return out;
  }
  // What each policy says of the others (their items, the key fields) holds against them.
  std::vector<LoadedPolicy*> all;
  for (auto& lp : out) {
    lp->diags.clear();
    all.push_back(lp.get());
  }
  if (!check_level_links(all)) {
    for (auto* lp : all) std::fputs(render_all(lp->diags, lp->sources, terminal_render_options(stderr_is_tty())).c_str(), stderr);
    out.clear();
  }
  return out;
}

void report_damaged(const ledger::Ledger& led, Lang lang) {
  const auto& ids = led.damaged_ids();
  if (ids.empty()) return;
  std::string list;
  for (size_t i = 0; i < ids.size() && i < 5; ++i) list += (i ? ", " : "") + ids[i];
  if (ids.size() > 5) list += ", …";
  say_err(lang, CliMsg::DamagedDecisions, {{"count", std::to_string(ids.size())}, {"ids", list}});
}

bool same_file(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty() || a == "-" || b == "-") return false;
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}

std::vector<std::string> inputs_of(const PolicyOptions& pol, std::initializer_list<std::string> files) {
  std::vector<std::string> inputs = pol.documents;
  inputs.insert(inputs.end(), files);
  inputs.insert(inputs.end(), pol.rules.begin(), pol.rules.end());
  return inputs;
}

bool output_apart_from(const std::string& output, const std::vector<std::string>& inputs, CliMsg says, Lang lang) {
  for (const auto& in : inputs)
    if (same_file(output, in)) {
      say_err(lang, says, {{"file", output}});
      return false;
    }
  return true;
}

bool flush_stdout(Lang lang) {
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return true;
  say_err(lang, CliMsg::StdoutFailed);
  return false;
}

void add_policy_options(CLI::App* cmd, PolicyOptions& o, Lang lang, std::string* trailing, const std::string& trailing_help) {
  // POLICY [REVISION...]: the documents of a programme, the measures first, then the revisions
  // that amend them in the order they take effect. A command's own input (the applications)
  // comes last on the same line, so one list is read and its last word given to `trailing`.
  std::string help = trailing ? say(lang, CliMsg::HelpPolicyDocsThen, {{"then", trailing_help}})
                              : say(lang, CliMsg::HelpPolicyDocs);
  cmd->add_option(trailing ? "policy ... input" : "policy", o.documents, help)->required()->expected(trailing ? 2 : 1, -1);
  cmd->parse_complete_callback([&o, trailing] {
    if (trailing && !o.documents.empty()) {
      *trailing = o.documents.back();
      o.documents.pop_back();
    }
    if (o.documents.empty()) return;
    o.policy = o.documents.front();
    o.revisions.assign(o.documents.begin() + 1, o.documents.end());
  });
  cmd->add_option("--rules", o.rules, say(lang, CliMsg::HelpRules))->allow_extra_args(false);
  cmd->add_option("--set", o.sets, say(lang, CliMsg::HelpSetRun))->allow_extra_args(false);
  add_lang_option(cmd, lang);
}

std::unique_ptr<LoadedPolicy> load_and_report(const PolicyOptions& o) {
  return load_and_report(o.policy, o.rules, o.sets, true, o.revisions);
}

}  // namespace pol::cli
