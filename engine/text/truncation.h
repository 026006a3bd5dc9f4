// Truncation exactly as the Rust `tokenizers` crate does it (utils/truncation.rs
// and Encoding::truncate): max_length, stride, strategy, direction, and the
// overflowing pieces, with the post-processor's special tokens accounted for.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <string>

namespace lathe {

enum class TruncationStrategy { LongestFirst, OnlyFirst, OnlySecond };
enum class TruncationDirection { Right, Left };

/// tokenizer.json's "truncation" section (serde names: "LongestFirst",
/// "OnlyFirst", "OnlySecond"; "Right", "Left").
struct TruncationParams {
  std::size_t max_length = 512;
  std::size_t stride = 0;
  TruncationStrategy strategy = TruncationStrategy::LongestFirst;
  TruncationDirection direction = TruncationDirection::Right;
};

namespace text {

struct RawEncoding;

/// Reads the "truncation" object; Error(ConfigInvalid) naming the field.
TruncationParams parse_truncation(const nlohmann::json& j, const std::string& where);

/// Encoding::truncate: keeps max_len tokens; the rest (with `stride` tokens
/// repeated from the previous part) becomes `overflowing`, which replaces any
/// overflowing the encoding had. Error(InvalidArgument) if stride >= max_len.
void truncate_encoding(RawEncoding& e, std::size_t max_len, std::size_t stride, TruncationDirection direction);

/// truncate_encodings: `pair` may be null. Error(InvalidArgument) for the
/// crate's TruncationError cases (second sequence missing, sequence too short).
void truncate_encodings(RawEncoding& first, RawEncoding* pair, const TruncationParams& params);

}  // namespace text
}  // namespace lathe
