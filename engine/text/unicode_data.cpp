#include "text/unicode_data.h"

#include "text/text_util.h"

#include <utf8proc.h>

#include <algorithm>
#include <deque>
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

bool is_other(char32_t c) {
  auto k = category(c);
  return k == UTF8PROC_CATEGORY_CC || k == UTF8PROC_CATEGORY_CF || k == UTF8PROC_CATEGORY_CO;
}

bool is_mark_nonspacing(char32_t c) { return category(c) == UTF8PROC_CATEGORY_MN; }

bool is_punctuation(char32_t c) {
  auto k = category(c);
  return k >= UTF8PROC_CATEGORY_PC && k <= UTF8PROC_CATEGORY_PO;
}

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
