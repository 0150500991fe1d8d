// Links against the evaluation library alone (compiler + interpreter + decoder + engine): if
// evaluation needed the readers, SQLite or simdjson, this program would not link. It decides one
// application of the policy given as argv[1] and prints its award, so ctest also checks it runs.
#include <cstdio>

#include "compiler/driver/pipeline.h"
#include "runtime/input/record.h"
#include "runtime/portfolio/batch.h"
#include "values/fixed.h"

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  pol::LoadOptions o;
  o.policy_path = argv[1];
  o.rules_paths = {argv[2]};
  o.need_parameter_values = true;
  auto lp = pol::load_policy(o);
  if (!lp->ok()) return 1;
  pol::Batch batch(*lp->policy, lp->program);
  pol::Decoder dec(batch);
  pol::input::RawRecord rec;
  rec.line = 1;
  using K = pol::input::RawKind;
  rec.fields = {{"id", K::String, "A1"}, {"enterprise", K::String, "E1"}, {"item", K::String, "2"},
                {"date", K::String, "2025-03-01"}, {"compute_fee", K::String, "25000000"}};
  dec.add_application(rec);
  pol::evaluate(batch);
  std::printf("award %s\n", pol::money_plain_str(batch.decisions[0].award).c_str());
  return batch.decisions[0].award == 600000000 ? 0 : 1;
}
