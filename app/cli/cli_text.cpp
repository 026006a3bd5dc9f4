// Text inputs of lathe-cli (see cli_text.h).
#include "cli_text.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "hub/model_source.h"
#include "text/auto_tokenizer.h"
#include "text/padding.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

namespace lathe::cli {

Tokenizer tokenizer_of(const std::string& model) {
  std::string path = hub::resolve_model(model, hub::ModelNeed::Config);
  if (!is_directory(path)) return Tokenizer::from_file(path);
  return load_tokenizer(path);
}

Tokenizer tokenizer_beside(const std::string& model_path) {
  return load_tokenizer(is_directory(model_path) ? model_path : path_dirname(model_path));
}

namespace {

TextInput input_of_line(const std::string& line, const std::string& file, std::size_t n) {
  const std::string where = file + " line " + std::to_string(n);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception&) {
    throw UsageError(where + ": not JSON (each line is a JSON string or a [text, pair] array)");
  }
  if (j.is_string()) return {j.get<std::string>(), std::nullopt};
  if (j.is_array() && j.size() == 2 && j[0].is_string() && j[1].is_string())
    return {j[0].get<std::string>(), j[1].get<std::string>()};
  throw UsageError(where + ": expected a JSON string or a [text, pair] array of two strings");
}

}  // namespace

std::vector<TextInput> text_inputs(const Args& args) {
  const auto texts = args.values("--text");
  const auto pairs = args.values("--pair");
  const auto file = args.value("--texts-file");
  if (file && !texts.empty()) throw UsageError("give --text or --texts-file, not both");
  if (file && !pairs.empty()) throw UsageError("--pair goes with --text; in --texts-file write [text, pair] lines");
  std::vector<TextInput> out;
  if (file) {
    std::istringstream in(read_text_file(*file));
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) {
      ++n;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      out.push_back(input_of_line(line, *file, n));
    }
    if (out.empty()) throw UsageError(*file + " holds no texts (JSON Lines: one string or [text, pair] per line)");
    return out;
  }
  if (!pairs.empty() && pairs.size() != 1 && pairs.size() != texts.size())
    throw UsageError("give one --pair for all texts or one per --text (" + std::to_string(texts.size()) + ")");
  if (!pairs.empty() && texts.empty()) throw UsageError("--pair needs --text");
  for (std::size_t i = 0; i < texts.size(); ++i) {
    TextInput t{texts[i], std::nullopt};
    if (!pairs.empty()) t.pair = pairs[pairs.size() == 1 ? 0 : i];
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<TokenEncoding> encode_inputs(const Tokenizer& tok, const std::vector<TextInput>& inputs, bool special) {
  std::vector<TokenEncoding> out;
  out.reserve(inputs.size());
  for (const auto& in : inputs) out.push_back(in.pair ? tok.encode_pair(in.text, *in.pair, special) : tok.encode(in.text, special));
  return out;
}

TokenBatch token_batch(const Tokenizer& tok, const std::vector<TextInput>& inputs, bool with_type_ids) {
  std::vector<TokenEncoding> enc = encode_inputs(tok, inputs, true);
  std::size_t longest = 0;
  bool ragged = false;
  for (const auto& e : enc) {
    ragged = ragged || e.ids.size() != enc[0].ids.size();
    longest = std::max(longest, e.ids.size());
  }
  if (longest == 0) throw Error(ErrorCode::InvalidArgument, "the text gives no tokens (an empty text and no special tokens)");
  if (ragged) {  // transformers' enable_padding: the pad token on padding_side, type id 0
    const auto pad_id = tok.pad_token_id();
    if (!pad_id)
      throw Error(ErrorCode::InvalidArgument,
                  "the texts give different lengths and the tokenizer has no padding token (transformers: \"Asking to pad "
                  "but the tokenizer does not have a padding token\"); give texts of one length or one text at a time");
    PaddingParams params;
    params.pad_id = *pad_id;
    params.pad_token = tok.pad_token().value_or("");
    params.direction = tok.padding_side() == "left" ? PaddingDirection::Left : PaddingDirection::Right;
    text::pad_encodings(enc, params);
  }
  TokenBatch b;
  for (const auto& e : enc) {
    b.input_ids.emplace_back(e.ids.begin(), e.ids.end());
    b.attention_mask.emplace_back(e.attention_mask.begin(), e.attention_mask.end());
    if (with_type_ids) b.token_type_ids.emplace_back(e.type_ids.begin(), e.type_ids.end());
  }
  return b;
}

void set_forward_inputs(ForwardRequest& req, const Args& args, const std::string& model_dir, const std::string& command) {
  const auto file = args.value("--inputs");
  const auto texts = text_inputs(args);
  if (file && !texts.empty()) throw UsageError(command + ": give --inputs FILE or text (--text/--texts-file), not both");
  if (!file && texts.empty()) throw UsageError(command + " needs --inputs FILE or --text T (or --texts-file F)");
  if (file) {
    req.inputs_path = *file;
    req.inputs_prefix = args.value("--inputs-prefix").value_or("");
    return;
  }
  const Tokenizer tok = tokenizer_beside(model_dir);
  req.batch = token_batch(tok, texts, tokenizer_returns_type_ids(tok, model_dir));
}

bool tokenizer_returns_type_ids(const Tokenizer& tok, const std::string& model_dir) {
  // model_input_names: PreTrainedTokenizerBase's default has token_type_ids;
  // the GPT-2, Llama, BLOOM, Qwen2, T5, RoBERTa, ... tokenizers drop them.
  std::string cls = tok.settings().tokenizer_class;
  if (cls.empty()) {
    const std::string cfg = path_join(model_dir, "config.json");
    if (path_exists(cfg)) {
      auto j = parse_json(read_text_file(cfg), cfg, static_cast<int>(ErrorCode::ConfigInvalid));
      if (j.is_object() && j.value("model_type", "") == "bert") return true;
    }
    return false;
  }
  return cls.rfind("Bert", 0) == 0;  // BertTokenizer(Fast), BertJapaneseTokenizer
}

}  // namespace lathe::cli
