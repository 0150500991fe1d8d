// The progress line of a long `polc run`: "已处理 12000/50000 份申报…" (in the language of the run) on standard error, redrawn
// in place (\r) at most five times a second, cleared before anything else is printed there, so the
// summary starts on a clean line. Only for a person watching: silent unless standard error is a
// terminal (tests and pipes never see it), with --quiet, and when the decisions themselves scroll
// on the same terminal; nothing is drawn in a run's first quarter second, so short runs show none.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "compiler/diagnostics/message.h"
#include "runtime/portfolio/progress.h"

namespace pol::cli {

class ProgressLine {
 public:
  using Clock = std::chrono::steady_clock;
  // enabled: whether to draw at all (see enabled_for); lang: the language of the line. `out`,
  // `quiet` (nothing drawn this long after the start) and `redraw` (the least time between two
  // lines of one step) are for tests.
  explicit ProgressLine(bool enabled, Lang lang, std::FILE* out = stderr,
                        Clock::duration quiet = std::chrono::milliseconds(250),
                        Clock::duration redraw = std::chrono::milliseconds(200));
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Standard error is a terminal, not --quiet, and the decisions do not go to that terminal too.
  static bool enabled_for(bool quiet, bool decisions_to_stdout);

  // The hook for BatchRequest::progress; null when disabled (so the batch skips even the call).
  const ProgressHook* hook() const { return enabled_ ? &hook_ : nullptr; }
  // Writing the decisions (called for every one; draws every kProgressEvery).
  void writing(size_t done, size_t total) { report_progress(hook(), BatchStep::Writing, done, total); }
  // Erases the line; call before printing anything else on standard error.
  void clear();

 private:
  void update(BatchStep step, size_t done, size_t total);

  bool enabled_;
  Lang lang_;
  std::FILE* out_;
  Clock::duration quiet_, redraw_;
  bool shown_ = false;
  BatchStep last_step_ = BatchStep::Reading;
  Clock::time_point start_, last_draw_;
  ProgressHook hook_;
};

}  // namespace pol::cli
