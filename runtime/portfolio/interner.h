// An open-addressing map from text to a uint32 value, without a heap node per entry:
// a million application ids or enterprise codes fit in two flat arrays.
// Keys are not copied: they must outlive the map (they live in a TextArena).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace pol {

class TextMap {
 public:
  // The value stored for `s`, or null.
  const uint32_t* find(std::string_view s) const {
    if (slots_.empty()) return nullptr;
    uint64_t h = hash(s);
    uint32_t tag = static_cast<uint32_t>(h >> 32);
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& e = slots_[i];
      if (e.entry == 0) return nullptr;
      if (e.tag == tag && e.len == s.size() && same(e, s)) return &values_[e.entry - 1];
    }
  }
  // Adds `s` (not present) with `value`.
  void insert(std::string_view s, uint32_t value) {
    if ((keys_.size() + 1) * 2 > slots_.size()) grow();
    keys_.push_back(s);
    values_.push_back(value);
    place(static_cast<uint32_t>(keys_.size()));
  }
  size_t size() const { return keys_.size(); }

 private:
  // A slot holds the key's first bytes, so a hit on a short key (an id, an enterprise code)
  // is decided within the slot's cache line.
  static constexpr size_t kInline = 20;
  struct Slot {
    uint32_t entry = 0;  // index + 1; 0 = empty
    uint32_t tag = 0;
    uint32_t len = 0;
    char head[kInline];
  };
  bool same(const Slot& e, std::string_view s) const {
    size_t n = s.size() < kInline ? s.size() : kInline;
    if (std::memcmp(e.head, s.data(), n) != 0) return false;
    return s.size() <= kInline || keys_[e.entry - 1] == s;
  }
  // Eight bytes at a time, then a final mix: ids and codes are short, so this is a few multiplies.
  static uint64_t hash(std::string_view s) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
      h ^= h >> 31;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, s.data() + i, s.size() - i);
    h = (h ^ tail) * 0x94d049bb133111ebull;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 32;
    return h;
  }
  void place(uint32_t entry) {
    std::string_view k = keys_[entry - 1];
    uint64_t h = hash(k);
    size_t mask = slots_.size() - 1;
    size_t i = h & mask;
    while (slots_[i].entry) i = (i + 1) & mask;
    Slot& e = slots_[i];
    e.entry = entry;
    e.tag = static_cast<uint32_t>(h >> 32);
    e.len = static_cast<uint32_t>(k.size());
    std::memcpy(e.head, k.data(), k.size() < kInline ? k.size() : kInline);
  }
  void grow() {
    slots_.assign(slots_.empty() ? 256 : slots_.size() * 2, Slot{});
    for (uint32_t e = 1; e <= keys_.size(); ++e) place(e);
  }
  std::vector<Slot> slots_;
  std::vector<std::string_view> keys_;
  std::vector<uint32_t> values_;
};

}  // namespace pol
