#include "text/pre_tokenizers.h"

#include "text/unicode_data.h"

#include <algorithm>

namespace lathe::text {

namespace {
// The crate's Pattern for Fn(char) -> bool: every matching char is a match of
// its own, the runs between them are non-matches.
template <class Pred>
std::vector<std::pair<Offsets, bool>> char_matches(const std::string& s, Pred pred) {
  std::vector<std::pair<Offsets, bool>> m;
  std::size_t last = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = utf8_len(static_cast<unsigned char>(s[i]));
    if (pred(utf8_decode(s, i))) {
      if (last < i) m.push_back({{last, i}, false});
      m.push_back({{i, i + n}, true});
      last = i + n;
    }
    i += n;
  }
  if (last < s.size()) m.push_back({{last, s.size()}, false});
  return m;
}

template <class Pred>
void split_chars(std::vector<NormalizedPiece>& pieces, Pred pred, SplitBehavior behavior) {
  split_each(pieces, [&](NormalizedPiece& p, std::vector<NormalizedPiece>& out) {
    split_piece(p, char_matches(p.text, pred), behavior, out);
  });
}

bool is_bert_punc(char32_t c) {
  // Every ASCII char in P* is also ASCII punctuation: no table for ASCII.
  if (c < 0x80)
    return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
  return is_punctuation(c);
}

// Oniguruma's \w (Unicode): Alphabetic, marks, decimal digits, connector
// punctuation and Join_Control (UTS #18), spelled out for PCRE2.
const char* const kWordSet = R"(\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control})";
}  // namespace

void BertPreTokenizer::pre_tokenize(std::vector<NormalizedPiece>& pieces) const {
  // The crate splits on whitespace (removed), then on punctuation (isolated);
  // one pass gives the same pieces: runs between them, each punctuation char alone.
  split_each(pieces, [&](NormalizedPiece& p, std::vector<NormalizedPiece>& out) {
    const std::string& s = p.text;
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size();) {
      std::size_t n = std::min(utf8_len(static_cast<unsigned char>(s[i])), s.size() - i);
      char32_t c = utf8_decode(s, i);
      bool space = is_unicode_whitespace(c);
      if (space || is_bert_punc(c)) {
        if (run < i) out.push_back(p.slice(run, i));
        if (!space) out.push_back(p.slice(i, i + n));
        run = i + n;
      }
      i += n;
    }
    if (run < s.size()) out.push_back(p.slice(run, s.size()));
  }, pieces.size() + 16);
}

WhitespacePreTokenizer::WhitespacePreTokenizer(const Json&, const std::string& where) {
  std::string w = kWordSet;
  regex_ = std::make_unique<Regex>("[" + w + "]+|[^" + w + "\\s]+", where);
}

void WhitespacePreTokenizer::pre_tokenize(std::vector<NormalizedPiece>& pieces) const {
  split_each(pieces, [&](NormalizedPiece& p, std::vector<NormalizedPiece>& out) {
    auto matches = regex_->find_matches(p.text);
    for (auto& m : matches) m.second = !m.second;  // Invert: the matches are kept
    split_piece(p, std::move(matches), SplitBehavior::Removed, out);
  });
}

void WhitespaceSplitPreTokenizer::pre_tokenize(std::vector<NormalizedPiece>& pieces) const {
  split_chars(pieces, is_unicode_whitespace, SplitBehavior::Removed);
}

PunctuationPreTokenizer::PunctuationPreTokenizer(const Json& j, const std::string& where) {
  behavior_ = parse_split_behavior(get_string_or(j, "behavior", where, "Isolated"), where + ".behavior");
}

void PunctuationPreTokenizer::pre_tokenize(std::vector<NormalizedPiece>& pieces) const {
  split_chars(pieces, is_bert_punc, behavior_);
}

DigitsPreTokenizer::DigitsPreTokenizer(const Json& j, const std::string& where) {
  individual_ = get_bool_or(j, "individual_digits", where, false);
}

void DigitsPreTokenizer::pre_tokenize(std::vector<NormalizedPiece>& pieces) const {
  split_chars(pieces, is_numeric, individual_ ? SplitBehavior::Isolated : SplitBehavior::Contiguous);
}

CharDelimiterSplitPreTokenizer::CharDelimiterSplitPreTokenizer(const Json& j, const std::string& where) {
  std::string d = get_string(j, "delimiter", where);
  if (d.empty() || !utf8_valid(d) || utf8_len(static_cast<unsigned char>(d[0])) != d.size())
    config_error(where + ".delimiter", "expected a single character");
  delimiter_ = utf8_decode(d, 0);
}

void CharDelimiterSplitPreTokenizer::pre_tokenize(std::vector<NormalizedPiece>& pieces) const {
  char32_t d = delimiter_;
  split_chars(pieces, [d](char32_t c) { return c == d; }, SplitBehavior::Removed);
}

}  // namespace lathe::text
