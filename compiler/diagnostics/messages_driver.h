// Catalogue section for loading, amending and compiling policies (compiler/driver, compiler/parse): the enum DriverMsg of messages_driver.def. Use msg(DriverMsg::X, {...}).
#pragma once

#include "compiler/diagnostics/message.h"

namespace pol {

enum class DriverMsg : uint16_t {
  SectionStart = kDriverMsgBase,
#define POL_MSG(ID, EN, ZH) ID,
#include "compiler/diagnostics/messages_driver.def"
#undef POL_MSG
  SectionEnd
};
static_assert(static_cast<uint16_t>(DriverMsg::SectionEnd) < kDriverMsgBase + kMsgSectionSize);

}  // namespace pol
