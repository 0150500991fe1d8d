// Google Benchmark: the costs that make up `polc run` — running one item program, decoding
// records, and a whole batch (decode + portfolio engine + JSON explanations) — on the
// Longgang policy with synthetic applications built in memory.
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "compiler/driver/pipeline.h"
#include "runtime/explain/explain.h"
#include "runtime/input/records.h"
#include "runtime/interp/interpreter.h"
#include "runtime/portfolio/batch.h"

namespace {

std::unique_ptr<pol::LoadedPolicy> longgang() {
  pol::LoadOptions o;
  o.policy_path = std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025.pol";
  o.rules_paths = {std::string(POL_SOURCE_DIR) + "/policies/longgang_ai_2025_rules.pol"};
  o.need_parameter_values = true;
  auto lp = pol::load_policy(o);
  if (!lp->ok()) std::abort();
  return lp;
}

// n applications over several items and 20,000 enterprises, deterministic.
std::string synthetic_batch(size_t n) {
  std::mt19937_64 rng(42);
  std::string out;
  out.reserve(n * 160);
  for (size_t i = 0; i < n; ++i) {
    char head[160];
    int day = 1 + static_cast<int>(rng() % 28), month = 1 + static_cast<int>(rng() % 12);
    int year = 2025 + static_cast<int>(rng() % 3);
    std::snprintf(head, sizeof head, "{\"id\":\"B%08zu\",\"enterprise\":\"91440300MA5G%06u\",\"date\":\"%d-%02d-%02d\",", i,
                  static_cast<unsigned>(rng() % 20000), year, month, day);
    out += head;
    unsigned long long fen = 1000000 + rng() % 2000000000ull;
    char body[200];
    switch (rng() % 4) {
      case 0: std::snprintf(body, sizeof body, "\"item\":\"2\",\"compute_fee\":\"%llu.%02llu\"}\n", fen / 100, fen % 100); break;
      case 1:
        std::snprintf(body, sizeof body,
                      "\"item\":\"3\",\"contract_amount\":\"%llu.%02llu\",\"via_data_exchange\":true,\"seller_affiliated\":%s}\n",
                      fen / 100, fen % 100, rng() % 5 ? "false" : "true");
        break;
      case 2:
        std::snprintf(body, sizeof body,
                      "\"item\":\"8\",\"sector\":\"eyewear\",\"product_kind\":\"smart_wearable\",\"rd_investment\":\"%llu.%02llu\"}\n",
                      fen / 100, fen % 100);
        break;
      default:
        std::snprintf(body, sizeof body,
                      "\"item\":\"13.2\",\"agglomeration_met\":true,\"ai_enterprises\":%u,\"requested\":\"%llu.%02llu\"}\n",
                      static_cast<unsigned>(rng() % 60), fen / 100, fen % 100);
    }
    out += body;
  }
  return out;
}

void decode(pol::Batch& batch, const std::string& text) {
  pol::Decoder dec(batch);
  auto reader = pol::input::open_jsonl(text);
  pol::input::RawRecord rec;
  while (reader->next(rec)) dec.add_application(rec);
}

void BM_RunItemProgram(benchmark::State& state) {
  auto lp = longgang();
  pol::Batch batch(*lp->policy, lp->program);
  std::string text = synthetic_batch(64);
  decode(batch, text);
  size_t i = 0;
  for (auto _ : state) {
    const pol::Application& app = batch.apps[i++ & 63];
    int64_t* frame = batch.load(app);
    pol::ItemRun run;
    pol::run_item(lp->program.items[app.item], frame, batch.texts.data(), run);
    benchmark::DoNotOptimize(run);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_RunItemProgram);

void BM_DecodeJsonl(benchmark::State& state) {
  auto lp = longgang();
  std::string text = synthetic_batch(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    pol::Batch batch(*lp->policy, lp->program);
    decode(batch, text);
    benchmark::DoNotOptimize(batch.apps.size());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_DecodeJsonl)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_EvaluateBatch(benchmark::State& state) {
  auto lp = longgang();
  std::string text = synthetic_batch(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    state.PauseTiming();
    pol::Batch batch(*lp->policy, lp->program);
    decode(batch, text);
    state.ResumeTiming();
    pol::evaluate(batch);
    benchmark::DoNotOptimize(batch.decisions.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EvaluateBatch)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_ExplainJson(benchmark::State& state) {
  auto lp = longgang();
  std::string text = synthetic_batch(static_cast<size_t>(state.range(0)));
  pol::Batch batch(*lp->policy, lp->program);
  decode(batch, text);
  pol::evaluate(batch);
  pol::Explainer ex(batch);
  std::string out;
  for (auto _ : state) {
    out.clear();
    for (uint32_t i = 0; i < batch.apps.size(); ++i) ex.json_line(i, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(out.size()));
}
BENCHMARK(BM_ExplainJson)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
