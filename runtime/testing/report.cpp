#include "runtime/testing/report.h"

#include <fmt/format.h>

#include "compiler/diagnostics/messages_cli.h"
#include "runtime/explain/explain.h"

namespace pol::testing {

Totals totals(const std::vector<TestFileResult>& results) {
  Totals t;
  for (const auto& r : results) {
    t.passed += r.passed();
    t.failed += r.failed();
    t.file_errors += !r.error.empty();
    for (const auto& c : r.cases) t.seconds += c.seconds;
  }
  return t;
}

static std::string indent(const std::string& text, const char* prefix) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line(text.data() + pos, (nl == std::string::npos ? text.size() : nl) - pos);
    out += prefix;
    out.append(line);
    out += '\n';
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out;
}

std::string text_report(const std::vector<TestFileResult>& results, bool verbose, Lang lang) {
  std::string out;
  for (const auto& r : results) {
    if (!r.error.empty()) out += r.error + (r.error.back() == '\n' ? "" : "\n");
    for (const auto& c : r.cases) {
      if (c.passed) {
        if (verbose)
          out += say(lang, CliMsg::TestOk, {{"file", r.path}, {"line", std::to_string(c.line)}, {"test", c.name}}) + "\n";
        continue;
      }
      for (size_t i = 0; i < c.failures.size(); ++i) {
        const Failure& f = c.failures[i];
        size_t nl = f.message.find('\n');
        const std::string line = std::to_string(f.line), first = f.message.substr(0, nl);
        if (f.target.empty())
          out += say(lang, CliMsg::TestFail, {{"file", r.path}, {"line", line}, {"test", c.name}, {"message", first}});
        else
          out += say(lang, CliMsg::TestFailOf,
                     {{"file", r.path}, {"line", line}, {"test", c.name}, {"application", f.target}, {"message", first}});
        out += '\n';
        if (nl != std::string::npos) out += indent(f.message.substr(nl + 1), "    ");
        // The explanation once, after the last failure about the same application.
        bool last_of_target = i + 1 == c.failures.size() || c.failures[i + 1].target != f.target ||
                              c.failures[i + 1].explanation != f.explanation;
        if (last_of_target && !f.explanation.empty()) out += indent(f.explanation, "    ");
      }
    }
  }
  return out;
}

std::string closing_line(const std::vector<TestFileResult>& results, Lang lang) {
  Totals t = totals(results);
  return say(lang, CliMsg::TestClosingLine, {{"passed", std::to_string(t.passed)}, {"failed", std::to_string(t.failed)}}) +
         "\n";
}

static std::string json_str(const std::string& s) {
  std::string out = "\"";
  json_escape(s, out);
  return out + "\"";
}

std::string json_report(const std::vector<TestFileResult>& results, const CoverageSet* coverage) {
  Totals t = totals(results);
  std::string out = "{\"files\":[";
  for (size_t k = 0; k < results.size(); ++k) {
    const auto& r = results[k];
    out += k ? ",{" : "{";
    out += "\"path\":" + json_str(r.path) + ",\"policy\":" + json_str(r.policy_path) + ",\"rules\":[";
    for (size_t i = 0; i < r.rules_paths.size(); ++i) out += (i ? "," : "") + json_str(r.rules_paths[i]);
    out += "]";
    if (!r.error.empty()) out += ",\"error\":" + json_str(r.error);
    out += ",\"tests\":[";
    for (size_t i = 0; i < r.cases.size(); ++i) {
      const auto& c = r.cases[i];
      out += fmt::format("{}{{\"name\":{},\"line\":{},\"passed\":{},\"applications\":{},\"expectations\":{},\"seconds\":{:.6f},\"failures\":[",
                         i ? "," : "", json_str(c.name), c.line, c.passed ? "true" : "false", c.applications,
                         c.expectations, c.seconds);
      for (size_t j = 0; j < c.failures.size(); ++j) {
        const auto& f = c.failures[j];
        out += fmt::format("{}{{\"line\":{},\"application\":{},\"message\":{}", j ? "," : "", f.line, json_str(f.target),
                           json_str(f.message));
        if (!f.explanation.empty()) out += ",\"explanation\":" + json_str(f.explanation);
        out += "}";
      }
      out += "]}";
    }
    out += "]}";
  }
  out += fmt::format("],\"passed\":{},\"failed\":{},\"file_errors\":{}", t.passed, t.failed, t.file_errors);
  if (coverage) {
    out += ",\"coverage\":[";
    auto all = coverage->all();
    for (size_t i = 0; i < all.size(); ++i) out += (i ? "," : "") + coverage_json(*all[i]);
    out += "]";
  }
  out += "}\n";
  return out;
}

// XML 1.0 text: escapes markup and drops the control characters XML cannot carry.
static std::string xml(std::string_view s, bool attribute) {
  std::string out;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\r': break;
      default:
        if (c < 0x20) break;
        out += ch;
    }
  }
  return out;
}

std::string junit_xml(const std::vector<TestFileResult>& results) {
  Totals t = totals(results);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"polc test\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.6f}\">\n",
                     t.passed + t.failed + t.file_errors, t.failed, t.file_errors, t.seconds);
  for (const auto& r : results) {
    double secs = 0;
    for (const auto& c : r.cases) secs += c.seconds;
    bool err = !r.error.empty();
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.6f}\">\n",
                       xml(r.path, true), r.cases.size() + err, r.failed(), err ? 1 : 0, secs);
    if (err) {
      size_t nl = r.error.find('\n');
      out += fmt::format("    <testcase name=\"(test file)\" classname=\"{}\" file=\"{}\" time=\"0\">\n", xml(r.path, true),
                         xml(r.path, true));
      out += fmt::format("      <error message=\"{}\" type=\"file\">{}</error>\n", xml(r.error.substr(0, nl), true),
                         xml(r.error, false));
      out += "    </testcase>\n";
    }
    for (const auto& c : r.cases) {
      out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"{:.6f}\"", xml(c.name, true),
                         xml(r.path, true), xml(r.path, true), c.line, c.seconds);
      if (c.passed) {
        out += "/>\n";
        continue;
      }
      out += ">\n";
      const Failure& first = c.failures.front();
      std::string body;
      for (const auto& f : c.failures) {
        body += fmt::format("{}:{}: {}{}\n", r.path, f.line, f.target.empty() ? "" : f.target + ": ", f.message);
        if (!f.explanation.empty()) body += f.explanation;
      }
      std::string msg = (first.target.empty() ? "" : first.target + ": ") + first.message.substr(0, first.message.find('\n'));
      out += fmt::format("      <failure message=\"{}\" type=\"expectation\">{}</failure>\n", xml(msg, true), xml(body, false));
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace pol::testing
