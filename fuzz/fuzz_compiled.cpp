// libFuzzer target: bytes loaded as a compiled policy (polc compile's format). Loading must
// refuse what is unsound with E0010 and never crash; a policy it accepts decides a small batch
// (one application per item, every input given) with every invariant of fuzz_common.h holding.
#include <cstddef>
#include <cstdint>

#include "compiler/driver/compiled.h"
#include "fuzz/fuzz_common.h"

namespace {

// One application per item with a plausible value for every field the policy declares.
std::string batch_for(const pol::Policy& p) {
  std::string out;
  for (size_t i = 0; i < p.items.size(); ++i) {
    out += "{";
    for (size_t f = 0; f < p.fields.size(); ++f) {
      const pol::FieldInfo& fi = p.fields[f];
      std::string v;
      if (static_cast<int>(f) == p.field_id) v = "\"A" + std::to_string(i) + "\"";
      else if (static_cast<int>(f) == p.field_item) v = "\"" + p.items[i].number + "\"";
      else switch (fi.type.ty) {
        case pol::Ty::Money: case pol::Ty::Int: case pol::Ty::Decimal: v = "\"1000\""; break;
        case pol::Ty::Rate: v = "\"0.5\""; break;
        case pol::Ty::Bool: v = "true"; break;
        case pol::Ty::Date: v = "\"2025-06-01\""; break;
        case pol::Ty::Enum: v = "\"" + p.enums[fi.type.enum_id].members.front() + "\""; break;
        default: v = "\"x\""; break;
      }
      out += (f ? ",\"" : "\"") + fi.name + "\":" + v;
    }
    out += "}\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto lp = pol::load_compiled("fuzz.polc.json", text);
  if (!lp->ok()) {
    if (lp->diags.all().empty() || lp->diags.all().front().code != pol::DiagCode::E0010)
      pol::fuzz::violated("a refused compiled policy says E0010", "");
    std::string shown = pol::render_all(lp->diags, lp->sources, false);
    if (!pol::is_valid_utf8(shown)) pol::fuzz::violated("the refusal is UTF-8", "");
    return 0;
  }
  (void)pol::ir::dump(lp->program, *lp->policy);
  pol::Batch b(*lp->policy, lp->program);
  pol::Decoder dec(b);
  const std::string records = batch_for(*lp->policy);  // the reader keeps a view of it
  auto reader = pol::input::open_jsonl(records);
  pol::input::RawRecord rec;
  while (reader->next(rec)) dec.add_application(rec);
  pol::evaluate(b);
  if (b.fatal.empty()) pol::fuzz::check_batch(b);
  return 0;
}
