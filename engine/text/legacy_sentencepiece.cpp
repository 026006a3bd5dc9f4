// A SentencePiece tokenizer.model converted as transformers 4.47's
// convert_slow_tokenizer converts it: LlamaConverter (BPE with byte fallback,
// merges generated from the vocabulary by score as SentencePieceExtractor
// does) and SpmConverter / T5Converter (Unigram, Precompiled normalizer,
// Metaspace). The ModelProto is read with a small protobuf wire-format reader
// rather than libsentencepiece: Debian's libsentencepiece.so exports the
// protobuf-lite it embeds, which interposes libprotobuf's symbols and crashes
// any process that also loads LibTorch at start-up (docs/text.md). The tests
// compare with libsentencepiece in a separate process (tests/engine/spm_oracle.cpp).
#include "core/error.h"
#include "core/file_util.h"
#include "text/precompiled.h"
#include "text/tokenizer_config.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>

namespace lathe::text {

namespace {

struct SpmPiece {
  std::string piece;
  float score = 0;
  int type = 1;  // NORMAL=1 UNKNOWN=2 CONTROL=3 USER_DEFINED=4 UNUSED=5 BYTE=6
};

struct SpmModel {
  std::vector<SpmPiece> pieces;
  int model_type = 1;  // UNIGRAM=1 BPE=2 WORD=3 CHAR=4
  bool byte_fallback = false;
  int unk_id = 0;
  std::string unk_piece = "<unk>";
  std::string precompiled_charsmap;
  bool add_dummy_prefix = true;
};

// Protobuf wire format: just what ModelProto needs (varint, fixed32/64, bytes).
class Wire {
 public:
  Wire(std::string_view s, const std::string& file) : p_(s.data()), end_(s.data() + s.size()), file_(file) {}
  bool next(std::uint32_t& field, int& wire_type) {
    if (p_ == end_) return false;
    std::uint64_t key = varint();
    field = static_cast<std::uint32_t>(key >> 3);
    wire_type = static_cast<int>(key & 7);
    return true;
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) bad();
      auto b = static_cast<unsigned char>(*p_++);
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    bad();
  }
  std::string_view bytes() {
    std::uint64_t n = varint();
    if (n > static_cast<std::uint64_t>(end_ - p_)) bad();
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  float fixed32_float() {
    if (end_ - p_ < 4) bad();
    float f;
    std::memcpy(&f, p_, 4);  // little-endian on the platforms Lathe builds for
    p_ += 4;
    return f;
  }
  void skip(int wire_type) {
    if (wire_type == 0) varint();
    else if (wire_type == 1) advance(8);
    else if (wire_type == 2) bytes();
    else if (wire_type == 5) advance(4);
    else bad();
  }

 private:
  void advance(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) bad();
    p_ += n;
  }
  [[noreturn]] void bad() const { throw Error(ErrorCode::CorruptFile, "malformed SentencePiece model", file_); }
  const char* p_;
  const char* end_;
  const std::string& file_;
};

SpmModel read_model(const std::string& file) {
  const std::string serialized = read_text_file(file);
  SpmModel m;
  Wire w(serialized, file);
  std::uint32_t field;
  int wt;
  while (w.next(field, wt)) {
    if (wt != 2) {
      w.skip(wt);
      continue;
    }
    std::string_view body = w.bytes();
    Wire sub(body, file);
    std::uint32_t f;
    int t;
    if (field == 1) {  // pieces
      SpmPiece p;
      while (sub.next(f, t)) {
        if (f == 1 && t == 2) p.piece = std::string(sub.bytes());
        else if (f == 2 && t == 5) p.score = sub.fixed32_float();
        else if (f == 3 && t == 0) p.type = static_cast<int>(sub.varint());
        else sub.skip(t);
      }
      m.pieces.push_back(std::move(p));
    } else if (field == 2) {  // trainer_spec
      while (sub.next(f, t)) {
        if (f == 3 && t == 0) m.model_type = static_cast<int>(sub.varint());
        else if (f == 35 && t == 0) m.byte_fallback = sub.varint() != 0;
        else if (f == 40 && t == 0) m.unk_id = static_cast<int>(static_cast<std::int32_t>(sub.varint()));
        else if (f == 45 && t == 2) m.unk_piece = std::string(sub.bytes());
        else sub.skip(t);
      }
    } else if (field == 3) {  // normalizer_spec
      while (sub.next(f, t)) {
        if (f == 2 && t == 2) m.precompiled_charsmap = std::string(sub.bytes());
        else if (f == 3 && t == 0) m.add_dummy_prefix = sub.varint() != 0;
        else sub.skip(t);
      }
    }
  }
  // What libsentencepiece's model loader insists on.
  if (m.pieces.empty()) throw Error(ErrorCode::CorruptFile, "not a SentencePiece model (no pieces)", file);
  std::unordered_map<std::string, std::size_t> seen;
  std::size_t unknowns = 0;
  for (std::size_t i = 0; i < m.pieces.size(); ++i) {
    const SpmPiece& p = m.pieces[i];
    if (p.piece.empty()) throw Error(ErrorCode::CorruptFile, "piece " + std::to_string(i) + " is empty", file);
    if (!utf8_valid(p.piece)) throw Error(ErrorCode::CorruptFile, "piece " + std::to_string(i) + " is not valid UTF-8", file);
    if (p.type < 1 || p.type > 6) throw Error(ErrorCode::CorruptFile, "piece " + std::to_string(i) + " has an unknown type", file);
    if (!seen.emplace(p.piece, i).second)
      throw Error(ErrorCode::CorruptFile, "piece \"" + p.piece + "\" is defined twice", file);
    if (p.type == 2) ++unknowns;
  }
  if (unknowns != 1 || m.unk_id < 0 || static_cast<std::size_t>(m.unk_id) >= m.pieces.size() || m.pieces[m.unk_id].type != 2)
    throw Error(ErrorCode::CorruptFile, "not a SentencePiece model (no unknown piece at unk_id)", file);
  return m;
}

std::string base64_encode(std::string_view in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    std::uint32_t v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                      static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += k[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    std::uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    out += k[(v >> 18) & 63];
    out += k[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    std::uint32_t v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += k[(v >> 18) & 63];
    out += k[(v >> 12) & 63];
    out += k[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// Python's merge[:index] splits by code point.
std::vector<std::size_t> char_boundaries(const std::string& s) {
  std::vector<std::size_t> b;
  for (std::size_t i = 0; i < s.size(); i += utf8_len(static_cast<unsigned char>(s[i]))) b.push_back(i);
  return b;
}

// transformers' generate_merges(vocab, vocab_scores): for every piece (in
// vocab_scores order, a repeated piece at its first place with its last
// score), each split into two pieces of `vocab`, ordered by the pieces' ids;
// then all of them by score, descending (then by the lengths of the two parts,
// descending), stably.
Json generate_merges(const std::unordered_map<std::string, std::uint32_t>& vocab,
                     const std::vector<std::pair<std::string, double>>& vocab_scores) {
  std::vector<std::pair<std::string, double>> ordered;
  std::unordered_map<std::string, std::size_t> at;
  for (const auto& [piece, score] : vocab_scores) {
    auto it = at.find(piece);
    if (it == at.end()) {
      at[piece] = ordered.size();
      ordered.emplace_back(piece, score);
    } else {
      ordered[it->second].second = score;
    }
  }
  struct Merge {
    std::string l, r;
    double score;
  };
  std::vector<Merge> merges;
  for (const auto& [piece, score] : ordered) {
    std::vector<std::size_t> b = char_boundaries(piece);
    std::vector<Merge> local;
    for (std::size_t k = 1; k < b.size(); ++k) {
      std::string l = piece.substr(0, b[k]), r = piece.substr(b[k]);
      if (vocab.count(l) && vocab.count(r)) local.push_back({l, r, score});
    }
    std::stable_sort(local.begin(), local.end(), [&](const Merge& x, const Merge& y) {
      return std::pair(vocab.at(x.l), vocab.at(x.r)) < std::pair(vocab.at(y.l), vocab.at(y.r));
    });
    for (auto& m : local) merges.push_back(std::move(m));
  }
  // sorted(key=score, reverse=True) keeps equal keys in order (4.47; later
  // versions also sort by the parts' lengths).
  std::stable_sort(merges.begin(), merges.end(), [](const Merge& x, const Merge& y) { return x.score > y.score; });
  Json out = Json::array();
  for (const auto& m : merges) out.push_back(Json::array({m.l, m.r}));
  return out;
}

// _get_prepend_scheme(add_prefix_space, original_tokenizer).
const char* prepend_scheme(bool add_prefix_space, bool legacy) {
  if (!add_prefix_space) return "never";
  return legacy ? "always" : "first";
}

}  // namespace

Json convert_sentencepiece_file(const TokenizerConfig& cfg, const std::string& file) {
  SpmModel m = read_model(file);
  if (m.model_type != 1 && m.model_type != 2)
    throw Error(ErrorCode::Unsupported,
                std::string("SentencePiece ") + (m.model_type == 3 ? "WORD" : m.model_type == 4 ? "CHAR" : "unknown") +
                    " models are not supported (only Unigram and BPE)",
                file);
  const bool llama = cfg.family == TokenizerFamily::Llama;
  const bool t5 = cfg.family == TokenizerFamily::T5;
  const bool legacy = cfg.flag("legacy").value_or(true);
  // add_prefix_space: the slow classes default to True; null is taken as unset
  // (docs/text.md, "Legacy files").
  const bool add_prefix_space = cfg.flag("add_prefix_space").value_or(true);

  // The converter's vocab(proto).
  std::vector<std::pair<std::string, double>> vocab_scores;
  for (std::size_t i = 0; i < m.pieces.size(); ++i) {
    std::string piece = m.pieces[i].piece;
    double score = m.pieces[i].score;
    if (llama && i < 3) {  // convert_ids_to_tokens(i) of the slow tokenizer, score 0
      for (const auto& [id, t] : cfg.added_tokens_decoder)
        if (id == i) piece = t.content;
      score = 0.0;
    }
    vocab_scores.emplace_back(piece, score);
  }
  if (t5) {
    int extra = cfg.config.contains("extra_ids") && cfg.config["extra_ids"].is_number_integer() ? cfg.config["extra_ids"].get<int>() : 100;
    for (int i = extra - 1; i >= 0; --i) vocab_scores.emplace_back("<extra_id_" + std::to_string(i) + ">", 0.0);
  }

  Json doc = {{"version", "1.0"}, {"truncation", nullptr}, {"padding", nullptr}};
  if (m.model_type == 1) {
    Json vocab = Json::array();
    for (const auto& [p, s] : vocab_scores) vocab.push_back(Json::array({p, s}));
    int unk_id = llama ? 0 : m.unk_id;
    doc["model"] = {{"type", "Unigram"}, {"unk_id", unk_id}, {"vocab", std::move(vocab)}, {"byte_fallback", llama}};
  } else {
    std::unordered_map<std::string, std::uint32_t> sp_vocab;  // {sp.id_to_piece(i): i}
    for (std::size_t i = 0; i < m.pieces.size(); ++i) sp_vocab[m.pieces[i].piece] = static_cast<std::uint32_t>(i);
    Json bpe_vocab = Json::object();
    for (std::size_t i = 0; i < vocab_scores.size(); ++i) bpe_vocab[vocab_scores[i].first] = i;
    doc["model"] = {{"type", "BPE"},          {"dropout", nullptr},   {"unk_token", m.unk_piece},
                    {"continuing_subword_prefix", nullptr}, {"end_of_word_suffix", nullptr}, {"fuse_unk", true},
                    {"byte_fallback", llama}, {"ignore_merges", false}, {"vocab", std::move(bpe_vocab)},
                    {"merges", generate_merges(sp_vocab, vocab_scores)}};
  }
  // CONTROL (special) and USER_DEFINED pieces become added tokens, by id.
  Json added = Json::array();
  for (std::size_t i = 0; i < m.pieces.size(); ++i) {
    int type = m.pieces[i].type;
    if (type != 3 && type != 4) continue;
    added.push_back(Json{{"id", i}, {"content", m.pieces[i].piece}, {"single_word", false}, {"lstrip", false},
                         {"rstrip", false}, {"normalized", false}, {"special", type == 3}});
  }
  doc["added_tokens"] = std::move(added);

  const Json replace_space = {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "\xE2\x96\x81"}};
  if (llama) {
    if (legacy) {
      Json seq = Json::array();
      if (add_prefix_space) seq.push_back(Json{{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}});
      seq.push_back(replace_space);
      doc["normalizer"] = {{"type", "Sequence"}, {"normalizers", seq}};
      doc["pre_tokenizer"] = nullptr;
    } else {
      doc["normalizer"] = nullptr;
      doc["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"},
                              {"prepend_scheme", prepend_scheme(add_prefix_space, legacy)}, {"split", false}};
    }
    Json dec = Json::array({Json{{"type", "Replace"}, {"pattern", {{"String", "\xE2\x96\x81"}}}, {"content", " "}},
                            Json{{"type", "ByteFallback"}}, Json{{"type", "Fuse"}}});
    if (add_prefix_space) dec.push_back(Json{{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}});
    doc["decoder"] = {{"type", "Sequence"}, {"decoders", dec}};
    doc["post_processor"] = nullptr;  // LlamaTokenizerFast.update_post_processor sets it
  } else {
    Json seq = Json::array();
    if (!m.precompiled_charsmap.empty())
      seq.push_back(Json{{"type", "Precompiled"}, {"precompiled_charsmap", base64_encode(m.precompiled_charsmap)}});
    seq.push_back(Json{{"type", "Strip"}, {"strip_left", false}, {"strip_right", true}});
    seq.push_back(Json{{"type", "Replace"}, {"pattern", {{"Regex", " {2,}"}}}, {"content", "\xE2\x96\x81"}});
    doc["normalizer"] = {{"type", "Sequence"}, {"normalizers", seq}};
    Json meta = {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"},
                 {"prepend_scheme", prepend_scheme(add_prefix_space, legacy)}, {"split", true}};
    doc["pre_tokenizer"] = meta;
    doc["decoder"] = meta;
    doc["post_processor"] = nullptr;
    if (t5) {
      std::optional<std::size_t> eos;
      for (std::size_t i = 0; i < vocab_scores.size(); ++i)
        if (vocab_scores[i].first == "</s>") eos = i;
      if (!eos) throw Error(ErrorCode::ConfigInvalid, "T5: \"</s>\" is not in the vocabulary", file);
      auto piece = [](const char* id, bool special) {
        return special ? Json{{"SpecialToken", {{"id", id}, {"type_id", 0}}}} : Json{{"Sequence", {{"id", id}, {"type_id", 0}}}};
      };
      doc["post_processor"] = {
          {"type", "TemplateProcessing"},
          {"single", {piece("A", false), piece("</s>", true)}},
          {"pair", {piece("A", false), piece("</s>", true), piece("B", false), piece("</s>", true)}},
          {"special_tokens", {{"</s>", {{"id", "</s>"}, {"ids", {*eos}}, {"tokens", {"</s>"}}}}}}};
    }
  }
  return doc;
}

}  // namespace lathe::text
