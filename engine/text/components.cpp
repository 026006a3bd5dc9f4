// The type-name tables: tokenizer.json component "type" -> class. A new
// component is one class and one line here.
#include "text/bpe_model.h"
#include "text/byte_level.h"
#include "text/decoders.h"
#include "text/metaspace.h"
#include "text/normalizers.h"
#include "text/pre_tokenizers.h"
#include "text/precompiled.h"
#include "text/processors.h"
#include "text/unicode_scripts.h"
#include "text/unigram.h"
#include "text/word_level.h"
#include "text/wordpiece.h"
#include "text/pipeline.h"
#include "text/regex.h"

#include "core/error.h"

#include <functional>
#include <map>

namespace lathe::text {

namespace {

// Pre-tokenizers that only compose or split with a pattern.
class SplitPreTokenizer : public PreTokenizer {
 public:
  SplitPreTokenizer(const Json& j, const std::string& where)
      : regex_(make_pattern(field(j, "pattern", where), where + ".pattern")) {
    behavior_ = parse_split_behavior(get_string(j, "behavior", where), where + ".behavior");
    invert_ = get_bool_or(j, "invert", where, false);
  }
  void pre_tokenize(std::vector<NormalizedPiece>& pieces) const override {
    split_each(pieces, [&](NormalizedPiece& p, std::vector<NormalizedPiece>& out) {
      auto matches = regex_->find_matches(p.text);
      if (invert_)
        for (auto& m : matches) m.second = !m.second;
      split_piece(p, std::move(matches), behavior_, out);
    });
  }

