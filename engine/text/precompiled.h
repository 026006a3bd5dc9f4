// Normalizer "Precompiled": SentencePiece's precompiled_charsmap as T5, ALBERT
// and XLM-R ship it — base64 of [u32 trie size][double-array trie][normalized
// strings, NUL-terminated]. Lookup as the crate's spm_precompiled does it
// (common-prefix search, first hit), applied per grapheme as
// tokenizers/src/normalizers/precompiled.rs does.
#pragma once

#include "text/pipeline.h"
#include "text/regex.h"

#include <optional>
#include <string_view>

namespace lathe::text {

class PrecompiledNormalizer : public Normalizer {
 public:
  PrecompiledNormalizer(const Json& j, const std::string& where);
  void normalize(NormalizedPiece& piece) const override;

  /// spm_precompiled's Precompiled::transform: the replacement for `chunk`,
  /// found by the shortest prefix of it in the trie; nullopt when none.
  std::optional<std::string_view> transform(std::string_view chunk) const;

 private:
  std::vector<std::uint32_t> trie_;
  std::string normalized_;
  std::unique_ptr<Regex> grapheme_;
};

/// Standard base64 (with padding) -> bytes; nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view s);

}  // namespace lathe::text
