// Checking level links between loaded policies (levels.h).
#include "compiler/driver/levels.h"

#include <algorithm>

#include "compiler/diagnostics/messages_driver.h"
#include "compiler/diagnostics/suggest.h"

namespace pol {

bool check_level_links(const std::vector<LoadedPolicy*>& policies) {
  bool ok = true;
  for (LoadedPolicy* lp : policies) {
    if (!lp->policy) continue;
    const Policy& p = *lp->policy;
    for (const LevelLink& link : p.level_links) {
      const Policy* other = nullptr;
      for (const LoadedPolicy* o : policies)
        if (o != lp && o->policy && o->policy->name == link.policy) other = o->policy.get();
      if (!other) continue;
      std::vector<std::string> numbers;
      for (const auto& it : other->items)
        if (std::find(numbers.begin(), numbers.end(), it.number) == numbers.end()) numbers.push_back(it.number);
      for (const auto& n : link.items) {
        if (std::find(numbers.begin(), numbers.end(), n) != numbers.end()) continue;
        auto& d = lp->diags.report(DiagCode::E0104, link.span, msg(DriverMsg::OtherPolicyHasNoItem, {{"policy", link.policy}, {"item", n}}));
        if (auto s = did_you_mean(n, numbers)) d.with_help(msg(MsgId::DidYouMeanText, {{"name", *s}}));
        ok = false;
      }
      for (int f : link.key_fields) {
        if (f < 0) continue;
        const std::string& name = p.fields[f].name;
        int g = other->find_field(name);
        if (g >= 0 && other->fields[g].type.ty == Ty::Text) continue;
        lp->diags.report(DiagCode::E0205, link.span,
                         msg(g < 0 ? DriverMsg::OtherPolicyHasNoKeyField : DriverMsg::KeyFieldNotText,
                             {{"policy", link.policy}, {"name", name}}))
            .with_help(msg(DriverMsg::AKeyNamesTextField));
        ok = false;
      }
    }
  }
  return ok;
}

}  // namespace pol
