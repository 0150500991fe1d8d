// polc explain E0xxx — prints the documentation page of a diagnostic code; --list lists the codes.
// Under Chinese the code's Chinese summary (codes.def) heads the page, and a Chinese page
// (errors/zh/CODE.md) is preferred to the English one when it exists.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "cli/cli_text.h"
#include "cli/commands.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/explain.h"
#include "compiler/driver/data_dirs.h"

namespace pol::cli {

void register_explain(CLI::App& app, Registry& reg) {
  struct Opts {
    std::string code;
    bool list = false;
  };
  auto o = std::make_shared<Opts>();
  const Lang lang = reg.lang;
  auto* cmd = app.add_subcommand("explain", say(lang, CliMsg::HelpExplain));
  cmd->add_option("code", o->code, say(lang, CliMsg::HelpExplainCode));
  cmd->add_flag("--list", o->list, say(lang, CliMsg::HelpExplainList));
  cmd->callback([o, &reg] {
    const Lang lang = reg.lang;
    if (o->list) {
      std::string out;
      for (DiagCode c : kAllDiagCodes) out += std::string(code_name(c)) + "  " + code_summary(c, lang) + "\n";
      std::fputs(out.c_str(), stdout);
      reg.exit_code = 0;
      return;
    }
    if (o->code.empty()) {
      say_err(lang, CliMsg::ExplainNeedCode);
      reg.exit_code = 2;
      return;
    }
    const std::string pages = find_data_dir("errors");
    if (pages.empty()) {
      say_err(lang, CliMsg::ExplainNoPages, {{"where", data_dir_candidates("errors")}});
      reg.exit_code = 2;
      return;
    }
    std::optional<std::string> page;
    if (lang == Lang::Zh && std::filesystem::is_directory(std::filesystem::path(pages) / "zh"))
      page = explain_page(o->code, (std::filesystem::path(pages) / "zh").string());
    const bool chinese_page = page.has_value();
    if (!page) page = explain_page(o->code, pages);
    if (!page) {
      say_err(lang, CliMsg::ExplainNoCode, {{"code", o->code}});
      reg.exit_code = 2;
      return;
    }
    std::string out = *page;
    // The code's Chinese summary heads the page (in place of the page's own `# CODE` title line,
    // so there is one heading), so a reader knows at once what the code is about.
    if (lang == Lang::Zh && !chinese_page)
      if (auto code = code_from_name(normalize_code(o->code))) {
        const std::string heading = "# " + std::string(code_name(*code)) + "：" + code_summary(*code, Lang::Zh);
        if (out.rfind("# " + std::string(code_name(*code)), 0) == 0) out = heading + out.substr(std::min(out.find('\n'), out.size()));
        else out = heading + "\n\n" + out;
      }
    std::fputs(out.c_str(), stdout);
    reg.exit_code = 0;
  });
}

}  // namespace pol::cli
