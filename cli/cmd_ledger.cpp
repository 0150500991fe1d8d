// polc ledger — the grant ledger (SQLite): show totals, export every decision, import an
// existing grant list. Recording a batch is `polc run … --ledger FILE --record`.
#include <sys/stat.h>

#include <cstdio>
#include <map>
#include <memory>

#include <fmt/format.h>

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

void show_text(const ledger::Ledger& led, const ledger::Totals& t, const ledger::TotalsFilter& filter,
               const LoadedPolicy* lp, std::string& out) {
  std::string where;
  if (!filter.enterprise.empty()) where += " enterprise " + filter.enterprise;
  if (filter.year) where += (where.empty() ? " year " : ", year ") + std::to_string(filter.year);
  out += fmt::format("Ledger {} (schema {}){}: {} decision(s), {} eligible, {} granted, total {}\n", led.path(),
                     led.schema_version(), where.empty() ? "" : " —" + where, count_cell(t.all.decisions),
                     count_cell(t.all.eligible), count_cell(t.all.grants), money_str(t.all.total_fen));
  if (!t.runs.empty()) {
    out += "\nRuns\n";
    out += fmt::format("  {:>4}  {:<6}  {:<20}  {:<34}  {:>9}  {:>9}  {:>20}  {}\n", "run", "kind", "recorded at",
                       "policy", "decided", "granted", "total (元)", "input");
    for (const auto& r : t.runs)
      out += fmt::format("  {:>4}  {:<6}  {:<20}  {:<34}  {:>9}  {:>9}  {:>20}  {}\n", r.run_id, r.kind, r.recorded_at,
                         r.policy, count_cell(r.decided), count_cell(r.granted), yuan(r.total_fen), r.input);
  }
  auto table = [&](const char* title, const char* key, const std::vector<ledger::Totals::Row>& rows, int width,
                   const std::function<std::string(const std::string&)>& label) {
    out += fmt::format("\n{}\n", title);
    out += fmt::format("  {:<{}}  {:>9}  {:>9}  {:>9}  {:>20}\n", key, width, "decisions", "eligible", "granted", "total (元)");
    for (const auto& r : rows) {
      out += fmt::format("  {:<{}}  {:>9}  {:>9}  {:>9}  {:>20}", r.key, width, count_cell(r.decisions),
                         count_cell(r.eligible), count_cell(r.grants), yuan(r.total_fen));
      std::string l = label ? label(r.key) : "";
      out += l.empty() ? "\n" : "  " + l + "\n";
    }
  };
  const Policy* p = lp ? lp->policy.get() : nullptr;
  table("Per year", "year", t.per_year, 6, nullptr);
  table("Per item", "item", t.per_item, 6, [&](const std::string& k) -> std::string {
    if (!p) return "";
    int i = p->find_item(k);
    return i >= 0 ? p->items[i].title : "(not an item of this policy)";
  });
  size_t ew = 10;
  for (const auto& r : t.per_enterprise) ew = std::max(ew, r.key.size());
  table("Per enterprise", "enterprise", t.per_enterprise, static_cast<int>(ew), nullptr);
  if (p) {
    out += fmt::format("\nPer group cap (policy {})\n", lp->identity);
    if (t.per_group.empty()) out += "  (no grant in any group)\n";
    size_t sw = 10;
    for (const auto& g : t.per_group) sw = std::max(sw, g.scope.size());
    std::string last;
    for (const auto& g : t.per_group) {
      if (g.group != last) {
        out += fmt::format("  {} {}  (limit {})\n", g.group, g.label,
                           g.limit_fen >= 0 ? money_str(g.limit_fen) : g.limit);
        last = g.group;
      }
      std::string left = g.limit_fen >= 0 ? "  left " + money_str(std::max<int64_t>(0, g.limit_fen - g.used_fen)) : "";
      out += fmt::format("    {:<{}}  {:<6}  {:>9} granted  used {:>20}{}\n", g.scope, sw, g.period,
                         count_cell(g.grants), money_str(g.used_fen), left);
    }
    for (const auto& u : t.unknown_items)
      out += fmt::format("  note: item {} is in the ledger but not in this policy; its grants count in no group\n", u);
  } else {
    out += "\n(group caps: give --policy and --rules to see the used amount of each group cap)\n";
  }
  if (t.policies.size() > 1) {
    out += "\nDecided under\n";
    for (const auto& [id, n] : t.policies) out += fmt::format("  {:<34}  {:>9} decision(s)\n", id, count_cell(n));
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
  auto* cmd = app.add_subcommand(
      "ledger",
      "The grant ledger: one SQLite file holding every recorded decision — the application as received,\n"
      "the decision with its explanation, the time and the policy identity. `polc run … --ledger FILE`\n"
      "counts its grants as history; `--record` adds a batch in one transaction (docs/ledger.md).\n"
      "Examples:\n"
      "  polc run policies/longgang_ai_2025.pol round1.jsonl --rules policies/longgang_ai_2025_rules.pol --ledger grants.db --record\n"
      "  polc ledger show grants.db\n"
      "  polc ledger show grants.db --policy policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol\n"
      "  polc ledger export grants.db --format csv -o decisions.csv\n"
      "  polc ledger import grants.db earlier_grants.csv --policy policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol");
  cmd->require_subcommand(1);

  // show
  struct ShowOpts {
    std::string ledger, policy, enterprise, format = "text";
    std::vector<std::string> rules, sets;
    int year = 0;
  };
  auto so = std::make_shared<ShowOpts>();
  auto* show = cmd->add_subcommand(
      "show",
      "Totals of the recorded decisions per year, item and enterprise, and the runs that recorded them;\n"
      "with --policy (and --rules) also the used amount of every group cap per enterprise and period.\n"
      "Exit 0: shown; 2: the ledger cannot be read.\n"
      "Examples: polc ledger show grants.db\n"
      "          polc ledger show grants.db --enterprise 91440300MA5G000001 --year 2025\n"
      "          polc ledger show grants.db --policy policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol");
  show->add_option("ledger", so->ledger, "The ledger file")->required();
  show->add_option("--policy", so->policy, "The policy (.pol): item titles and group caps");
  show->add_option("--rules", so->rules, "Rules file(s) with the implementation-rule parameter values")
      ->allow_extra_args(false);
  show->add_option("--set", so->sets, "Override a parameter: NAME=VALUE")->allow_extra_args(false);
  show->add_option("--enterprise", so->enterprise, "Only this enterprise");
  show->add_option("--year", so->year, "Only this year");
  show->add_option("--format", so->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  show->callback([so, &reg] {
    std::unique_ptr<LoadedPolicy> lp;
    if (!so->policy.empty()) {
      lp = load_and_report(so->policy, so->rules, so->sets, false);
      if (!lp) {
        reg.exit_code = 2;
        return;
      }
    } else if (!so->rules.empty() || !so->sets.empty()) {
      std::fprintf(stderr, "error: --rules and --set need --policy\n");
      reg.exit_code = 2;
      return;
    }
    std::string error;
    auto led = ledger::Ledger::open(so->ledger, ledger::Access::Read, error);
    ledger::Totals t;
    ledger::TotalsFilter filter{so->enterprise, so->year};
    bool ok = led && led->begin_read(error);
    ok = ok && led->totals(filter, lp.get(), t, error);
    if (led) led->rollback();
    if (!ok) {
      std::fprintf(stderr, "error: %s\n", error.c_str());
      reg.exit_code = 2;
      return;
    }
    std::string out;
    if (so->format == "json") show_json(*led, t, out);
    else show_text(*led, t, filter, lp.get(), out);
    std::fwrite(out.data(), 1, out.size(), stdout);
    reg.exit_code = 0;
  });

  // export
  struct ExportOpts {
    std::string ledger, format = "jsonl", output;
    bool grants = false;
  };
  auto eo = std::make_shared<ExportOpts>();
  auto* exp = cmd->add_subcommand(
      "export",
      "Every recorded decision in recording order: id, enterprise, item, date, year, project, eligible,\n"
      "award, recorded_at, policy, run, source (run or import), the application as received and the\n"
      "decision with its explanation. With --grants: only the grants (award > 0), as flat rows of the\n"
      "application's fields plus `award` — the form --history and `polc ledger import` read.\n"
      "Exit 0: exported; 2: the ledger cannot be read or the output cannot be written.\n"
      "Examples: polc ledger export grants.db -o decisions.jsonl\n"
      "          polc ledger export grants.db --format csv -o decisions.csv\n"
      "          polc ledger export grants.db --grants -o history.jsonl");
  exp->add_option("ledger", eo->ledger, "The ledger file")->required();
  exp->add_option("--format", eo->format, "jsonl (default) or csv")->check(CLI::IsMember({"jsonl", "csv"}));
  exp->add_option("-o,--output", eo->output, "Write to FILE instead of standard output");
  exp->add_flag("--grants", eo->grants, "Only grants, as application fields plus `award` (history form)");
  exp->callback([eo, &reg] {
    std::string error;
    auto led = ledger::Ledger::open(eo->ledger, ledger::Access::Read, error);
    if (!led || !led->begin_read(error)) {
      std::fprintf(stderr, "error: %s\n", error.c_str());
      reg.exit_code = 2;
      return;
    }
    FILE* out = stdout;
    if (!eo->output.empty()) {
      if (same_file(eo->output, eo->ledger)) {
        std::fprintf(stderr, "error: -o `%s` is the ledger itself; choose another file\n", eo->output.c_str());
        reg.exit_code = 2;
        return;
      }
      out = std::fopen(eo->output.c_str(), "wb");
      if (!out) {
        std::fprintf(stderr, "error: cannot write `%s`\n", eo->output.c_str());
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
    report_damaged(*led);
    flush(true);
    bool write_failed = std::fflush(out) != 0 || std::ferror(out) != 0;
    if (out != stdout) write_failed |= std::fclose(out) != 0;
    if (!ok) {
      std::fprintf(stderr, "error: %s\n", error.c_str());
      reg.exit_code = 2;
      return;
    }
    if (write_failed) {
      std::fprintf(stderr, "error: writing the export failed\n");
      reg.exit_code = 2;
      return;
    }
    if (bad) {
      std::fprintf(stderr, "error: %zu recorded application(s) could not be read back; they were left out\n", bad);
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
  auto* chk = cmd->add_subcommand(
      "check",
      "Verify a ledger: SQLite's full integrity check, the schema, that every decision names a policy whose\n"
      "texts are recorded and a run, that every recorded row reads back (valid UTF-8, the application and\n"
      "the decision as JSON, a non-negative award, none for an ineligible application) and that the sums fit.\n"
      "Exit 0: sound; 1: problems found (each listed); 2: the file cannot be read as a ledger.\n"
      "Example: polc ledger check grants.db");
  chk->add_option("ledger", *check_path, "The ledger file")->required();
  chk->callback([check_path, &reg] {
    std::string error;
    auto led = ledger::Ledger::open(*check_path, ledger::Access::Read, error);
    ledger::CheckReport report;
    if (!led || !led->begin_read(error) || !led->check(report, error)) {
      std::fprintf(stderr, "error: %s\n", error.c_str());
      reg.exit_code = 2;
      return;
    }
    led->rollback();
    for (const auto& p : report.problems) std::printf("problem: %s\n", p.c_str());
    std::printf("ledger %s (schema %d): %lld decision(s), %lld policy text(s), total %s — %s\n", check_path->c_str(),
                report.schema_version, static_cast<long long>(report.decisions), static_cast<long long>(report.policies),
                money_str(report.total_fen).c_str(),
                report.problems.empty() ? "sound" : (std::to_string(report.problems.size()) + " problem(s)").c_str());
    reg.exit_code = report.problems.empty() ? 0 : 1;
  });

  auto* imp = cmd->add_subcommand(
      "import",
      "Import an existing grant list (e.g. from a spreadsheet): application fields plus `award`, as JSON\n"
      "Lines, CSV (UTF-8 or GBK) or an .xlsx sheet. Every row is checked like a --history record of the\n"
      "policy (types, amounts, dates, known items, `award`); id, enterprise, item and date are required,\n"
      "and so are the key fields of\n"
      "the item's one-off and series rules (e.g. `model` for item 5); ids must be unique in the file\n"
      "and not yet in the ledger. Other facts of the application (e.g. `compute_fee`) are optional.\n"
      "All or nothing: if any row is bad, each bad row is reported and nothing is imported (a ledger the\n"
      "import would have created is not left behind).\n"
      "Imported rows are recorded as eligible grants of run kind `import`; later runs count them.\n"
      "Exit 0: imported (or nothing to import); 1: bad rows, nothing imported; 2: usage, policy or ledger errors,\n"
      "or a file that cannot be read at all.\n"
      "Example: polc ledger import grants.db earlier_grants.csv --policy policies/longgang_ai_2025.pol \\\n"
      "           --rules policies/longgang_ai_2025_rules.pol");
  imp->add_option("ledger", io->ledger, "The ledger file (created if missing)")->required();
  imp->add_option("file", io->file, "The grant list: .jsonl, .csv, .xlsx, or - for standard input")->required();
  imp->add_option("--policy", io->policy, "The policy (.pol) the rows are checked against")->required();
  imp->add_option("--rules", io->rules, "Rules file(s) with the implementation-rule parameter values")
      ->allow_extra_args(false);
  imp->add_option("--set", io->sets, "Override a parameter: NAME=VALUE")->allow_extra_args(false);
  imp->add_option("--input-format", io->input_format, "jsonl, csv or xlsx (default: by file extension)")
      ->check(CLI::IsMember({"jsonl", "csv", "xlsx"}));
  imp->add_option("--encoding", io->encoding, "Of a CSV file: utf-8, gbk or gb18030 (default: detected)")
      ->check(CLI::IsMember({"utf-8", "utf8", "gbk", "gb18030"}, CLI::ignore_case));
  imp->add_option("--sheet", io->sheet, "Of an .xlsx workbook: the sheet's name (default: the first sheet)");
  imp->add_flag("--dry-run", io->dry_run, "Check every row; import nothing");
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
      led = ledger::Ledger::open(io->ledger, io->dry_run ? ledger::Access::Read : ledger::Access::Write, error);
      if (!led || !(io->dry_run ? led->begin_read(error) : led->begin_write(error))) {
        discard();
        std::fprintf(stderr, "error: %s\nerror: nothing was imported\n", error.c_str());
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
    bool unreadable = false;
    if (!ledger::read_grants(*lp, io->file, how, led.get(), rows, errors, &unreadable)) {
      discard();
      for (const auto& e : errors) std::fprintf(stderr, "error: %s\n", e.c_str());
      if (unreadable) {
        std::fprintf(stderr, "error: nothing was imported\n");
        reg.exit_code = 2;
        return;
      }
      std::fprintf(stderr, "error: %zu bad row(s) (%zu good); nothing was imported — the import is all or nothing, "
                   "fix the rows and import the file again\n", errors.size(), rows.size());
      reg.exit_code = 1;
      return;
    }
    if (io->dry_run) {
      if (led) led->rollback();
      int64_t total = 0;
      for (const auto& r : rows) total += r.award_fen;
      std::fprintf(stderr, "%zu row(s) are good (total %s); nothing was imported (--dry-run)\n", rows.size(),
                   money_str(total).c_str());
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
      std::fprintf(stderr, "error: %s\nerror: nothing was imported\n", error.c_str());
      reg.exit_code = 2;
      return;
    }
    if (rows.empty()) std::fprintf(stderr, "`%s` holds no grant; nothing to import\n", io->file.c_str());
    else
      std::fprintf(stderr, "imported %zu grant(s), total %s, into ledger `%s` as run %lld\n", rows.size(),
                   money_str(st.total_fen).c_str(), io->ledger.c_str(), static_cast<long long>(st.run_id));
    reg.exit_code = 0;
  });
}

}  // namespace pol::cli
