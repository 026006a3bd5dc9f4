// The "added_tokens" of tokenizer.json (the crate's AddedVocabulary): tokens
// matched in the text before the model runs — non-normalized ones on the raw
// input, normalized ones after the normalizer — with lstrip, rstrip and
// single_word as the crate applies them.
#pragma once

#include "text/pipeline.h"
#include "text/regex.h"

#include <unordered_map>
#include <unordered_set>

namespace lathe::text {

struct AddedToken {
  std::uint32_t id = 0;
  std::string content;
  bool special = false, normalized = true, lstrip = false, rstrip = false, single_word = false;
};

class AddedVocabulary {
 public:
  AddedVocabulary(const Json& list, const std::string& where, const Normalizer* normalizer);

  /// Splits `input` into pieces: added tokens (piece.tokens set) and the rest,
  /// normalized with `normalizer` (may be null).
  std::vector<NormalizedPiece> extract_and_normalize(std::string_view input, const Normalizer* normalizer) const;

  const std::string* id_to_token(std::uint32_t id) const;
  std::optional<std::uint32_t> token_to_id(const std::string& token) const;
  bool is_special(const std::string& token) const { return special_.count(token) > 0; }
  const std::vector<AddedToken>& tokens() const { return tokens_; }

 private:
  struct Matcher {
    std::vector<std::pair<std::string, std::size_t>> patterns;  ///< (pattern, token index), longest first
    bool empty() const { return patterns.empty(); }
  };
  void split(const NormalizedPiece& piece, const Matcher& m, std::vector<NormalizedPiece>& out) const;

  std::vector<AddedToken> tokens_;
  std::unordered_map<std::uint32_t, std::string> by_id_;
  std::unordered_map<std::string, std::uint32_t> by_content_;
  std::unordered_set<std::string> special_;
  Matcher raw_, normalized_;
  std::unique_ptr<Regex> word_char_;
};

}  // namespace lathe::text
