// Padding exactly as the Rust `tokenizers` crate does it (utils/padding.rs and
// Encoding::pad): BatchLongest or Fixed length, right or left,
// pad_to_multiple_of, pad id / type id / token; attention mask 0 and
// special-tokens mask 1 on padding; overflowing encodings padded too.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lathe {

struct TokenEncoding;

enum class PaddingDirection { Right, Left };

/// tokenizer.json's "padding" section: "strategy" is "BatchLongest" or
/// {"Fixed": n}; "direction" "Right"/"Left".
struct PaddingParams {
  std::optional<std::size_t> fixed_length;  ///< unset: BatchLongest
  PaddingDirection direction = PaddingDirection::Right;
  std::optional<std::size_t> pad_to_multiple_of;
  std::uint32_t pad_id = 0;
  std::uint32_t pad_type_id = 0;
  std::string pad_token = "[PAD]";
};

namespace text {

/// Reads the "padding" object; Error(ConfigInvalid) naming the field.
PaddingParams parse_padding(const nlohmann::json& j, const std::string& where);

/// Encoding::pad: pads `e` (and, first, its overflowing encodings) to `length`.
void pad_encoding(TokenEncoding& e, std::size_t length, const PaddingParams& params);

/// pad_encodings: the target is the fixed length or the longest of the batch,
/// rounded up to pad_to_multiple_of.
void pad_encodings(std::vector<TokenEncoding>& batch, const PaddingParams& params);

}  // namespace text
}  // namespace lathe
