// libFuzzer target: fuzzed history (JSON Lines grants) against a fixed batch of applications
// that meets most portfolio rules of the Longgang policy (caps, once, series, quota, no double
// support, budget); the decided batch must satisfy the invariants of fuzz_common.h.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string apps =
      R"({"id":"A1","enterprise":"E1","item":"2","date":"2025-03-01","compute_fee":"25000000","project":"P1"})" "\n"
      R"({"id":"A2","enterprise":"E1","item":"5","date":"2025-04-01","model":"M1","requested":"400000"})" "\n"
      R"({"id":"A3","enterprise":"E2","item":"12.1","date":"2026-05-01","platform":"PL","recognized":true,"requested":"300000"})" "\n"
      R"({"id":"A4","enterprise":"E2","item":"13.1","date":"2025-06-01","park":"PK","park_level":"national"})" "\n"
      R"({"id":"A5","enterprise":"E3","item":"10","date":"2025-07-01","actual_investment":"9000000","government_investment":false,"review_score":88.5,"project":"P1"})" "\n";
  std::string history(reinterpret_cast<const char*>(data), size);
  pol::fuzz::decide_and_check(pol::input::open_jsonl(apps), &history);
  return 0;
}
