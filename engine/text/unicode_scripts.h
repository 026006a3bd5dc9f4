// The UnicodeScripts pre-tokenizer of tokenizer.json (the crate's
// pre_tokenizers/unicode_scripts/) and the script table it needs, from ICU
// (internal to engine/text; torch-free).
#pragma once

#include "text/pipeline.h"

#include <cstdint>

namespace lathe::text {

/// The script class of "Any" (no script): U+0020 and every code point the
/// crate's table leaves out.
inline constexpr std::uint8_t kScriptAny = 0xFF;

/// The crate's fixed_script(c) as a small class id: kScriptAny, or ICU's
/// UScriptCode of the character as the crate's Unicode 9.0 table has it, with
/// Hiragana, Katakana and U+30FC folded into Han. Two characters are in the
/// same script exactly when their ids are equal. The table is built from ICU
/// once, on first use.
std::uint8_t unicode_script(char32_t c);

/// Splits where the script changes between two characters that have one;
/// "Any" characters join the piece they are in, and those before the first
/// character with a script are dropped (as the crate does).
class UnicodeScriptsPreTokenizer : public PreTokenizer {
 public:
  UnicodeScriptsPreTokenizer(const Json&, const std::string&) {}
  void pre_tokenize(std::vector<NormalizedPiece>& pieces) const override;
};

}  // namespace lathe::text
