// "Did you mean ...?" suggestions for unknown names, units, enum members and items: Levenshtein
// distance over Unicode code points, so a Chinese character counts as one edit, not three bytes.
// Pure functions; results own their data (nothing refers back into the arguments).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pol {

// Levenshtein distance (insert, delete, substitute each cost 1) between code point strings.
size_t edit_distance(std::u32string_view a, std::u32string_view b);

// UTF-8 -> code points; an invalid byte becomes U+FFFD. to_utf8 is the inverse.
std::u32string to_u32(std::string_view utf8);
std::string to_utf8(std::u32string_view text);

// The candidate closest to `name`, or nullopt if none is close enough. A candidate qualifies when
//  - its edit distance to `name` is at most max(1, len/3), len = code points in `name`, after
//    folding ASCII case and fullwidth forms (ｃｏｍｐｕｔｅ＿ｆｅｅ typed with a Chinese IME
//    matches compute_fee); or
//  - one of the two is an in-order subsequence of the other, the shorter has at least 2 code
//    points and at least half the length of the longer (abbreviations common in Chinese names:
//    算力费 -> 算力服务费用).
// The smallest distance wins (distance matches before subsequence ones); ties go to the earlier
// candidate. A candidate equal to `name` is never suggested.
std::optional<std::string> did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

// "did you mean `x`?" for Diagnostic::help, or an empty string when there is no suggestion.
std::string did_you_mean_help(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace pol
