// A Unicode regex for the tokenizer patterns (PCRE2, UTF + UCP), standing in
// for the Oniguruma engine the Rust crate uses.
#pragma once

#include "text/text_util.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lathe::text {

class Regex {
 public:
  /// Compiles `pattern`; Error(ConfigInvalid) naming `where` when it does not.
  /// Oniguruma syntax the crate accepts is translated (\s as White_Space, nested sets).
  Regex(const std::string& pattern, const std::string& where);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  /// All non-overlapping matches, left to right, as (offsets, true) plus the
  /// gaps between them as (offsets, false): a cover of `s` (Rust's find_matches).
  std::vector<std::pair<Offsets, bool>> find_matches(std::string_view s) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Escapes `s` so that it matches literally.
std::string regex_escape(std::string_view s);

/// A String or Regex pattern object of tokenizer.json ({"String": s} or {"Regex": r})
/// as used by Split, Replace (normalizer and decoder); Error(ConfigInvalid) naming `where`.
std::unique_ptr<Regex> make_pattern(const Json& pattern, const std::string& where);

}  // namespace lathe::text
