#include "text/tokenizer.h"

#include "core/error.h"
#include "core/json_util.h"
#include "text/added_vocabulary.h"
#include "text/pipeline.h"
#include "text/processors.h"
#include "text/tokenizer_impl.h"

#include <fstream>
#include <limits>
#include <sstream>

namespace lathe {

using namespace text;

// struct Tokenizer::Impl: text/tokenizer_impl.h (shared with tokenizer_vocab.cpp).

Tokenizer Tokenizer::from_json(std::string_view json_text, const std::string& context) {
  Json j = parse_json_unordered(json_text, context, static_cast<int>(ErrorCode::ConfigInvalid));
  if (!j.is_object()) config_error(context, "expected a JSON object");
  auto impl = std::make_shared<Impl>();
  auto component = [&](const char* key) -> const Json* {
    return has_field(j, key) ? &j.at(key) : nullptr;
  };
  if (auto* n = component("normalizer")) impl->normalizer = make_normalizer(*n, "normalizer");
  if (auto* p = component("pre_tokenizer")) impl->pre_tokenizer = make_pre_tokenizer(*p, "pre_tokenizer");
  impl->model = make_model(field(j, "model", ""), "model");
  if (auto* p = component("post_processor")) impl->post_processor = make_post_processor(*p, "post_processor");
  if (auto* d = component("decoder")) impl->decoder = make_decoder(*d, "decoder");
  impl->added = std::make_unique<AddedVocabulary>(j.contains("added_tokens") ? j.at("added_tokens") : Json(),
                                                  "added_tokens", impl->normalizer.get());
  std::optional<TruncationParams> trunc;
  std::optional<PaddingParams> pad;
  if (has_field(j, "truncation")) trunc = parse_truncation(j.at("truncation"), "truncation");
  if (has_field(j, "padding")) pad = parse_padding(j.at("padding"), "padding");
  impl->doc = std::make_shared<const Json>(std::move(j));  // kept for save()
  refresh_normalized_added(*impl);
  Tokenizer tok(std::move(impl));
  tok.truncation_ = std::move(trunc);
  tok.padding_ = std::move(pad);
  return tok;
}

Tokenizer Tokenizer::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::NotFound, "cannot open tokenizer file", path);
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return from_json(ss.str(), path);
  } catch (const Error& e) {
    if (e.context().rfind(path, 0) == 0) throw;
    throw Error(e.code(), e.what(), path);  // "<path>: <field>: <message>"
  }
}

