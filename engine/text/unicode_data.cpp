#include "text/unicode_data.h"

#include "text/text_util.h"

#include <unicode/uchar.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>

namespace lathe::text {

namespace {
utf8proc_category_t category(char32_t c) { return utf8proc_category(static_cast<utf8proc_int32_t>(c)); }
int ccc(char32_t c) { return utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->combining_class; }

// The full canonical (or compatibility) decomposition of one code point.
void decompose(char32_t c, bool compat, std::vector<char32_t>& out) {
  utf8proc_int32_t buf[32];
  int last_boundclass = 0;
  utf8proc_option_t opt = static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | (compat ? UTF8PROC_COMPAT : 0));
  utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), buf, 32, opt, &last_boundclass);
  if (n <= 0 || n > 32) {
    out.push_back(c);
    return;
  }
  for (utf8proc_ssize_t i = 0; i < n; ++i) out.push_back(static_cast<char32_t>(buf[i]));
}

// The primary composite of the pair (a, b), if any (Hangul included).
std::optional<char32_t> compose_pair(char32_t a, char32_t b) {
  utf8proc_int32_t buf[2] = {static_cast<utf8proc_int32_t>(a), static_cast<utf8proc_int32_t>(b)};
  utf8proc_ssize_t n = utf8proc_normalize_utf32(buf, 2, UTF8PROC_COMPOSE);
  if (n == 1) return static_cast<char32_t>(buf[0]);
  return std::nullopt;
}
}  // namespace

namespace {
// The crates' category data, older than utf8proc's (Unicode 15), as the sweep
// of every code point against the library (tests/engine/test_tokenizer_sweep.cpp)
// shows them:
// - `unicode_categories` 0.1.1 (BertNormalizer's is_other / is_mark_nonspacing,
//   BertPreTokenizer's and Punctuation's is_punctuation) has Unicode 8.0
//   tables: every Mn, Cf and P* character added in 9.0 or later is unknown to
//   it, those of 8.0 known;
// - `unicode-normalization-alignments` (StripAccents' is_combining_mark:
//   General_Category Mark, Mn Mc Me) has Unicode 9.0 tables.
// So a category is utf8proc's for the code points ICU (Unicode 15) says were
// assigned by that version, none for the rest, except for these, whose
// General_Category changed since (as 8.0 / 9.0 had them; found by the sweep):
//   U+166D CANADIAN SYLLABICS CHI SIGN   Po in 8.0 and 9.0, So since 12.0
//   U+1734 HANUNOO SIGN PAMUDPOD         Mn in 8.0 and 9.0, Mc since 14.0
//   U+1885, U+1886 MONGOLIAN LETTER ALI GALI BALUDA, THREE BALUDA
//                                        Lo in 8.0, Mn since 9.0
//   U+1CF2, U+1CF3 VEDIC SIGN (ROTATED) ARDHAVISARGA
//                                        Mc in 8.0 and 9.0, Lo since 10.0
//   U+A9BD JAVANESE CONSONANT SIGN KERET Mc in 8.0 and 9.0, Mn since 12.0
//   U+111C9 SHARADA SANDHI MARK          Po in 8.0 and 9.0, Mn since 11.0
enum : std::uint8_t { kOther = 1, kMarkNonspacing = 2, kPunctuation = 4, kMark = 8 };

std::uint8_t crate_flags_of(char32_t c) {
  switch (c) {
    case 0x166D: case 0x111C9: return kPunctuation;
    case 0x1734: return kMarkNonspacing | kMark;
    case 0x1885: case 0x1886: case 0x1CF2: case 0x1CF3: case 0xA9BD: return kMark;
    default: break;
  }
  UVersionInfo age;
  u_charAge(static_cast<UChar32>(c), age);
  if (age[0] == 0 || age[0] > 9) return 0;  // unassigned (Cn) in 9.0
  std::uint8_t flags = 0;
  switch (category(c)) {
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF: case UTF8PROC_CATEGORY_CO: flags = kOther; break;
    case UTF8PROC_CATEGORY_MN: flags = kMarkNonspacing | kMark; break;
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: flags = kMark; break;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF: case UTF8PROC_CATEGORY_PO: flags = kPunctuation; break;
    default: break;
  }
  return age[0] == 9 ? flags & kMark : flags;  // 9.0 additions: only the 9.0 table knows them
}

// Two-stage table of those flags (blocks of 256 code points, identical blocks
// shared: 28 KB), built on first use (~9 ms).
struct CrateCategories {
  std::vector<std::uint16_t> index;  // c >> 8 -> block
  std::vector<std::uint8_t> blocks;
  CrateCategories() {
    std::map<std::array<std::uint8_t, 256>, std::uint16_t> seen;
    index.reserve(0x1100);
    for (char32_t hi = 0; hi < 0x1100; ++hi) {
      std::array<std::uint8_t, 256> b{};
      for (char32_t lo = 0; lo < 256; ++lo) b[lo] = crate_flags_of(hi << 8 | lo);
      auto [it, fresh] = seen.emplace(b, static_cast<std::uint16_t>(seen.size()));
      if (fresh) blocks.insert(blocks.end(), b.begin(), b.end());
      index.push_back(it->second);
    }
  }
};

std::uint8_t crate_categories(char32_t c) {
  static const CrateCategories table;
  if (c >= 0x110000) return 0;
  return table.blocks[static_cast<std::size_t>(table.index[c >> 8]) << 8 | (c & 0xFF)];
}
}  // namespace

