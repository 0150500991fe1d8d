// Catalogue section for the checker (compiler/check): the enum CheckMsg of messages_check.def. Use msg(CheckMsg::X, {...}).
#pragma once

#include "compiler/diagnostics/message.h"

namespace pol {

enum class CheckMsg : uint16_t {
  SectionStart = kCheckMsgBase,
#define POL_MSG(ID, EN, ZH) ID,
#include "compiler/diagnostics/messages_check.def"
#undef POL_MSG
  SectionEnd
};
static_assert(static_cast<uint16_t>(CheckMsg::SectionEnd) < kCheckMsgBase + kMsgSectionSize);

}  // namespace pol
