// Model "BPE" of tokenizer.json (the crate's models/bpe): vocab, ranked merges,
// byte_fallback, ignore_merges, unk_token/fuse_unk, continuing_subword_prefix,
// end_of_word_suffix. Dropout is refused (encoding must be deterministic).
#pragma once

#include "text/pipeline.h"
#include "text/text_util.h"

#include <shared_mutex>
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
  const MergeInfo* find_merge(std::uint32_t a, std::uint32_t b) const {
    std::uint64_t key = pair_key(a, b);
    for (std::size_t i = (key * 0x9E3779B97F4A7C15ull) >> merge_shift_;; i = (i + 1) & merge_mask_) {
      const MergeSlot& s = merge_slots_[i];
      if (s.info.rank == kEmpty) return nullptr;
      if (s.key == key) return &s.info;
    }
  }
  /// (id, byte length) of each token of a word, as the merge loop leaves it.
  using Word = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
  void merge_word(std::string_view text, Word& out) const;

  Vocab vocab_;
  StringIndex index_;   ///< vocab_.ids by string_view
  TokenTable tokens_;   ///< vocab_.tokens by id
  // The merges in an open-addressing table (pair -> rank, merged id): the
  // merge loop's hottest lookup.
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  struct MergeSlot {
    std::uint64_t key = 0;
    MergeInfo info{kEmpty, 0};
  };
  std::vector<MergeSlot> merge_slots_;
  std::size_t merge_mask_ = 0;
  unsigned merge_shift_ = 64;
  std::optional<std::string> unk_token_;
  std::optional<std::uint32_t> unk_id_;
  std::string prefix_, suffix_;
  bool fuse_unk_ = false, byte_fallback_ = false, ignore_merges_ = false;
  /// Vocabulary ids of the 128 ASCII chars (kEmpty: absent), for words
  /// without prefix/suffix: the first step of every word, without hashing.
  std::uint32_t ascii_ids_[128];
  std::uint32_t byte_ids_[256] = {};  ///< <0xNN> ids (byte_fallback)
  bool has_byte_[256] = {};
  bool split_at_metaspace_ = false;  ///< see the constructor
  // The crate's word cache (models/bpe/model.rs, utils/cache.rs): words of
  // fewer than 256 bytes, at most 10 000 of them (no eviction: a full cache
  // stops taking words); readers and the writer never wait (try-locks), so
  // threads that would block just compute the word.
  static constexpr std::size_t kCacheCapacity = 10000, kCacheMaxLength = 256;
  mutable std::shared_mutex cache_mu_;
  mutable std::unordered_map<std::string, Word> cache_;
};

}  // namespace lathe::text
