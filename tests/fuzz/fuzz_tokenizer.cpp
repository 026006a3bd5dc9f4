// Fuzz target: tokenizer.json loading, encode and decode (engine/text).
//
// Input layout: a 2-byte little-endian length N, then N bytes of text (fewer
// if the input is shorter), then the tokenizer.json text. A 0x01 byte inside
// the text splits it into (text, pair), which is encoded as a pair too.
//
// Contract: loading any JSON gives a tokenizer or a lathe::Error; encoding any
// bytes gives an encoding satisfying the invariants below or a lathe::Error
// (invalid UTF-8); decoding the ids gives text; never a crash, a hang
// (-timeout) or an exception other than lathe::Error.
#include "fuzz_common.h"

#include "core/error.h"
#include "text/tokenizer.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace {

/// Code points of `s` when it is valid UTF-8 (counting lead bytes is enough:
/// encode refuses anything else before offsets are looked at).
std::size_t char_count(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void check(const lathe::Tokenizer& tok, const lathe::TokenEncoding& e, std::size_t max_chars) {
  const std::size_t n = e.ids.size();
  LATHE_FUZZ_CHECK(e.tokens.size() == n);
  LATHE_FUZZ_CHECK(e.offsets.size() == n);
  LATHE_FUZZ_CHECK(e.type_ids.size() == n);
  LATHE_FUZZ_CHECK(e.special_tokens_mask.size() == n);
  LATHE_FUZZ_CHECK(e.attention_mask.size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    LATHE_FUZZ_CHECK(e.offsets[i].first <= e.offsets[i].second);
    LATHE_FUZZ_CHECK(e.offsets[i].second <= max_chars);
    // Ids may be sparse (a vocab may use any id < 2^32), so "id < vocab_size"
    // does not hold in general; what holds: every id the model produced names a
    // token of the vocabulary (post-processor specials are whatever the
    // template declares, so only model tokens are checked).
    if (e.special_tokens_mask[i] == 0) LATHE_FUZZ_CHECK(tok.id_to_token(e.ids[i]).has_value());
  }
}

void encode_decode(const lathe::Tokenizer& tok, std::string_view text, std::optional<std::string_view> pair) {
  for (bool special : {true, false}) {
    lathe::TokenEncoding e;
    try {
      e = pair ? tok.encode_pair(text, *pair, special) : tok.encode(text, special);
    } catch (const lathe::Error&) {
      return;  // invalid UTF-8, or a component refusing the input
    }
    std::size_t max_chars = char_count(text);
    if (pair) max_chars = std::max(max_chars, char_count(*pair));
    check(tok, e, max_chars);
    try {
      (void)tok.decode(e.ids, !special);
    } catch (const lathe::Error&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t want = data[0] | (std::size_t{data[1]} << 8);
  const std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::string_view text = rest.substr(0, want);
  const std::string_view json = rest.substr(text.size());

  std::optional<lathe::Tokenizer> tok;
  try {
    tok = lathe::Tokenizer::from_json(json, "tokenizer.json");
  } catch (const lathe::Error&) {
    return 0;
  }
  (void)tok->vocab_size();
  encode_decode(*tok, text, std::nullopt);
  if (auto cut = text.find('\x01'); cut != std::string_view::npos)
    encode_decode(*tok, text.substr(0, cut), text.substr(cut + 1));
  return 0;
}
