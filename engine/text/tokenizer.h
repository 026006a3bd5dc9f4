// lathe::Tokenizer — a Hugging Face `tokenizer.json` (the Rust `tokenizers`
// format) loaded into Lathe's own pipeline, with results identical to the Rust
// library (tests/engine/test_tokenizer.cpp checks them against it).
// Torch-free; std types only.
#pragma once

#include "text/padding.h"
#include "text/truncation.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lathe {

struct TokenEncoding {
  std::vector<std::uint32_t> ids;
  std::vector<std::string> tokens;
  /// [start, end) in characters (Unicode code points) of the input, as
  /// transformers' fast tokenizers return them; special tokens added by the
  /// post-processor get (0, 0).
  std::vector<std::pair<std::size_t, std::size_t>> offsets;
  std::vector<std::uint32_t> type_ids;
  std::vector<std::uint8_t> special_tokens_mask;
  std::vector<std::uint8_t> attention_mask;
  /// What truncation cut off, as the Rust library returns it (`overflowing`).
  std::vector<TokenEncoding> overflowing;
};

/// An added token as transformers' AddedToken has it (tokenizer.json's
/// "added_tokens" entries without the id).
struct AddedTokenSpec {
  std::string content;
  bool special = false;
  std::optional<bool> normalized;  ///< unset: !special, as the Rust library's AddedToken::from
  bool lstrip = false, rstrip = false, single_word = false;
};

/// What tokenizer_config.json and special_tokens_map.json add to the pipeline
/// (transformers' PreTrainedTokenizerBase attributes); see auto_tokenizer.h.
struct TokenizerSettings {
  /// "bos_token", "eos_token", "unk_token", "pad_token", "sep_token",
  /// "cls_token", "mask_token" -> token text (absent: None in transformers).
  std::vector<std::pair<std::string, std::string>> special_tokens;
  std::vector<std::string> additional_special_tokens;
  /// transformers' VERY_LARGE_INTEGER (int(1e30)) when unset: nullopt.
  std::optional<std::uint64_t> model_max_length;
  std::string padding_side = "right";
  std::string truncation_side = "right";
  /// transformers 4.47's default is False unless the class or config says otherwise.
  bool clean_up_tokenization_spaces = false;
  /// tokenizer_config.json as loaded (JSON text, "{}" when absent): save()
  /// writes it back with its unknown fields.
  std::string config_json = "{}";
  /// transformers' tokenizer class ("LlamaTokenizerFast"), empty when unknown.
  std::string tokenizer_class;
};

class Tokenizer {
 public:
  /// Reads tokenizer.json: Error(Io/NotFound) when unreadable, Error(ConfigInvalid)
  /// naming the field for malformed content or an unknown component type,
  /// Error(Unsupported) for a valid component Lathe does not implement yet.
  static Tokenizer from_file(const std::string& path);
  /// The same from JSON text; `context` names it in errors.
  static Tokenizer from_json(std::string_view json_text, const std::string& context);

  /// Encodes UTF-8 text (Error(InvalidArgument) if it is not valid UTF-8).
  TokenEncoding encode(std::string_view text, bool add_special_tokens = true) const;
  /// Encodes a pair (text, pair) as the post-processor joins them: offsets of
  /// each part are in characters of its own text; type ids as the template says.
  TokenEncoding encode_pair(std::string_view text, std::string_view pair, bool add_special_tokens = true) const;
  /// Encodes many inputs, then pads them together (BatchLongest: to the longest).
  std::vector<TokenEncoding> encode_batch(const std::vector<std::string>& texts, bool add_special_tokens = true) const;
  std::vector<TokenEncoding> encode_batch(const std::vector<std::pair<std::string, std::string>>& pairs,
                                          bool add_special_tokens = true) const;

  /// Truncation and padding: read from tokenizer.json, or set here (nullopt: off).
  /// set_truncation refuses (InvalidArgument) a stride not below max_length less the
  /// special tokens of a single sequence, as the Rust library does.
  void set_truncation(std::optional<TruncationParams> params);
  void set_padding(std::optional<PaddingParams> params) { padding_ = std::move(params); }
  const std::optional<TruncationParams>& truncation() const { return truncation_; }
  const std::optional<PaddingParams>& padding() const { return padding_; }

