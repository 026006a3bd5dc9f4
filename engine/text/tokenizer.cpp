#include "text/tokenizer.h"

#include "core/error.h"
#include "core/json_util.h"
#include "text/added_vocabulary.h"
#include "text/pipeline.h"
#include "text/processors.h"

#include <fstream>
#include <sstream>

namespace lathe {

using namespace text;

struct Tokenizer::Impl {
  std::unique_ptr<Normalizer> normalizer;
  std::unique_ptr<PreTokenizer> pre_tokenizer;
  std::unique_ptr<Model> model;
  std::unique_ptr<PostProcessor> post_processor;
  std::unique_ptr<Decoder> decoder;
  std::unique_ptr<AddedVocabulary> added;
};

Tokenizer Tokenizer::from_json(std::string_view json_text, const std::string& context) {
  Json j = parse_json(json_text, context, static_cast<int>(ErrorCode::ConfigInvalid));
  if (!j.is_object()) config_error(context, "expected a JSON object");
  auto impl = std::make_shared<Impl>();
  auto component = [&](const char* key) -> const Json* {
    return has_field(j, key) ? &j.at(key) : nullptr;
  };
  for (const char* key : {"truncation", "padding"})
    if (has_field(j, key))
      throw Error(ErrorCode::Unsupported, std::string(key) + " in tokenizer.json is not implemented yet", key);
  if (auto* n = component("normalizer")) impl->normalizer = make_normalizer(*n, "normalizer");
  if (auto* p = component("pre_tokenizer")) impl->pre_tokenizer = make_pre_tokenizer(*p, "pre_tokenizer");
  impl->model = make_model(field(j, "model", ""), "model");
  if (auto* p = component("post_processor")) impl->post_processor = make_post_processor(*p, "post_processor");
  if (auto* d = component("decoder")) impl->decoder = make_decoder(*d, "decoder");
  impl->added = std::make_unique<AddedVocabulary>(j.contains("added_tokens") ? j.at("added_tokens") : Json(),
                                                  "added_tokens", impl->normalizer.get());
  return Tokenizer(std::move(impl));
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
  static RawEncoding single(const Tokenizer::Impl& t, std::string_view text, std::uint32_t type_id) {
    if (!utf8_valid(text)) throw Error(ErrorCode::InvalidArgument, "text is not valid UTF-8", "tokenize");
    std::vector<NormalizedPiece> pieces = t.added->extract_and_normalize(text, t.normalizer.get());
    if (t.pre_tokenizer) t.pre_tokenizer->pre_tokenize(pieces);
    RawEncoding enc;
    for (auto& p : pieces) {
      std::vector<Token> toks = p.tokens ? std::move(*p.tokens) : t.model->tokenize(p.text);
      for (auto& tok : toks) {
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

  static TokenEncoding finish(const Tokenizer::Impl& t, std::vector<RawEncoding> encs, bool add_special_tokens) {
    if (t.post_processor) t.post_processor->process_encodings(encs, add_special_tokens);
    RawEncoding enc;
    for (auto& e : encs) append_encoding(enc, std::move(e));
    TokenEncoding out;
    out.ids = std::move(enc.ids);
    out.tokens = std::move(enc.tokens);
    out.offsets = std::move(enc.offsets);
    out.type_ids = std::move(enc.type_ids);
    out.special_tokens_mask = std::move(enc.special_tokens_mask);
    out.attention_mask = std::move(enc.attention_mask);
    return out;
  }
};
}  // namespace

TokenEncoding Tokenizer::encode(std::string_view text, bool add_special_tokens) const {
  std::vector<RawEncoding> encs;
  encs.push_back(TokenizerAccess::single(*impl_, text, 0));
  return TokenizerAccess::finish(*impl_, std::move(encs), add_special_tokens);
}

TokenEncoding Tokenizer::encode_pair(std::string_view text, std::string_view pair, bool add_special_tokens) const {
  std::vector<RawEncoding> encs;
  encs.push_back(TokenizerAccess::single(*impl_, text, 0));
  encs.push_back(TokenizerAccess::single(*impl_, pair, 1));
  return TokenizerAccess::finish(*impl_, std::move(encs), add_special_tokens);
}

std::string Tokenizer::decode(const std::vector<std::uint32_t>& ids, bool skip_special_tokens) const {
  const Impl& t = *impl_;
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (auto id : ids) {
    const std::string* s = t.added->id_to_token(id);
    if (!s) s = t.model->id_to_token(id);
    if (!s) continue;
    if (skip_special_tokens && t.added->is_special(*s)) continue;
    tokens.push_back(*s);
  }
  std::string out;
  if (t.decoder) {
    for (const auto& piece : t.decoder->decode_chain(std::move(tokens))) out += piece;
  } else {
    for (std::size_t i = 0; i < tokens.size(); ++i) out += (i ? " " : "") + tokens[i];
  }
  return out;
}

std::optional<std::uint32_t> Tokenizer::token_to_id(const std::string& token) const {
  if (auto id = impl_->added->token_to_id(token)) return id;
  return impl_->model->token_to_id(token);
}

std::optional<std::string> Tokenizer::id_to_token(std::uint32_t id) const {
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
