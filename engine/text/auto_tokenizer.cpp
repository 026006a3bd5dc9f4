// AutoTokenizer resolution (see auto_tokenizer.h).
#include "text/auto_tokenizer.h"

#include "core/error.h"
#include "core/file_util.h"

namespace lathe {

const std::vector<std::string>& tokenizer_file_names() {
  static const std::vector<std::string> names = {
      "tokenizer.json",  "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
      "vocab.json",      "merges.txt",            "vocab.txt",               "tokenizer.model",
      "spiece.model",    "sentencepiece.bpe.model", "chat_template.jinja",   "chat_template.json"};
  return names;
}

bool has_tokenizer_files(const std::string& dir) { return path_exists(path_join(dir, "tokenizer.json")); }

Tokenizer load_tokenizer(const std::string& dir) {
  const std::string file = path_join(dir, "tokenizer.json");
  if (!path_exists(file))
    throw Error(ErrorCode::NotFound, "no tokenizer.json (legacy vocab/merges/SentencePiece files are not supported yet)", dir);
  return Tokenizer::from_file(file);
}

}  // namespace lathe
