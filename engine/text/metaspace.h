// The "Metaspace" pre-tokenizer and decoder (SentencePiece's "▁" for spaces,
// the crate's pre_tokenizers/metaspace.rs): replacement, prepend_scheme
// first/always/never (or the older add_prefix_space), split.
#pragma once

#include "text/pipeline.h"

namespace lathe::text {

enum class PrependScheme { First, Never, Always };

/// Reads replacement, add_prefix_space, prepend_scheme and split as the crate
/// deserializes them (shared by the pre-tokenizer and the decoder).
struct MetaspaceOptions {
  char32_t replacement = 0x2581;
  std::string str_rep;
  PrependScheme prepend_scheme = PrependScheme::Always;
  bool split = true;
  MetaspaceOptions(const Json& j, const std::string& where);
};

class MetaspacePreTokenizer : public PreTokenizer {
 public:
  MetaspacePreTokenizer(const Json& j, const std::string& where) : opt_(j, where) {}
  void pre_tokenize(std::vector<NormalizedPiece>& pieces) const override;

 private:
  MetaspaceOptions opt_;
};

class MetaspaceDecoder : public Decoder {
 public:
  MetaspaceDecoder(const Json& j, const std::string& where) : opt_(j, where) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override;

 private:
  MetaspaceOptions opt_;
};

/// The matches of a literal string in `s` (non-overlapping, left to right), as a cover.
std::vector<std::pair<Offsets, bool>> find_literal(std::string_view s, std::string_view needle);

}  // namespace lathe::text
