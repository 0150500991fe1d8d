// The decisions of a run as programme staff read them: one StaffDecision per application, taken
// from the decided batch and its Explainer — the same steps and sentences `polc run` writes —
// never decided again. The workbook (xlsx.h), the director's report and the decision letters
// (report.h) all read decisions through this one reader, so they say the same thing.
// Lifetime: a DecisionReader refers to the batches it reads; read() overwrites the StaffDecision.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/explain/explain.h"
#include "runtime/portfolio/batch.h"

namespace pol::staff {

// The run's decisions in input order: at(k) is the batch (one per policy when several are decided
// together) and the application's index in it — what `polc run` writes, k = 0 … n-1.
using DecisionAt = std::function<std::pair<Batch*, uint32_t>(size_t)>;

// How much one step of an explanation cut the amount: a per-application cap, a group cap, total
// control, or another level's award (就高不重复, 叠加上限).
struct Cut {
  std::string key;     // stable: policy, step kind, rule or item
  std::string label;   // for people: "购买算力每家企业每年最高600万元", "事项 2「购买算力支持」单笔上限"
  std::string clause;  // "第二条", with the revision's title when a revision worded it
  int64_t fen = 0;
};

// Why an application got nothing, one entry per reason ("不满足「…」", a status in words).
struct Rejection {
  std::string reason, clause;
};

struct StaffDecision {
  enum class Kind : uint8_t { Decided, InputError, AlreadyDecided };
  Kind kind = Kind::Decided;
  const Batch* batch = nullptr;
  const Policy* policy = nullptr;
  std::string policy_title;  // 简称, else the title, else the name
  std::string id, enterprise, item, item_title;
  int item_index = -1;       // into policy->items; -1 for an input error
  int32_t date = 0;
  int year = 0;
  uint32_t line = 0;         // the input line (for an input error)
  DecisionStatus status = DecisionStatus::InputError;
  bool eligible = false;
  bool discretionary = false;  // eligible; the authority sets the amount (award not yet known)
  int64_t award = 0;           // fen; 0 unless granted
  int64_t ceiling = -1;        // a discretionary amount's ceiling, -1 when none
  std::string error;           // an input error: "error[E0603]: …"
  std::string error_code;      // "E0603"
  std::vector<Step> steps;     // the explanation, as the Explainer wrote it (first nsteps)
  size_t nsteps = 0;
  std::string reasons;       // failed tests and steps that cut the amount, each with its clause, "；"-joined
  std::string calculation;   // the amount step's sentence
  std::vector<int> clauses;  // the clauses it rests on (the item's first), into policy->clauses
  std::string citations;     // those clauses by number and title, "；"-joined
  std::vector<Cut> cuts;
  std::vector<Rejection> rejections;  // empty when something was granted (or is to be set)
};

// "第二条「加大优质优价算力供给」", with 《revision》 before it when a revision worded the clause.
std::string clause_citation(const Policy& p, int clause, const std::string& document);

class DecisionReader {
 public:
  void read(Batch& b, uint32_t a, StaffDecision& out);

 private:
  Explainer& explainer(Batch& b);
  void explain(Batch& b, uint32_t a, StaffDecision& out);
  std::vector<std::pair<Batch*, std::unique_ptr<Explainer>>> explainers_;  // one per batch, reused
};

}  // namespace pol::staff
