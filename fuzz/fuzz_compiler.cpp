// libFuzzer target: policy source text through the whole compiler — parse, check (with the
// standard library imported), lower, verify, and both dumps. Nothing may crash, every
// diagnostic must render as valid UTF-8, and a policy that checks clean must lower to a program
// the verifier accepts.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "compiler/ast/ast.h"
#include "compiler/check/check.h"
#include "compiler/diagnostics/source.h"
#include "compiler/ir/ir.h"
#include "compiler/parse/parse.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string common = [] {
    std::ifstream in(std::string(POL_SOURCE_DIR) + "/stdlib/common.pol");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  pol::SourceManager sm;
  pol::Diagnostics diags;
  uint32_t lib_id = sm.add("common.pol", common);
  uint32_t id = sm.add("fuzz.pol", std::string(reinterpret_cast<const char*>(data), size));
  auto lib = pol::parse(lib_id, sm, diags);
  auto file = pol::parse(id, sm, diags);
  if (!diags.has_errors()) {
    (void)pol::ast::dump(*file);
    auto policy = pol::check({lib.get(), file.get()}, {}, diags);
    if (policy && !diags.has_errors()) {
      pol::ir::Program prog = pol::ir::lower(*policy);
      auto problems = pol::ir::verify(prog, *policy);
      if (!problems.empty()) pol::fuzz::violated("a clean policy lowers to a sound program", problems.front());
      std::string dump = pol::ir::dump(prog, *policy);
      if (!pol::is_valid_utf8(dump)) pol::fuzz::violated("the IR dump is UTF-8", "");
    }
  }
  std::string rendered = pol::render_all(diags, sm, false);
  if (!pol::is_valid_utf8(rendered)) pol::fuzz::violated("diagnostics render as UTF-8", rendered);
  return 0;
}
