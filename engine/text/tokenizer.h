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

  /// Decodes ids (unknown ids are skipped, as the Rust library does).
  std::string decode(const std::vector<std::uint32_t>& ids, bool skip_special_tokens = false) const;

  std::optional<std::uint32_t> token_to_id(const std::string& token) const;
  std::optional<std::string> id_to_token(std::uint32_t id) const;
  /// Model vocabulary plus added tokens.
  std::size_t vocab_size() const;

  struct Impl;

 private:
  explicit Tokenizer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
  std::optional<TruncationParams> truncation_;
  std::optional<PaddingParams> padding_;
};

}  // namespace lathe
