// libFuzzer target: a JSON Lines batch decided against the Longgang policy, every decision
// written as JSON, CSV and text, with the invariants of fuzz_common.h checked.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  pol::fuzz::decide_and_check(pol::input::open_jsonl(text));
  return 0;
}
