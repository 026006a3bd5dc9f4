#include "text/word_level.h"

#include "core/error.h"

namespace lathe::text {

WordLevelModel::WordLevelModel(const Json& j, const std::string& where) {
  unk_token_ = get_string_or(j, "unk_token", where, "<unk>");
  const Json& vocab = field(j, "vocab", where);
  if (!vocab.is_object()) config_error(where + ".vocab", "expected an object of token: id");
  vocab_.reserve(vocab.size());
  for (auto it = vocab.begin(); it != vocab.end(); ++it) {
    if (!it.value().is_number_unsigned() || it.value().get<std::uint64_t>() > 0xFFFFFFFFull)
      config_error(where + ".vocab", "the id of \"" + it.key() + "\" is not an integer in [0, 2^32)");
    auto id = static_cast<std::uint32_t>(it.value().get<std::uint64_t>());
    vocab_[it.key()] = id;
    vocab_r_[id] = it.key();
  }
}

std::vector<Token> WordLevelModel::tokenize(std::string_view text) const {
  auto it = vocab_.find(std::string(text));
  if (it != vocab_.end()) return {{it->second, it->first, {0, text.size()}}};
  auto unk = vocab_.find(unk_token_);
  if (unk == vocab_.end())
    throw Error(ErrorCode::InvalidArgument, "a word is not in the WordLevel vocabulary and unk_token \"" + unk_token_ +
                                                "\" is not either", "model");
  return {{unk->second, unk_token_, {0, text.size()}}};
}

std::optional<std::uint32_t> WordLevelModel::token_to_id(const std::string& token) const {
  auto it = vocab_.find(token);
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

const std::string* WordLevelModel::id_to_token(std::uint32_t id) const {
  auto it = vocab_r_.find(id);
  return it == vocab_r_.end() ? nullptr : &it->second;
}

}  // namespace lathe::text
