// The progress line of `polc run`; see progress_line.h.
#include "cli/progress_line.h"

#include <unistd.h>

#include <cstdio>

#include "compiler/diagnostics/messages_cli.h"

namespace pol::cli {

namespace {

std::string text_of(BatchStep step, size_t done, size_t total, Lang lang) {
  const MsgArg d{"done", std::to_string(done)}, t{"total", std::to_string(total)};
  switch (step) {
    case BatchStep::Reading: return render_msg(msg(CliMsg::ProgressReading), lang);
    case BatchStep::Deciding: return render_msg(msg(CliMsg::ProgressDeciding, {t}), lang);
    case BatchStep::Recording: return render_msg(msg(CliMsg::ProgressRecording, {d, t}), lang);
    case BatchStep::Writing: return render_msg(msg(CliMsg::ProgressWriting, {d, t}), lang);
  }
  return {};
}

}  // namespace

ProgressLine::ProgressLine(bool enabled, Lang lang, std::FILE* out, Clock::duration quiet, Clock::duration redraw)
    : enabled_(enabled), lang_(lang), out_(out), quiet_(quiet), redraw_(redraw), start_(Clock::now()), last_draw_(start_) {
  hook_ = [this](BatchStep step, size_t done, size_t total) { update(step, done, total); };
}

bool ProgressLine::enabled_for(bool quiet, bool decisions_to_stdout) {
  return !quiet && isatty(STDERR_FILENO) && !(decisions_to_stdout && isatty(STDOUT_FILENO));
}

void ProgressLine::update(BatchStep step, size_t done, size_t total) {
  const auto now = Clock::now();
  if (now - start_ < quiet_) return;
  if (shown_ && step == last_step_ && now - last_draw_ < redraw_) return;
  std::fprintf(out_, "\r\033[K%s", text_of(step, done, total, lang_).c_str());
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
