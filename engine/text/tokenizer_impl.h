// Internal: the pipeline behind lathe::Tokenizer (tokenizer.cpp and the files
// that add to it: tokenizer_vocab.cpp). Not a public header.
#pragma once

#include "text/added_vocabulary.h"
#include "text/pipeline.h"
#include "text/tokenizer.h"

#include <memory>
#include <unordered_map>

namespace lathe {

// Components are shared so that add_tokens / set_post_processor can make a new
// Impl that differs in one part without copying the rest (a Tokenizer's Impl
// is immutable once built: copies of a Tokenizer stay independent).
struct Tokenizer::Impl {
  std::shared_ptr<const text::Normalizer> normalizer;
  std::shared_ptr<const text::PreTokenizer> pre_tokenizer;
  std::shared_ptr<const text::Model> model;
  std::shared_ptr<const text::PostProcessor> post_processor;
  std::shared_ptr<const text::Decoder> decoder;
  std::shared_ptr<const text::AddedVocabulary> added;
  /// The tokenizer.json document it was built from (for save()); its
  /// "added_tokens" may be stale: `added` is the truth.
  std::shared_ptr<const text::Json> doc;
  /// Added tokens with normalized = true whose content the normalizer changes,
  /// by id: the form decode and id_to_token give (the Rust library's
  /// normalized_cache, so that the decoder inverts the normalizer).
  std::unordered_map<std::uint32_t, std::string> normalized_added;
};

/// Fills impl.normalized_added from impl.added and impl.normalizer.
void refresh_normalized_added(Tokenizer::Impl& impl);

}  // namespace lathe
