// tokenizer_config.json / special_tokens_map.json / added_tokens.json as
// transformers 4.47 reads, applies and writes them (see tokenizer_config.h).
#include "text/tokenizer_config.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"

#include <algorithm>
#include <map>

namespace lathe::text {

using OJson = nlohmann::ordered_json;

namespace {

const char* const kSpecialAttributes[] = {"bos_token", "eos_token", "unk_token", "sep_token",
                                          "pad_token", "cls_token", "mask_token"};

OJson read_json_file(const std::string& path) {
  return parse_json(read_text_file(path), path, static_cast<int>(ErrorCode::ConfigInvalid));
}

// An AddedToken as a config holds it: a string, or a dict (with or without "__type").
std::optional<AddedTokenSpec> parse_token(const OJson& v, const std::string& where) {
  if (v.is_null()) return std::nullopt;
  AddedTokenSpec t;
  if (v.is_string()) {
    t.content = v.get<std::string>();
    return t;
  }
  if (!v.is_object() || !v.contains("content") || !v["content"].is_string())
    throw Error(ErrorCode::ConfigInvalid, "expected a token string or an AddedToken object", where);
  t.content = v["content"].get<std::string>();
  auto b = [&](const char* k, bool dflt) {
    if (!v.contains(k) || v[k].is_null()) return dflt;
    if (!v[k].is_boolean()) throw Error(ErrorCode::ConfigInvalid, std::string("\"") + k + "\" must be a boolean", where);
    return v[k].get<bool>();
  };
  t.special = b("special", false);
  if (v.contains("normalized") && !v["normalized"].is_null()) t.normalized = b("normalized", true);
  t.lstrip = b("lstrip", false);
  t.rstrip = b("rstrip", false);
  t.single_word = b("single_word", false);
  return t;
}

TokenizerFamily family_of(std::string name) {
  if (name.size() > 4 && name.compare(name.size() - 4, 4, "Fast") == 0) name.resize(name.size() - 4);
  if (name == "GPT2Tokenizer" || name == "gpt2") return TokenizerFamily::Gpt2;
  if (name == "BertTokenizer" || name == "bert") return TokenizerFamily::Bert;
  if (name == "LlamaTokenizer" || name == "llama") return TokenizerFamily::Llama;
  if (name == "T5Tokenizer" || name == "t5") return TokenizerFamily::T5;
  return TokenizerFamily::Generic;
}

// The class defaults of the special tokens (the __init__ signatures).
std::vector<std::pair<std::string, std::string>> class_defaults(TokenizerFamily f) {
  switch (f) {
    case TokenizerFamily::Gpt2:
      return {{"bos_token", "<|endoftext|>"}, {"eos_token", "<|endoftext|>"}, {"unk_token", "<|endoftext|>"}};
    case TokenizerFamily::Bert:
      return {{"unk_token", "[UNK]"}, {"sep_token", "[SEP]"}, {"pad_token", "[PAD]"}, {"cls_token", "[CLS]"},
              {"mask_token", "[MASK]"}};
    case TokenizerFamily::Llama:
      return {{"bos_token", "<s>"}, {"eos_token", "</s>"}, {"unk_token", "<unk>"}};
    case TokenizerFamily::T5:
      return {{"eos_token", "</s>"}, {"unk_token", "<unk>"}, {"pad_token", "<pad>"}};
    case TokenizerFamily::Generic:
      break;
  }
  return {};
}

}  // namespace

std::string TokenizerConfig::config_path() const { return path_join(dir, "tokenizer_config.json"); }

std::optional<bool> TokenizerConfig::flag(const char* key) const {
  if (!config.contains(key) || config[key].is_null()) return std::nullopt;
  if (!config[key].is_boolean())
    throw Error(ErrorCode::ConfigInvalid, std::string(key) + ": expected a boolean", config_path());
  return config[key].get<bool>();
}

std::optional<std::string> TokenizerConfig::special(const std::string& name) const {
  for (const auto& [k, v] : specials)
    if (k == name) return v.content;
  return std::nullopt;
}

TokenizerConfig read_tokenizer_config(const std::string& dir, TokenizerFamily hint) {
  TokenizerConfig cfg;
  cfg.dir = dir;
  const std::string config_file = path_join(dir, "tokenizer_config.json");
  if (path_exists(config_file)) {
    cfg.config = read_json_file(config_file);
    cfg.has_config_file = true;
    if (!cfg.config.is_object()) throw Error(ErrorCode::ConfigInvalid, "expected a JSON object", config_file);
  }
  OJson special_map = OJson::object();
  const std::string map_file = path_join(dir, "special_tokens_map.json");
  if (path_exists(map_file)) {
    special_map = read_json_file(map_file);
    if (!special_map.is_object()) throw Error(ErrorCode::ConfigInvalid, "expected a JSON object", map_file);
  }
  // The class: tokenizer_config's tokenizer_class, else config.json's model_type, else the files.
  cfg.family = hint;
  if (cfg.config.contains("tokenizer_class") && cfg.config["tokenizer_class"].is_string()) {
    cfg.tokenizer_class = cfg.config["tokenizer_class"].get<std::string>();
    cfg.family = family_of(cfg.tokenizer_class);
  } else if (path_exists(path_join(dir, "config.json"))) {
    try {
      OJson model_config = read_json_file(path_join(dir, "config.json"));
      if (model_config.is_object() && model_config.contains("model_type") && model_config["model_type"].is_string()) {
        TokenizerFamily f = family_of(model_config["model_type"].get<std::string>());
        if (f != TokenizerFamily::Generic) cfg.family = f;
      }
    } catch (const Error&) {
      // config.json is the model's business; a broken one does not stop the tokenizer.
    }
  }
  // Special tokens: the config's value when it has the key (null is None), else
  // special_tokens_map.json's, else the class default.
  std::vector<std::pair<std::string, std::string>> defaults = class_defaults(cfg.family);
  for (const char* attr : kSpecialAttributes) {
    std::optional<AddedTokenSpec> tok;
    if (cfg.config.contains(attr)) tok = parse_token(cfg.config[attr], config_file + ": " + attr);
    else if (special_map.contains(attr)) tok = parse_token(special_map[attr], map_file + ": " + attr);
    else
      for (const auto& [k, v] : defaults)
        if (k == attr) {
          tok = AddedTokenSpec();
          tok->content = v;
        }
    if (tok) cfg.specials.emplace_back(attr, *tok);
  }
  const OJson* extra = cfg.config.contains("additional_special_tokens") ? &cfg.config["additional_special_tokens"]
                       : special_map.contains("additional_special_tokens") ? &special_map["additional_special_tokens"]
                                                                           : nullptr;
  if (extra && !extra->is_null()) {
    if (!extra->is_array()) throw Error(ErrorCode::ConfigInvalid, "additional_special_tokens: expected a list", config_file);
    for (const auto& v : *extra)
      if (auto t = parse_token(v, config_file + ": additional_special_tokens")) cfg.additional_special_tokens.push_back(*t);
  } else if (cfg.family == TokenizerFamily::T5) {
    // T5TokenizerFast: extra_ids (100) sentinel tokens <extra_id_0> ... when none are given.
    int extra_ids = cfg.config.contains("extra_ids") && cfg.config["extra_ids"].is_number_integer() ? cfg.config["extra_ids"].get<int>() : 100;
    for (int i = 0; i < extra_ids; ++i) {
      AddedTokenSpec t;
      t.content = "<extra_id_" + std::to_string(i) + ">";
      cfg.additional_special_tokens.push_back(t);
    }
  }
  // added_tokens_decoder; without it (older configs) added_tokens.json, special
  // when it names a special token.
  if (cfg.config.contains("added_tokens_decoder") && cfg.config["added_tokens_decoder"].is_object()) {
    for (const auto& [key, v] : cfg.config["added_tokens_decoder"].items()) {
      std::uint32_t id = 0;
      try {
        std::size_t used = 0;
        unsigned long n = std::stoul(key, &used);
        if (used != key.size() || n > 0xFFFFFFFFul) throw std::invalid_argument(key);
        id = static_cast<std::uint32_t>(n);
      } catch (const std::exception&) {
        throw Error(ErrorCode::ConfigInvalid, "added_tokens_decoder: key \"" + key + "\" is not a token id", config_file);
      }
      auto t = parse_token(v, config_file + ": added_tokens_decoder." + key);
      if (t) cfg.added_tokens_decoder.emplace_back(id, *t);
    }
  } else if (path_exists(path_join(dir, "added_tokens.json"))) {
    const std::string file = path_join(dir, "added_tokens.json");
    OJson added = read_json_file(file);
    if (!added.is_object()) throw Error(ErrorCode::ConfigInvalid, "expected an object of token: id", file);
    for (const auto& [content, id] : added.items()) {
      if (!id.is_number_unsigned()) throw Error(ErrorCode::ConfigInvalid, "\"" + content + "\": expected a token id", file);
      bool special = false;
      for (const auto& [k, v] : cfg.specials) special = special || v.content == content;
      for (const auto& v : cfg.additional_special_tokens) special = special || v.content == content;
      AddedTokenSpec t;
      t.content = content;
      t.special = special;
      t.normalized = !special;
      cfg.added_tokens_decoder.emplace_back(id.get<std::uint32_t>(), t);
    }
  }
  std::stable_sort(cfg.added_tokens_decoder.begin(), cfg.added_tokens_decoder.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // A special token written as a string takes the AddedToken of the same content
  // from added_tokens_decoder (from_pretrained's added_tokens_map).
  for (auto& [k, v] : cfg.specials)
    for (const auto& [id, t] : cfg.added_tokens_decoder)
      if (t.content == v.content) v = t;
  return cfg;
}

void apply_tokenizer_config(Tokenizer& tok, const TokenizerConfig& cfg) {
  // PreTrainedTokenizerFast.__init__: added_tokens_decoder entries the backend
  // lacks (all attributes compared), then special tokens not yet added.
  std::vector<std::pair<std::uint32_t, AddedTokenSpec>> existing = tok.added_tokens();
  auto same = [](const AddedTokenSpec& a, const AddedTokenSpec& b) {
    return a.content == b.content && a.special == b.special && a.normalized.value_or(!a.special) == b.normalized.value_or(!b.special) &&
           a.lstrip == b.lstrip && a.rstrip == b.rstrip && a.single_word == b.single_word;
  };
  std::vector<AddedTokenSpec> to_add;
  for (const auto& entry : cfg.added_tokens_decoder) {
    const AddedTokenSpec& t = entry.second;
    bool present = std::any_of(existing.begin(), existing.end(), [&](const auto& e) { return same(e.second, t); });
    if (!present) to_add.push_back(t);
  }
  std::vector<std::string> all_special;  // all_special_tokens (strings)
  std::vector<AddedTokenSpec> extended;
  for (const auto& [k, v] : cfg.specials) extended.push_back(v);
  for (const auto& v : cfg.additional_special_tokens) extended.push_back(v);
  for (const auto& v : extended)
    if (std::find(all_special.begin(), all_special.end(), v.content) == all_special.end()) all_special.push_back(v.content);
  auto in = [](const std::vector<AddedTokenSpec>& list, const std::string& c) {
    return std::any_of(list.begin(), list.end(), [&](const AddedTokenSpec& t) { return t.content == c; });
  };
  std::vector<std::string> seen;
  for (const auto& v : extended) {
    if (std::find(seen.begin(), seen.end(), v.content) != seen.end()) continue;
    seen.push_back(v.content);
    bool in_encoder = std::any_of(existing.begin(), existing.end(), [&](const auto& e) { return e.second.content == v.content; });
    if (!in_encoder && !in(to_add, v.content)) to_add.push_back(v);
  }
  for (auto& t : to_add)
    t.special = t.special || std::find(all_special.begin(), all_special.end(), t.content) != all_special.end();
  if (!to_add.empty()) tok.add_token_specs(to_add);

  // LlamaTokenizerFast.update_post_processor: the template from add_bos_token / add_eos_token.
  if (cfg.family == TokenizerFamily::Llama) {
    bool add_bos = cfg.flag("add_bos_token").value_or(true), add_eos = cfg.flag("add_eos_token").value_or(false);
    auto bos = cfg.special("bos_token"), eos = cfg.special("eos_token");
    if ((add_bos && !bos) || (add_eos && !eos))
      throw Error(ErrorCode::ConfigInvalid, "add_bos_token/add_eos_token set but the token is None", cfg.config_path());
    auto piece = [](const std::string& t, int type) { return Json{{"SpecialToken", {{"id", t}, {"type_id", type}}}}; };
    auto seq = [](const char* s, int type) { return Json{{"Sequence", {{"id", s}, {"type_id", type}}}}; };
    Json single = Json::array(), pair = Json::array(), specials = Json::object();
    if (add_bos) single.push_back(piece(*bos, 0));
    single.push_back(seq("A", 0));
    if (add_eos) single.push_back(piece(*eos, 0));
    pair = single;
    if (add_bos) pair.push_back(piece(*bos, 1));
    pair.push_back(seq("B", 1));
    if (add_eos) pair.push_back(piece(*eos, 1));
    for (const auto& [use, t] : {std::pair{add_bos, bos}, std::pair{add_eos, eos}}) {
      if (!use) continue;
      auto id = tok.token_to_id(*t);
      if (!id) throw Error(ErrorCode::ConfigInvalid, "special token \"" + *t + "\" is not in the vocabulary", cfg.config_path());
      specials[*t] = Json{{"id", *t}, {"ids", {*id}}, {"tokens", {*t}}};
    }
    tok.set_post_processor(Json{{"type", "TemplateProcessing"}, {"single", single}, {"pair", pair}, {"special_tokens", specials}}.dump());
  }

  TokenizerSettings s;
  for (const auto& [k, v] : cfg.specials) s.special_tokens.emplace_back(k, v.content);
  for (const auto& v : cfg.additional_special_tokens) s.additional_special_tokens.push_back(v.content);
  const OJson& c = cfg.config;
  if (c.contains("model_max_length") && c["model_max_length"].is_number()) {
    double m = c["model_max_length"].get<double>();
    if (m >= 0 && m < 1.8e19) s.model_max_length = static_cast<std::uint64_t>(m);
  }
  if (c.contains("padding_side") && c["padding_side"].is_string()) s.padding_side = c["padding_side"].get<std::string>();
  else if (cfg.family == TokenizerFamily::Llama) s.padding_side = "left";  // LlamaTokenizerFast.padding_side
  if (s.padding_side != "left" && s.padding_side != "right")
    throw Error(ErrorCode::ConfigInvalid, "padding_side must be \"left\" or \"right\"", cfg.config_path());
  if (c.contains("truncation_side") && c["truncation_side"].is_string()) s.truncation_side = c["truncation_side"].get<std::string>();
  s.clean_up_tokenization_spaces = cfg.flag("clean_up_tokenization_spaces").value_or(false);
  s.config_json = c.dump();
  s.tokenizer_class = cfg.tokenizer_class;
  if (s.tokenizer_class.empty()) {
    static const char* names[] = {"PreTrainedTokenizerFast", "GPT2TokenizerFast", "BertTokenizerFast",
                                  "LlamaTokenizerFast", "T5TokenizerFast"};
    s.tokenizer_class = names[static_cast<int>(cfg.family)];
  }
  tok.set_settings(std::move(s));
}

}  // namespace lathe::text
