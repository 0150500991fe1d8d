// polc ledger — the grant ledger (SQLite): show totals, export every decision, import an
// existing grant list. Recording a batch is `polc run … --ledger FILE --record`.
#include <sys/stat.h>

#include <cstdio>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "cli/cli_text.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "runtime/explain/csv_cell.h"
#include "runtime/explain/explain.h"
#include "runtime/input/records.h"
#include "runtime/ledger/ledger.h"
#include "values/fixed.h"

namespace pol::cli {
namespace {

// ---- show ----

std::string count_cell(int64_t v) { return int_grouped_str(v); }

// "6,000,000.00" (the tables say 元 in their header).
std::string yuan(int64_t fen) {
  std::string s = money_str(fen);
  const std::string unit = " 元";
  if (s.size() > unit.size() && s.compare(s.size() - unit.size(), unit.size(), unit) == 0) s.resize(s.size() - unit.size());
  return s;
}

// Text padded to `width` display columns (a Chinese character takes two), on the left or right.
std::string pad(const std::string& text, size_t width, bool right = false) {
  size_t cols = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) cols += c >= 0xE1 && c != 0xE2 ? 2 : 1;  // CJK; not punctuation like — (E2)
  }
  std::string fill(cols < width ? width - cols : 0, ' ');
  return right ? fill + text : text + fill;
}

