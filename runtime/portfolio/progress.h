// Progress of the long steps of a batch — reading, deciding, recording in the ledger, writing
// the decisions — for a line a person watches (`polc run` on a terminal). A step reports at its
// start and then once every kProgressEvery applications, never per application, so a batch
// without a hook pays one test per application at most. The hook only watches: it must not
// touch the batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace pol {

enum class BatchStep : uint8_t { Reading, Deciding, Recording, Writing };

// done: applications through so far; total: of the step (0 while reading: not known yet).
using ProgressHook = std::function<void(BatchStep step, size_t done, size_t total)>;

inline constexpr size_t kProgressEvery = 4096;

// Calls `hook` (when there is one) at application `done` of `total` when `done` is a multiple
// of kProgressEvery (0 included: the step's start).
inline void report_progress(const ProgressHook* hook, BatchStep step, size_t done, size_t total) {
  if (hook && done % kProgressEvery == 0) (*hook)(step, done, total);
}

}  // namespace pol
