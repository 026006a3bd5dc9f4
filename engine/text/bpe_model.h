// Model "BPE" of tokenizer.json (the crate's models/bpe): vocab, ranked merges,
// byte_fallback, ignore_merges, unk_token/fuse_unk, continuing_subword_prefix,
// end_of_word_suffix. Dropout is refused (encoding must be deterministic).
#pragma once

#include "text/pipeline.h"
#include "text/text_util.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace lathe::text {

class BpeModel : public Model {
 public:
  BpeModel(const Json& j, const std::string& where);
  std::vector<Token> tokenize(std::string_view text) const override;
  std::optional<std::uint32_t> token_to_id(const std::string& token) const override;
  const std::string* id_to_token(std::uint32_t id) const override;
  std::size_t vocab_size() const override { return vocab_.size(); }

 private:
  struct MergeInfo {
    std::uint32_t rank, new_id;
  };
  static std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) { return (std::uint64_t{a} << 32) | b; }
  const MergeInfo* find_merge(std::uint32_t a, std::uint32_t b) const;

  Vocab vocab_;
  std::unordered_map<std::uint64_t, MergeInfo> merges_;
  std::optional<std::string> unk_token_;
  std::string prefix_, suffix_;
  bool fuse_unk_ = false, byte_fallback_ = false, ignore_merges_ = false;
};

}  // namespace lathe::text
