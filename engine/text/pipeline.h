// The tokenizer pipeline's parts (internal to engine/text): the piece of text
// that flows through it and the interfaces each component implements.
//
//   input ─► added tokens split ─► Normalizer ─► PreTokenizer ─► Model ─► PostProcessor
//   ids   ─► Decoder ─► text
//
// Mirrors the Rust `tokenizers` crate, so that a later component (WordPiece,
// Unigram, BertNormalizer, Metaspace, TemplateProcessing, ...) is one class
// plus one line in a factory table (components.cpp).
#pragma once

#include "text/text_util.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lathe::text {

struct Token {
  std::uint32_t id = 0;
  std::string value;
  Offsets offsets;  ///< bytes, in the text handed to Model::tokenize
};

/// The Rust crate's NormalizedString, reduced: the (normalized) text and, for
/// every byte of it, the byte range of the original input it came from.
struct NormalizedPiece {
  std::string text;
  std::vector<Offsets> align;  ///< one per byte of text, absolute in the input
  /// Set when this piece is an added token (the pipeline leaves it alone).
  std::optional<std::vector<Token>> tokens;

  /// A piece for original[begin, end) aligned to itself.
  static NormalizedPiece from_original(std::string_view original, std::size_t begin, std::size_t end);
  NormalizedPiece slice(std::size_t begin, std::size_t end) const;
  /// Normalized byte range -> original byte range (Range::Normalized in Rust).
  Offsets to_original(Offsets normalized) const;
  /// Rewrites the text char by char: for each output code point, `change` is
  /// 0 for "replaces the current input char", 1 for "inserted after it"
  /// (aligned to the same original range), as NormalizedString::transform;
  /// negative: replaces the current char and removes that many after it.
  /// `initial_removed` characters at the start are dropped first.
  void transform(const std::vector<std::pair<char32_t, int>>& changes, std::size_t initial_removed = 0);
  /// Inserts `s` before the text, aligned to the first character.
  void prepend(std::string_view s);
};

/// NormalizedString::replace: every match of `matches` (a cover of
/// piece.text, as Regex::find_matches returns) becomes `content`, each new
/// character aligned to the last byte of what it replaces.
void replace_matches(NormalizedPiece& piece, const std::vector<std::pair<Offsets, bool>>& matches,
                     std::string_view content);

/// How a split keeps its matches (SplitDelimiterBehavior).
enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };
SplitBehavior parse_split_behavior(const std::string& name, const std::string& where);
/// Splits `piece` at `matches` ([start, end) bytes of piece.text, is_match),
/// which cover the text in order; empty results are dropped.
void split_piece(const NormalizedPiece& piece, std::vector<std::pair<Offsets, bool>> matches,
                 SplitBehavior behavior, std::vector<NormalizedPiece>& out);

/// PreTokenizedString::split: `split(piece, out)` appends what each piece
/// becomes, in order; added-token pieces pass through untouched. `reserve`
/// sizes the output when more pieces than inputs are expected.
template <class Split>
void split_each(std::vector<NormalizedPiece>& pieces, Split&& split, std::size_t reserve = 0) {
  std::vector<NormalizedPiece> out;
  out.reserve(reserve > pieces.size() ? reserve : pieces.size());
  for (auto& p : pieces) {
    if (p.tokens) out.push_back(std::move(p));
    else split(p, out);
  }
  pieces = std::move(out);
}

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void normalize(NormalizedPiece& piece) const = 0;
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  /// Splits every piece that has no tokens yet; pieces with tokens pass through.
  virtual void pre_tokenize(std::vector<NormalizedPiece>& pieces) const = 0;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual std::vector<Token> tokenize(std::string_view text) const = 0;
  virtual std::optional<std::uint32_t> token_to_id(const std::string& token) const = 0;
  virtual const std::string* id_to_token(std::uint32_t id) const = 0;
  virtual std::size_t vocab_size() const = 0;
};

/// Bounds on truncation's overflowing output (the Rust library has none and runs
/// out of memory on a hostile configuration): tokens over all parts of one
/// sequence, and encodings produced by combining the parts of a pair.
inline constexpr std::size_t kMaxOverflowTokens = std::size_t{1} << 24;
inline constexpr std::size_t kMaxOverflowEncodings = std::size_t{1} << 16;

/// The encoding while it is being built: offsets in bytes of the input.
struct RawEncoding {
  std::vector<std::uint32_t> ids;
  std::vector<std::string> tokens;
  std::vector<Offsets> offsets;
  std::vector<std::uint32_t> type_ids;
  std::vector<std::uint8_t> special_tokens_mask;
  std::vector<std::uint8_t> attention_mask;
  /// Parts cut off by truncation (Encoding::overflowing), each a full encoding.
  std::vector<RawEncoding> overflowing;
};

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  virtual void process(RawEncoding& encoding, bool add_special_tokens) const = 0;
  /// The crate's process_encodings: one encoding, or two for a pair (the
  /// second's type ids are 1), which a processor may merge into one; the
  /// tokenizer concatenates whatever is left. Default: `process` each.
  virtual void process_encodings(std::vector<RawEncoding>& encodings, bool add_special_tokens) const {
    for (auto& e : encodings) process(e, add_special_tokens);
  }
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  /// Rust's decode_chain; the tokenizer joins the result.
  virtual std::vector<std::string> decode_chain(std::vector<std::string> tokens) const = 0;
};

// Factories (components.cpp): build a component from its JSON object by its
// "type"; `where` is the field path used in errors. An unknown type is
// Error(ConfigInvalid); a known type Lathe does not implement yet is
// Error(Unsupported).
std::unique_ptr<Normalizer> make_normalizer(const Json& j, const std::string& where);
std::unique_ptr<PreTokenizer> make_pre_tokenizer(const Json& j, const std::string& where);
std::unique_ptr<Model> make_model(const Json& j, const std::string& where);
std::unique_ptr<PostProcessor> make_post_processor(const Json& j, const std::string& where);
std::unique_ptr<Decoder> make_decoder(const Json& j, const std::string& where);

}  // namespace lathe::text