bool is_other(char32_t c) { return crate_categories(c) & kOther; }

bool is_mark_nonspacing(char32_t c) { return crate_categories(c) & kMarkNonspacing; }

bool is_combining_mark(char32_t c) { return crate_categories(c) & kMark; }

bool is_punctuation(char32_t c) { return crate_categories(c) & kPunctuation; }

bool is_numeric(char32_t c) {
  auto k = category(c);
  return k == UTF8PROC_CATEGORY_ND || k == UTF8PROC_CATEGORY_NL || k == UTF8PROC_CATEGORY_NO;
}

CharChanges normalize_changes(std::string_view text, bool compat, bool compose) {
  // Decompositions: (char, change, class); then runs of non-starters are
  // stable-sorted by class (the crate's sort_pending).
  struct D {
    char32_t c;
    int change, cls;
  };
  std::vector<D> dec;
  dec.reserve(text.size());
  std::vector<char32_t> tmp;
  for (std::size_t i = 0; i < text.size(); i += utf8_len(static_cast<unsigned char>(text[i]))) {
    tmp.clear();
    decompose(utf8_decode(text, i), compat, tmp);
    for (std::size_t k = 0; k < tmp.size(); ++k) dec.push_back({tmp[k], k == 0 ? 0 : 1, ccc(tmp[k])});
  }
  for (std::size_t i = 0; i < dec.size();) {
    if (dec[i].cls == 0) { ++i; continue; }
    std::size_t j = i;
    while (j < dec.size() && dec[j].cls != 0) ++j;
    std::stable_sort(dec.begin() + static_cast<std::ptrdiff_t>(i), dec.begin() + static_cast<std::ptrdiff_t>(j),
                     [](const D& x, const D& y) { return x.cls < y.cls; });
    i = j;
  }
  CharChanges out;
  out.reserve(dec.size());
  if (!compose) {
    for (const auto& d : dec) out.emplace_back(d.c, d.change);
    return out;
  }
  // Recompositions (the crate's state machine, Composing/Purging/Finished).
  std::optional<std::pair<char32_t, int>> composee;
  int last_ccc = -1;  // the crate's Option<u8>: -1 for None
  std::deque<std::pair<char32_t, int>> buffer;
  for (const auto& d : dec) {
    if (!composee) {
      if (d.cls != 0) out.emplace_back(d.c, d.change);
      else composee = {d.c, d.change};
      continue;
    }
    auto [k, change_k] = *composee;
    if (last_ccc >= 0 && last_ccc >= d.cls) {  // blocked
      if (d.cls == 0) {
        out.emplace_back(k, change_k);
        out.insert(out.end(), buffer.begin(), buffer.end());
        buffer.clear();
        composee = {d.c, d.change};
        last_ccc = -1;
      } else {
        buffer.emplace_back(d.c, d.change);
        last_ccc = d.cls;
      }
      continue;
    }
    if (auto r = compose_pair(k, d.c)) {
      composee = {*r, change_k - 1 + d.change};
      continue;
    }
    if (last_ccc < 0 && d.cls == 0) {
      out.emplace_back(k, change_k);
      composee = {d.c, d.change};
      continue;
    }
    buffer.emplace_back(d.c, d.change);
    last_ccc = d.cls;
  }
  if (composee) out.push_back(*composee);
  out.insert(out.end(), buffer.begin(), buffer.end());
  return out;
}

CharChanges lowercase_changes(std::string_view text) {
  CharChanges out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); i += utf8_len(static_cast<unsigned char>(text[i]))) {
    char32_t c = utf8_decode(text, i);
    if (c == 0x130) {  // the one unconditional multi-char lowercase mapping (SpecialCasing)
      out.emplace_back(U'i', 0);
      out.emplace_back(0x307, 1);
    } else {
      out.emplace_back(static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))), 0);
    }
  }
  return out;
}

}  // namespace lathe::text
