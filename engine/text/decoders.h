// Decoders of tokenizer.json that work on token strings (the crate's
// decoders/): ByteFallback, Fuse, Strip, Replace, BPEDecoder, CTC, Sequence.
// Metaspace is in metaspace.h, ByteLevel in byte_level.h.
#pragma once

#include "text/pipeline.h"
#include "text/regex.h"

namespace lathe::text {

/// "<0xAB>" tokens back to bytes; an invalid UTF-8 run becomes one U+FFFD per byte.
class ByteFallbackDecoder : public Decoder {
 public:
  ByteFallbackDecoder(const Json&, const std::string&) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override;
};

/// All tokens joined into one.
class FuseDecoder : public Decoder {
 public:
  FuseDecoder(const Json&, const std::string&) {}
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override;
};

/// Removes up to `start` leading and `stop` trailing `content` characters per token.
class StripDecoder : public Decoder {
 public:
  StripDecoder(const Json& j, const std::string& where);
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override;

 private:
  char32_t content_ = ' ';
  std::size_t start_ = 0, stop_ = 0;
};

/// pattern (String or Regex) -> content in every token.
class ReplaceDecoder : public Decoder {
 public:
  ReplaceDecoder(const Json& j, const std::string& where);
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override;

 private:
  std::unique_ptr<Regex> regex_;
  std::string content_;
};

/// end-of-word suffix -> " " (nothing after the last token).
class BpeDecoder : public Decoder {
 public:
  BpeDecoder(const Json& j, const std::string& where);
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override;

 private:
  std::string suffix_;
};

/// Connectionist temporal classification: repeats collapsed, pad removed,
/// the word delimiter becomes a space.
class CtcDecoder : public Decoder {
 public:
  CtcDecoder(const Json& j, const std::string& where);
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override;

 private:
  std::string pad_token_, word_delimiter_token_;
  bool cleanup_ = true;
};

class SequenceDecoder : public Decoder {
 public:
  SequenceDecoder(const Json& j, const std::string& where);
  std::vector<std::string> decode_chain(std::vector<std::string> tokens) const override;

 private:
  std::vector<std::unique_ptr<Decoder>> parts_;
};

}  // namespace lathe::text
