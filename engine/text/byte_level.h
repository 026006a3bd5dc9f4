// The "ByteLevel" components (GPT-2's byte-to-unicode trick): pre-tokenizer
// (with its GPT-2 regex), post-processor (trim_offsets) and decoder.
#pragma once

#include "text/pipeline.h"
#include "text/regex.h"

namespace lathe::text {

/// Every byte of the piece becomes its ByteLevel stand-in character (the
/// pre-tokenizer's last step, and the ByteLevel normalizer).
void byte_level_transform(NormalizedPiece& piece);

class ByteLevelPreTokenizer : public PreTokenizer {
 public:
  ByteLevelPreTokenizer(const Json& j, const std::string& where);
  void pre_tokenize(std::vector<NormalizedPiece>& pieces) const override;

 private:
  bool add_prefix_space_ = true, use_regex_ = true;
  std::unique_ptr<Regex> regex_;
};

class ByteLevelPostProcessor : public PostProcessor {
 public:
  ByteLevelPostProcessor(const Json& j, const std::string& where);
  void process(RawEncoding& encoding, bool add_special_tokens) const override;

 private:
  bool add_prefix_space_ = true, trim_offsets_ = true;
};

class ByteLevelDecoder : public Decoder {
 public:
  ByteLevelDecoder(const Json&, const std::string&) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override;
};

}  // namespace lathe::text