namespace {
// One sequence through the pipeline up to the model (the crate's
// encode_single_sequence with OffsetType::Char): offsets are converted to
// characters here, before post-processing, as the crate does; then the
// post-processor and the merge of what it leaves (post_process).
struct TokenizerAccess {
  // `cap`: with truncation the library tokenizes only whole pre-tokenized
  // pieces until a sequence has max_length tokens — from the start, or from
  // the end (`from_end`) when truncating on the left.
  static RawEncoding single(const Tokenizer::Impl& t, std::string_view text, std::uint32_t type_id,
                            std::size_t cap = std::numeric_limits<std::size_t>::max(), bool from_end = false) {
    if (!utf8_valid(text)) throw Error(ErrorCode::InvalidArgument, "text is not valid UTF-8", "tokenize");
    std::vector<NormalizedPiece> pieces = t.added->extract_and_normalize(text, t.normalizer.get());
    if (t.pre_tokenizer) t.pre_tokenizer->pre_tokenize(pieces);
    RawEncoding enc;
    std::vector<std::vector<Token>> piece_tokens(pieces.size());
    std::size_t count = 0, lo = 0, hi = pieces.size();
    auto take = [&](std::size_t i) {
      piece_tokens[i] = pieces[i].tokens ? std::move(*pieces[i].tokens) : t.model->tokenize(pieces[i].text);
      // An added token's value is the text it matched (normalized, with what
      // lstrip/rstrip took), as the crate builds it, not its content.
      if (pieces[i].tokens && piece_tokens[i].size() == 1) piece_tokens[i][0].value = pieces[i].text;
      count += piece_tokens[i].size();
    };
    if (!from_end) {
      for (hi = 0; hi < pieces.size() && count < cap; ++hi) take(hi);
    } else {
      for (lo = pieces.size(); lo > 0 && count < cap; --lo) take(lo - 1);
    }
    enc.ids.reserve(count);
    enc.offsets.reserve(count);
    enc.tokens.reserve(count);
    for (std::size_t i = lo; i < hi; ++i) {
      const NormalizedPiece& p = pieces[i];
      for (auto& tok : piece_tokens[i]) {
        enc.ids.push_back(tok.id);
        enc.offsets.push_back(p.to_original(tok.offsets));
        enc.tokens.push_back(std::move(tok.value));
      }
    }
    std::size_t n = enc.ids.size();
    enc.type_ids.assign(n, type_id);
    enc.special_tokens_mask.assign(n, 0);
    enc.attention_mask.assign(n, 1);
    // Byte offsets -> character offsets (the crate's BytesToCharOffsetConverter):
    // start is the character holding byte `start`, end the one after the
    // character holding byte `end - 1`; offsets outside the text stay as they are.
    // In ASCII text characters are bytes: nothing to convert.
    bool ascii = true;
    for (char ch : text) ascii = ascii && static_cast<unsigned char>(ch) < 0x80;
    if (ascii) return enc;
    std::vector<std::size_t> char_of(text.size());
    for (std::size_t i = 0, c = 0; i < text.size(); ++c) {
      std::size_t len = utf8_len(static_cast<unsigned char>(text[i]));
      for (std::size_t k = 0; k < len && i + k < text.size(); ++k) char_of[i + k] = c;
      i += len;
    }
    for (auto& o : enc.offsets) {
      if (o.first < char_of.size()) {
        if (o.first == o.second) o = {char_of[o.first], char_of[o.first]};
        else if (o.second - 1 < char_of.size()) o = {char_of[o.first], char_of[o.second - 1] + 1};
      }
    }
    return enc;
  }

  // The post-processor's added_tokens(is_pair): what it adds to empty input.
  static std::size_t n_added_tokens(const Tokenizer::Impl& t, bool is_pair) {
    if (!t.post_processor) return 0;
    std::vector<RawEncoding> encs(is_pair ? 2 : 1);
    t.post_processor->process_encodings(encs, true);
    std::size_t n = 0;
    for (const auto& e : encs) n += e.ids.size();
    return n;
  }

  // The crate's post_process: truncate (max_length less the special tokens to
  // come), post-process, pad; overflowing parts follow the same steps.
  static TokenEncoding finish(const Tokenizer::Impl& t, std::vector<RawEncoding> encs, bool add_special_tokens,
                              const std::optional<TruncationParams>& trunc, const std::optional<PaddingParams>& pad) {
    if (trunc) {
      TruncationParams p = *trunc;
      std::size_t added = n_added_tokens(t, encs.size() > 1);
      // usize arithmetic in the crate: a max_length below the special tokens wraps (no truncation).
      if (add_special_tokens && added > 0) p.max_length = p.max_length >= added ? p.max_length - added : std::numeric_limits<std::size_t>::max();
      truncate_encodings(encs[0], encs.size() > 1 ? &encs[1] : nullptr, p);
    }
    if (t.post_processor) t.post_processor->process_encodings(encs, add_special_tokens);
    RawEncoding enc;
    for (auto& e : encs) append_encoding(enc, std::move(e));
    std::vector<TokenEncoding> one;
    one.push_back(to_public(std::move(enc)));
    if (pad) pad_encodings(one, *pad);
    return std::move(one[0]);
  }

  static TokenEncoding to_public(RawEncoding&& enc) {
    TokenEncoding out;
    out.ids = std::move(enc.ids);
    out.tokens = std::move(enc.tokens);
    out.offsets = std::move(enc.offsets);
    out.type_ids = std::move(enc.type_ids);
    out.special_tokens_mask = std::move(enc.special_tokens_mask);
    out.attention_mask = std::move(enc.attention_mask);
    for (auto& o : enc.overflowing) out.overflowing.push_back(to_public(std::move(o)));
    return out;
  }
};
}  // namespace