void show_text(const ledger::Ledger& led, const ledger::Totals& t, const ledger::TotalsFilter& filter,
               const LoadedPolicy* lp, Lang lang, std::string& out) {
  auto say_ = [lang](CliMsg id, std::initializer_list<MsgArg> args = {}) { return say(lang, id, args); };
  std::string where;
  const std::string year = std::to_string(filter.year);
  if (!filter.enterprise.empty() && filter.year)
    where = say_(CliMsg::ShowWhereBoth, {{"enterprise", filter.enterprise}, {"year", year}});
  else if (!filter.enterprise.empty())
    where = say_(CliMsg::ShowWhereEnterprise, {{"enterprise", filter.enterprise}});
  else if (filter.year)
    where = say_(CliMsg::ShowWhereYear, {{"year", year}});
  out += say_(CliMsg::ShowHeading, {{"file", led.path()}, {"schema", std::to_string(led.schema_version())}, {"where", where},
                                    {"decisions", count_cell(t.all.decisions)}, {"eligible", count_cell(t.all.eligible)},
                                    {"granted", count_cell(t.all.grants)}, {"total", money_str(t.all.total_fen)}}) +
         "\n";
  const std::string total_col = say_(CliMsg::ShowColTotal);
  if (!t.runs.empty()) {
    out += "\n" + say_(CliMsg::ShowRuns) + "\n";
    out += "  " + pad(say_(CliMsg::ShowColRun), 4, true) + "  " + pad(say_(CliMsg::ShowColKind), 6) + "  " +
           pad(say_(CliMsg::ShowColRecordedAt), 20) + "  " + pad(say_(CliMsg::ShowColPolicy), 34) + "  " +
           pad(say_(CliMsg::ShowColDecided), 9, true) + "  " + pad(say_(CliMsg::ShowColGranted), 9, true) + "  " +
           pad(total_col, 20, true) + "  " + say_(CliMsg::ShowColInput) + "\n";
    for (const auto& r : t.runs)
      out += fmt::format("  {:>4}  {:<6}  {:<20}  {:<34}  {:>9}  {:>9}  {:>20}  {}\n", r.run_id, r.kind, r.recorded_at,
                         r.policy, count_cell(r.decided), count_cell(r.granted), yuan(r.total_fen), r.input);
  }
  auto table = [&](CliMsg title, CliMsg key, const std::vector<ledger::Totals::Row>& rows, int width,
                   const std::function<std::string(const std::string&)>& label) {
    out += "\n" + say_(title) + "\n";
    out += "  " + pad(say_(key), width) + "  " + pad(say_(CliMsg::ShowColDecisions), 9, true) + "  " +
           pad(say_(CliMsg::ShowColEligible), 9, true) + "  " + pad(say_(CliMsg::ShowColGranted), 9, true) + "  " +
           pad(total_col, 20, true) + "\n";
    for (const auto& r : rows) {
      out += fmt::format("  {:<{}}  {:>9}  {:>9}  {:>9}  {:>20}", r.key, width, count_cell(r.decisions),
                         count_cell(r.eligible), count_cell(r.grants), yuan(r.total_fen));
      std::string l = label ? label(r.key) : "";
      out += l.empty() ? "\n" : "  " + l + "\n";
    }
  };
  const Policy* p = lp ? lp->policy.get() : nullptr;
  table(CliMsg::ShowPerYear, CliMsg::ShowColYear, t.per_year, 6, nullptr);
  table(CliMsg::ShowPerItem, CliMsg::ShowColItem, t.per_item, 6, [&](const std::string& k) -> std::string {
    if (!p) return "";
    int i = p->find_item(k);
    return i >= 0 ? p->items[i].title : say_(CliMsg::ShowNotAnItem);
  });
  size_t ew = 10;
  for (const auto& r : t.per_enterprise) ew = std::max(ew, r.key.size());
  table(CliMsg::ShowPerEnterprise, CliMsg::ShowColEnterprise, t.per_enterprise, static_cast<int>(ew), nullptr);
  if (p) {
    out += "\n" + say_(CliMsg::ShowPerGroup, {{"policy", lp->identity}}) + "\n";
    if (t.per_group.empty()) out += say_(CliMsg::ShowNoGroupGrant) + "\n";
    size_t sw = 10;
    for (const auto& g : t.per_group) sw = std::max(sw, g.scope.size());
    std::string last;
    for (const auto& g : t.per_group) {
      if (g.group != last) {
        out += say_(CliMsg::ShowGroupLimit, {{"group", g.group}, {"label", g.label},
                                             {"limit", g.limit_fen >= 0 ? money_str(g.limit_fen) : g.limit}}) +
               "\n";
        last = g.group;
      }
      std::string left = g.limit_fen >= 0
                             ? say_(CliMsg::ShowGroupLeft, {{"left", money_str(std::max<int64_t>(0, g.limit_fen - g.used_fen))}})
                             : "";
      // The JSON keeps the ledger's words ("(programme)", "term"); the table shows them in the reader's.
      const std::string scope = g.scope == "(programme)" ? say_(CliMsg::ShowScopeProgramme) : g.scope;
      const std::string period = g.period == "term" ? say_(CliMsg::ShowPeriodTerm) : g.period;
      out += fmt::format("    {:<{}}  {:<6}  ", scope, sw, period) +
             say_(CliMsg::ShowGroupRow, {{"grants", fmt::format("{:>9}", count_cell(g.grants))},
                                         {"used", fmt::format("{:>20}", money_str(g.used_fen))}}) +
             left + "\n";
    }
    for (const auto& u : t.unknown_items) out += say_(CliMsg::ShowUnknownItem, {{"item", u}}) + "\n";
  } else {
    out += "\n" + say_(CliMsg::ShowGroupsNeedPolicy) + "\n";
  }
  if (t.policies.size() > 1) {
    out += "\n" + say_(CliMsg::ShowDecidedUnder) + "\n";
    for (const auto& [id, n] : t.policies)
      out += "  " + pad(id, 34) + "  " + say_(CliMsg::ShowDecisionsCount, {{"count", fmt::format("{:>9}", count_cell(n))}}) + "\n";
  }
}

