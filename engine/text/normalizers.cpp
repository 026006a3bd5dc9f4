#include "text/normalizers.h"

#include "text/byte_level.h"
#include "text/unicode_data.h"

#include <utf8proc.h>

#include <mutex>
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

// What the BERT steps do to one BMP char, whatever its neighbours, when that
// char is a starter afterwards (canonical reordering never crosses it): kept
// (as its lower case), a space, or a Chinese char padded with spaces. Removed
// chars are not: their neighbours meet, so they go through the general steps.
// kBertBase: NFD gives a stable starter and Mn marks only, which the accent
// filter drops (é -> e); inline only before a char of another inline kind,
// so that the dropped marks meet no mark of the next char.
enum BertCharKind : std::uint8_t { kBertGeneral, kBertKeep, kBertSpace, kBertChinese, kBertBase };

const std::uint8_t* BertNormalizer::char_kinds() const {
  std::call_once(kinds_once_, [this] {
    kinds_.assign(0x10000, kBertGeneral);
    bases_.assign(0x10000, 0);
    for (char32_t c = 0x80; c < 0x10000; ++c) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      if (clean_text_ && (c == 0xFFFD || bert_control(c))) continue;  // removed
      if (clean_text_ && bert_whitespace(c)) {
        kinds_[c] = kBertSpace;
        continue;
      }
      // After this char's own steps it must be one starter with no canonical
      // decomposition that is not Mn (so NFD and the accent filter leave it).
      auto stable = [&](char32_t x) {
        if (!strip_accents_) return true;
        utf8proc_int32_t buf[4];
        int last = 0;
        auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(x), buf, 4, UTF8PROC_DECOMPOSE, &last);
        return n == 1 && buf[0] == static_cast<utf8proc_int32_t>(x) &&
               utf8proc_get_property(static_cast<utf8proc_int32_t>(x))->combining_class == 0 && !is_mark_nonspacing(x);
      };
      auto lower = [&](char32_t x) -> char32_t {
        return lowercase_ ? static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(x))) : x;
      };
      if (c == 0x130) continue;  // lower-cases to two chars
      if (handle_chinese_chars_ && is_chinese_char(c)) {
        if (stable(c) && lower(c) == c) kinds_[c] = kBertChinese;
        continue;
      }
      // Lower case after NFD: the lower-cased char must itself be stable too.
      if (stable(c) && lower(c) >= 0x80 && stable(lower(c)) && !(lower(c) < 0x10000 && is_chinese_char(lower(c)))) {
        kinds_[c] = kBertKeep;
        continue;
      }
      if (!strip_accents_) continue;
      utf8proc_int32_t buf[8];
      int last = 0;
      auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), buf, 8, UTF8PROC_DECOMPOSE, &last);
      if (n < 2 || n > 8 || buf[0] < 0 || buf[0] >= 0x10000) continue;
      auto base = static_cast<char32_t>(buf[0]);
      bool marks = true;
      for (int k = 1; k < n; ++k) marks = marks && is_mark_nonspacing(static_cast<char32_t>(buf[k]));
      if (marks && base != 0x130 && stable(base)) {
        kinds_[c] = kBertBase;
        bases_[c] = static_cast<char16_t>(base);
      }
    }
  });
  return kinds_.data();
}

