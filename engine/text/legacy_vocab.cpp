// The legacy vocabulary files converted as transformers 4.47's
// convert_slow_tokenizer converts them: vocab.json + merges.txt
// (GPT2Converter) and vocab.txt (BertConverter), each into a tokenizer.json
// document for Tokenizer::from_json.
#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "text/tokenizer_config.h"

#include <set>
#include <sstream>
#include <unordered_map>

namespace lathe::text {

namespace {

// Python's str.split() (no argument): runs of whitespace separate, none kept.
std::vector<std::string> split_ws(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    std::size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// Python's text-mode reading: "\r\n" and a lone "\r" end lines as "\n" does.
std::string universal_newlines(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\r') out += s[i];
    else if (i + 1 < s.size() && s[i + 1] == '\n') continue;
    else out += '\n';
  }
  return out;
}

Json template_processing(const std::vector<std::pair<std::string, int>>& single,
                         const std::vector<std::pair<std::string, int>>& pair,
                         const std::vector<std::pair<std::string, std::uint32_t>>& specials) {
  auto pieces = [](const std::vector<std::pair<std::string, int>>& list) {
    Json out = Json::array();
    for (const auto& [name, type] : list) {
      if (name == "$A" || name == "$B") out.push_back(Json{{"Sequence", {{"id", name.substr(1)}, {"type_id", type}}}});
      else out.push_back(Json{{"SpecialToken", {{"id", name}, {"type_id", type}}}});
    }
    return out;
  };
  Json sp = Json::object();
  for (const auto& [t, id] : specials) sp[t] = Json{{"id", t}, {"ids", {id}}, {"tokens", {t}}};
  return Json{{"type", "TemplateProcessing"}, {"single", pieces(single)}, {"pair", pieces(pair)}, {"special_tokens", sp}};
}

}  // namespace

Json convert_gpt2_files(const TokenizerConfig& cfg) {
  const std::string vocab_file = path_join(cfg.dir, "vocab.json"), merges_file = path_join(cfg.dir, "merges.txt");
  if (!path_exists(merges_file))
    throw Error(ErrorCode::NotFound, "vocab.json needs merges.txt next to it (GPT-2-style BPE)", merges_file);
  // GPT2Tokenizer: encoder = json.load(vocab.json).
  Json vocab = parse_json_unordered(read_text_file(vocab_file), vocab_file, static_cast<int>(ErrorCode::ConfigInvalid));
  if (!vocab.is_object()) throw Error(ErrorCode::ConfigInvalid, "expected an object of token: id", vocab_file);
  for (const auto& [k, v] : vocab.items())
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 0xFFFFFFFFu)
      throw Error(ErrorCode::ConfigInvalid, "token \"" + k + "\": expected a non-negative integer id", vocab_file);
  // bpe_merges = merges.read().split("\n")[1:-1]; merge.split() each; dict keeps the first.
  std::string text = universal_newlines(read_text_file(merges_file));
  std::vector<std::string> lines;
  for (std::size_t start = 0;;) {
    std::size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  Json merges = Json::array();
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    std::vector<std::string> parts = split_ws(lines[i]);
    if (parts.size() != 2)
      throw Error(ErrorCode::ConfigInvalid, "line " + std::to_string(i + 1) + ": expected two tokens separated by a space", merges_file);
    if (!seen.insert({parts[0], parts[1]}).second) continue;
    merges.push_back(Json::array({parts[0], parts[1]}));
  }
  bool add_prefix_space = cfg.flag("add_prefix_space").value_or(false);
  Json doc = {{"version", "1.0"}, {"truncation", nullptr}, {"padding", nullptr}, {"added_tokens", Json::array()},
              {"normalizer", nullptr}};
  doc["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", add_prefix_space}, {"trim_offsets", true}, {"use_regex", true}};
  doc["decoder"] = {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}};
  auto bos = cfg.special("bos_token");
  if (cfg.flag("add_bos_token").value_or(false) && bos) {
    // bos_token_id: the slow tokenizer's convert_tokens_to_ids (vocab, else unk).
    std::optional<std::uint32_t> id;
    if (vocab.contains(*bos)) id = vocab[*bos].get<std::uint32_t>();
    else if (auto unk = cfg.special("unk_token"); unk && vocab.contains(*unk)) id = vocab[*unk].get<std::uint32_t>();
    if (!id) throw Error(ErrorCode::ConfigInvalid, "add_bos_token: \"" + *bos + "\" is not in the vocabulary", vocab_file);
    doc["post_processor"] = template_processing({{*bos, 0}, {"$A", 0}}, {{*bos, 0}, {"$A", 0}, {"$B", 1}}, {{*bos, *id}});
  } else {
    doc["post_processor"] = {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", false}, {"use_regex", true}};
  }
  doc["model"] = {{"type", "BPE"},           {"dropout", nullptr},         {"unk_token", nullptr},
                  {"continuing_subword_prefix", ""}, {"end_of_word_suffix", ""}, {"fuse_unk", false},
                  {"byte_fallback", false},  {"ignore_merges", false},     {"vocab", std::move(vocab)},
                  {"merges", std::move(merges)}};
  return doc;
}

