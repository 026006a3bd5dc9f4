#include "text/precompiled.h"

namespace lathe::text {

std::optional<std::string> base64_decode(std::string_view s) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (s.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(s.size() / 4 * 3);
  for (std::size_t i = 0; i < s.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s[i + static_cast<std::size_t>(k)];
      if (c == '=' && i + 4 == s.size() && k >= 2) {
        v[k] = 0;
        ++pad;
      } else {
        if (pad) return std::nullopt;  // data after padding
        v[k] = value(c);
        if (v[k] < 0) return std::nullopt;
      }
    }
    std::uint32_t n = (std::uint32_t(v[0]) << 18) | (std::uint32_t(v[1]) << 12) | (std::uint32_t(v[2]) << 6) | std::uint32_t(v[3]);
    out += static_cast<char>((n >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(n & 0xFF);
  }
  return out;
}

PrecompiledNormalizer::PrecompiledNormalizer(const Json& j, const std::string& where)
    : grapheme_(std::make_unique<Regex>(R"(\X)", where)) {
  const std::string at = where + ".precompiled_charsmap";
  auto blob = base64_decode(get_string(j, "precompiled_charsmap", where));
  if (!blob) config_error(at, "not valid base64");
  const std::string& b = *blob;
  auto u32_at = [&](std::size_t i) {
    return std::uint32_t(static_cast<unsigned char>(b[i])) | std::uint32_t(static_cast<unsigned char>(b[i + 1])) << 8 |
           std::uint32_t(static_cast<unsigned char>(b[i + 2])) << 16 | std::uint32_t(static_cast<unsigned char>(b[i + 3])) << 24;
  };
  if (b.size() < 4) config_error(at, "too short for its trie size");
  std::size_t units = u32_at(0) / 4;
  if (units > (b.size() - 4) / 4) config_error(at, "the trie size exceeds the data");
  trie_.reserve(units);
  for (std::size_t i = 0; i < units; ++i) trie_.push_back(u32_at(4 + 4 * i));
  normalized_ = b.substr(4 + 4 * units);
  if (!utf8_valid(normalized_)) config_error(at, "the normalized strings are not valid UTF-8");
}

std::optional<std::string_view> PrecompiledNormalizer::transform(std::string_view chunk) const {
  // DoubleArray::common_prefix_search (Darts' unit layout), bounds-checked:
  // a hostile trie ends the search instead of reading out of range.
  auto offset = [](std::uint32_t u) -> std::size_t { return std::size_t(u >> 10) << ((u & (1u << 9)) >> 6); };
  if (trie_.empty()) return std::nullopt;
  std::size_t pos = offset(trie_[0]);
  for (unsigned char c : chunk) {
    if (c == 0) break;
    pos ^= c;
    if (pos >= trie_.size()) return std::nullopt;
    std::uint32_t unit = trie_[pos];
    if ((unit & ((1u << 31) | 0xFFu)) != c) return std::nullopt;
    pos ^= offset(unit);
    if ((unit >> 8) & 1) {
      if (pos >= trie_.size()) return std::nullopt;
      std::size_t index = trie_[pos] & ((1u << 31) - 1);  // the first hit is the one used
      if (index > normalized_.size()) return std::nullopt;
      std::size_t end = normalized_.find('\0', index);
      if (end == std::string::npos) end = normalized_.size();
      // The crate slices a str here; an index inside a character would panic there.
      if (index < normalized_.size() && (static_cast<unsigned char>(normalized_[index]) & 0xC0) == 0x80)
        return std::nullopt;
      return std::string_view(normalized_).substr(index, end - index);
    }
  }
  return std::nullopt;
}

void PrecompiledNormalizer::normalize(NormalizedPiece& piece) const {
  // (char, change) as precompiled.rs's replace(): the new characters replace
  // the old ones one for one; extra ones are insertions (1), and fewer ones
  // fold the removed count into the last entry (possibly the previous
  // grapheme's, exactly as the crate does).
  std::vector<std::pair<char32_t, int>> changes;
  changes.reserve(piece.text.size());
  auto replace = [&](std::string_view old_part, std::string_view new_part) {
    long old_count = 0, new_count = 0;
    for (std::size_t k = 0; k < old_part.size(); k += utf8_len(static_cast<unsigned char>(old_part[k]))) ++old_count;
    for (std::size_t k = 0; k < new_part.size(); k += utf8_len(static_cast<unsigned char>(new_part[k]))) {
      changes.emplace_back(utf8_decode(new_part, k), 0);
      ++new_count;
    }
    long diff = new_count - old_count;
    if (diff > 0) {
      for (long k = 0; k < diff; ++k) changes[changes.size() - 1 - static_cast<std::size_t>(k)].second = 1;
    } else if (diff < 0 && !changes.empty()) {
      changes.back().second += static_cast<int>(diff);
    }
  };
  bool modified = false;
  const std::string& s = piece.text;
  for (const auto& [g, is_match] : grapheme_->find_matches(s)) {
    std::string_view grapheme = std::string_view(s).substr(g.first, g.second - g.first);
    if (grapheme.size() < 6) {
      if (auto norm = transform(grapheme)) {
        modified = true;
        replace(grapheme, *norm);
        continue;
      }
    }
    for (std::size_t k = 0; k < grapheme.size();) {
      std::size_t n = utf8_len(static_cast<unsigned char>(grapheme[k]));
      std::string_view part = grapheme.substr(k, n);
      if (auto norm = transform(part)) {
        modified = true;
        replace(part, *norm);
      } else {
        changes.emplace_back(utf8_decode(grapheme, k), 0);
      }
      k += n;
    }
  }
  if (modified) piece.transform(changes);
}

}  // namespace lathe::text
