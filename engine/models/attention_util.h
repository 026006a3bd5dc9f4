// Shared pieces of attention implementations (internal).
#pragma once

#include "models/pretrained_model.h"

#include <optional>
#include <utility>

namespace lathe::models {

/// Appends this step's keys/values to layer `layer` of the cache and returns
/// the full keys/values to attend over.
std::pair<at::Tensor, at::Tensor> cache_append(KVCache& cache, std::int64_t layer, const at::Tensor& k,
                                               const at::Tensor& v);

}  // namespace lathe::models

namespace lathe::models {

/// The 4-D additive mask of 4.48's _update_causal_mask (eager): [B, 1, L, T]
/// with finfo(dtype).min where key j > past + i (or, with a sliding window W,
/// j ≤ past + i − W) and where the 2-D attention_mask is 0; −0.0/0 elsewhere.
at::Tensor causal_mask_4d(const at::Tensor& attention_mask, std::int64_t batch, std::int64_t length,
                          std::int64_t past, c10::ScalarType dtype, std::optional<std::int64_t> sliding_window = {});

}  // namespace lathe::models
