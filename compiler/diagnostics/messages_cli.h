// Catalogue section for the command line: help, summaries, test, coverage and ledger output (cli/, runtime/testing): the enum CliMsg of messages_cli.def. Use msg(CliMsg::X, {...}).
#pragma once

#include "compiler/diagnostics/message.h"

namespace pol {

enum class CliMsg : uint16_t {
  SectionStart = kCliMsgBase,
#define POL_MSG(ID, EN, ZH) ID,
#include "compiler/diagnostics/messages_cli.def"
#undef POL_MSG
  SectionEnd
};
static_assert(static_cast<uint16_t>(CliMsg::SectionEnd) < kCliMsgBase + kMsgSectionSize);

}  // namespace pol
