// The progress line of `polc run`; see progress_line.h.
#include "cli/progress_line.h"

#include <unistd.h>

#include <cstdio>

namespace pol::cli {

namespace {

std::string text_of(BatchStep step, size_t done, size_t total) {
  switch (step) {
    case BatchStep::Reading: return "正在读取申报…";
    case BatchStep::Deciding: return "正在判定 " + std::to_string(total) + " 份申报…";
    case BatchStep::Recording:
      return "已记入台账 " + std::to_string(done) + "/" + std::to_string(total) + " 份申报…";
    case BatchStep::Writing: return "已处理 " + std::to_string(done) + "/" + std::to_string(total) + " 份申报…";
  }
  return {};
}

}  // namespace

ProgressLine::ProgressLine(bool enabled, std::FILE* out, Clock::duration quiet, Clock::duration redraw)
    : enabled_(enabled), out_(out), quiet_(quiet), redraw_(redraw), start_(Clock::now()), last_draw_(start_) {
  hook_ = [this](BatchStep step, size_t done, size_t total) { update(step, done, total); };
}

bool ProgressLine::enabled_for(bool quiet, bool decisions_to_stdout) {
  return !quiet && isatty(STDERR_FILENO) && !(decisions_to_stdout && isatty(STDOUT_FILENO));
}

void ProgressLine::update(BatchStep step, size_t done, size_t total) {
  const auto now = Clock::now();
  if (now - start_ < quiet_) return;
  if (shown_ && step == last_step_ && now - last_draw_ < redraw_) return;
  std::fprintf(out_, "\r\033[K%s", text_of(step, done, total).c_str());
  std::fflush(out_);
  shown_ = true;
  last_step_ = step;
  last_draw_ = now;
}

void ProgressLine::clear() {
  if (!shown_) return;
  std::fputs("\r\033[K", out_);
  std::fflush(out_);
  shown_ = false;
}

}  // namespace pol::cli
