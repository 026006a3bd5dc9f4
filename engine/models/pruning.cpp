#include "models/pruning.h"

#include <ATen/ops/arange.h>
#include <ATen/ops/ones.h>

namespace lathe::models {

std::pair<std::set<int>, at::Tensor> pruneable_heads_and_index(const std::set<int>& heads, std::int64_t n_heads,
                                                               std::int64_t head_size, const std::set<int>& already) {
  at::Tensor mask = at::ones({n_heads, head_size}, at::TensorOptions().dtype(c10::kBool));
  std::set<int> fresh;
  for (int h : heads)
    if (!already.count(h)) fresh.insert(h);
  for (int h : fresh) {
    int shift = 0;
    for (int p : already) shift += p < h ? 1 : 0;
    mask[h - shift].fill_(false);
  }
  at::Tensor index = at::arange(n_heads * head_size, at::TensorOptions().dtype(c10::kLong)).masked_select(mask.view(-1));
  return {fresh, index};
}

void prune_linear(nn::Linear& layer, const at::Tensor& index, std::int64_t dim) {
  auto w = layer.param("weight");
  w->value = w->value.index_select(dim, index).clone();
  if (auto b = layer.param("bias"); b && dim == 0) b->value = b->value.index_select(0, index).clone();
  if (dim == 0) layer.out_features = index.numel();
  else layer.in_features = index.numel();
}

void prune_conv1d(nn::Conv1D& layer, const at::Tensor& index, std::int64_t dim) {
  auto w = layer.param("weight");
  w->value = w->value.index_select(dim, index).clone();
  if (auto b = layer.param("bias"); b && dim == 1) b->value = b->value.index_select(0, index).clone();
  if (dim == 1) layer.nf = index.numel();
  else layer.nx = index.numel();
}

}  // namespace lathe::models
