#include "cli/session.h"

#include <cstdio>
#include <filesystem>

#include <simdjson.h>

#include "cli/commands.h"
#include "runtime/input/records.h"

namespace pol::cli {

std::unique_ptr<LoadedPolicy> load_and_report(const std::string& policy, const std::vector<std::string>& rules,
                                              const std::vector<std::string>& sets, bool need_values) {
  LoadOptions lo;
  lo.policy_path = policy;
  lo.rules_paths = rules;
  lo.sets = sets;
  lo.need_parameter_values = need_values;
  auto lp = load_policy(lo);
  lp->diags.sort_by_position();
  if (!lp->diags.all().empty()) {  // warnings too: a policy officer should see them wherever it runs
    std::fputs(render_all(lp->diags, lp->sources, stderr_is_tty()).c_str(), stderr);
  }
  if (!lp->ok()) return nullptr;
  return lp;
}

void report_damaged(const ledger::Ledger& led) {
  const auto& ids = led.damaged_ids();
  if (ids.empty()) return;
  std::string list;
  for (size_t i = 0; i < ids.size() && i < 5; ++i) list += (i ? ", " : "") + ids[i];
  if (ids.size() > 5) list += ", …";
  std::fprintf(stderr,
               "warning: %zu recorded decision(s) hold text that is not UTF-8 (%s), written by an older polc; they "
               "are used with U+FFFD in place of the bad bytes\n", ids.size(), list.c_str());
}

bool same_file(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty() || a == "-" || b == "-") return false;
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}

bool flush_stdout() {
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return true;
  std::fprintf(stderr, "error: writing to standard output failed\n");
  return false;
}

void add_policy_options(CLI::App* cmd, PolicyOptions& o) {
  cmd->add_option("policy", o.policy, "The policy (.pol)")->required();
  cmd->add_option("--rules", o.rules, "Rules file(s) with the implementation-rule parameter values")
      ->allow_extra_args(false);
  cmd->add_option("--set", o.sets, "Override a parameter for this run: NAME=VALUE (e.g. annual_budget=4000000)")
      ->allow_extra_args(false);
}

std::unique_ptr<LoadedPolicy> load_and_report(const PolicyOptions& o) {
  return load_and_report(o.policy, o.rules, o.sets, true);
}

namespace {

bool open_text(const std::string& path, const std::string& format, bool whole_json, std::string& text,
               std::unique_ptr<input::RecordReader>& reader, std::string& error) {
  if (!input::read_file(path, text, error)) return false;
  input::Format f = input::resolve_format(format, path);
  if (f == input::Format::Jsonl && whole_json) {
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
                       bool whole_json, bool keep_raw) {
  std::string text;
  std::unique_ptr<input::RecordReader> reader;
  if (!open_text(path, format, whole_json, text, reader, error)) return false;
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

}  // namespace pol::cli
