#include "text/padding.h"

#include "text/text_util.h"
#include "text/tokenizer.h"

#include <algorithm>

namespace lathe::text {

namespace {
std::size_t get_size(const Json& v, const std::string& where) {
  if (!v.is_number_unsigned()) config_error(where, "expected a non-negative integer");
  return v.get<std::size_t>();
}
}  // namespace

PaddingParams parse_padding(const Json& j, const std::string& where) {
  if (!j.is_object()) config_error(where, "expected an object");
  PaddingParams p;
  if (has_field(j, "strategy")) {
    const Json& s = j.at("strategy");
    if (s.is_string() && s.get<std::string>() == "BatchLongest") {
      p.fixed_length.reset();
    } else if (s.is_object() && s.size() == 1 && s.contains("Fixed")) {
      p.fixed_length = get_size(s.at("Fixed"), where + ".strategy.Fixed");
    } else {
      config_error(where + ".strategy", "expected \"BatchLongest\" or {\"Fixed\": n}");
    }
  }
  if (has_field(j, "direction")) {
    const Json& d = j.at("direction");
    std::string name = d.is_string() ? d.get<std::string>() : "";
    if (name == "Right") p.direction = PaddingDirection::Right;
    else if (name == "Left") p.direction = PaddingDirection::Left;
    else config_error(where + ".direction", "expected \"Right\" or \"Left\"");
  }
  if (has_field(j, "pad_to_multiple_of")) p.pad_to_multiple_of = get_size(j.at("pad_to_multiple_of"), where + ".pad_to_multiple_of");
  auto id32 = [&](const char* key, std::uint32_t dflt) {
    if (!has_field(j, key)) return dflt;
    std::size_t v = get_size(j.at(key), where + "." + key);
    if (v > 0xFFFFFFFFull) config_error(where + "." + key, "out of range");
    return static_cast<std::uint32_t>(v);
  };
  p.pad_id = id32("pad_id", 0);
  p.pad_type_id = id32("pad_type_id", 0);
  if (has_field(j, "pad_token")) p.pad_token = get_string(j, "pad_token", where);
  return p;
}

void pad_encoding(TokenEncoding& e, std::size_t length, const PaddingParams& params) {
  for (auto& o : e.overflowing) pad_encoding(o, length, params);
  if (e.ids.size() >= length) return;
  std::size_t n = length - e.ids.size();
  auto pad = [&](auto& v, const auto& value) {
    using V = std::decay_t<decltype(v)>;
    V fill(n, value);
    if (params.direction == PaddingDirection::Right) v.insert(v.end(), fill.begin(), fill.end());
    else v.insert(v.begin(), fill.begin(), fill.end());
  };
  pad(e.ids, params.pad_id);
  pad(e.type_ids, params.pad_type_id);
  pad(e.tokens, params.pad_token);
  pad(e.offsets, std::pair<std::size_t, std::size_t>{0, 0});
  pad(e.special_tokens_mask, std::uint8_t{1});
  pad(e.attention_mask, std::uint8_t{0});
}

void pad_encodings(std::vector<TokenEncoding>& batch, const PaddingParams& params) {
  if (batch.empty()) return;
  std::size_t length = 0;
  if (params.fixed_length) length = *params.fixed_length;
  else
    for (const auto& e : batch) length = std::max(length, e.ids.size());
  if (params.pad_to_multiple_of && *params.pad_to_multiple_of > 0 && length % *params.pad_to_multiple_of > 0)
    length += *params.pad_to_multiple_of - length % *params.pad_to_multiple_of;
  for (auto& e : batch) pad_encoding(e, length, params);
}

}  // namespace lathe::text
