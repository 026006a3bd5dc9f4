// The Unicode and BERT normalizers of tokenizer.json (the crate's
// normalizers/{bert,unicode,strip,prepend,replace,utils}.rs): BertNormalizer,
// NFC/NFD/NFKC/NFKD, Lowercase, StripAccents, Strip, Prepend, Replace,
// Sequence. Internal to engine/text; Unicode data from utf8proc.
#pragma once

#include "text/pipeline.h"
#include "text/regex.h"

namespace lathe::text {

class BertNormalizer : public Normalizer {
 public:
  BertNormalizer(const Json& j, const std::string& where);
  void normalize(NormalizedPiece& piece) const override;

 private:
  bool clean_text_ = true, handle_chinese_chars_ = true, strip_accents_ = true, lowercase_ = true;
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

}  // namespace lathe::text
