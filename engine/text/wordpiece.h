// Model "WordPiece" of tokenizer.json and its decoder (the crate's
// models/wordpiece and decoders/wordpiece.rs): greedy longest-match-first
// with continuing_subword_prefix, unk_token for words that do not split or
// exceed max_input_chars_per_word. Internal to engine/text.
#pragma once

#include "text/pipeline.h"
#include "text/text_util.h"

#include <unordered_map>

namespace lathe::text {

class WordPieceModel : public Model {
 public:
  WordPieceModel(const Json& j, const std::string& where);
  std::vector<Token> tokenize(std::string_view text) const override;
  std::optional<std::uint32_t> token_to_id(const std::string& token) const override;
  const std::string* id_to_token(std::uint32_t id) const override;
  std::size_t vocab_size() const override { return vocab_.size(); }

 private:
  std::vector<Token> unknown(std::size_t len) const;

  Vocab vocab_;
  StringIndex index_;  ///< vocab_.ids by string_view
  TokenTable tokens_;  ///< vocab_.tokens by id
  std::string unk_token_ = "[UNK]", prefix_ = "##";
  std::size_t max_chars_ = 100;
  std::size_t max_token_bytes_ = 0;  ///< longest vocabulary entry: longer candidates cannot match
};

class WordPieceDecoder : public Decoder {
 public:
  WordPieceDecoder(const Json& j, const std::string& where);
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override;

 private:
  std::string prefix_ = "##";
  bool cleanup_ = true;
};

/// decoders/wordpiece.rs cleanup(): spaces before punctuation and
/// contractions removed (also used by the BPE and CTC decoders).
std::string wordpiece_cleanup(std::string s);

}  // namespace lathe::text
