#include "text/added_vocabulary.h"

#include <algorithm>

namespace lathe::text {

AddedVocabulary::AddedVocabulary(const Json& list, const std::string& where, const Normalizer* normalizer)
    : word_char_(std::make_unique<Regex>(R"(\w)", where)) {
  if (!list.is_null() && !list.is_array()) config_error(where, "expected an array");
  for (std::size_t i = 0; list.is_array() && i < list.size(); ++i) {
    std::string w = where + "[" + std::to_string(i) + "]";
    const Json& t = list[i];
    if (!t.is_object()) config_error(w, "expected an object");
    AddedToken a;
    a.id = get_u32(t, "id", w);
    a.content = get_string(t, "content", w);
    a.special = get_bool_or(t, "special", w, false);
    a.normalized = get_bool_or(t, "normalized", w, !a.special);
    a.lstrip = get_bool_or(t, "lstrip", w, false);
    a.rstrip = get_bool_or(t, "rstrip", w, false);
    a.single_word = get_bool_or(t, "single_word", w, false);
    if (a.content.empty()) config_error(w + ".content", "an added token cannot be empty");
    if (!utf8_valid(a.content)) config_error(w + ".content", "not valid UTF-8");
    by_id_[a.id] = a.content;
    by_content_[a.content] = a.id;
    if (a.special) special_.insert(a.content);
    tokens_.push_back(std::move(a));
  }
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    const AddedToken& a = tokens_[i];
    if (a.normalized && normalizer) {
      NormalizedPiece p = NormalizedPiece::from_original(a.content, 0, a.content.size());
      normalizer->normalize(p);
      if (!p.text.empty()) normalized_.patterns.emplace_back(p.text, i);
    } else {
      (a.normalized ? normalized_ : raw_).patterns.emplace_back(a.content, i);
    }
  }
  for (Matcher* m : {&raw_, &normalized_})
    std::stable_sort(m->patterns.begin(), m->patterns.end(),
                     [](const auto& x, const auto& y) { return x.first.size() > y.first.size(); });
}

const std::string* AddedVocabulary::id_to_token(std::uint32_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

std::optional<std::uint32_t> AddedVocabulary::token_to_id(const std::string& token) const {
  auto it = by_content_.find(token);
  if (it == by_content_.end()) return std::nullopt;
  return it->second;
}

void AddedVocabulary::split(const NormalizedPiece& piece, const Matcher& m, std::vector<NormalizedPiece>& out) const {
  const std::string& s = piece.text;
  if (m.empty() || s.empty()) {
    if (!s.empty()) out.push_back(piece);
    return;
  }
  auto is_word_at = [&](std::size_t i) {  // \w on the character at byte i
    std::size_t n = utf8_len(static_cast<unsigned char>(s[i]));
    auto m = word_char_->find_matches(std::string_view(s).substr(i, n));
    return !m.empty() && m[0].second;
  };
  auto ends_with_word = [&](std::size_t end) {
    if (end == 0) return false;
    std::size_t i = end - 1;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    return is_word_at(i);
  };
  std::size_t start_offset = 0;
  auto emit = [&](std::size_t b, std::size_t e, const AddedToken* tok) {
    NormalizedPiece p = piece.slice(b, e);
    if (tok) p.tokens = std::vector<Token>{{tok->id, tok->content, {0, e - b}}};
    out.push_back(std::move(p));
  };
  // Leftmost-longest, non-overlapping (aho-corasick MatchKind::LeftmostLongest).
  // Positions whose byte starts no pattern are skipped without comparing
  // (T5 has 100+ added tokens, all starting with '<').
  bool first_byte[256] = {};
  for (const auto& pat : m.patterns) first_byte[static_cast<unsigned char>(pat.first[0])] = true;
  for (std::size_t i = 0; i < s.size();) {
    if (!first_byte[static_cast<unsigned char>(s[i])]) { ++i; continue; }
    const std::pair<std::string, std::size_t>* hit = nullptr;
    for (const auto& pat : m.patterns)
      if (s.compare(i, pat.first.size(), pat.first) == 0) { hit = &pat; break; }
    if (!hit) { ++i; continue; }
    std::size_t start = i, stop = i + hit->first.size();
    i = stop;
    const AddedToken& tok = tokens_[hit->second];
    if (tok.single_word) {
      bool start_space = start == 0 || !ends_with_word(start);
      bool stop_space = stop == s.size() || !is_word_at(stop);
      if (!start_space || !stop_space) continue;
    }
    if (tok.lstrip) {
      std::size_t ns = start;
      while (ns > 0) {
        std::size_t k = ns - 1;
        while (k > 0 && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
        if (!is_unicode_whitespace(utf8_decode(s, k))) break;
        ns = k;
      }
      start = std::max(ns, start_offset);
    }
    if (tok.rstrip) {
      while (stop < s.size() && is_unicode_whitespace(utf8_decode(s, stop)))
        stop += utf8_len(static_cast<unsigned char>(s[stop]));
    }
    if (start_offset < start) emit(start_offset, start, nullptr);
    emit(start, stop, &tok);
    start_offset = stop;  // the search itself goes on after the match, as aho-corasick's find_iter
  }
  if (start_offset < s.size()) emit(start_offset, s.size(), nullptr);
}

std::vector<NormalizedPiece> AddedVocabulary::extract_and_normalize(std::string_view input,
                                                                    const Normalizer* normalizer) const {
  std::vector<NormalizedPiece> first, out;
  split(NormalizedPiece::from_original(input, 0, input.size()), raw_, first);
  for (auto& p : first) {
    if (p.tokens) {
      out.push_back(std::move(p));
      continue;
    }
    if (normalizer) normalizer->normalize(p);
    split(p, normalized_, out);
  }
  return out;
}

}  // namespace lathe::text
