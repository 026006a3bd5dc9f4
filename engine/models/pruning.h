// Head-pruning helpers shared by architectures (internal: ATen).
#pragma once

#include "nn/layers.h"

#include <set>
#include <utility>

namespace lathe::models {

/// find_pruneable_heads_and_indices: drops heads already pruned, shifts each
/// remaining head down by the number of pruned heads below it, and returns
/// (new heads, flat indices of the kept rows over n_heads × head_size).
std::pair<std::set<int>, at::Tensor> pruneable_heads_and_index(const std::set<int>& heads, std::int64_t n_heads,
                                                               std::int64_t head_size, const std::set<int>& already);

/// prune_linear_layer: keeps `index` along dim 0 (rows, bias too) or 1 (columns).
void prune_linear(nn::Linear& layer, const at::Tensor& index, std::int64_t dim);
/// prune_conv1d_layer: Conv1D weight is [in, out]; dim 1 also slices the bias.
void prune_conv1d(nn::Conv1D& layer, const at::Tensor& index, std::int64_t dim);

}  // namespace lathe::models
