// Edit distance and "did you mean"; see suggest.h.
#include "compiler/diagnostics/suggest.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "compiler/diagnostics/source.h"

namespace pol {

size_t edit_distance(std::u32string_view a, std::u32string_view b) {
  if (a.size() < b.size()) std::swap(a, b);  // keep the row as short as possible
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];  // row[i-1][j-1]
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];  // row[i-1][j]
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::u32string to_u32(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for (size_t pos = 0; pos < utf8.size();) {
    const Utf8Step step = decode_utf8(utf8, pos);
    out.push_back(step.cp);
    pos += step.len;
  }
  return out;
}

std::string to_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : text) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

namespace {

// ASCII case and fullwidth forms (U+FF01..FF5E, ideographic space) folded to lowercase ASCII.
std::u32string fold(std::u32string s) {
  for (char32_t& c : s) {
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
    else if (c == 0x3000) c = U' ';
    if (c >= U'A' && c <= U'Z') c += U'a' - U'A';
  }
  return s;
}

bool is_subsequence(std::u32string_view small, std::u32string_view big) {
  size_t j = 0;
  for (char32_t c : big) {
    if (j < small.size() && small[j] == c) ++j;
  }
  return j == small.size();
}

}  // namespace

std::optional<std::string> did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  // Bounded work: a suggestion is for a name a person typed. Past kMaxSuggestLength code points
  // (a 10 MB JSON key, a 100,000-character identifier) there is none, so one lookup costs at most
  // candidates × kMaxSuggestLength² steps instead of growing with the square of the input.
  constexpr size_t kMaxSuggestLength = 64;
  if (name.size() > 4 * kMaxSuggestLength) return std::nullopt;
  const std::u32string raw = to_u32(name);
  if (raw.size() > kMaxSuggestLength) return std::nullopt;
  const std::u32string folded = fold(raw);
  const size_t threshold = std::max<size_t>(1, raw.size() / 3);

  // (matched only as a subsequence, folded distance, exact distance, index): smaller is better.
  using Key = std::tuple<bool, size_t, size_t, size_t>;
  std::optional<Key> best;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const std::string& candidate = candidates[i];
    if (candidate.empty() || candidate == name || candidate.size() > 4 * kMaxSuggestLength) continue;
    const std::u32string c_raw = to_u32(candidate);
    if (c_raw.size() > kMaxSuggestLength) continue;
    const std::u32string c_folded = fold(c_raw);
    const size_t distance = edit_distance(folded, c_folded);
    bool subsequence_only = false;
    if (distance > threshold) {
      const std::u32string& shorter = folded.size() <= c_folded.size() ? folded : c_folded;
      const std::u32string& longer = folded.size() <= c_folded.size() ? c_folded : folded;
      if (shorter.size() < 2 || 2 * shorter.size() < longer.size() || !is_subsequence(shorter, longer)) {
        continue;
      }
      subsequence_only = true;
    }
    const Key key{subsequence_only, distance, edit_distance(raw, c_raw), i};
    if (!best || key < *best) best = key;
  }
  if (!best) return std::nullopt;
  return candidates[std::get<3>(*best)];
}

std::string did_you_mean_help(std::string_view name, const std::vector<std::string>& candidates) {
  const std::optional<std::string> s = did_you_mean(name, candidates);
  return s ? "did you mean `" + *s + "`?" : std::string();
}

}  // namespace pol
