// SHA-256 (FIPS 180-4), to identify the exact policy and rules text that made a decision.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pol {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  std::string hex();  // finalizes

 private:
  void block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t len_ = 0;
  uint64_t total_ = 0;
};

}  // namespace pol
