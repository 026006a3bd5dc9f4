#include "text/normalizers.h"

#include "text/unicode_data.h"

#include <optional>

namespace lathe::text {

namespace {
template <class Keep>
void filter_chars(NormalizedPiece& piece, Keep keep) {
  // NormalizedString::filter: each kept char carries minus the number of
  // removed chars after it; removed chars at the start are the initial offset.
  CharChanges changes;
  changes.reserve(piece.text.size());
  int removed = 0;
  std::size_t removed_start = 0;
  std::optional<char32_t> last;
  const std::string& s = piece.text;
  for (std::size_t i = 0; i < s.size(); i += utf8_len(static_cast<unsigned char>(s[i]))) {
    char32_t c = utf8_decode(s, i);
    if (keep(c)) {
      if (last) changes.emplace_back(*last, -removed);
      else removed_start = static_cast<std::size_t>(removed);
      last = c;
      removed = 0;
    } else {
      ++removed;
    }
  }
  if (last) changes.emplace_back(*last, -removed);
  piece.transform(changes, last ? removed_start : static_cast<std::size_t>(removed));
}

void strip_piece(NormalizedPiece& piece, bool left, bool right) {
  const std::string& s = piece.text;
  std::vector<char32_t> cps;
  for (std::size_t i = 0; i < s.size(); i += utf8_len(static_cast<unsigned char>(s[i]))) cps.push_back(utf8_decode(s, i));
  std::size_t lead = 0, trail = 0;
  if (left)
    while (lead < cps.size() && is_unicode_whitespace(cps[lead])) ++lead;
  if (right)
    while (trail < cps.size() && is_unicode_whitespace(cps[cps.size() - 1 - trail])) ++trail;
  if (lead == 0 && trail == 0) return;
  CharChanges changes;
  for (std::size_t i = lead; i + trail < cps.size(); ++i) changes.emplace_back(cps[i], 0);
  piece.transform(changes, lead);
}

bool is_chinese_char(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}
// normalizers/bert.rs: \t \n \r count as whitespace, not as control characters.
bool bert_whitespace(char32_t c) { return c == '\t' || c == '\n' || c == '\r' || is_unicode_whitespace(c); }
bool bert_control(char32_t c) { return c != '\t' && c != '\n' && c != '\r' && is_other(c); }

void map_chars(NormalizedPiece& piece, char32_t (*f)(char32_t)) {
  CharChanges changes;
  const std::string& s = piece.text;
  for (std::size_t i = 0; i < s.size(); i += utf8_len(static_cast<unsigned char>(s[i])))
    changes.emplace_back(f(utf8_decode(s, i)), 0);
  piece.transform(changes);
}

bool optional_bool(const Json& j, const char* key, const std::string& where, std::optional<bool>& out) {
  if (!has_field(j, key)) return false;
  out = get_bool_or(j, key, where, false);
  return true;
}
}  // namespace

BertNormalizer::BertNormalizer(const Json& j, const std::string& where) {
  clean_text_ = get_bool_or(j, "clean_text", where, true);
  handle_chinese_chars_ = get_bool_or(j, "handle_chinese_chars", where, true);
  lowercase_ = get_bool_or(j, "lowercase", where, true);
  std::optional<bool> strip;
  optional_bool(j, "strip_accents", where, strip);
  strip_accents_ = strip.value_or(lowercase_);  // null follows lowercase, as the crate does
}

void BertNormalizer::normalize(NormalizedPiece& piece) const {
  if (clean_text_) {
    filter_chars(piece, [](char32_t c) { return !(c == 0 || c == 0xFFFD || bert_control(c)); });
    map_chars(piece, [](char32_t c) -> char32_t { return bert_whitespace(c) ? U' ' : c; });
  }
  if (handle_chinese_chars_) {
    CharChanges changes;
    const std::string& s = piece.text;
    for (std::size_t i = 0; i < s.size(); i += utf8_len(static_cast<unsigned char>(s[i]))) {
      char32_t c = utf8_decode(s, i);
      if (is_chinese_char(c)) {
        changes.emplace_back(U' ', 0);
        changes.emplace_back(c, 1);
        changes.emplace_back(U' ', 1);
      } else {
        changes.emplace_back(c, 0);
      }
    }
    piece.transform(changes);
  }
  if (strip_accents_) {
    piece.transform(normalize_changes(piece.text, false, false));
    filter_chars(piece, [](char32_t c) { return !is_mark_nonspacing(c); });
  }
  if (lowercase_) piece.transform(lowercase_changes(piece.text));
}

UnicodeNormalizer::UnicodeNormalizer(const Json& j, const std::string& where) {
  std::string type = get_string(j, "type", where);
  compat_ = type == "NFKC" || type == "NFKD";
  compose_ = type == "NFC" || type == "NFKC";
}

void UnicodeNormalizer::normalize(NormalizedPiece& piece) const {
  piece.transform(normalize_changes(piece.text, compat_, compose_));
}

void LowercaseNormalizer::normalize(NormalizedPiece& piece) const { piece.transform(lowercase_changes(piece.text)); }

void StripAccentsNormalizer::normalize(NormalizedPiece& piece) const {
  filter_chars(piece, [](char32_t c) { return !is_mark_nonspacing(c); });
}

StripNormalizer::StripNormalizer(const Json& j, const std::string& where) {
  left_ = get_bool_or(j, "strip_left", where, true);
  right_ = get_bool_or(j, "strip_right", where, true);
}

void StripNormalizer::normalize(NormalizedPiece& piece) const { strip_piece(piece, left_, right_); }

PrependNormalizer::PrependNormalizer(const Json& j, const std::string& where)
    : prepend_(get_string(j, "prepend", where)) {}

void PrependNormalizer::normalize(NormalizedPiece& piece) const {
  if (!piece.text.empty()) piece.prepend(prepend_);
}

ReplaceNormalizer::ReplaceNormalizer(const Json& j, const std::string& where) {
  const Json& pat = field(j, "pattern", where);
  if (pat.is_object() && pat.size() == 1 && pat.contains("String") && pat["String"].is_string())
    regex_ = std::make_unique<Regex>(regex_escape(pat["String"].get<std::string>()), where + ".pattern");
  else if (pat.is_object() && pat.size() == 1 && pat.contains("Regex") && pat["Regex"].is_string())
    regex_ = std::make_unique<Regex>(pat["Regex"].get<std::string>(), where + ".pattern");
  else
    config_error(where + ".pattern", "expected {\"String\": ...} or {\"Regex\": ...}");
  content_ = get_string(j, "content", where);
}

void ReplaceNormalizer::normalize(NormalizedPiece& piece) const {
  replace_matches(piece, regex_->find_matches(piece.text), content_);
}

SequenceNormalizer::SequenceNormalizer(const Json& j, const std::string& where) {
  const Json& list = field(j, "normalizers", where);
  if (!list.is_array()) config_error(where + ".normalizers", "expected an array");
  for (std::size_t i = 0; i < list.size(); ++i)
    parts_.push_back(make_normalizer(list[i], where + ".normalizers[" + std::to_string(i) + "]"));
}

void SequenceNormalizer::normalize(NormalizedPiece& piece) const {
  for (const auto& p : parts_) p->normalize(piece);
}

}  // namespace lathe::text
