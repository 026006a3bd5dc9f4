// The Unicode and BERT normalizers of tokenizer.json (the crate's
// normalizers/{bert,unicode,strip,prepend,replace,utils}.rs): BertNormalizer,
// NFC/NFD/NFKC/NFKD, Lowercase, StripAccents, Strip, Prepend, Replace,
// Sequence. Internal to engine/text; Unicode data from utf8proc.
#pragma once

#include "text/pipeline.h"
#include "text/regex.h"

#include <mutex>

namespace lathe::text {

class BertNormalizer : public Normalizer {
 public:
  BertNormalizer(const Json& j, const std::string& where);
  void normalize(NormalizedPiece& piece) const override;

 private:
  /// The crate's steps in order, char by char through transform (any text).
  void normalize_general(NormalizedPiece& piece) const;
  /// Per BMP char, what normalize() may do with it inline (normalizers.cpp), built on first use.
  const std::uint8_t* char_kinds() const;
  bool clean_text_ = true, handle_chinese_chars_ = true, strip_accents_ = true, lowercase_ = true;
  mutable std::once_flag kinds_once_;
  mutable std::vector<std::uint8_t> kinds_;
  mutable std::vector<char16_t> bases_;  ///< kBertBase chars: the starter NFD leaves
};

/// NFC, NFD, NFKC or NFKD (by the JSON "type").
class UnicodeNormalizer : public Normalizer {
 public:
  UnicodeNormalizer(const Json& j, const std::string& where);
  void normalize(NormalizedPiece& piece) const override;

 private:
  bool compat_ = false, compose_ = false;
};

class LowercaseNormalizer : public Normalizer {
 public:
  LowercaseNormalizer(const Json&, const std::string&) {}
  void normalize(NormalizedPiece& piece) const override;
};

class StripAccentsNormalizer : public Normalizer {
 public:
  StripAccentsNormalizer(const Json&, const std::string&) {}
  void normalize(NormalizedPiece& piece) const override;
};

class StripNormalizer : public Normalizer {
 public:
  StripNormalizer(const Json& j, const std::string& where);
  void normalize(NormalizedPiece& piece) const override;

 private:
  bool left_ = true, right_ = true;
};

class PrependNormalizer : public Normalizer {
 public:
  PrependNormalizer(const Json& j, const std::string& where);
  void normalize(NormalizedPiece& piece) const override;

 private:
  std::string prepend_;
};

class ReplaceNormalizer : public Normalizer {
 public:
  ReplaceNormalizer(const Json& j, const std::string& where);
  void normalize(NormalizedPiece& piece) const override;

 private:
  std::unique_ptr<Regex> regex_;
  std::string content_;
};

class SequenceNormalizer : public Normalizer {
 public:
  SequenceNormalizer(const Json& j, const std::string& where);
  void normalize(NormalizedPiece& piece) const override;

 private:
  std::vector<std::unique_ptr<Normalizer>> parts_;
};

/// normalizers/unicode.rs Nmt: control characters removed, some spaces unified.
class NmtNormalizer : public Normalizer {
 public:
  NmtNormalizer(const Json&, const std::string&) {}
  void normalize(NormalizedPiece& piece) const override;
};

/// normalizers/byte_level.rs: every byte becomes its ByteLevel stand-in character.
class ByteLevelNormalizer : public Normalizer {
 public:
  ByteLevelNormalizer(const Json&, const std::string&) {}
  void normalize(NormalizedPiece& piece) const override;
};

}  // namespace lathe::text
