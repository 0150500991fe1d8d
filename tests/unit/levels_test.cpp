// Policies of different levels decided in one run (docs/language.md §13.7): `highest`,
// `combined`, `award of` and `route`, records routed by their `policy` field, the order of
// deciding, the history and the ledger shared by both, the checker's diagnostics, and the
// compiled form. The example policies are examples/levels/; their clause tests are there too.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_fixture.h"
#include "policy_fixture.h"

namespace pol {
namespace {

using nlohmann::json;

std::string example(const std::string& name) { return std::string(POL_SOURCE_DIR) + "/examples/levels/" + name; }

std::vector<json> lines(const std::string& out) {
  std::vector<json> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) v.push_back(json::parse(line));
  return v;
}

json by_id(const std::vector<json>& decisions, const std::string& id) {
  for (const auto& d : decisions)
    if (d.value("id", "") == id) return d;
  ADD_FAILURE() << "no decision " << id;
  return json();
}

class Levels : public testing::TempDirTest {
 protected:
  std::string both() const { return example("municipal_ai.pol") + " " + example("district_ai.pol"); }
};

TEST_F(Levels, TheExampleBatchDecidesEachMechanismAndKeepsInputOrder) {
  auto r = testing::polc("run " + both() + " " + example("applications.jsonl") + " -q");
  ASSERT_EQ(r.status, 0) << r.err;
  auto d = lines(r.out);
  ASSERT_EQ(d.size(), 7u);
  std::vector<std::string> ids;
  for (const auto& x : d) ids.push_back(x["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"M-01", "D-01", "D-02", "M-02", "D-03", "D-04", "D-05"}));
  EXPECT_EQ(by_id(d, "M-01")["award"], "3000000.00");
  EXPECT_EQ(by_id(d, "D-01")["award"], "2000000.00");  // combined: 50% of 1000万 less the city's 300万
  EXPECT_EQ(by_id(d, "D-02")["award"], "3000000.00");  // 1:1 matching of the city's award
  EXPECT_EQ(by_id(d, "D-03")["award"], "500000.00");   // highest: 150万 less the city's 100万
  EXPECT_EQ(by_id(d, "D-04")["status"], "routed");
  EXPECT_EQ(by_id(d, "D-04")["routed_to"], "municipal_ai");
  EXPECT_EQ(by_id(d, "D-04")["award"], "0.00");
  EXPECT_EQ(by_id(d, "D-05")["status"], "ineligible");
  // Every step that read the other level names what it found.
  bool combined = false;
  const json d01 = by_id(d, "D-01");
  for (const auto& s : d01["explanation"])
    if (s["step"] == "combined") {
      combined = true;
      EXPECT_EQ(s["other"], "3000000.00");
      EXPECT_EQ(s["limit"], "5000000.00");
      EXPECT_NE(s["text"].get<std::string>().find("M-01"), std::string::npos) << s;
    }
  EXPECT_TRUE(combined);
}

TEST_F(Levels, TheOrderOfThePoliciesOnTheCommandLineDoesNotMatter) {
  auto a = testing::polc("run " + both() + " " + example("applications.jsonl") + " -q");
  auto b = testing::polc("run " + example("district_ai.pol") + " " + example("municipal_ai.pol") + " " +
                         example("applications.jsonl") + " -q");
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
}

TEST_F(Levels, TheMunicipalAwardsInTheHistoryActAsTheSameAwardsDecidedInTheRun) {
  // The district alone, with the municipal decisions of the run given as history grants.
  auto together = lines(testing::polc("run " + both() + " " + example("applications.jsonl") + " -q").out);
  std::string history, district;
  std::ifstream in(example("applications.jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    json rec = json::parse(line);
    if (rec["policy"] == "municipal_ai") {
      rec["award"] = by_id(together, rec["id"])["award"];
      history += rec.dump() + "\n";
    } else {
      district += rec.dump() + "\n";
    }
  }
  auto r = testing::polc("run " + example("district_ai.pol") + " " + write("district.jsonl", district) + " --history " +
                         write("history.jsonl", history) + " -q");
  ASSERT_EQ(r.status, 0) << r.err;
  for (const auto& d : lines(r.out)) {
    json t = by_id(together, d["id"]);
    EXPECT_EQ(d["award"], t["award"]) << d["id"];
    EXPECT_EQ(d["status"], t["status"]) << d["id"];
  }
}

TEST_F(Levels, ADistrictRunAloneSaysWhichOtherPolicyItCouldNotDecide) {
  auto r = testing::polc("run " + example("district_ai.pol") + " " +
                         write("a.jsonl", R"({"id":"D1","enterprise":"E","item":"2","date":"2025-04-01","project":"C","compute_fee":"100"})" "\n"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("reads the awards of `municipal_ai`, which this run does not decide: 0 grant(s)"), std::string::npos)
      << r.err;
}

TEST_F(Levels, ARecordForNoPolicyOfTheRunIsAnInputErrorTheRestIsDecided) {
  std::string apps = R"({"id":"X1","enterprise":"E","item":"2","date":"2025-04-01","compute_fee":"100"}
{"policy":"county","id":"X2","enterprise":"E","item":"2","date":"2025-04-01","compute_fee":"100"}
{"policy":"municipal_ai","id":"M1","enterprise":"E","item":"2","date":"2025-04-01","project":"C","compute_fee":"100"}
)";
  auto r = testing::polc("run " + both() + " " + write("a.jsonl", apps) + " -q");
  EXPECT_EQ(r.status, 1) << r.err;  // input errors, the rest decided
  auto d = lines(r.out);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0]["code"], "E0610");
  EXPECT_NE(d[0]["error"].get<std::string>().find("policy"), std::string::npos);
  EXPECT_EQ(d[1]["code"], "E0610");
  EXPECT_EQ(d[2]["award"], "20.00");
}

TEST_F(Levels, AHistoryGrantOfAnUnknownPolicyStopsTheRun) {
  std::string apps = R"({"policy":"district_ai","id":"D1","enterprise":"E","item":"2","date":"2025-04-01","project":"C","compute_fee":"100"})" "\n";
  std::string hist = R"({"policy":"municpal_ai","id":"H1","enterprise":"E","item":"2","date":"2025-01-01","project":"C","award":"10"})" "\n";
  auto r = testing::polc("run " + both() + " " + write("a.jsonl", apps) + " --history " + write("h.jsonl", hist));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("E0610"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(Levels, MatchedAwardsAreFilledByTheRunNeverByTheApplicant) {
  std::string apps = R"({"policy":"district_ai","id":"D1","enterprise":"E","item":"3","date":"2025-04-01","project":"P","city_award":"5000000"})" "\n";
  auto r = testing::polc("run " + both() + " " + write("a.jsonl", apps) + " -q");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(lines(r.out)[0]["code"], "E0611");
}

TEST_F(Levels, PoliciesThatReadEachOthersAwardsAreRefused) {
  auto a = write("a.pol", R"(import "common"
policy a_pol { title "A" level district rounding half up to 0.01 }
clause 一 "X" { item "1" "X" { input fee: money "费用" amount fee }
  highest H "就高" { items "1" with b_pol items "1" key project } }
)");
  auto b = write("b.pol", R"(import "common"
policy b_pol { title "B" level municipal rounding half up to 0.01 }
clause 一 "X" { item "1" "X" { input fee: money "费用" amount fee }
  highest H "就高" { items "1" with a_pol items "1" key project } }
)");
  auto r = testing::polc("run " + a + " " + b + " " +
                         write("x.jsonl", R"({"policy":"a_pol","id":"1","enterprise":"E","item":"1","date":"2025-01-01","project":"P","fee":"1"})" "\n"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("read each other's awards"), std::string::npos) << r.err;
}

TEST_F(Levels, RoundsThroughTheLedgerReadTheOtherLevelsRecordedGrants) {
  std::string db = path("grants.db");
  std::string round1 = R"({"policy":"municipal_ai","id":"M1","enterprise":"E1","item":"1","date":"2025-03-01","project":"P1","investment":"10000000","passed_review":true}
)";
  std::string round2 = R"({"policy":"district_ai","id":"D1","enterprise":"E1","item":"1","date":"2025-06-01","project":"P1","investment":"10000000","passed_review":true}
{"policy":"district_ai","id":"D3","enterprise":"E1","item":"3","date":"2025-06-01","project":"P1"}
)";
  auto r1 = testing::polc("run " + both() + " " + write("r1.jsonl", round1) + " --ledger " + db + " --record -q");
  ASSERT_EQ(r1.status, 0) << r1.err;
  // Round 2 with both policies, then the district alone against the same ledger: the same awards.
  auto r2 = testing::polc("run " + both() + " " + write("r2.jsonl", round2) + " --ledger " + db + " -q");
  auto alone = testing::polc("run " + example("district_ai.pol") + " " + path("r2.jsonl") + " --ledger " + db + " -q");
  ASSERT_EQ(r2.status, 0) << r2.err;
  ASSERT_EQ(alone.status, 0) << alone.err;
  auto d2 = lines(r2.out), da = lines(alone.out);
  EXPECT_EQ(by_id(d2, "D1")["award"], "2000000.00");
  EXPECT_EQ(by_id(d2, "D3")["award"], "3000000.00");
  ASSERT_EQ(d2.size(), da.size());
  for (size_t i = 0; i < d2.size(); ++i) {  // the same decisions; only the other policy's title is unknown alone
    EXPECT_EQ(d2[i]["award"], da[i]["award"]);
    EXPECT_EQ(d2[i]["status"], da[i]["status"]);
  }
  // Recording round 2 puts both policies' decisions in one ledger; a municipal grant never counts
  // toward a district cap (the ledger keeps whose grant it is).
  auto rec = testing::polc("run " + both() + " " + path("r2.jsonl") + " --ledger " + db + " --record -q");
  ASSERT_EQ(rec.status, 0) << rec.err;
  // The municipal policy alone against the shared ledger: the district's grants are not its concern.
  auto municipal = testing::polc("run " + example("municipal_ai.pol") + " " +
                                 write("m.jsonl", R"({"id":"M9","enterprise":"E9","item":"2","date":"2025-07-01","project":"C9","compute_fee":"100"})" "\n") +
                                 " --ledger " + db + " -q");
  EXPECT_EQ(municipal.status, 0) << municipal.err;
  auto again = testing::polc("run " + both() + " " + path("r2.jsonl") + " --ledger " + db + " -q");
  for (const auto& d : lines(again.out)) EXPECT_TRUE(d.value("already_decided", false)) << d;
}

TEST_F(Levels, ACompiledPolicyDecidesTheSameWithTheOtherLevel) {
  auto c = testing::polc("compile " + example("district_ai.pol") + " -o " + path("district.json"));
  ASSERT_EQ(c.status, 0) << c.err;
  auto src = testing::polc("run " + both() + " " + example("applications.jsonl") + " -q --format text");
  auto cmp = testing::polc("run " + example("municipal_ai.pol") + " " + path("district.json") + " " +
                           example("applications.jsonl") + " -q --format text");
  ASSERT_EQ(src.status, 0) << src.err;
  EXPECT_EQ(src.out, cmp.out) << cmp.err;
}

TEST_F(Levels, ALinkToAnItemTheOtherPolicyLacksIsAnErrorWhenBothAreGiven) {
  std::string text;
  std::ifstream in(example("district_ai.pol"));
  text.assign(std::istreambuf_iterator<char>(in), {});
  size_t at = text.find("with municipal_ai items \"2\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 27, "with municipal_ai items \"3\"");
  std::string bad = write("district_ai.pol", text);
  for (const char* cmd : {"check", "run"}) {
    std::string args = std::string(cmd) + " " + example("municipal_ai.pol") + " " + bad;
    if (std::string(cmd) == "run") args += " " + example("applications.jsonl");
    auto r = testing::polc(args);
    EXPECT_NE(r.status, 0) << cmd;
    EXPECT_NE(r.err.find("error[E0104]: `municipal_ai` has no item \"3\""), std::string::npos) << cmd << r.err;
    EXPECT_TRUE(r.out.empty()) << cmd;
  }
  // Alone, the district cannot know the other's items: its grants come from the history.
  EXPECT_EQ(testing::polc("check " + bad).status, 0);
}

struct Checked {
  std::string diagnostics;
  bool ok = false;
};

Checked check(const std::string& body, const std::string& header = "policy demo { title \"示范\" rounding half up to 0.01 }\n") {
  LoadOptions o;
  o.policy_path = testing::write_temp_policy("import \"common\"\n" + header + body);
  auto lp = load_policy(o);
  return {render_all(lp->diags, lp->sources, false), lp->ok()};
}

TEST(LevelsCheck, TheLinkToAnotherPolicyIsCheckedWhereItIsWritten) {
  // A key matched against another policy's records is text.
  auto k = check(R"(clause 一 "X" { item "1" "X" { input fee: money "费用" input n: int "数" amount fee }
  highest H "就高" { items "1" with city items "1" key n } })");
  EXPECT_NE(k.diagnostics.find("E0205"), std::string::npos) << k.diagnostics;
  EXPECT_NE(k.diagnostics.find("must be `text`"), std::string::npos) << k.diagnostics;
  // `with` is needed, and names another policy.
  auto w = check(R"(clause 一 "X" { item "1" "X" { input fee: money "费用" amount fee }
  combined C "叠加" { items "1" key project limit 50% of fee } })");
  EXPECT_NE(w.diagnostics.find("needs `with`"), std::string::npos) << w.diagnostics;
  auto self = check(R"(clause 一 "X" { item "1" "X" { input fee: money "费用" amount fee }
  highest H "就高" { items "1" with demo items "1" key project } })");
  EXPECT_NE(self.diagnostics.find("names another policy"), std::string::npos) << self.diagnostics;
  // A combined limit is computed per item: an input the item does not have is unknown there.
  auto lim = check(R"(clause 一 "X" { item "1" "X" { input fee: money "费用" amount fee }
  item "2" "Y" { input cost: money "成本" amount cost }
  combined C "叠加" { items "1", "2" with city items "1" key project limit 50% of fee } })");
  EXPECT_FALSE(lim.ok);
  EXPECT_NE(lim.diagnostics.find("fee"), std::string::npos) << lim.diagnostics;
  // The good form checks.
  auto good = check(R"(clause 一 "X" { item "1" "X" { input fee: money "费用" amount fee }
  combined C "叠加" { items "1" with city items "1" key project limit 50% of fee } })");
  EXPECT_TRUE(good.ok) << good.diagnostics;
}

