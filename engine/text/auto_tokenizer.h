// AutoTokenizer for Lathe: the tokenizer of a model folder, found as
// transformers' AutoTokenizer.from_pretrained(folder) finds it (tokenizer.json
// first; else the legacy files — vocab.json + merges.txt, vocab.txt,
// tokenizer.model — converted as transformers converts slow tokenizers), with
// tokenizer_config.json and special_tokens_map.json applied. Torch-free.
#pragma once

#include "text/tokenizer.h"

#include <string>
#include <vector>

namespace lathe {

/// Whether `dir` holds files a tokenizer can be made from.
bool has_tokenizer_files(const std::string& dir);

/// The tokenizer of a model folder. Error(NotFound) naming the folder when it
/// holds no tokenizer files; loader errors as Tokenizer::from_file.
Tokenizer load_tokenizer(const std::string& dir);

/// File names that belong to a tokenizer (tokenizer.json, tokenizer_config.json,
/// special_tokens_map.json, added_tokens.json, vocab.json, merges.txt,
/// vocab.txt, tokenizer.model, chat_template.jinja, ...): what saving a model
/// copies next to its weights.
const std::vector<std::string>& tokenizer_file_names();

}  // namespace lathe
