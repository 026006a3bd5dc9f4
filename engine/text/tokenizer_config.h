// Internal: tokenizer_config.json, special_tokens_map.json and
// added_tokens.json read as transformers 4.47's from_pretrained reads them,
// and applied to a pipeline as PreTrainedTokenizerFast.__init__ applies them
// (added_tokens_decoder and special tokens added, class post-processor).
// Torch-free.
#pragma once

#include "text/text_util.h"
#include "text/tokenizer.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lathe::text {

/// The transformers tokenizer classes Lathe knows the defaults and converters of.
enum class TokenizerFamily { Generic, Gpt2, Bert, Llama, T5 };

struct TokenizerConfig {
  std::string dir;
  nlohmann::ordered_json config = nlohmann::ordered_json::object();  ///< tokenizer_config.json
  bool has_config_file = false;
  TokenizerFamily family = TokenizerFamily::Generic;
  std::string tokenizer_class;  ///< as configured ("LlamaTokenizer"), or empty
  /// Special tokens after class defaults, special_tokens_map.json and the config
  /// (SPECIAL_TOKENS_ATTRIBUTES order: bos, eos, unk, sep, pad, cls, mask); None absent.
  std::vector<std::pair<std::string, AddedTokenSpec>> specials;
  std::vector<AddedTokenSpec> additional_special_tokens;
  /// added_tokens_decoder (or added_tokens.json when the config has none), by id.
  std::vector<std::pair<std::uint32_t, AddedTokenSpec>> added_tokens_decoder;

  /// A boolean option; nullopt when absent or null. ConfigInvalid when not a bool.
  std::optional<bool> flag(const char* key) const;
  /// A special token's text ("bos_token"), nullopt when None.
  std::optional<std::string> special(const std::string& name) const;
  std::string config_path() const;
};

/// Reads the config files of `dir` (each optional). `hint`: the family the
/// folder's files suggest, used when neither tokenizer_config.json's
/// tokenizer_class nor config.json's model_type names one.
TokenizerConfig read_tokenizer_config(const std::string& dir, TokenizerFamily hint);

/// Applies `cfg` to `tok` as PreTrainedTokenizerFast.__init__ (and the class's
/// own __init__, e.g. LlamaTokenizerFast.update_post_processor) does.
void apply_tokenizer_config(Tokenizer& tok, const TokenizerConfig& cfg);

/// Writes tokenizer_config.json and special_tokens_map.json for `tok` as
/// transformers' save_pretrained does (used by Tokenizer::save).
void write_tokenizer_config(const Tokenizer& tok, const std::string& dir);

/// The legacy converters (convert_slow_tokenizer): each returns a tokenizer.json
/// document. Errors name the file.
Json convert_gpt2_files(const TokenizerConfig& cfg);          // vocab.json + merges.txt
Json convert_bert_files(const TokenizerConfig& cfg);          // vocab.txt
Json convert_sentencepiece_file(const TokenizerConfig& cfg, const std::string& model_file);  // tokenizer.model

}  // namespace lathe::text
