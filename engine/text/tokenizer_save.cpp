// Tokenizer::save: tokenizer.json, tokenizer_config.json and
// special_tokens_map.json as transformers 4.47's fast save_pretrained writes
// them (PreTrainedTokenizerBase.save_pretrained + _save_pretrained).
#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "text/tokenizer_config.h"
#include "text/tokenizer_impl.h"

#include <algorithm>
#include <map>

namespace lathe {

using text::Json;
using OJson = nlohmann::ordered_json;

namespace {
// transformers' VERY_LARGE_INTEGER (int(1e30)), the model_max_length of a
// tokenizer that sets none; too large for a JSON integer here, written as text.
const char* const kVeryLargeInteger = "1000000000000000019884624838656";
const char* const kVeryLargePlaceholder = "@@LATHE_VERY_LARGE_INTEGER@@";

OJson token_state(const AddedTokenSpec& t, bool with_special) {
  OJson o = {{"content", t.content},
             {"lstrip", t.lstrip},
             {"normalized", t.normalized.value_or(!t.special)},
             {"rstrip", t.rstrip},
             {"single_word", t.single_word}};
  if (with_special) o["special"] = t.special;
  return o;
}
}  // namespace

void Tokenizer::save(const std::string& dir) const {
  if (!is_directory(dir)) throw Error(ErrorCode::Io, "not a folder", dir);
  // tokenizer.json: the document with the current added tokens (the Rust
  // library's AddedTokenWithId order of fields does not matter to readers).
  Json doc = *impl_->doc;
  Json added = Json::array();
  for (const auto& [id, t] : added_tokens())
    added.push_back(Json{{"id", id}, {"content", t.content}, {"single_word", t.single_word}, {"lstrip", t.lstrip},
                         {"rstrip", t.rstrip}, {"normalized", t.normalized.value_or(!t.special)}, {"special", t.special}});
  doc["added_tokens"] = std::move(added);
  write_text_file_atomic(path_join(dir, "tokenizer.json"), doc.dump(2, ' ', false) + "\n");
  text::write_tokenizer_config(*this, dir);
}

namespace text {

void write_tokenizer_config(const Tokenizer& tok, const std::string& dir) {
  const TokenizerSettings& s = tok.settings();
  OJson config = parse_json(s.config_json, "tokenizer_config.json", static_cast<int>(ErrorCode::ConfigInvalid));
  if (!config.is_object()) config = OJson::object();
  std::map<std::string, AddedTokenSpec> added_by_content;
  std::vector<std::pair<std::uint32_t, AddedTokenSpec>> added = tok.added_tokens();
  for (const auto& [id, t] : added) added_by_content[t.content] = t;
  // A special token is an AddedToken in special_tokens_map_extended when the
  // config gave it as one or added_tokens_decoder holds it (from_pretrained's
  // added_tokens_map); otherwise a plain string.
  bool has_decoder = config.contains("added_tokens_decoder");
  OJson special_map = OJson::object();
  for (const auto& [name, content] : s.special_tokens) {
    auto it = added_by_content.find(content);
    bool as_token = it != added_by_content.end() && (has_decoder || (config.contains(name) && config[name].is_object()));
    special_map[name] = as_token ? token_state(it->second, false) : OJson(content);
    config[name] = content;  // tokenizer_config holds special_tokens_map (strings)
  }
  if (!s.additional_special_tokens.empty()) {
    OJson list = OJson::array(), strings = OJson::array();
    for (const auto& c : s.additional_special_tokens) {
      auto it = added_by_content.find(c);
      list.push_back(it != added_by_content.end() && has_decoder ? token_state(it->second, false) : OJson(c));
      strings.push_back(c);
    }
    special_map["additional_special_tokens"] = list;
    config["additional_special_tokens"] = strings;
  } else {
    config["additional_special_tokens"] = OJson::array();
  }
  config["clean_up_tokenization_spaces"] = s.clean_up_tokenization_spaces;
  if (s.model_max_length) config["model_max_length"] = *s.model_max_length;
  else config["model_max_length"] = kVeryLargePlaceholder;
  for (const char* private_key : {"name_or_path", "special_tokens_map_file", "tokenizer_file", "vocab_file", "merges_file"})
    config.erase(private_key);
  OJson decoder = OJson::object();  // by id: numeric order, as json.dumps sorts int keys
  for (const auto& [id, t] : added) decoder[std::to_string(id)] = token_state(t, true);
  config.erase("added_tokens_decoder");
  std::string cls = s.tokenizer_class.empty() ? "PreTrainedTokenizerFast" : s.tokenizer_class;
  if (cls.size() > 4 && cls.compare(cls.size() - 4, 4, "Fast") == 0 && cls != "PreTrainedTokenizerFast") cls.resize(cls.size() - 4);
  config["tokenizer_class"] = cls;
  // json.dumps(indent=2, sort_keys=True): every object sorted, except that the
  // decoder's integer keys sort as numbers.
  OJson sorted = OJson::object();
  std::vector<std::string> keys;
  for (const auto& [k, v] : config.items()) keys.push_back(k);
  keys.push_back("added_tokens_decoder");
  std::sort(keys.begin(), keys.end());
  std::string text = "{";
  bool first = true;
  for (const auto& k : keys) {
    std::string value;
    if (k == "added_tokens_decoder") {
      value = "{";
      bool f2 = true;
      for (const auto& [id, v] : decoder.items()) {
        value += std::string(f2 ? "" : ",") + "\n    ";
        append_json_string(value, id, false);
        std::string inner = dump_python_json(v, true, 2);
        while (!inner.empty() && inner.back() == '\n') inner.pop_back();
        std::string indented;  // nest the 2-space dump one level deeper
        for (char ch : inner) {
          indented += ch;
          if (ch == '\n') indented += "    ";
        }
        value += ": " + indented;
        f2 = false;
      }
      value += decoder.empty() ? "}" : "\n  }";
    } else {
      value = dump_python_json(config[k], true, 2);
      while (!value.empty() && value.back() == '\n') value.pop_back();
      std::string indented;
      for (char ch : value) {
        indented += ch;
        if (ch == '\n') indented += "  ";
      }
      value = indented;
    }
    text += std::string(first ? "" : ",") + "\n  ";
    append_json_string(text, k, false);
    text += ": " + value;
    first = false;
  }
  text += "\n}\n";
  std::string quoted = std::string("\"") + kVeryLargePlaceholder + "\"";
  if (auto pos = text.find(quoted); pos != std::string::npos) text.replace(pos, quoted.size(), kVeryLargeInteger);
  write_text_file_atomic(path_join(dir, "tokenizer_config.json"), text);
  write_text_file_atomic(path_join(dir, "special_tokens_map.json"), dump_python_json(special_map, true, 2));
}

}  // namespace text
}  // namespace lathe
