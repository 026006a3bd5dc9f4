#include "models/attention_util.h"

#include <ATen/ops/cat.h>

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
