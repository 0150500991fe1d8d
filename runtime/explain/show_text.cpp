#include "runtime/explain/show_text.h"

namespace pol {

std::vector<std::vector<const std::string*>> slot_label_table(const Policy& p, size_t frame) {
  std::vector<std::vector<const std::string*>> table(p.items.size(), std::vector<const std::string*>(frame, nullptr));
  for (size_t i = 0; i < p.items.size(); ++i) {
    auto& t = table[i];
    auto put = [&](int32_t slot, const std::string& label, const std::string& name) {
      if (slot >= 0 && static_cast<size_t>(slot) < t.size() && !t[slot]) t[slot] = label.empty() ? &name : &label;
    };
    for (const auto& in : p.items[i].inputs) put(p.fields[in.field].slot, in.label, p.fields[in.field].name);
    for (const auto& f : p.fields) put(f.slot, f.label, f.name);
    for (const auto& pr : p.params) put(pr.slot, pr.label, pr.name);
    for (const auto& l : p.items[i].lets) put(l.slot, l.name, l.name);
  }
  return table;
}

}  // namespace pol
