// Unicode data for the normalizers and pre-tokenizers of engine/text, from
// Debian's utf8proc (internal to engine/text; torch-free). The functions mirror
// what the Rust `tokenizers` crate calls: the `unicode_categories` crate's
// category tests, char::to_lowercase, and the (char, change) streams of
// `unicode-normalization-alignments` that NormalizedString::transform consumes.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace lathe::text {

/// (output char, change) as NormalizedPiece::transform takes them.
using CharChanges = std::vector<std::pair<char32_t, int>>;

// The `unicode_categories` crate's tests, with its Unicode 8.0 data (see
// unicode_data.cpp): characters assigned later have none of these categories.
bool is_other(char32_t c);              ///< unicode_categories is_other: Cc, Cf, Co
bool is_mark_nonspacing(char32_t c);    ///< unicode_categories Mn (BertNormalizer's accents)
bool is_punctuation(char32_t c);        ///< unicode_categories Pc Pd Ps Pe Pi Pf Po
/// unicode-normalization-alignments' is_combining_mark (StripAccents):
/// Mn Mc Me, with its Unicode 9.0 data.
bool is_combining_mark(char32_t c);
bool is_numeric(char32_t c);            ///< Rust char::is_numeric: Nd Nl No

/// NFD/NFKD (compose = false) or NFC/NFKC of `text` as the alignments crate
/// yields it: each decomposed char's first code point replaces it (0), the rest
/// are insertions (1); canonical reordering moves changes with their chars;
/// composing folds a change into the composite (change_k - 1 + change).
CharChanges normalize_changes(std::string_view text, bool compat, bool compose);
/// Rust's str-wide char::to_lowercase as NormalizedString::lowercase applies it.
CharChanges lowercase_changes(std::string_view text);

}  // namespace lathe::text