TEST(LevelsCheck, AwardOfInputsAndRoutesAreChecked) {
  auto type = check(R"(clause 一 "X" { item "1" "X" { input a: int award of city items "1" key project "数" amount 1元 } })");
  EXPECT_NE(type.diagnostics.find("E0203"), std::string::npos) << type.diagnostics;
  auto opt = check(R"(clause 一 "X" { item "1" "X" { input a: money optional award of city items "1" key project "额" amount a or else 0元 } })");
  EXPECT_NE(opt.diagnostics.find("never optional"), std::string::npos) << opt.diagnostics;
  auto mixed = check(R"(clause 一 "X" { item "1" "X" { input a: money "额" amount a }
  item "2" "Y" { input a: money award of city items "1" key project "额" amount a } })");
  EXPECT_NE(mixed.diagnostics.find("given by the applicant here"), std::string::npos) << mixed.diagnostics;
  auto route = check(R"(parameter t: money optional "阈值"
clause 一 "X" { item "1" "X" { input fee: money "费用" amount fee }
  route R "转报" { items "1" above t to city } })");
  EXPECT_NE(route.diagnostics.find("cannot be an optional parameter"), std::string::npos) << route.diagnostics;
  auto level = check("", "policy demo { title \"示范\" rounding half up to 0.01 level distric }\n");
  EXPECT_NE(level.diagnostics.find("did you mean `district`"), std::string::npos) << level.diagnostics;
  auto zh = check("", "policy demo { title \"示范\" rounding half up to 0.01 level 市级 }\n");
  EXPECT_TRUE(zh.ok) << zh.diagnostics;
}

}  // namespace
}  // namespace pol