Json convert_bert_files(const TokenizerConfig& cfg) {
  const std::string vocab_file = path_join(cfg.dir, "vocab.txt");
  // load_vocab: one token per line (rstrip("\n")), id = line number; a repeated token keeps the last.
  std::string text = universal_newlines(read_text_file(vocab_file));
  Json vocab = Json::object();
  std::uint32_t index = 0;
  for (std::size_t start = 0; start < text.size(); ++index) {
    std::size_t nl = text.find('\n', start);
    std::string token = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!utf8_valid(token)) throw Error(ErrorCode::ConfigInvalid, "line " + std::to_string(index + 1) + " is not UTF-8", vocab_file);
    vocab[token] = index;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  if (vocab.empty()) throw Error(ErrorCode::ConfigInvalid, "empty vocabulary", vocab_file);
  auto id_of = [&](const std::string& t) -> std::uint32_t {
    if (vocab.contains(t)) return vocab[t].get<std::uint32_t>();
    auto unk = cfg.special("unk_token");
    if (unk && vocab.contains(*unk)) return vocab[*unk].get<std::uint32_t>();
    throw Error(ErrorCode::ConfigInvalid, "special token \"" + t + "\" is not in the vocabulary", vocab_file);
  };
  std::string cls = cfg.special("cls_token").value_or("None"), sep = cfg.special("sep_token").value_or("None");
  std::string unk = cfg.special("unk_token").value_or("None");
  // BasicTokenizer(do_lower_case, never_split, tokenize_chinese_chars, strip_accents).
  Json strip_accents = nullptr;
  if (auto s = cfg.flag("strip_accents")) strip_accents = *s;
  Json doc = {{"version", "1.0"}, {"truncation", nullptr}, {"padding", nullptr}, {"added_tokens", Json::array()}};
  doc["normalizer"] = {{"type", "BertNormalizer"},
                       {"clean_text", true},
                       {"handle_chinese_chars", cfg.flag("tokenize_chinese_chars").value_or(true)},
                       {"strip_accents", strip_accents},
                       {"lowercase", cfg.flag("do_lower_case").value_or(true)}};
  doc["pre_tokenizer"] = {{"type", "BertPreTokenizer"}};
  doc["post_processor"] = template_processing({{cls, 0}, {"$A", 0}, {sep, 0}}, {{cls, 0}, {"$A", 0}, {sep, 0}, {"$B", 1}, {sep, 1}},
                                              {{cls, id_of(cls)}, {sep, id_of(sep)}});
  doc["decoder"] = {{"type", "WordPiece"}, {"prefix", "##"}, {"cleanup", true}};
  doc["model"] = {{"type", "WordPiece"},
                  {"unk_token", unk},
                  {"continuing_subword_prefix", "##"},
                  {"max_input_chars_per_word", 100},
                  {"vocab", std::move(vocab)}};
  return doc;
}

}  // namespace lathe::text
