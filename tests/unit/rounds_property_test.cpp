// Deciding in rounds equals deciding at once (issue #8.7): random Longgang scenarios are decided
// in one run, and again in date-ordered rounds through a grant ledger (each round recorded
// before the next is decided). For every rule that is not competitive within a round (one-off
// keys, series, group caps — not quota ranking, highest-wins no double support, pro-rata
// budget), every application gets the same eligibility and award both ways.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "runtime/input/records.h"
#include "runtime/ledger/ledger.h"
#include "runtime/run/batch_run.h"
#include "runtime/portfolio/batch.h"
#include "tests/unit/policy_fixture.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using pol::testing::load_longgang;

// Generated applications, reshaped so that scenarios collide: three enterprises, two values per
// one-off / series key, no project (no double support is competitive), no quota item.
std::vector<json> applications(size_t n) {
  std::string cmd = "python3 " POL_SOURCE_DIR "/bench/gen_applications.py " + std::to_string(n) + " --seed 20261128";
  std::string text;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, k);
    pclose(p);
  }
  std::vector<json> out;
  std::mt19937 rng(7);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    json a = json::parse(text.substr(start, end - start));
    start = end + 1;
    if (a["item"] == "10") continue;
    a.erase("project");
    a["enterprise"] = "91440300MA5G00000" + std::to_string(rng() % 3);
    for (const char* key : {"model", "product", "platform", "park"})
      if (a.contains(key)) a[key] = std::string(key) + "-" + std::to_string(rng() % 2);
    out.push_back(std::move(a));
  }
  return out;
}

struct Decided {
  bool error = false, eligible = false;
  int64_t award = 0;
};

std::map<std::string, Decided> decisions_of(pol::Batch& b) {
  std::map<std::string, Decided> out;
  for (size_t i = 0; i < b.apps.size(); ++i) {
    const pol::Decision& d = b.decisions[i];
    out[std::string(b.apps[i].id)] = {d.status == pol::Status::Error, d.status == pol::Status::Eligible, d.award};
  }
  return out;
}

void decode(pol::Batch& b, const std::string& jsonl, bool keep_raw) {
  pol::Decoder dec(b, keep_raw);
  auto reader = pol::input::open_jsonl(jsonl);
  pol::input::RawRecord rec;
  while (reader->next(rec)) dec.add_application(rec);
}

TEST(Rounds, DecidingInDateOrderedRoundsThroughTheLedgerEqualsOneRun) {
  auto lp = load_longgang();
  ASSERT_TRUE(lp->ok());
  constexpr size_t kScenarios = 300, kPerScenario = 12;
  std::vector<json> apps = applications(kScenarios * kPerScenario * 11 / 10 + 50);
  ASSERT_GE(apps.size(), kScenarios * kPerScenario);
  fs::path dir = fs::temp_directory_path() / ("pol_rounds_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::mt19937 rng(42);
  size_t compared = 0, differing_scenarios = 0, multi_round = 0;
  for (size_t s = 0; s < kScenarios; ++s) {
    std::vector<json> sc(apps.begin() + s * kPerScenario, apps.begin() + (s + 1) * kPerScenario);
    for (size_t i = 0; i < sc.size(); ++i) sc[i]["id"] = "S" + std::to_string(s) + "-" + std::to_string(i);
    // Every other scenario crowds one item: filed models (one-off per model) of one enterprise
    // in one year at the per-application cap, so the year's group cap runs out and later
    // applications are eligible with award 0 — the case where counting only grants went wrong.
    if (s % 2 == 0)
      for (size_t i = 0; i < 8; ++i) {
        json a = {{"id", sc[i]["id"]}, {"enterprise", "91440300MA5G000000"}, {"item", "5"},
                  {"date", "2025-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 10)},
                  {"model", "model-" + std::to_string(rng() % 6)}, {"requested", "500000"}};
        if (a["date"] < "2025-01-10") a["date"] = "2025-02-10";
        sc[i] = a;
      }
    std::string all;
    for (const auto& a : sc) all += a.dump() + "\n";

    pol::Batch once(*lp->policy, lp->program);
    decode(once, all, false);
    pol::evaluate(once);
    ASSERT_TRUE(once.fatal.empty()) << once.fatal;
    auto expected = decisions_of(once);

    // Rounds cut at date boundaries: every application of a round is earlier than the next's.
    std::vector<std::string> dates;
    for (const auto& a : sc) dates.push_back(a["date"]);
    std::sort(dates.begin(), dates.end());
    dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
    std::vector<std::string> cuts;
    for (int c = 0; c < 2 && dates.size() > 1; ++c) cuts.push_back(dates[1 + rng() % (dates.size() - 1)]);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    multi_round += !cuts.empty();
    std::vector<std::string> rounds(cuts.size() + 1);
    for (const auto& a : sc) {
      size_t r = std::upper_bound(cuts.begin(), cuts.end(), a["date"].get<std::string>()) - cuts.begin();
      rounds[r] += a.dump() + "\n";
    }

    fs::path db = dir / ("s" + std::to_string(s) + ".db");
    std::map<std::string, Decided> got;
    for (const auto& round : rounds) {
      if (round.empty()) continue;
      std::string err;
      auto led = pol::ledger::Ledger::open(db.string(), pol::ledger::Access::Write, err);
      ASSERT_TRUE(led) << err;
      ASSERT_TRUE(led->begin_write(err)) << err;
      pol::Batch b(*lp->policy, lp->program);
      std::vector<std::string> errors;
      ASSERT_TRUE(pol::load_ledger_history(*led, b, {}, errors)) << (errors.empty() ? "" : errors[0]);
      decode(b, round, true);
      ASSERT_GE(pol::mark_recorded(*led, b, nullptr, err), 0) << err;
      pol::evaluate(b);
      ASSERT_TRUE(b.fatal.empty()) << b.fatal;
      pol::ledger::RunInfo info;
      info.policy = lp.get();
      info.input = "round";
      info.started_at = pol::ledger::utc_now();
      pol::ledger::RecordStats stats;
      ASSERT_TRUE(led->record_batch(b, info, stats, err)) << err;
      ASSERT_TRUE(led->commit(err)) << err;
      for (auto& [id, d] : decisions_of(b)) got[id] = d;
    }
    bool differs = false;
    for (const auto& [id, want] : expected) {
      const Decided& d = got[id];
      EXPECT_EQ(d.error, want.error) << id;
      EXPECT_EQ(d.eligible, want.eligible) << "scenario " << s << ", " << id << " (rounds cut at " << ::testing::PrintToString(cuts) << ")\n" << all;
      EXPECT_EQ(d.award, want.award) << "scenario " << s << ", " << id << "\n" << all;
      differs |= d.eligible != want.eligible || d.award != want.award;
      ++compared;
    }
    differing_scenarios += differs;
    fs::remove(db);
  }
  fs::remove_all(dir);
  EXPECT_EQ(differing_scenarios, 0u);
  EXPECT_EQ(compared, kScenarios * kPerScenario);
  EXPECT_GT(multi_round, kScenarios * 9 / 10);  // nearly every scenario is really decided in rounds
}

}  // namespace