  /// Decodes ids (unknown ids are skipped, as the Rust library does), then, as
  /// transformers' tokenizer.decode, cleans up tokenization spaces (" ." -> ".",
  /// " n't" -> "n't", ...) when `clean_up_tokenization_spaces` says so (unset:
  /// settings().clean_up_tokenization_spaces, false for a bare tokenizer.json).
  std::string decode(const std::vector<std::uint32_t>& ids, bool skip_special_tokens = false,
                     std::optional<bool> clean_up_tokenization_spaces = std::nullopt) const;

  std::optional<std::uint32_t> token_to_id(const std::string& token) const;
  std::optional<std::string> id_to_token(std::uint32_t id) const;
  /// Whether decode(..., skip_special_tokens = true) drops `id`: a special added token.
  bool is_special_token(std::uint32_t id) const;
  /// Model vocabulary plus added tokens.
  std::size_t vocab_size() const;

  /// transformers' tokenizer.add_tokens(tokens, special_tokens=special) on a fast
  /// tokenizer (the Rust library's add_tokens): empty strings and tokens already
  /// added with the same attributes are skipped; a token of the model's
  /// vocabulary keeps its id; new ids continue after the largest added id or
  /// from the model's vocabulary size. Returns how many were not skipped.
  std::size_t add_tokens(const std::vector<std::string>& tokens, bool special = false);
  /// The same with each token's attributes (AddedToken objects in transformers).
  std::size_t add_token_specs(const std::vector<AddedTokenSpec>& tokens);
  /// len(tokenizer) in transformers: distinct tokens of the vocabulary and the added tokens.
  std::size_t size() const;
  /// The added tokens, by id.
  std::vector<std::pair<std::uint32_t, AddedTokenSpec>> added_tokens() const;
  /// Replaces the post-processor with a tokenizer.json "post_processor" value
  /// (JSON text; "null" removes it). Error(ConfigInvalid) as from_json.
  void set_post_processor(const std::string& json_text);

  /// tokenizer_config.json / special_tokens_map.json settings (load_tokenizer sets them).
  const TokenizerSettings& settings() const { return settings_; }
  void set_settings(TokenizerSettings s) { settings_ = std::move(s); }
  /// A special token by attribute name ("bos_token", ...), and its id.
  std::optional<std::string> special_token(const std::string& name) const;
  std::optional<std::uint32_t> special_token_id(const std::string& name) const;
  std::optional<std::string> bos_token() const { return special_token("bos_token"); }
  std::optional<std::string> eos_token() const { return special_token("eos_token"); }
  std::optional<std::string> unk_token() const { return special_token("unk_token"); }
  std::optional<std::string> pad_token() const { return special_token("pad_token"); }
  std::optional<std::uint32_t> bos_token_id() const { return special_token_id("bos_token"); }
  std::optional<std::uint32_t> eos_token_id() const { return special_token_id("eos_token"); }
  std::optional<std::uint32_t> unk_token_id() const { return special_token_id("unk_token"); }
  std::optional<std::uint32_t> pad_token_id() const { return special_token_id("pad_token"); }
  std::optional<std::uint64_t> model_max_length() const { return settings_.model_max_length; }
  const std::string& padding_side() const { return settings_.padding_side; }
  bool clean_up_tokenization_spaces() const { return settings_.clean_up_tokenization_spaces; }

  /// Writes tokenizer.json (the loaded document with the current added tokens
  /// and post-processor), tokenizer_config.json and special_tokens_map.json into
  /// `dir` as transformers' fast-tokenizer save_pretrained does (unknown config
  /// fields kept), each file atomically. Error(Io) on failure.
  void save(const std::string& dir) const;

  struct Impl;

 private:
  explicit Tokenizer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
  std::optional<TruncationParams> truncation_;
  std::optional<PaddingParams> padding_;
  TokenizerSettings settings_;
};

/// transformers' clean_up_tokenization: " ." -> ".", " ?" "?", " !" "!", " ," ",",
/// " ' " "'", " n't" "n't", " 'm" "'m", " 's" "'s", " 've" "'ve", " 're" "'re".
std::string clean_up_tokenization(std::string text);

}  // namespace lathe
