#include "text/byte_level.h"

#include <algorithm>

namespace lathe::text {

namespace {
const char* const kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
}

ByteLevelPreTokenizer::ByteLevelPreTokenizer(const Json& j, const std::string& where) {
  add_prefix_space_ = get_bool_or(j, "add_prefix_space", where, true);
  use_regex_ = get_bool_or(j, "use_regex", where, true);
  get_bool_or(j, "trim_offsets", where, true);  // type-checked; only the post-processor uses it
  if (use_regex_) regex_ = std::make_unique<Regex>(kGpt2Pattern, where);
}

void ByteLevelPreTokenizer::pre_tokenize(std::vector<NormalizedPiece>& pieces) const {
  std::size_t bytes = 0;
  for (const auto& p : pieces) bytes += p.text.size();
  split_each(
      pieces,
      [&](NormalizedPiece& p, std::vector<NormalizedPiece>& out) {
        if (add_prefix_space_ && (p.text.empty() || p.text[0] != ' ')) p.prepend(" ");
        if (use_regex_) split_piece(p, regex_->find_matches(p.text), SplitBehavior::Isolated, out);
        else if (!p.text.empty()) out.push_back(std::move(p));
      },
      pieces.size() + (use_regex_ ? bytes / 4 : 0));  // about one piece per word
  for (auto& p : pieces)
    if (!p.tokens) byte_level_transform(p);
}

void byte_level_transform(NormalizedPiece& p) {
  // Every byte becomes its stand-in character; the extra bytes of a multi-byte
  // character count as insertions aligned to it.
  // NormalizedPiece::transform with those changes, written out in place (no
  // change list, no decoding): the stand-in of a char's first byte takes the
  // char's alignment, the inserted ones that of its last byte. Stand-ins are
  // never shorter than their byte, so the text grows: filled from the end.
  const auto& alphabet = byte_level_alphabet();
  std::string& t = p.text;
  std::vector<Offsets>& al = p.align;
  const std::size_t old = t.size();
  std::size_t grown = 0;
  for (char ch : t) grown += alphabet[static_cast<unsigned char>(ch)].size();
  if (grown == old) return;  // only '!'..'~', which stand for themselves
  t.resize(grown);
  al.resize(grown);
  std::size_t w = grown;  // bytes [w, grown) are written; w > j: byte j is still the input
  Offsets last{0, 0};
  bool in_char = false;
  for (std::size_t j = old; j-- > 0;) {
    const auto b = static_cast<unsigned char>(t[j]);
    const Offsets a = al[j];
    const bool lead = (b & 0xC0) != 0x80;
    if (!in_char) {  // going backwards, a char's last byte comes first
      last = a;
      in_char = true;
    }
    const std::string& rep = alphabet[b];
    w -= rep.size();
    for (std::size_t k = 0; k < rep.size(); ++k) {
      t[w + k] = rep[k];
      al[w + k] = lead ? a : last;
    }
    if (lead) in_char = false;
  }
}

ByteLevelPostProcessor::ByteLevelPostProcessor(const Json& j, const std::string& where) {
  add_prefix_space_ = get_bool_or(j, "add_prefix_space", where, true);
  trim_offsets_ = get_bool_or(j, "trim_offsets", where, true);
  get_bool_or(j, "use_regex", where, true);
}

void ByteLevelPostProcessor::process(RawEncoding& enc, bool add_special_tokens) const {
  if (!trim_offsets_) return;
  for (auto& o : enc.overflowing) {  // the crate trims the overflowing parts too (one level)
    std::vector<RawEncoding> nested = std::move(o.overflowing);
    o.overflowing.clear();
    process(o, add_special_tokens);
    o.overflowing = std::move(nested);
  }
  // processors/byte_level.rs process_offsets: counts of leading/trailing space
  // characters (the stand-in U+0120 or White_Space) are subtracted from byte
  // offsets, exactly as the crate does.
  auto is_space = [](char32_t c) { return c == 0x120 || is_unicode_whitespace(c); };
  for (std::size_t i = 0; i < enc.tokens.size(); ++i) {
    const std::string& t = enc.tokens[i];
    std::vector<char32_t> cps;
    for (std::size_t k = 0; k < t.size(); k += utf8_len(static_cast<unsigned char>(t[k]))) cps.push_back(utf8_decode(t, k));
    std::size_t leading = 0, trailing = 0;
    while (leading < cps.size() && is_space(cps[leading])) ++leading;
    while (trailing < cps.size() && is_space(cps[cps.size() - 1 - trailing])) ++trailing;
    Offsets& o = enc.offsets[i];
    if (leading > 0) {
      bool is_first = i == 0 || o.first == 0;
      if (is_first && add_prefix_space_ && leading == 1) leading = 0;
      o.first = std::min(o.first + leading, o.second);
    }
    if (trailing > 0 && o.second >= trailing) o.second = std::max(o.second - trailing, o.first);
  }
}

std::vector<std::string> ByteLevelDecoder::decode_chain(std::vector<std::string> tokens) const {
  std::string bytes;
  for (const auto& t : tokens) {
    std::string tb;
    bool ok = true;
    for (std::size_t k = 0; k < t.size() && ok; k += utf8_len(static_cast<unsigned char>(t[k]))) {
      int b = byte_level_byte(utf8_decode(t, k));
      if (b < 0) ok = false;
      else tb += static_cast<char>(b);
    }
    bytes += ok ? tb : t;
  }
  return {utf8_lossy(bytes)};
}

}  // namespace lathe::text
