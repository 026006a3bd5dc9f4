// Character-class pre-tokenizers of tokenizer.json (the crate's
// pre_tokenizers/{bert,whitespace,punctuation,digits,delimiter}.rs):
// BertPreTokenizer, Whitespace, WhitespaceSplit, Punctuation, Digits,
// CharDelimiterSplit. Internal to engine/text.
#pragma once

#include "text/pipeline.h"
#include "text/regex.h"

namespace lathe::text {

class BertPreTokenizer : public PreTokenizer {
 public:
  BertPreTokenizer(const Json&, const std::string&) {}
  void pre_tokenize(std::vector<NormalizedPiece>& pieces) const override;
};

/// Splits on `\w+|[^\w\s]+` (Oniguruma's \w), keeping the matches.
class WhitespacePreTokenizer : public PreTokenizer {
 public:
  WhitespacePreTokenizer(const Json& j, const std::string& where);
  void pre_tokenize(std::vector<NormalizedPiece>& pieces) const override;

 private:
  std::unique_ptr<Regex> regex_;
};

class WhitespaceSplitPreTokenizer : public PreTokenizer {
 public:
  WhitespaceSplitPreTokenizer(const Json&, const std::string&) {}
  void pre_tokenize(std::vector<NormalizedPiece>& pieces) const override;
};

class PunctuationPreTokenizer : public PreTokenizer {
 public:
  PunctuationPreTokenizer(const Json& j, const std::string& where);
  void pre_tokenize(std::vector<NormalizedPiece>& pieces) const override;

 private:
  SplitBehavior behavior_ = SplitBehavior::Isolated;
};

class DigitsPreTokenizer : public PreTokenizer {
 public:
  DigitsPreTokenizer(const Json& j, const std::string& where);
  void pre_tokenize(std::vector<NormalizedPiece>& pieces) const override;

 private:
  bool individual_ = false;
};

class CharDelimiterSplitPreTokenizer : public PreTokenizer {
 public:
  CharDelimiterSplitPreTokenizer(const Json& j, const std::string& where);
  void pre_tokenize(std::vector<NormalizedPiece>& pieces) const override;

 private:
  char32_t delimiter_ = U' ';
};

}  // namespace lathe::text