void BertNormalizer::normalize(NormalizedPiece& piece) const {
  // Every step maps an ASCII char to at most one ASCII char, aligned to itself,
  // whatever its neighbours (ASCII chars are NFD starters: canonical reordering
  // never crosses them; no insertion ever starts a run of other chars): ASCII
  // runs are rewritten in place, and so are the BMP chars char_kinds() knows;
  // only runs of other chars (and removed ones) go through the general steps.
  const std::string& s = piece.text;
  auto ascii_out = [&](unsigned char c) -> int {  // -1: removed
    if (clean_text_) {
      if (c == '\t' || c == '\n' || c == '\r' || c == ' ') return ' ';
      if (c < 0x20 || c == 0x7F) return -1;  // Cc (0 too), and 0x0B/0x0C are controls before whitespace
    }
    if (lowercase_ && c >= 'A' && c <= 'Z') return c + ('a' - 'A');
    return c;
  };
  std::size_t first_non_ascii = 0;
  while (first_non_ascii < s.size() && static_cast<unsigned char>(s[first_non_ascii]) < 0x80) ++first_non_ascii;
  if (first_non_ascii == s.size()) {
    bool removes = false;
    for (unsigned char c : s) removes = removes || ascii_out(c) < 0;
    if (!removes) {
      for (char& c : piece.text) c = static_cast<char>(ascii_out(static_cast<unsigned char>(c)));
      return;
    }
  }
  const std::uint8_t* kinds = char_kinds();
  // The kind of the char at byte i (ASCII: kept or general when removed).
  auto kind_at = [&](std::size_t i, char32_t& c) -> std::uint8_t {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      c = b;
      return ascii_out(b) < 0 ? kBertGeneral : kBertKeep;
    }
    c = utf8_decode(s, i);
    std::uint8_t k = c < 0x10000 ? kinds[c] : static_cast<std::uint8_t>(kBertGeneral);
    if (k == kBertBase) {  // only before another inline char, or at the end
      std::size_t next = i + utf8_len(static_cast<unsigned char>(s[i]));
      if (next < s.size()) {
        auto nb = static_cast<unsigned char>(s[next]);
        std::uint8_t nk = nb < 0x80 ? static_cast<std::uint8_t>(ascii_out(nb) < 0 ? kBertGeneral : kBertKeep)
                          : [&] {
                              char32_t d = utf8_decode(s, next);
                              return d < 0x10000 ? kinds[d] : static_cast<std::uint8_t>(kBertGeneral);
                            }();
        if (nk == kBertGeneral || nk == kBertBase) return kBertGeneral;
      }
    }
    return k;
  };
  std::string text;
  std::vector<Offsets> align;
  text.reserve(s.size() + 8);
  align.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = std::min(utf8_len(static_cast<unsigned char>(s[i])), s.size() - i);
    char32_t c = 0;
    std::uint8_t kind = kind_at(i, c);
    if (kind == kBertGeneral) {
      std::size_t j = i + n;
      for (char32_t d = 0; j < s.size() && kind_at(j, d) == kBertGeneral;)
        j += std::min(utf8_len(static_cast<unsigned char>(s[j])), s.size() - j);
      NormalizedPiece run = piece.slice(i, j);
      normalize_general(run);
      text += run.text;
      align.insert(align.end(), run.align.begin(), run.align.end());
      i = j;
      continue;
    }
    const Offsets first = piece.align[i], last = piece.align[i + n - 1];
    if (c < 0x80) {
      text += static_cast<char>(ascii_out(static_cast<unsigned char>(c)));
      align.push_back(first);
    } else if (kind == kBertSpace) {
      text += ' ';
      align.push_back(first);
    } else if (kind == kBertBase) {
      std::size_t before = text.size();
      char32_t base = bases_[c];
      utf8_append(text, lowercase_ ? static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(base))) : base);
      align.insert(align.end(), text.size() - before, first);
    } else if (kind == kBertKeep) {
      std::size_t before = text.size();
      utf8_append(text, lowercase_ ? static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))) : c);
      align.insert(align.end(), text.size() - before, first);
    } else {  // kBertChinese: " c " — the char and the space after it are insertions, aligned to its last byte
      text += ' ';
      align.push_back(first);
      std::size_t before = text.size();
      utf8_append(text, c);
      text += ' ';
      align.insert(align.end(), text.size() - before, last);
    }
    i += n;
  }
  piece.text = std::move(text);
  piece.align = std::move(align);
}

void BertNormalizer::normalize_general(NormalizedPiece& piece) const {
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
  filter_chars(piece, [](char32_t c) { return !is_combining_mark(c); });
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

ReplaceNormalizer::ReplaceNormalizer(const Json& j, const std::string& where)
    : regex_(make_pattern(field(j, "pattern", where), where + ".pattern")), content_(get_string(j, "content", where)) {}

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

void NmtNormalizer::normalize(NormalizedPiece& piece) const {
  // normalizers/unicode.rs nmt(): drop these control characters, then map
  // tab, line breaks and a few spaces and zero-widths to ' '.
  filter_chars(piece, [](char32_t c) {
    return !((c >= 0x1 && c <= 0x8) || c == 0xB || (c >= 0xE && c <= 0x1F) || c == 0x7F || c == 0x8F || c == 0x9F);
  });
  map_chars(piece, [](char32_t c) -> char32_t {
    switch (c) {
      case 0x9: case 0xA: case 0xC: case 0xD: case 0x1680: case 0x2028: case 0x2029: case 0x2581: case 0xFEFF: case 0xFFFD:
        return U' ';
      default:
        return c >= 0x200B && c <= 0x200F ? U' ' : c;
    }
  });
}

void ByteLevelNormalizer::normalize(NormalizedPiece& piece) const {
  if (!piece.text.empty()) byte_level_transform(piece);
}

}  // namespace lathe::text
