#include "text/truncation.h"

#include "core/error.h"
#include "text/pipeline.h"

#include <algorithm>
#include <utility>

namespace lathe::text {

namespace {
std::size_t get_size(const Json& j, const char* key, const std::string& where, std::size_t dflt) {
  if (!has_field(j, key)) return dflt;
  const Json& v = j.at(key);
  if (!v.is_number_unsigned()) config_error(where + "." + key, "expected a non-negative integer");
  return v.get<std::size_t>();
}

RawEncoding slice(const RawEncoding& e, std::size_t start, std::size_t stop) {
  RawEncoding out;
  auto cut = [&](auto& dst, const auto& src) { dst.assign(src.begin() + start, src.begin() + stop); };
  cut(out.ids, e.ids);
  cut(out.tokens, e.tokens);
  cut(out.offsets, e.offsets);
  cut(out.type_ids, e.type_ids);
  cut(out.special_tokens_mask, e.special_tokens_mask);
  cut(out.attention_mask, e.attention_mask);
  return out;
}
}  // namespace

TruncationParams parse_truncation(const Json& j, const std::string& where) {
  if (!j.is_object()) config_error(where, "expected an object");
  TruncationParams p;
  p.max_length = get_size(j, "max_length", where, p.max_length);
  p.stride = get_size(j, "stride", where, 0);
  if (has_field(j, "strategy")) {
    const Json& s = j.at("strategy");
    std::string name = s.is_string() ? s.get<std::string>() : "";
    if (name == "LongestFirst") p.strategy = TruncationStrategy::LongestFirst;
    else if (name == "OnlyFirst") p.strategy = TruncationStrategy::OnlyFirst;
    else if (name == "OnlySecond") p.strategy = TruncationStrategy::OnlySecond;
    else config_error(where + ".strategy", "expected \"LongestFirst\", \"OnlyFirst\" or \"OnlySecond\"");
  }
  if (has_field(j, "direction")) {
    const Json& d = j.at("direction");
    std::string name = d.is_string() ? d.get<std::string>() : "";
    if (name == "Right") p.direction = TruncationDirection::Right;
    else if (name == "Left") p.direction = TruncationDirection::Left;
    else config_error(where + ".direction", "expected \"Right\" or \"Left\"");
  }
  return p;
}

void truncate_encoding(RawEncoding& e, std::size_t max_len, std::size_t stride, TruncationDirection direction) {
  const std::size_t n = e.ids.size();
  if (max_len >= n) return;
  if (max_len == 0) {
    RawEncoding all = std::move(e);
    e = RawEncoding{};
    e.overflowing.push_back(std::move(all));
    return;
  }
  if (stride >= max_len)
    throw Error(ErrorCode::InvalidArgument,
                "stride " + std::to_string(stride) + " must be strictly less than max_len " + std::to_string(max_len) +
                    " (the max length less the special tokens)",
                "truncation");
  const std::size_t step = max_len - stride;
  std::vector<std::pair<std::size_t, std::size_t>> parts;
  if (direction == TruncationDirection::Right) {
    for (std::size_t start = 0; start < n; start += step) {
      std::size_t stop = std::min(start + max_len, n);
      parts.emplace_back(start, stop);
      if (stop == n) break;
    }
  } else {
    // (0..n).rev().step_by(step): stops n, n - step, ... while > 0.
    for (std::size_t k = 0; k * step < n; ++k) {
      std::size_t stop = n - k * step;
      std::size_t start = stop > max_len ? stop - max_len : 0;
      parts.emplace_back(start, stop);
      if (start == 0) break;
    }
  }
  // The Rust library has no bound and runs out of memory instead: a hostile
  // tokenizer.json (stride max_len - 1 over a long text) asks for n × max_len tokens.
  if (static_cast<double>(parts.size()) * static_cast<double>(max_len) > static_cast<double>(kMaxOverflowTokens))
    throw Error(ErrorCode::InvalidArgument,
                "truncation with max_length " + std::to_string(max_len) + " and stride " + std::to_string(stride) +
                    " would split " + std::to_string(n) + " tokens into " + std::to_string(parts.size()) +
                    " overlapping parts (more than " + std::to_string(kMaxOverflowTokens) + " tokens in all)",
                "truncation");
  RawEncoding head = slice(e, parts[0].first, parts[0].second);
  for (std::size_t i = 1; i < parts.size(); ++i) head.overflowing.push_back(slice(e, parts[i].first, parts[i].second));
  e = std::move(head);
}

void truncate_encodings(RawEncoding& first, RawEncoding* pair, const TruncationParams& params) {
  if (params.max_length == 0) {
    truncate_encoding(first, 0, params.stride, params.direction);
    if (pair) truncate_encoding(*pair, 0, params.stride, params.direction);
    return;
  }
  std::size_t total = first.ids.size() + (pair ? pair->ids.size() : 0);
  if (total <= params.max_length) return;
  std::size_t to_remove = total - params.max_length;
  if (params.strategy == TruncationStrategy::LongestFirst) {
    if (!pair) {
      truncate_encoding(first, total - to_remove, params.stride, params.direction);
      return;
    }
    std::size_t n1 = first.ids.size(), n2 = pair->ids.size();
    bool swap = n1 > n2;
    if (swap) std::swap(n1, n2);
    if (n1 > params.max_length) n2 = n1;
    else n2 = std::max(n1, params.max_length - n1);
    if (n1 + n2 > params.max_length) {
      n1 = params.max_length / 2;
      n2 = n1 + params.max_length % 2;
    }
    if (swap) std::swap(n1, n2);
    truncate_encoding(first, n1, params.stride, params.direction);
    truncate_encoding(*pair, n2, params.stride, params.direction);
    return;
  }
  RawEncoding* target = params.strategy == TruncationStrategy::OnlyFirst ? &first : pair;
  if (!target) throw Error(ErrorCode::InvalidArgument, "Truncation error: Second sequence not provided", "truncation");
  std::size_t len = target->ids.size();
  if (len <= to_remove)
    throw Error(ErrorCode::InvalidArgument,
                "Truncation error: Sequence to truncate too short to respect the provided max_length", "truncation");
  truncate_encoding(*target, len - to_remove, params.stride, params.direction);
}

}  // namespace lathe::text
