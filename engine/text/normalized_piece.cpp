// NormalizedPiece and split_piece: the alignment bookkeeping of the Rust
// crate's NormalizedString (normalizer.rs), reduced to what Lathe needs.
#include "text/pipeline.h"

#include <algorithm>

namespace lathe::text {

NormalizedPiece NormalizedPiece::from_original(std::string_view original, std::size_t begin, std::size_t end) {
  NormalizedPiece p;
  p.text.assign(original.substr(begin, end - begin));
  p.align.reserve(end - begin);
  for (std::size_t i = begin; i < end;) {
    std::size_t n = utf8_len(static_cast<unsigned char>(original[i]));
    for (std::size_t k = 0; k < n; ++k) p.align.emplace_back(i, i + n);
    i += n;
  }
  return p;
}

NormalizedPiece NormalizedPiece::slice(std::size_t begin, std::size_t end) const {
  // Room for a few more bytes: ByteLevel and Metaspace grow pieces by one or two.
  NormalizedPiece p;
  p.text.reserve(end - begin + 2);
  p.text.append(text, begin, end - begin);
  p.align.reserve(end - begin + 2);
  p.align.assign(align.begin() + static_cast<std::ptrdiff_t>(begin), align.begin() + static_cast<std::ptrdiff_t>(end));
  return p;
}

Offsets NormalizedPiece::to_original(Offsets r) const {
  if (r.first == r.second || r.second > align.size()) {
    // An empty range: where it sits in the original (the crate returns it unchanged
    // relative to the piece; here pieces are absolute, so anchor it).
    std::size_t at = r.first < align.size() ? align[r.first].first : (align.empty() ? 0 : align.back().second);
    return {at, at};
  }
  return {align[r.first].first, align[r.second - 1].second};
}

void NormalizedPiece::transform(const std::vector<std::pair<char32_t, int>>& changes, std::size_t initial_removed) {
  std::string out;
  std::vector<Offsets> out_align;
  out.reserve(text.size());
  out_align.reserve(text.size());
  std::size_t pos = 0;  // next input byte to consume
  for (std::size_t k = 0; k < initial_removed && pos < text.size(); ++k)
    pos += utf8_len(static_cast<unsigned char>(text[pos]));
  for (const auto& [c, change] : changes) {
    Offsets a;
    if (change > 0) {
      a = pos == 0 ? Offsets{0, 0} : align[pos - 1];
    } else {
      a = pos < align.size() ? align[pos] : Offsets{0, 0};
      if (pos < text.size()) pos += utf8_len(static_cast<unsigned char>(text[pos]));
      for (int k = 0; k < -change && pos < text.size(); ++k) pos += utf8_len(static_cast<unsigned char>(text[pos]));
    }
    std::size_t before = out.size();
    utf8_append(out, c);
    out_align.insert(out_align.end(), out.size() - before, a);
  }
  text = std::move(out);
  align = std::move(out_align);
}

void NormalizedPiece::prepend(std::string_view s) {
  if (text.empty() || s.empty()) return;
  std::size_t n = utf8_len(static_cast<unsigned char>(text[0]));
  Offsets a = align[0];
  std::string head(s);
  head += text.substr(0, n);
  std::vector<Offsets> head_align(head.size(), a);
  text.replace(0, n, head);
  align.erase(align.begin(), align.begin() + static_cast<std::ptrdiff_t>(n));
  align.insert(align.begin(), head_align.begin(), head_align.end());
}

SplitBehavior parse_split_behavior(const std::string& name, const std::string& where) {
  if (name == "Removed") return SplitBehavior::Removed;
  if (name == "Isolated") return SplitBehavior::Isolated;
  if (name == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::MergedWithNext;
  if (name == "Contiguous") return SplitBehavior::Contiguous;
  config_error(where, "unknown split behavior \"" + name + "\"");
}

void split_piece(const NormalizedPiece& piece, std::vector<std::pair<Offsets, bool>> matches,
                 SplitBehavior behavior, std::vector<NormalizedPiece>& out) {
  // Isolated and Removed keep the cover as it is: no list of parts to build.
  if (behavior == SplitBehavior::Isolated || behavior == SplitBehavior::Removed) {
    for (const auto& [o, is_match] : matches)
      if (!(behavior == SplitBehavior::Removed && is_match) && o.second > o.first) out.push_back(piece.slice(o.first, o.second));
    return;
  }
  // (offsets, remove) as in NormalizedString::split.
  std::vector<std::pair<Offsets, bool>> parts;
  bool previous_match = false;
  switch (behavior) {
    case SplitBehavior::Removed:
      parts = std::move(matches);
      break;
    case SplitBehavior::Isolated:
      for (auto& m : matches) parts.push_back({m.first, false});
      break;
    case SplitBehavior::MergedWithPrevious:
      for (auto& [o, is_match] : matches) {
        if (is_match && !previous_match && !parts.empty()) parts.back().first.second = o.second;
        else parts.push_back({o, false});
        previous_match = is_match;
      }
      break;
    case SplitBehavior::MergedWithNext:
      for (auto it = matches.rbegin(); it != matches.rend(); ++it) {
        if (it->second && !previous_match && !parts.empty()) parts.back().first.first = it->first.first;
        else parts.push_back({it->first, false});
        previous_match = it->second;
      }
      std::reverse(parts.begin(), parts.end());
      break;
    case SplitBehavior::Contiguous:
      for (auto& [o, is_match] : matches) {
        if (is_match == previous_match && !parts.empty()) parts.back().first.second = o.second;
        else parts.push_back({o, false});
        previous_match = is_match;
      }
      break;
  }
  for (auto& [o, remove] : parts)
    if (!remove && o.second > o.first) out.push_back(piece.slice(o.first, o.second));
}

void replace_matches(NormalizedPiece& piece, const std::vector<std::pair<Offsets, bool>>& matches,
                     std::string_view content) {
  std::string text;
  std::vector<Offsets> align;
  text.reserve(piece.text.size());
  align.reserve(piece.align.size());
  for (const auto& [o, is_match] : matches) {
    if (!is_match) {
      text.append(piece.text, o.first, o.second - o.first);
      align.insert(align.end(), piece.align.begin() + static_cast<std::ptrdiff_t>(o.first),
                   piece.align.begin() + static_cast<std::ptrdiff_t>(o.second));
      continue;
    }
    // transform_range(match, content.chars().map(|c| (c, 1)), removed_chars):
    // every inserted char shares the alignment of the byte before it, which is
    // the last byte of the match.
    Offsets a = o.second > 0 ? piece.align[o.second - 1] : Offsets{0, 0};
    text.append(content);
    align.insert(align.end(), content.size(), a);
  }
  piece.text = std::move(text);
  piece.align = std::move(align);
}

}  // namespace lathe::text