void row_json(const ledger::Totals::Row* r, const char* key_name, bool numeric_key, std::string& out) {
  out += '{';
  if (key_name) {
    out += fmt::format("\"{}\":", key_name);
    if (numeric_key) out += r->key;
    else {
      out += '"';
      json_escape(r->key, out);
      out += '"';
    }
    out += ',';
  }
  out += fmt::format("\"decisions\":{},\"eligible\":{},\"granted\":{},\"total\":\"{}\"}}", r->decisions, r->eligible,
                     r->grants, money_plain_str(r->total_fen));
}

void show_json(const ledger::Ledger& led, const ledger::Totals& t, std::string& out) {
  out += "{\"ledger\":\"";
  json_escape(led.path(), out);
  out += fmt::format("\",\"schema_version\":{},\"all\":", led.schema_version());
  row_json(&t.all, nullptr, false, out);
  auto list = [&](const char* name, const char* key, bool numeric, const std::vector<ledger::Totals::Row>& rows) {
    out += fmt::format(",\"{}\":[", name);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i) out += ',';
      row_json(&rows[i], key, numeric, out);
    }
    out += ']';
  };
  list("per_year", "year", true, t.per_year);
  list("per_item", "item", false, t.per_item);
  list("per_enterprise", "enterprise", false, t.per_enterprise);
  out += ",\"per_group\":[";
  for (size_t i = 0; i < t.per_group.size(); ++i) {
    const auto& g = t.per_group[i];
    if (i) out += ',';
    out += "{\"group\":\"";
    json_escape(g.group, out);
    out += "\",\"label\":\"";
    json_escape(g.label, out);
    out += "\",\"scope\":\"";
    json_escape(g.scope, out);
    out += "\",\"period\":\"" + g.period + "\",\"limit\":\"";
    json_escape(g.limit, out);
    out += fmt::format("\",\"granted\":{},\"used\":\"{}\"}}", g.grants, money_plain_str(g.used_fen));
  }
  out += "],\"runs\":[";
  for (size_t i = 0; i < t.runs.size(); ++i) {
    const auto& r = t.runs[i];
    if (i) out += ',';
    out += fmt::format("{{\"run\":{},\"kind\":\"{}\",\"recorded_at\":\"{}\",\"policy\":\"", r.run_id, r.kind,
                       r.recorded_at);
    json_escape(r.policy, out);
    out += "\",\"input\":\"";
    json_escape(r.input, out);
    out += fmt::format("\",\"decided\":{},\"granted\":{},\"already_decided\":{},\"errors\":{},\"total\":\"{}\"}}",
                       r.decided, r.granted, r.already, r.errors, money_plain_str(r.total_fen));
  }
  out += "]}\n";
}

// ---- export ----

// The application as received with `award` added (replacing any field of that name). `rec`
// points into `reader` and `award_text`: both must outlive its use.
bool grant_record(std::string_view application, int64_t award_fen, std::unique_ptr<input::RecordReader>& reader,
                  std::string& award_text, input::RawRecord& rec) {
  reader = input::open_jsonl(application);
  if (!reader->next(rec) || !rec.error.empty()) return false;
  rec.fields.erase(std::remove_if(rec.fields.begin(), rec.fields.end(),
                                  [](const input::RawField& f) { return f.name == "award"; }),
                   rec.fields.end());
  award_text = money_plain_str(award_fen);
  rec.fields.push_back(input::RawField{"award", input::RawKind::String, award_text});
  return true;
}

std::string_view cell_text(const input::RawField& f) { return f.kind == input::RawKind::Null ? "" : f.text; }

}  // namespace

