// Model "WordLevel" of tokenizer.json (the crate's models/wordlevel): each
// pre-tokenized word is one token, or unk_token.
#pragma once

#include "text/pipeline.h"
#include "text/text_util.h"

#include <string>
#include <unordered_map>

namespace lathe::text {

class WordLevelModel : public Model {
 public:
  WordLevelModel(const Json& j, const std::string& where);
  std::vector<Token> tokenize(std::string_view text) const override;
  std::optional<std::uint32_t> token_to_id(const std::string& token) const override;
  const std::string* id_to_token(std::uint32_t id) const override;
  std::size_t vocab_size() const override { return vocab_.size(); }

 private:
  Vocab vocab_;
  std::string unk_token_;
};

}  // namespace lathe::text
