#include "text/word_level.h"

#include "core/error.h"

namespace lathe::text {

WordLevelModel::WordLevelModel(const Json& j, const std::string& where) {
  unk_token_ = get_string_or(j, "unk_token", where, "<unk>");
  vocab_ = Vocab::from_json(j, where);
}

std::vector<Token> WordLevelModel::tokenize(std::string_view text) const {
  auto it = vocab_.ids.find(std::string(text));
  if (it != vocab_.ids.end()) return {{it->second, it->first, {0, text.size()}}};
  auto unk = vocab_.ids.find(unk_token_);
  if (unk == vocab_.ids.end())
    throw Error(ErrorCode::InvalidArgument, "a word is not in the WordLevel vocabulary and unk_token \"" + unk_token_ +
                                                "\" is not either", "model");
  return {{unk->second, unk_token_, {0, text.size()}}};
}

std::optional<std::uint32_t> WordLevelModel::token_to_id(const std::string& token) const { return vocab_.id_of(token); }

const std::string* WordLevelModel::id_to_token(std::uint32_t id) const { return vocab_.token_of(id); }

}  // namespace lathe::text
