// Shared pieces of attention implementations (internal).
#pragma once

#include "models/pretrained_model.h"

#include <utility>

namespace lathe::models {

/// Appends this step's keys/values to layer `layer` of the cache and returns
/// the full keys/values to attend over.
std::pair<at::Tensor, at::Tensor> cache_append(KVCache& cache, std::int64_t layer, const at::Tensor& k,
                                               const at::Tensor& v);

}  // namespace lathe::models
