#include "text/unigram.h"

#include "core/error.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace lathe::text {

namespace {
constexpr double kUnkPenalty = 10.0;  // models/unigram/model.rs K_UNK_PENALTY
}

UnigramModel::UnigramModel(const Json& j, const std::string& where) {
  const Json& vocab = field(j, "vocab", where);
  if (!vocab.is_array()) config_error(where + ".vocab", "expected an array of [piece, score]");
  if (has_field(j, "unk_id")) {
    const Json& u = j.at("unk_id");
    if (!u.is_number_unsigned()) config_error(where + ".unk_id", "expected null or an integer");
    if (u.get<std::uint64_t>() >= vocab.size())
      config_error(where + ".unk_id", "unk_id is not in the vocabulary");
    unk_id_ = static_cast<std::uint32_t>(u.get<std::uint64_t>());
  }
  byte_fallback_ = get_bool_or(j, "byte_fallback", where, false);
  check_vocab_size(vocab.size(), where + ".vocab");
  pieces_.reserve(vocab.size());
  ids_.reserve(vocab.size());
  trie_.emplace_back();
  min_score_ = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    const Json& e = vocab[i];
    std::string at = where + ".vocab[" + std::to_string(i) + "]";
    if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_number())
      config_error(at, "expected [piece, score]");
    std::string piece = e[0].get<std::string>();
    double score = e[1].get<double>();
    if (!utf8_valid(piece)) config_error(at, "the piece is not valid UTF-8");
    auto id = static_cast<std::uint32_t>(i);
    ids_[piece] = id;  // a repeated piece: the last id wins, as in the crate's HashMap
    std::uint32_t node = 0;
    for (unsigned char c : piece) {
      auto it = trie_[node].next.find(c);
      if (it == trie_[node].next.end()) {
        trie_.emplace_back();
        auto n = static_cast<std::uint32_t>(trie_.size() - 1);
        trie_[node].next.emplace(c, n);
        node = n;
      } else {
        node = it->second;
      }
    }
    if (!piece.empty()) trie_[node].id = ids_[piece];
    if (score < min_score_) min_score_ = score;
    pieces_.emplace_back(std::move(piece), score);
  }
}

std::optional<std::uint32_t> UnigramModel::token_to_id(const std::string& token) const {
  auto it = ids_.find(token);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

const std::string* UnigramModel::id_to_token(std::uint32_t id) const {
  return id < pieces_.size() ? &pieces_[id].first : nullptr;
}

std::vector<std::string> UnigramModel::encode(std::string_view s) const {
  struct BestNode {
    std::uint32_t id = 0;
    double score = 0.0;
    std::ptrdiff_t starts_at = -1;
  };
  const double unk_score = min_score_ - kUnkPenalty;
  std::vector<BestNode> best(s.size() + 1);
  for (std::size_t start = 0; start < s.size();) {
    const double till_here = best[start].score;
    const std::size_t mblen = utf8_len(static_cast<unsigned char>(s[start]));
    bool has_single = false;
    std::uint32_t node = 0;
    for (std::size_t k = start; k < s.size(); ++k) {
      auto it = trie_[node].next.find(static_cast<unsigned char>(s[k]));
      if (it == trie_[node].next.end()) break;
      node = it->second;
      if (trie_[node].id < 0) continue;
      auto id = static_cast<std::uint32_t>(trie_[node].id);
      BestNode& target = best[k + 1];
      double cand = pieces_[id].second + till_here;
      if (target.starts_at < 0 || cand > target.score) target = {id, cand, static_cast<std::ptrdiff_t>(start)};
      if (k + 1 - start == mblen) has_single = true;
    }
    if (!has_single) {
      if (!unk_id_) throw Error(ErrorCode::InvalidArgument, "the text has a character the Unigram vocabulary lacks and the model has no unk_id", "model");
      BestNode& target = best[start + mblen];
      double cand = unk_score + till_here;
      if (target.starts_at < 0 || cand > target.score) target = {*unk_id_, cand, static_cast<std::ptrdiff_t>(start)};
    }
    start += mblen;
  }
  // Backtrack; consecutive unknown pieces are fused into one (fuse_unk is
  // always on for Unigram in the crate).
  std::vector<std::string> out;
  std::string unk_run;
  bool in_unk = false;
  for (std::size_t end = s.size(); end > 0;) {
    const BestNode& n = best[end];
    auto start = static_cast<std::size_t>(n.starts_at);
    std::string piece(s.substr(start, end - start));
    if (unk_id_ && n.id == *unk_id_) {
      unk_run.insert(0, piece);
      in_unk = true;
    } else {
      if (in_unk) out.push_back(std::move(unk_run));
      unk_run.clear();
      in_unk = false;
      out.push_back(std::move(piece));
    }
    end = start;
  }
  if (in_unk) out.push_back(std::move(unk_run));
  return {out.rbegin(), out.rend()};
}

std::vector<Token> UnigramModel::tokenize(std::string_view text) const {
  std::vector<Token> out;
  if (text.empty()) return out;
  std::size_t offset = 0;
  for (std::string& piece : encode(text)) {
    std::size_t len = piece.size();
    Offsets o{offset, offset + len};
    offset += len;
    auto it = ids_.find(piece);
    if (it != ids_.end()) {
      out.push_back({it->second, std::move(piece), o});
      continue;
    }
    if (byte_fallback_) {
      std::vector<Token> bytes;
      for (unsigned char b : piece) {
        char code[8];
        std::snprintf(code, sizeof code, "<0x%02X>", b);
        auto bt = ids_.find(code);
        if (bt == ids_.end()) break;
        bytes.push_back({bt->second, code, o});  // every byte token spans the whole piece
      }
      if (bytes.size() == len) {
        for (auto& t : bytes) out.push_back(std::move(t));
        continue;
      }
    }
    if (!unk_id_) throw Error(ErrorCode::InvalidArgument, "a piece is not in the Unigram vocabulary and the model has no unk_id", "model");
    out.push_back({*unk_id_, std::move(piece), o});  // the token keeps the text, as the crate's does
  }
  return out;
}

}  // namespace lathe::text
