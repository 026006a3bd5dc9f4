#include "models/attention_util.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/full.h>

namespace lathe::models {

std::pair<at::Tensor, at::Tensor> cache_append(KVCache& cache, std::int64_t layer, const at::Tensor& k,
                                               const at::Tensor& v) {
  auto idx = static_cast<std::size_t>(layer);
  if (cache.keys.size() <= idx) {
    cache.keys.resize(idx + 1);
    cache.values.resize(idx + 1);
  }
  if (cache.keys[idx].defined()) {
    cache.keys[idx] = at::cat({cache.keys[idx], k}, -2);
    cache.values[idx] = at::cat({cache.values[idx], v}, -2);
  } else {
    cache.keys[idx] = k;
    cache.values[idx] = v;
  }
  return {cache.keys[idx], cache.values[idx]};
}

}  // namespace lathe::models

namespace lathe::models {

at::Tensor causal_mask_4d(const at::Tensor& attention_mask, std::int64_t batch, std::int64_t length,
                          std::int64_t past, c10::ScalarType dtype, std::optional<std::int64_t> sliding_window) {
  const std::int64_t target = attention_mask.defined() ? attention_mask.size(-1) : past + length;
  const double min = finfo_min(dtype);
  auto lo = at::TensorOptions().dtype(c10::kLong);
  at::Tensor cache_pos = at::arange(past, past + length, lo).view({-1, 1});
  at::Tensor keys = at::arange(target, lo).view({1, -1});
  at::Tensor disallowed = keys > cache_pos;
  if (sliding_window) disallowed = disallowed | (keys <= cache_pos - *sliding_window);
  at::Tensor mask = at::full({length, target}, min, at::TensorOptions().dtype(dtype)) * disallowed.to(dtype);
  mask = mask.view({1, 1, length, target}).expand({batch, 1, length, target});
  if (attention_mask.defined()) {
    at::Tensor padding = (mask + attention_mask.view({batch, 1, 1, target}).to(dtype)) == 0;
    mask = mask.masked_fill(padding, min);
  }
  return mask;
}

}  // namespace lathe::models
