#include "text/unicode_scripts.h"

#include "core/error.h"

#include <unicode/uchar.h>
#include <unicode/ucpmap.h>
#include <unicode/uscript.h>
#include <unicode/uset.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace lathe::text {

namespace {

constexpr char32_t kCodePoints = 0x110000;
constexpr unsigned kBlockBits = 8;
constexpr unsigned kBlockSize = 1u << kBlockBits;

// Two-stage lookup: index[c >> 8] names a 256-entry block of class ids.
// Identical blocks are shared (135 distinct ones: 43 KB in all). Building it
// takes about 10 ms; a lookup is ~6x faster than asking ICU per character.
struct ScriptTable {
  std::vector<std::uint16_t> index;
  std::vector<std::uint8_t> blocks;
  std::uint8_t get(char32_t c) const {
    if (c >= kCodePoints) return kScriptAny;
    return blocks[(std::size_t{index[c >> kBlockBits]} << kBlockBits) | (c & (kBlockSize - 1))];
  }
};

void check_icu(UErrorCode err, const char* what) {
  if (U_FAILURE(err))
    throw Error(ErrorCode::Internal, std::string("ICU failed: ") + u_errorName(err), what);
}

// Where the crate's table (generated from an older Scripts.txt) and ICU's
// data restricted to Unicode 9.0 disagree: code points whose Script value
// changed in a later Unicode version. These are all the differences the sweep
// of tests/engine/test_tokenizer_scripts.cpp found against the library (ICU 72).
struct ScriptException {
  char32_t first, last;
  UScriptCode script;  ///< USCRIPT_UNKNOWN: absent from the crate's table (Any)
};
constexpr ScriptException kExceptions[] = {
    // ARMENIAN FULL STOP: Common in the crate's table, Armenian in ICU's.
    {0x0589, 0x0589, USCRIPT_COMMON},
    // ARABIC LETTER MARK: Common in the crate's table, Arabic in ICU's.
    {0x061C, 0x061C, USCRIPT_COMMON},
    // DEVANAGARI GRAVE and ACUTE ACCENT: Devanagari in the crate's table, Inherited in ICU's.
    {0x0953, 0x0954, USCRIPT_DEVANAGARI},
};

// The crate's fixed_script: Hiragana, Katakana and U+30FC count as Han, U+0020
// as Any.
std::uint8_t fixed_class(char32_t c, UScriptCode s) {
  if (c == 0x30FC) return static_cast<std::uint8_t>(USCRIPT_HAN);
  if (c == U' ' || s == USCRIPT_UNKNOWN || s < 0) return kScriptAny;
  if (s == USCRIPT_HIRAGANA || s == USCRIPT_KATAKANA) s = USCRIPT_HAN;
  if (s >= kScriptAny) throw Error(ErrorCode::Internal, "ICU script code out of range", "UnicodeScripts");
  return static_cast<std::uint8_t>(s);
}

ScriptTable build_table() {
  std::vector<std::uint8_t> full(kCodePoints, kScriptAny);
  UErrorCode err = U_ZERO_ERROR;
  const UCPMap* scripts = u_getIntPropertyMap(UCHAR_SCRIPT, &err);
  check_icu(err, "u_getIntPropertyMap(UCHAR_SCRIPT)");
  // The crate's enum ends at the Unicode 9.0 scripts: a code point assigned
  // later is not in its table. ICU's Age=9.0 set is "assigned in 9.0 or earlier".
  USet* old = uset_openPattern(u"[:Age=9.0:]", -1, &err);
  check_icu(err, "uset_openPattern([:Age=9.0:])");
  for (int32_t i = 0, n = uset_getItemCount(old); i < n; ++i) {
    UChar32 first = 0, last = 0;
    uset_getItem(old, i, &first, &last, nullptr, 0, &err);
    if (U_FAILURE(err)) break;
    for (UChar32 c = first; c <= last && c < static_cast<UChar32>(kCodePoints); ++c)
      full[c] = fixed_class(c, static_cast<UScriptCode>(ucpmap_get(scripts, c)));
  }
  uset_close(old);
  check_icu(err, "uset_getItem");
  for (const auto& e : kExceptions)
    for (char32_t c = e.first; c <= e.last; ++c) full[c] = fixed_class(c, e.script);

  ScriptTable t;
  t.index.resize(kCodePoints >> kBlockBits);
  std::map<std::string, std::uint16_t> seen;
  for (std::size_t b = 0; b < t.index.size(); ++b) {
    std::string key(reinterpret_cast<const char*>(&full[b << kBlockBits]), kBlockSize);
    auto [it, fresh] = seen.emplace(std::move(key), static_cast<std::uint16_t>(seen.size()));
    if (fresh) t.blocks.insert(t.blocks.end(), full.begin() + (b << kBlockBits), full.begin() + ((b + 1) << kBlockBits));
    t.index[b] = it->second;
  }
  return t;
}

const ScriptTable& table() {
  static const ScriptTable t = build_table();  // thread-safe, once
  return t;
}

}  // namespace

std::uint8_t unicode_script(char32_t c) { return table().get(c); }

void UnicodeScriptsPreTokenizer::pre_tokenize(std::vector<NormalizedPiece>& pieces) const {
  const ScriptTable& t = table();
  std::vector<std::size_t> cuts;
  split_each(pieces, [&](NormalizedPiece& p, std::vector<NormalizedPiece>& out) {
    // The crate: a cut before every char with a script other than the last
    // script seen (none at first); "Any" chars neither cut nor count. The text
    // before the first cut is dropped, as the crate's windows(2) drops it.
    const std::string& s = p.text;
    cuts.clear();
    int last = -1;
    for (std::size_t i = 0; i < s.size();) {
      std::size_t n = std::min(utf8_len(static_cast<unsigned char>(s[i])), s.size() - i);
      std::uint8_t script = n == 1 ? t.get(static_cast<unsigned char>(s[i])) : t.get(utf8_decode(s, i));
      if (script != kScriptAny) {
        if (script != last) cuts.push_back(i);
        last = script;
      }
      i += n;
    }
    cuts.push_back(s.size());
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) out.push_back(p.slice(cuts[k], cuts[k + 1]));
  });
}

}  // namespace lathe::text
