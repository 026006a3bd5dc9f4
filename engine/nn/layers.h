// The leaf layers transformers models are built from (internal: ATen).
// Each is created as a skeleton on the meta device (shapes and dtypes, no
// memory) and materialised later by filling its parameter slots.
#pragma once

#include "nn/module.h"

#include <optional>

namespace lathe::nn {

/// A replacement forward for a Linear or Conv1D whose weight slot holds another
/// representation (bitsandbytes' quantised layers: engine/quant).
class LinearKernel {
 public:
  virtual ~LinearKernel() = default;
  virtual at::Tensor forward(const Module& layer, const at::Tensor& x) const = 0;
};

/// torch.nn.Linear: weight [out, in], optional bias [out].
class Linear : public Module {
 public:
  Linear(std::int64_t in_features, std::int64_t out_features, bool bias, const at::TensorOptions& opts);
  at::Tensor forward(const at::Tensor& x) const;
  std::int64_t in_features, out_features;
  std::shared_ptr<const LinearKernel> kernel;  ///< set: forward() runs it
};

/// transformers' Conv1D (GPT-2): a linear layer with weight stored [in, out].
class Conv1D : public Module {
 public:
  Conv1D(std::int64_t nf, std::int64_t nx, const at::TensorOptions& opts);
  at::Tensor forward(const at::Tensor& x) const;
  std::int64_t nf, nx;  ///< out and in features
  std::shared_ptr<const LinearKernel> kernel;  ///< set: forward() runs it
};

class Embedding : public Module {
 public:
  Embedding(std::int64_t num, std::int64_t dim, std::optional<std::int64_t> padding_idx,
            const at::TensorOptions& opts);
  at::Tensor forward(const at::Tensor& ids) const;
  std::int64_t num_embeddings, embedding_dim;
  std::optional<std::int64_t> padding_idx;
};

class LayerNorm : public Module {
 public:
  LayerNorm(std::int64_t dim, double eps, const at::TensorOptions& opts, bool bias = true);
  at::Tensor forward(const at::Tensor& x) const;
  std::int64_t dim;
  double eps;
};

/// LlamaRMSNorm: computed in float32, scaled by weight in the input dtype.
class RMSNorm : public Module {
 public:
  RMSNorm(std::int64_t dim, double eps, const at::TensorOptions& opts);
  at::Tensor forward(const at::Tensor& x) const;
  std::int64_t dim;
  double eps;
};

/// Activations by transformers' ACT2FN names: gelu, gelu_new, gelu_pytorch_tanh,
/// relu, silu/swish, tanh, gelu_fast, quick_gelu. Throws Error(ConfigInvalid) otherwise.
at::Tensor activation(const std::string& name, const at::Tensor& x);
/// Validates an activation name early (at model build time).
void check_activation(const std::string& name);
/// transformers' ACT2CLS class of an activation name: the module a layer holds
/// as its `act` ("gelu_new" -> "NewGELUActivation").
std::string activation_class(const std::string& name);

}  // namespace lathe::nn