 private:
  std::unique_ptr<Regex> regex_;
  SplitBehavior behavior_ = SplitBehavior::Isolated;
  bool invert_ = false;
};

class SequencePreTokenizer : public PreTokenizer {
 public:
  SequencePreTokenizer(const Json& j, const std::string& where) {
    const Json& list = field(j, "pretokenizers", where);
    if (!list.is_array()) config_error(where + ".pretokenizers", "expected an array");
    for (std::size_t i = 0; i < list.size(); ++i)
      parts_.push_back(make_pre_tokenizer(list[i], where + ".pretokenizers[" + std::to_string(i) + "]"));
  }
  void pre_tokenize(std::vector<NormalizedPiece>& pieces) const override {
    for (const auto& p : parts_) p->pre_tokenize(pieces);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> parts_;
};

template <class Base>
using Factory = std::function<std::unique_ptr<Base>(const Json&, const std::string&)>;

template <class Base, class T>
Factory<Base> factory() {
  return [](const Json& j, const std::string& w) -> std::unique_ptr<Base> { return std::make_unique<T>(j, w); };
}

// Looks up j["type"] in `table`; names in `planned` are valid tokenizer.json
// types that Lathe does not implement yet (Unsupported, not ConfigInvalid).
template <class Base>
std::unique_ptr<Base> build(const Json& j, const std::string& where, const std::map<std::string, Factory<Base>>& table,
                            std::initializer_list<const char*> planned, const char* default_type = nullptr) {
  if (!j.is_object()) config_error(where, "expected an object or null");
  std::string type;
  if (default_type && !j.contains("type")) type = default_type;
  else type = get_string(j, "type", where);
  auto it = table.find(type);
  if (it != table.end()) return it->second(j, where);
  for (const char* p : planned)
    if (type == p) throw Error(ErrorCode::Unsupported, "component type \"" + type + "\" is not implemented yet", where + ".type");
  config_error(where + ".type", "unknown component type \"" + type + "\"");
}

}  // namespace

std::unique_ptr<Normalizer> make_normalizer(const Json& j, const std::string& where) {
  static const std::map<std::string, Factory<Normalizer>> table = {
      {"Precompiled", factory<Normalizer, PrecompiledNormalizer>()},
      {"BertNormalizer", factory<Normalizer, BertNormalizer>()},
      {"NFC", factory<Normalizer, UnicodeNormalizer>()},
      {"NFD", factory<Normalizer, UnicodeNormalizer>()},
      {"NFKC", factory<Normalizer, UnicodeNormalizer>()},
      {"NFKD", factory<Normalizer, UnicodeNormalizer>()},
      {"Lowercase", factory<Normalizer, LowercaseNormalizer>()},
      {"StripAccents", factory<Normalizer, StripAccentsNormalizer>()},
      {"Strip", factory<Normalizer, StripNormalizer>()},
      {"Prepend", factory<Normalizer, PrependNormalizer>()},
      {"Replace", factory<Normalizer, ReplaceNormalizer>()},
      {"Sequence", factory<Normalizer, SequenceNormalizer>()},
      {"Nmt", factory<Normalizer, NmtNormalizer>()},
      {"ByteLevel", factory<Normalizer, ByteLevelNormalizer>()},
  };
  return build<Normalizer>(j, where, table, {});
}

std::unique_ptr<PreTokenizer> make_pre_tokenizer(const Json& j, const std::string& where) {
  static const std::map<std::string, Factory<PreTokenizer>> table = {
      {"ByteLevel", factory<PreTokenizer, ByteLevelPreTokenizer>()},
      {"Split", factory<PreTokenizer, SplitPreTokenizer>()},
      {"Sequence", factory<PreTokenizer, SequencePreTokenizer>()},
      {"Metaspace", factory<PreTokenizer, MetaspacePreTokenizer>()},
      {"BertPreTokenizer", factory<PreTokenizer, BertPreTokenizer>()},
      {"Whitespace", factory<PreTokenizer, WhitespacePreTokenizer>()},
      {"WhitespaceSplit", factory<PreTokenizer, WhitespaceSplitPreTokenizer>()},
      {"Punctuation", factory<PreTokenizer, PunctuationPreTokenizer>()},
      {"Digits", factory<PreTokenizer, DigitsPreTokenizer>()},
      {"CharDelimiterSplit", factory<PreTokenizer, CharDelimiterSplitPreTokenizer>()},
      {"UnicodeScripts", factory<PreTokenizer, UnicodeScriptsPreTokenizer>()},
  };
  return build<PreTokenizer>(j, where, table, {});
}

std::unique_ptr<Model> make_model(const Json& j, const std::string& where) {
  static const std::map<std::string, Factory<Model>> table = {
      {"BPE", factory<Model, BpeModel>()},
      {"Unigram", factory<Model, UnigramModel>()},
      {"WordLevel", factory<Model, WordLevelModel>()},
      {"WordPiece", factory<Model, WordPieceModel>()},
  };
  // Older files omit the model's type; the crate then tries each model in
  // turn (BPE, WordPiece, WordLevel, Unigram). Only BPE has "merges" and only
  // WordPiece "max_input_chars_per_word", which is how such files are recognised.
  const char* dflt = !j.is_object()                                  ? nullptr
                     : j.contains("merges")                          ? "BPE"
                     : j.contains("max_input_chars_per_word")        ? "WordPiece"
                                                                     : nullptr;
  return build<Model>(j, where, table, {}, dflt);
}

std::unique_ptr<PostProcessor> make_post_processor(const Json& j, const std::string& where) {
  static const std::map<std::string, Factory<PostProcessor>> table = {
      {"ByteLevel", factory<PostProcessor, ByteLevelPostProcessor>()},
      {"TemplateProcessing", factory<PostProcessor, TemplateProcessing>()},
      {"BertProcessing", factory<PostProcessor, BertProcessing>()},
      {"RobertaProcessing", factory<PostProcessor, RobertaProcessing>()},
      {"Sequence", factory<PostProcessor, SequencePostProcessor>()},
  };
  return build<PostProcessor>(j, where, table, {});
}

std::unique_ptr<Decoder> make_decoder(const Json& j, const std::string& where) {
  static const std::map<std::string, Factory<Decoder>> table = {
      {"ByteLevel", factory<Decoder, ByteLevelDecoder>()},
      {"Metaspace", factory<Decoder, MetaspaceDecoder>()},
      {"BPEDecoder", factory<Decoder, BpeDecoder>()},
      {"ByteFallback", factory<Decoder, ByteFallbackDecoder>()},
      {"Fuse", factory<Decoder, FuseDecoder>()},
      {"Strip", factory<Decoder, StripDecoder>()},
      {"Replace", factory<Decoder, ReplaceDecoder>()},
      {"CTC", factory<Decoder, CtcDecoder>()},
      {"Sequence", factory<Decoder, SequenceDecoder>()},
      {"WordPiece", factory<Decoder, WordPieceDecoder>()},
  };
  return build<Decoder>(j, where, table, {});
}

}  // namespace lathe::text
