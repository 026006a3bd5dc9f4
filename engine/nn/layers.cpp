#include "nn/layers.h"

#include <unordered_map>

#include "core/error.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/addmm.h>
#include <ATen/ops/embedding.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/gelu.h>
#include <ATen/ops/layer_norm.h>
#include <ATen/ops/linear.h>
#include <ATen/ops/mean.h>
#include <ATen/ops/pow.h>
#include <ATen/ops/relu.h>
#include <ATen/ops/rsqrt.h>
#include <ATen/ops/sigmoid.h>
#include <ATen/ops/silu.h>
#include <ATen/ops/tanh.h>

#include <unordered_map>

#include <cmath>

namespace lathe::nn {

Linear::Linear(std::int64_t in, std::int64_t out, bool bias, const at::TensorOptions& opts)
    : Module("Linear"), in_features(in), out_features(out) {
  add_param("weight", at::empty({out, in}, opts));
  if (bias) add_param("bias", at::empty({out}, opts));
}

at::Tensor Linear::forward(const at::Tensor& x) const {
  ForwardScope scope(*this);
  if (kernel) return kernel->forward(*this, x);
  Param b = param("bias");
  return at::linear(x, param("weight")->value, b ? c10::optional<at::Tensor>(b->value) : c10::nullopt);
}

Conv1D::Conv1D(std::int64_t nf_, std::int64_t nx_, const at::TensorOptions& opts)
    : Module("Conv1D"), nf(nf_), nx(nx_) {
  add_param("weight", at::empty({nx, nf}, opts));
  add_param("bias", at::empty({nf}, opts));
}

at::Tensor Conv1D::forward(const at::Tensor& x) const {
  ForwardScope scope(*this);
  if (kernel) return kernel->forward(*this, x);
  auto out_shape = x.sizes().vec();
  out_shape.back() = param("weight")->value.size(1);
  // flatten, not reshape(-1, in): a fully pruned layer has in = 0.
  at::Tensor y = at::addmm(param("bias")->value, x.flatten(0, -2), param("weight")->value);
  return y.view(out_shape);
}

Embedding::Embedding(std::int64_t num, std::int64_t dim, std::optional<std::int64_t> pad,
                     const at::TensorOptions& opts)
    : Module("Embedding"), num_embeddings(num), embedding_dim(dim), padding_idx(pad) {
  add_param("weight", at::empty({num, dim}, opts));
}

at::Tensor Embedding::forward(const at::Tensor& ids) const {
  ForwardScope scope(*this);
  return at::embedding(param("weight")->value, ids, padding_idx.value_or(-1));
}

LayerNorm::LayerNorm(std::int64_t d, double e, const at::TensorOptions& opts, bool bias)
    : Module("LayerNorm"), dim(d), eps(e) {
  add_param("weight", at::empty({d}, opts));
  if (bias) add_param("bias", at::empty({d}, opts));
}

at::Tensor LayerNorm::forward(const at::Tensor& x) const {
  ForwardScope scope(*this);
  Param b = param("bias");
  return at::layer_norm(x, {dim}, param("weight")->value,
                        b ? c10::optional<at::Tensor>(b->value) : c10::nullopt, eps);
}

RMSNorm::RMSNorm(std::int64_t d, double e, const at::TensorOptions& opts)
    : Module("RMSNorm"), dim(d), eps(e) {
  add_param("weight", at::empty({d}, opts));
}

at::Tensor RMSNorm::forward(const at::Tensor& x) const {
  ForwardScope scope(*this);
  auto in_dtype = x.scalar_type();
  at::Tensor h = x.to(c10::kFloat);
  at::Tensor var = h.pow(2).mean({-1}, true);
  h = h * at::rsqrt(var + eps);
  return param("weight")->value * h.to(in_dtype);
}

namespace {
bool known_activation(const std::string& n) {
  for (const char* k : {"gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "quick_gelu", "relu",
                        "silu", "swish", "tanh", "gelu_python"})
    if (n == k) return true;
  return false;
}
}  // namespace

void check_activation(const std::string& name) {
  if (!known_activation(name))
    throw Error(ErrorCode::ConfigInvalid, "unsupported activation function '" + name + "'");
}

std::string activation_class(const std::string& name) {
  static const std::unordered_map<std::string, std::string> cls = {
      {"gelu", "GELUActivation"}, {"gelu_new", "NewGELUActivation"}, {"gelu_fast", "FastGELUActivation"},
      {"gelu_pytorch_tanh", "PytorchGELUTanh"}, {"quick_gelu", "QuickGELUActivation"}, {"relu", "ReLU"},
      {"silu", "SiLU"}, {"swish", "SiLU"}, {"tanh", "Tanh"}};
  auto it = cls.find(name);
  return it == cls.end() ? std::string("Activation") : it->second;
}

at::Tensor activation(const std::string& name, const at::Tensor& x) {
  if (name == "gelu" || name == "gelu_python") return at::gelu(x);
  if (name == "gelu_new") {
    // NewGELUActivation: 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3)))
    const double c = std::sqrt(2.0 / M_PI);
    return 0.5 * x * (1.0 + at::tanh(c * (x + 0.044715 * at::pow(x, 3.0))));
  }
  if (name == "gelu_pytorch_tanh") return at::gelu(x, "tanh");
  if (name == "gelu_fast") return 0.5 * x * (1.0 + at::tanh(x * 0.7978845608 * (1.0 + 0.044715 * x * x)));
  if (name == "quick_gelu") return x * at::sigmoid(1.702 * x);
  if (name == "relu") return at::relu(x);
  if (name == "silu" || name == "swish") return at::silu(x);
  if (name == "tanh") return at::tanh(x);
  throw Error(ErrorCode::ConfigInvalid, "unsupported activation function '" + name + "'");
}

}  // namespace lathe::nn