namespace {
// Both sequences of a pair are capped; a single one too unless the strategy
// is OnlySecond (as the oracle shows the library doing).
std::size_t token_cap(const std::optional<TruncationParams>& trunc, bool is_pair) {
  if (!trunc || (!is_pair && trunc->strategy == TruncationStrategy::OnlySecond))
    return std::numeric_limits<std::size_t>::max();
  return trunc->max_length;
}
bool left(const std::optional<TruncationParams>& trunc) {
  return trunc && trunc->direction == TruncationDirection::Left;
}
}  // namespace

TokenEncoding Tokenizer::encode(std::string_view text, bool add_special_tokens) const {
  std::vector<RawEncoding> encs;
  encs.push_back(TokenizerAccess::single(*impl_, text, 0, token_cap(truncation_, false), left(truncation_)));
  return TokenizerAccess::finish(*impl_, std::move(encs), add_special_tokens, truncation_, padding_);
}

TokenEncoding Tokenizer::encode_pair(std::string_view text, std::string_view pair, bool add_special_tokens) const {
  std::vector<RawEncoding> encs;
  encs.push_back(TokenizerAccess::single(*impl_, text, 0, token_cap(truncation_, true), left(truncation_)));
  encs.push_back(TokenizerAccess::single(*impl_, pair, 1, token_cap(truncation_, true), left(truncation_)));
  return TokenizerAccess::finish(*impl_, std::move(encs), add_special_tokens, truncation_, padding_);
}

// encode_batch: tokenizer_batch.cpp (threads).

void Tokenizer::set_truncation(std::optional<TruncationParams> params) {
  if (params) {
    std::size_t added = TokenizerAccess::n_added_tokens(*impl_, false);
    if (params->max_length < added || params->max_length - added < params->stride)
      throw Error(ErrorCode::InvalidArgument,
                  "stride " + std::to_string(params->stride) + " is greater than or equal to the effective max length " +
                      std::to_string(params->max_length) + " less " + std::to_string(added) + " special tokens",
                  "truncation");
  }
  truncation_ = std::move(params);
}

std::string Tokenizer::decode(const std::vector<std::uint32_t>& ids, bool skip_special_tokens,
                              std::optional<bool> clean_up_tokenization_spaces) const {
  const Impl& t = *impl_;
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (auto id : ids) {
    if (skip_special_tokens && is_special_token(id)) continue;
    const std::string* s = t.added->id_to_token(id);
    if (auto it = t.normalized_added.find(id); s && it != t.normalized_added.end()) s = &it->second;
    if (!s) s = t.model->id_to_token(id);
    if (s) tokens.push_back(*s);
  }
  std::string out;
  if (t.decoder) {
    for (const auto& piece : t.decoder->decode_chain(std::move(tokens))) out += piece;
  } else {
    for (std::size_t i = 0; i < tokens.size(); ++i) out += (i ? " " : "") + tokens[i];
  }
  if (clean_up_tokenization_spaces.value_or(settings_.clean_up_tokenization_spaces)) out = clean_up_tokenization(out);
  return out;
}

std::optional<std::uint32_t> Tokenizer::token_to_id(const std::string& token) const {
  if (auto id = impl_->added->token_to_id(token)) return id;
  return impl_->model->token_to_id(token);
}

bool Tokenizer::is_special_token(std::uint32_t id) const {
  const Impl& t = *impl_;
  const std::string* s = t.added->id_to_token(id);
  if (s && t.added->is_special(*s)) return true;
  if (auto it = t.normalized_added.find(id); s && it != t.normalized_added.end()) s = &it->second;
  if (!s) s = t.model->id_to_token(id);
  return s && t.added->is_special(*s);
}

std::optional<std::string> Tokenizer::id_to_token(std::uint32_t id) const {
  if (auto it = impl_->normalized_added.find(id); it != impl_->normalized_added.end()) return it->second;
  if (auto* s = impl_->added->id_to_token(id)) return *s;
  if (auto* s = impl_->model->id_to_token(id)) return *s;
  return std::nullopt;
}

std::size_t Tokenizer::vocab_size() const {
  // Added tokens whose ids are inside the model's vocabulary are not counted twice.
  std::size_t n = impl_->model->vocab_size();
  for (const auto& a : impl_->added->tokens())
    if (!impl_->model->id_to_token(a.id)) ++n;
  return n;
}

}  // namespace lathe
