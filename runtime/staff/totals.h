// What a director reads of a run: counts and sums per item, year and status, the caps that cut
// awards most often (and by how much), why applications got nothing, and how much of each fund
// was used. Built from StaffDecisions one at a time (a million decisions need no more memory than
// a few), and shared by the workbook's summary sheet and the HTML report. Money is in fen.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runtime/staff/decisions.h"

namespace pol::staff {

struct KeyedTotal {
  std::string key, label;   // item number and title; year; status code and its Chinese words
  size_t applications = 0, granted = 0;
  int64_t amount = 0;
};

struct CapTotal {
  std::string label, clause;
  size_t times = 0;  // how many awards it cut
  int64_t cut = 0;   // by how much in all
};

struct ReasonTotal {
  std::string reason, clause;
  size_t applications = 0;
};

// One budget pool (总额控制) in one period, as the engine shared it out.
struct BudgetUse {
  std::string policy, label, clause;
  int year = 0;
  int64_t budget = 0, history = 0, asked = 0, granted = 0;  // asked: this batch's awards before sharing
  bool scaled = false, oversubscribed = false;
  int64_t used() const { return history + granted; }
};

struct RunTotals {
  std::vector<std::string> policies;  // titles, in the order of deciding
  size_t applications = 0, decided = 0, eligible = 0, granted = 0, ineligible = 0, input_errors = 0;
  size_t already_decided = 0, to_be_set = 0;  // to_be_set: discretionary amounts the authority sets
  int64_t total = 0, cut = 0;
  std::vector<KeyedTotal> per_item, per_year, per_status;
  std::vector<CapTotal> caps;            // most often first, then most cut
  std::vector<ReasonTotal> rejections;   // most applications first
  std::vector<BudgetUse> budgets;
};

class TotalsBuilder {
 public:
  void add(const StaffDecision& d);
  RunTotals finish();

 private:
  void add_policy(const Batch& b);
  RunTotals t_;
  std::vector<const Batch*> batches_;
  std::vector<std::string> short_titles_;  // parallel to batches_: an item's prefix when several policies
  // Keyed for a stable order: (batch, first item of the number) — items in declaration order.
  std::map<std::pair<size_t, int>, KeyedTotal> items_;
  std::map<int, KeyedTotal> years_;
  std::map<int, KeyedTotal> statuses_;  // by DecisionStatus
  std::map<std::string, CapTotal> caps_;
  std::map<std::pair<std::string, std::string>, ReasonTotal> reasons_;
};

}  // namespace pol::staff
