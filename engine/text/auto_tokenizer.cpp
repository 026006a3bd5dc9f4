// AutoTokenizer resolution (see auto_tokenizer.h): transformers 4.47's file
// precedence, the legacy converters (legacy_vocab.cpp, legacy_sentencepiece.cpp)
// and tokenizer_config.json (tokenizer_config.cpp).
#include "text/auto_tokenizer.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "text/tokenizer_config.h"

namespace lathe {

using text::TokenizerFamily;

namespace {
const char* const kSentencePieceFiles[] = {"tokenizer.model", "spiece.model", "sentencepiece.bpe.model"};

std::string first_existing(const std::string& dir, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (path_exists(path_join(dir, n))) return path_join(dir, n);
  return {};
}
std::string sentencepiece_file(const std::string& dir) {
  return first_existing(dir, {kSentencePieceFiles[0], kSentencePieceFiles[1], kSentencePieceFiles[2]});
}
}  // namespace

const std::vector<std::string>& tokenizer_file_names() {
  static const std::vector<std::string> names = {
      "tokenizer.json",  "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
      "vocab.json",      "merges.txt",            "vocab.txt",               "tokenizer.model",
      "spiece.model",    "sentencepiece.bpe.model", "chat_template.jinja",   "chat_template.json"};
  return names;
}

bool has_tokenizer_files(const std::string& dir) {
  return !first_existing(dir, {"tokenizer.json", "vocab.json", "vocab.txt", kSentencePieceFiles[0], kSentencePieceFiles[1],
                               kSentencePieceFiles[2]})
              .empty();
}

Tokenizer load_tokenizer(const std::string& dir) {
  if (!is_directory(dir)) throw Error(ErrorCode::NotFound, "no such folder", dir);
  if (!has_tokenizer_files(dir))
    throw Error(ErrorCode::NotFound,
                "no tokenizer files (tokenizer.json, vocab.json + merges.txt, vocab.txt or tokenizer.model)", dir);
  const std::string json_file = path_join(dir, "tokenizer.json");
  const std::string spm = sentencepiece_file(dir);
  // The class the files suggest when neither tokenizer_config.json nor config.json names one.
  TokenizerFamily hint = TokenizerFamily::Generic;
  if (!path_exists(json_file)) {
    if (path_exists(path_join(dir, "tokenizer.model"))) hint = TokenizerFamily::Llama;
    else if (path_exists(path_join(dir, "spiece.model"))) hint = TokenizerFamily::T5;
    else if (path_exists(path_join(dir, "vocab.json"))) hint = TokenizerFamily::Gpt2;
    else if (path_exists(path_join(dir, "vocab.txt"))) hint = TokenizerFamily::Bert;
  }
  text::TokenizerConfig cfg = text::read_tokenizer_config(dir, hint);
  // LlamaTokenizerFast / T5TokenizerFast convert from the slow tokenizer (not
  // tokenizer.json) when add_prefix_space is given.
  bool from_slow = (cfg.family == TokenizerFamily::Llama || cfg.family == TokenizerFamily::T5) && !spm.empty() &&
                   cfg.flag("add_prefix_space").has_value();
  std::optional<Tokenizer> tok;
  if (path_exists(json_file) && !from_slow && cfg.family == TokenizerFamily::Bert) {
    // BertTokenizerFast.__init__: a BertNormalizer whose lowercase / strip_accents /
    // handle_chinese_chars differ from do_lower_case / strip_accents /
    // tokenize_chinese_chars is rebuilt with the config's values.
    text::Json doc = parse_json_unordered(read_text_file(json_file), json_file, static_cast<int>(ErrorCode::ConfigInvalid));
    if (doc.is_object() && doc.contains("normalizer") && doc["normalizer"].is_object()) {
      text::Json& n = doc["normalizer"];
      text::Json strip = nullptr;
      if (auto v = cfg.flag("strip_accents")) strip = *v;
      const std::pair<const char*, text::Json> wanted[] = {
          {"lowercase", cfg.flag("do_lower_case").value_or(true)},
          {"strip_accents", strip},
          {"handle_chinese_chars", cfg.flag("tokenize_chinese_chars").value_or(true)}};
      bool differs = false;
      for (const auto& [key, value] : wanted) differs = differs || (n.contains(key) && n[key] != value);
      if (differs)
        for (const auto& [key, value] : wanted) n[key] = value;
    }
    try {
      tok = Tokenizer::from_json(doc.dump(), json_file);
    } catch (const Error& e) {
      if (e.context().rfind(json_file, 0) == 0) throw;
      throw Error(e.code(), e.what(), json_file);
    }
  } else if (path_exists(json_file) && !from_slow) {
    tok = Tokenizer::from_file(json_file);
  } else {
    text::Json doc;
    std::string source;
    const std::string vocab_json = path_join(dir, "vocab.json"), vocab_txt = path_join(dir, "vocab.txt");
    auto use_gpt2 = [&] { source = vocab_json; doc = text::convert_gpt2_files(cfg); };
    auto use_bert = [&] { source = vocab_txt; doc = text::convert_bert_files(cfg); };
    auto use_spm = [&] { source = spm; doc = text::convert_sentencepiece_file(cfg, spm); };
    if (cfg.family == TokenizerFamily::Gpt2 && path_exists(vocab_json)) use_gpt2();
    else if (cfg.family == TokenizerFamily::Bert && path_exists(vocab_txt)) use_bert();
    else if (!spm.empty()) use_spm();
    else if (path_exists(vocab_json)) use_gpt2();
    else use_bert();
    try {
      tok = Tokenizer::from_json(doc.dump(), source);
    } catch (const Error& e) {
      if (e.context().rfind(source, 0) == 0) throw;
      throw Error(e.code(), e.what(), source);
    }
  }
  text::apply_tokenizer_config(*tok, cfg);
  return std::move(*tok);
}

}  // namespace lathe
