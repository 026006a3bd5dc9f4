// Model "Unigram" of tokenizer.json (the crate's models/unigram, SentencePiece's
// unigram LM): pieces with log-probability scores, the best segmentation by
// Viterbi, unknown characters as unk_id (fused, score min - 10), byte_fallback.
#pragma once

#include "text/pipeline.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace lathe::text {

class UnigramModel : public Model {
 public:
  UnigramModel(const Json& j, const std::string& where);
  std::vector<Token> tokenize(std::string_view text) const override;
  std::optional<std::uint32_t> token_to_id(const std::string& token) const override;
  const std::string* id_to_token(std::uint32_t id) const override;
  std::size_t vocab_size() const override { return pieces_.size(); }

 private:
  /// The crate's encode_optimized: the best path's pieces, unknown runs fused.
  std::vector<std::string> encode(std::string_view text) const;

  /// A byte trie over the pieces (common-prefix search from any position).
  struct Node {
    std::unordered_map<unsigned char, std::uint32_t> next;
    std::int64_t id = -1;  ///< the piece ending here (the last one of that text)
  };
  std::vector<Node> trie_;
  std::vector<std::pair<std::string, double>> pieces_;
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::optional<std::uint32_t> unk_id_;
  double min_score_ = 0.0;
  bool byte_fallback_ = false;
};

}  // namespace lathe::text
