// libFuzzer target: a CSV batch decided against the Longgang policy (see fuzz_jsonl.cpp).
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  pol::fuzz::decide_and_check(pol::input::open_csv(text));
  return 0;
}
