// Catalogue section for input errors: applications, cells, CSV/xlsx/JSON Lines files, ledger records (runtime/): the enum InputMsg of messages_input.def. Use msg(InputMsg::X, {...}).
#pragma once

#include "compiler/diagnostics/message.h"

namespace pol {

enum class InputMsg : uint16_t {
  SectionStart = kInputMsgBase,
#define POL_MSG(ID, EN, ZH) ID,
#include "compiler/diagnostics/messages_input.def"
#undef POL_MSG
  SectionEnd
};
static_assert(static_cast<uint16_t>(InputMsg::SectionEnd) < kInputMsgBase + kMsgSectionSize);

}  // namespace pol