void register_ledger(CLI::App& app, Registry& reg) {
  const Lang lang = reg.lang;
  auto* cmd = app.add_subcommand("ledger", say(lang, CliMsg::HelpLedger));
  cmd->require_subcommand(1);

  // show
  struct ShowOpts {
    std::string ledger, policy, enterprise, format = "text";
    std::vector<std::string> rules, sets;
    int year = 0;
  };
  auto so = std::make_shared<ShowOpts>();
  auto* show = cmd->add_subcommand("show", say(lang, CliMsg::HelpLedgerShow));
  show->add_option("ledger", so->ledger, say(lang, CliMsg::HelpLedgerFile))->required();
  show->add_option("--policy", so->policy, say(lang, CliMsg::HelpLedgerShowPolicy));
  show->add_option("--rules", so->rules, say(lang, CliMsg::HelpRules))
      ->allow_extra_args(false);
  show->add_option("--set", so->sets, say(lang, CliMsg::HelpSet))->allow_extra_args(false);
  show->add_option("--enterprise", so->enterprise, say(lang, CliMsg::HelpLedgerEnterprise));
  show->add_option("--year", so->year, say(lang, CliMsg::HelpLedgerYear));
  show->add_option("--format", so->format, say(lang, CliMsg::HelpFormatTextJson))->check(CLI::IsMember({"text", "json"}));
  show->callback([so, &reg] {
    std::unique_ptr<LoadedPolicy> lp;
    if (!so->policy.empty()) {
      lp = load_and_report(so->policy, so->rules, so->sets, false);
      if (!lp) {
        reg.exit_code = 2;
        return;
      }
    } else if (!so->rules.empty() || !so->sets.empty()) {
      say_err(reg.lang, CliMsg::LedgerRulesNeedPolicy);
      reg.exit_code = 2;
      return;
    }
    std::string error;
    auto led = ledger::Ledger::open(so->ledger, ledger::Access::Read, error, reg.lang);
    ledger::Totals t;
    ledger::TotalsFilter filter{so->enterprise, so->year};
    bool ok = led && led->begin_read(error);
    ok = ok && led->totals(filter, lp.get(), t, error);
    if (led) led->rollback();
    if (!ok) {
      error_line(reg.lang, error);
      reg.exit_code = 2;
      return;
    }
    std::string out;
    if (so->format == "json") show_json(*led, t, out);
    else show_text(*led, t, filter, lp.get(), reg.lang, out);
    std::fwrite(out.data(), 1, out.size(), stdout);
    reg.exit_code = 0;
  });

  // export
  struct ExportOpts {
    std::string ledger, format = "jsonl", output;
    bool grants = false;
  };
  auto eo = std::make_shared<ExportOpts>();
  auto* exp = cmd->add_subcommand("export", say(lang, CliMsg::HelpLedgerExport));
  exp->add_option("ledger", eo->ledger, say(lang, CliMsg::HelpLedgerFile))->required();
  exp->add_option("--format", eo->format, say(lang, CliMsg::HelpLedgerExportFormat))->check(CLI::IsMember({"jsonl", "csv"}));
  exp->add_option("-o,--output", eo->output, say(lang, CliMsg::HelpOutputStdout));
  exp->add_flag("--grants", eo->grants, say(lang, CliMsg::HelpLedgerExportGrants));
  exp->callback([eo, &reg] {
    std::string error;
    auto led = ledger::Ledger::open(eo->ledger, ledger::Access::Read, error, reg.lang);
    if (!led || !led->begin_read(error)) {
      error_line(reg.lang, error);
      reg.exit_code = 2;
      return;
    }
    FILE* out = stdout;
    if (!eo->output.empty()) {
      if (same_file(eo->output, eo->ledger)) {
        say_err(reg.lang, CliMsg::LedgerOutputIsLedger, {{"file", eo->output}});
        reg.exit_code = 2;
        return;
      }
      out = std::fopen(eo->output.c_str(), "wb");
      if (!out) {
        say_err(reg.lang, CliMsg::CannotWrite, {{"file", eo->output}});
        reg.exit_code = 2;
        return;
      }
    }
    std::string buf;
    auto flush = [&](bool force) {
      if (force || buf.size() > (1 << 20)) {
        std::fwrite(buf.data(), 1, buf.size(), out);
        buf.clear();
      }
    };
    bool ok = true;
    size_t bad = 0;
    input::RawRecord rec;
    std::unique_ptr<input::RecordReader> reader;
    std::string award_text;
    if (eo->grants && eo->format == "csv") {
      // Columns: every field that occurs, in order of first occurrence, then `award`.
      std::vector<std::string> columns;
      std::map<std::string, size_t, std::less<>> index;
      ok = led->for_each(
          [&](const ledger::Entry& e) {
            if (e.award_fen <= 0) return true;
            if (!grant_record(e.application, e.award_fen, reader, award_text, rec)) return true;
            for (const auto& f : rec.fields)
              if (f.name != "award" && index.find(f.name) == index.end()) {
                index.emplace(std::string(f.name), columns.size());
                columns.emplace_back(f.name);
              }
            return true;
          },
          error);
      index.emplace("award", columns.size());
      columns.emplace_back("award");
      for (size_t i = 0; i < columns.size(); ++i) {
        if (i) buf += ',';
        append_csv_cell(columns[i], buf);
      }
      buf += '\n';
      std::vector<std::string_view> cells(columns.size());
      ok = ok && led->for_each(
                     [&](const ledger::Entry& e) {
                       if (e.award_fen <= 0) return true;
                       if (!grant_record(e.application, e.award_fen, reader, award_text, rec)) {
                         ++bad;
                         return true;
                       }
                       std::fill(cells.begin(), cells.end(), std::string_view());
                       for (const auto& f : rec.fields) cells[index.find(f.name)->second] = cell_text(f);
                       for (size_t i = 0; i < cells.size(); ++i) {
                         if (i) buf += ',';
                         append_csv_cell(cells[i], buf);
                       }
                       buf += '\n';
                       flush(false);
                       return true;
                     },
                     error);
    } else if (eo->grants) {
      ok = led->for_each(
          [&](const ledger::Entry& e) {
            if (e.award_fen <= 0) return true;
            if (!grant_record(e.application, e.award_fen, reader, award_text, rec)) {
              ++bad;
              return true;
            }
            record_to_json(rec, buf);
            buf += '\n';
            flush(false);
            return true;
          },
          error);
    } else if (eo->format == "csv") {
      buf += "seq,id,enterprise,item,date,year,project,eligible,award,recorded_at,policy,run,source,application,decision\n";
      ok = led->for_each(
          [&](const ledger::Entry& e) {
            buf += std::to_string(e.seq);
            for (std::string_view s : {e.id, e.enterprise, e.item, e.date}) {
              buf += ',';
              append_csv_cell(s, buf);
            }
            buf += ',' + std::to_string(e.year) + ',';
            append_csv_cell(e.project, buf);
            buf += e.eligible ? ",true," : ",false,";
            format_money_plain(e.award_fen, buf);
            for (std::string_view s : {e.recorded_at, e.policy}) {
              buf += ',';
              append_csv_cell(s, buf);
            }
            buf += ',' + std::to_string(e.run_id) + ',';
            append_csv_cell(e.kind, buf);
            buf += ',';
            append_csv_cell(e.application, buf);
            buf += ',';
            append_csv_cell(e.decision, buf);
            buf += '\n';
            flush(false);
            return true;
          },
          error);
    } else {
      ok = led->for_each(
          [&](const ledger::Entry& e) {
            buf += "{\"seq\":" + std::to_string(e.seq) + ",\"id\":\"";
            json_escape(e.id, buf);
            buf += "\",\"enterprise\":\"";
            json_escape(e.enterprise, buf);
            buf += "\",\"item\":\"";
            json_escape(e.item, buf);
            buf += "\",\"date\":\"";
            json_escape(e.date, buf);
            buf += "\",\"year\":" + std::to_string(e.year) + ",\"project\":";
            if (e.has_project) {
              buf += '"';
              json_escape(e.project, buf);
              buf += '"';
            } else {
              buf += "null";
            }
            buf += e.eligible ? ",\"eligible\":true,\"award\":\"" : ",\"eligible\":false,\"award\":\"";
            format_money_plain(e.award_fen, buf);
            buf += "\",\"recorded_at\":\"";
            json_escape(e.recorded_at, buf);
            buf += "\",\"policy\":\"";
            json_escape(e.policy, buf);
            buf += "\",\"run\":" + std::to_string(e.run_id) + ",\"source\":\"";
            json_escape(e.kind, buf);
            buf += "\",\"application\":";
            buf.append(e.application);
            buf += ",\"decision\":";
            buf.append(e.decision);
            buf += "}\n";
            flush(false);
            return true;
          },
          error);
    }
    led->rollback();
    report_damaged(*led, reg.lang);
    flush(true);
    bool write_failed = std::fflush(out) != 0 || std::ferror(out) != 0;
    if (out != stdout) write_failed |= std::fclose(out) != 0;
    if (!ok) {
      error_line(reg.lang, error);
      reg.exit_code = 2;
      return;
    }
    if (write_failed) {
      say_err(reg.lang, CliMsg::LedgerExportFailed);
      reg.exit_code = 2;
      return;
    }
    if (bad) {
      say_err(reg.lang, CliMsg::LedgerUnreadableRows, {{"count", std::to_string(bad)}});
      reg.exit_code = 2;
      return;
    }
    reg.exit_code = 0;
  });

  // import
  struct ImportOpts {
    std::string ledger, file, policy, input_format, encoding, sheet;
    std::vector<std::string> rules, sets;
    bool dry_run = false;
  };
  auto io = std::make_shared<ImportOpts>();
  // check
  auto check_path = std::make_shared<std::string>();
  auto* chk = cmd->add_subcommand("check", say(lang, CliMsg::HelpLedgerCheck));
  chk->add_option("ledger", *check_path, say(lang, CliMsg::HelpLedgerFile))->required();
  chk->callback([check_path, &reg] {
    std::string error;
    auto led = ledger::Ledger::open(*check_path, ledger::Access::Read, error, reg.lang);
    ledger::CheckReport report;
    if (!led || !led->begin_read(error) || !led->check(report, error)) {
      error_line(reg.lang, error);
      reg.exit_code = 2;
      return;
    }
    led->rollback();
    std::string out;
    for (const auto& p : report.problems) out += say(reg.lang, CliMsg::LedgerCheckProblem, {{"problem", p}}) + "\n";
    const std::string verdict = report.problems.empty()
                                    ? say(reg.lang, CliMsg::LedgerSound)
                                    : say(reg.lang, CliMsg::LedgerProblems, {{"count", std::to_string(report.problems.size())}});
    out += say(reg.lang, CliMsg::LedgerCheckSummary,
               {{"file", *check_path}, {"schema", std::to_string(report.schema_version)},
                {"decisions", std::to_string(report.decisions)}, {"policies", std::to_string(report.policies)},
                {"total", money_str(report.total_fen)}, {"verdict", verdict}}) +
           "\n";
    std::fputs(out.c_str(), stdout);
    reg.exit_code = report.problems.empty() ? 0 : 1;
  });

  auto* imp = cmd->add_subcommand("import", say(lang, CliMsg::HelpLedgerImport));
  imp->add_option("ledger", io->ledger, say(lang, CliMsg::HelpLedgerImportLedger))->required();
  imp->add_option("file", io->file, say(lang, CliMsg::HelpLedgerImportFile))->required();
  imp->add_option("--policy", io->policy, say(lang, CliMsg::HelpLedgerImportPolicy))->required();
  imp->add_option("--rules", io->rules, say(lang, CliMsg::HelpRules))
      ->allow_extra_args(false);
  imp->add_option("--set", io->sets, say(lang, CliMsg::HelpSet))->allow_extra_args(false);
  imp->add_option("--input-format", io->input_format, say(lang, CliMsg::HelpLedgerImportFormat))
      ->check(CLI::IsMember({"jsonl", "csv", "xlsx"}));
  imp->add_option("--encoding", io->encoding, say(lang, CliMsg::HelpLedgerImportEncoding))
      ->check(CLI::IsMember({"utf-8", "utf8", "gbk", "gb18030"}, CLI::ignore_case));
  imp->add_option("--sheet", io->sheet, say(lang, CliMsg::HelpLedgerImportSheet));
  imp->add_flag("--dry-run", io->dry_run, say(lang, CliMsg::HelpLedgerImportDryRun));
  imp->callback([io, &reg] {
    auto lp = load_and_report(io->policy, io->rules, io->sets, false);
    if (!lp) {
      reg.exit_code = 2;
      return;
    }
    std::string error;
    const std::string started_at = ledger::utc_now();
    // The write lock is held from checking the ids to the commit: no other run records between.
    // A dry run only reads the ledger (and does not create it).
    std::unique_ptr<ledger::Ledger> led;
    struct stat file {};
    const bool existed = ::stat(io->ledger.c_str(), &file) == 0;
    // A failed import leaves no ledger it created behind (nor its journal files).
    auto discard = [&] {
      if (led) led->rollback();
      // Another run may have created the ledger meanwhile: one that holds decisions is never removed.
      bool holds_decisions = led && led->count() > 0;
      led.reset();
      if (existed || io->dry_run || holds_decisions) return;
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((io->ledger + suffix).c_str());
    };
    if (!io->dry_run || existed) {
      led = ledger::Ledger::open(io->ledger, io->dry_run ? ledger::Access::Read : ledger::Access::Write, error, reg.lang);
      if (!led || !(io->dry_run ? led->begin_read(error) : led->begin_write(error))) {
        discard();
        error_line(reg.lang, error);
        say_err(reg.lang, CliMsg::LedgerNothingImported);
        reg.exit_code = 2;
        return;
      }
    }
    std::vector<ledger::ImportRow> rows;
    std::vector<std::string> errors;
    input::ReadOptions how;
    how.format = io->input_format;
    how.encoding = io->encoding;
    how.sheet = io->sheet;
    how.lang = reg.lang;  // file-level input errors in the language asked for
    bool unreadable = false;
    if (!ledger::read_grants(*lp, io->file, how, led.get(), rows, errors, &unreadable, reg.lang)) {
      discard();
      for (const auto& e : errors) error_line(reg.lang, e);
      if (unreadable) {
        say_err(reg.lang, CliMsg::LedgerNothingImported);
        reg.exit_code = 2;
        return;
      }
      say_err(reg.lang, CliMsg::LedgerBadRows, {{"bad", std::to_string(errors.size())}, {"good", std::to_string(rows.size())}});
      reg.exit_code = 1;
      return;
    }
    if (io->dry_run) {
      if (led) led->rollback();
      int64_t total = 0;
      for (const auto& r : rows) total += r.award_fen;
      say_err(reg.lang, CliMsg::LedgerDryRunGood, {{"count", std::to_string(rows.size())}, {"total", money_str(total)}});
      reg.exit_code = 0;
      return;
    }
    ledger::RunInfo info;
    info.kind = "import";
    info.input = io->file;
    info.started_at = started_at;
    info.policy = lp.get();
    ledger::RecordStats st;
    if (!led->record_imports(rows, info, st, error) || !led->commit(error)) {
      discard();
      error_line(reg.lang, error);
      say_err(reg.lang, CliMsg::LedgerNothingImported);
      reg.exit_code = 2;
      return;
    }
    if (rows.empty()) say_err(reg.lang, CliMsg::LedgerNoGrant, {{"file", io->file}});
    else
      say_err(reg.lang, CliMsg::LedgerImported,
              {{"count", std::to_string(rows.size())}, {"total", money_str(st.total_fen)}, {"ledger", io->ledger},
               {"run", std::to_string(st.run_id)}});
    reg.exit_code = 0;
  });
}

}  // namespace pol::cli
