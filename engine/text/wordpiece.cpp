#include "text/wordpiece.h"

#include "core/error.h"

#include <algorithm>

namespace lathe::text {

WordPieceModel::WordPieceModel(const Json& j, const std::string& where) {
  unk_token_ = get_string_or(j, "unk_token", where, "[UNK]");
  prefix_ = get_string_or(j, "continuing_subword_prefix", where, "##");
  if (has_field(j, "max_input_chars_per_word")) {
    const Json& m = j.at("max_input_chars_per_word");
    if (!m.is_number_unsigned()) config_error(where + ".max_input_chars_per_word", "expected a non-negative integer");
    max_chars_ = m.get<std::size_t>();
  }
  vocab_ = Vocab::from_json(j, where);
  for (const auto& [token, id] : vocab_.ids) max_token_bytes_ = std::max(max_token_bytes_, token.size());
  index_.build(vocab_.ids);
  tokens_.build(vocab_.tokens);
}

std::optional<std::uint32_t> WordPieceModel::token_to_id(const std::string& token) const { return vocab_.id_of(token); }

const std::string* WordPieceModel::id_to_token(std::uint32_t id) const { return tokens_.find(id); }

std::vector<Token> WordPieceModel::unknown(std::size_t len) const {
  auto it = vocab_.ids.find(unk_token_);
  if (it == vocab_.ids.end())
    throw Error(ErrorCode::InvalidArgument, "WordPiece needs its unk_token \"" + unk_token_ + "\", which is not in the vocabulary",
                "model.unk_token");
  return {Token{it->second, unk_token_, {0, len}}};
}

std::vector<Token> WordPieceModel::tokenize(std::string_view text) const {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); i += utf8_len(static_cast<unsigned char>(text[i]))) ++chars;
  if (chars > max_chars_) return unknown(text.size());
  std::vector<Token> out;
  thread_local std::string sub;
  for (std::size_t start = 0; start < text.size();) {
    // The crate tries every end from the word's end down; candidates longer
    // than the longest vocabulary entry cannot match, so start below them
    // (same result, and no quadratic work on long words).
    std::size_t end = text.size();
    std::size_t plen = start > 0 ? prefix_.size() : 0;
    std::size_t limit = start + (max_token_bytes_ > plen ? max_token_bytes_ - plen : 0);
    if (end > limit) {
      end = limit;
      while (end > start && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    }
    bool found = false;
    while (start < end) {
      // The first piece is looked up in place; later ones with the prefix.
      std::string_view cand = text.substr(start, end - start);
      if (start > 0) {
        sub.assign(prefix_);
        sub.append(cand);
        cand = sub;
      }
      if (const std::uint32_t* id = index_.find(cand)) {
        out.push_back({*id, std::string(cand), {start, end}});
        found = true;
        break;
      }
      // Drop the last character of the candidate.
      std::size_t k = end - 1;
      while (k > start && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) --k;
      end = k;
    }
    if (!found) return unknown(text.size());
    start = end;
  }
  return out;
}

WordPieceDecoder::WordPieceDecoder(const Json& j, const std::string& where) {
  prefix_ = get_string_or(j, "prefix", where, "##");
  cleanup_ = get_bool_or(j, "cleanup", where, true);
}

namespace {
void replace_all(std::string& s, std::string_view from, std::string_view to) {
  std::string out;
  std::size_t pos = 0;
  for (std::size_t at; (at = s.find(from, pos)) != std::string::npos; pos = at + from.size()) {
    out.append(s, pos, at - pos);
    out += to;
  }
  if (pos == 0) return;
  out.append(s, pos, std::string::npos);
  s = std::move(out);
}
}  // namespace

std::string wordpiece_cleanup(std::string s) {
  static const std::pair<const char*, const char*> kRules[] = {
      {" .", "."},   {" ?", "?"},   {" !", "!"},   {" ,", ","},   {" ' ", "'"},        {" n't", "n't"},
      {" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (const auto& [from, to] : kRules) replace_all(s, from, to);
  return s;
}

std::vector<std::string> WordPieceDecoder::decode_chain(std::vector<std::string> tokens) const {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::string& t = tokens[i];
    if (i != 0) {
      if (t.compare(0, prefix_.size(), prefix_) == 0) {
        // replacen(prefix, "", 1): the first occurrence, which is the start.
        t.erase(0, prefix_.size());
      } else {
        t.insert(0, " ");
      }
    }
    if (cleanup_) t = wordpiece_cleanup(std::move(t));
  }
  return tokens;
}

}  // namespace lathe::text
