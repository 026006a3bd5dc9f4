#include "models/llama/rope.h"

#include "core/error.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/cos.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/pow.h>
#include <ATen/ops/sin.h>
#include <ATen/ops/where.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace lathe::models {

RopeConfig rope_config_of(const ModelConfig& c, std::int64_t head_dim) {
  RopeConfig r;
  r.theta = c.get_double("rope_theta").value_or(10000.0);
  r.dim = static_cast<std::int64_t>(static_cast<double>(head_dim) * c.get_double("partial_rotary_factor").value_or(1.0));
  auto it = c.json().find("rope_scaling");
  if (it == c.json().end() || it->is_null()) return r;
  if (!it->is_object()) throw Error(ErrorCode::ConfigInvalid, "rope_scaling must be an object");
  const auto& s = *it;
  r.type = s.value("rope_type", s.value("type", std::string("default")));
  auto num = [&](const char* k, double dflt) {
    auto f = s.find(k);
    return (f != s.end() && f->is_number()) ? f->get<double>() : dflt;
  };
  r.factor = num("factor", 1.0);
  if (r.type == "default") return r;
  if (r.type == "linear") return r;
  if (r.type == "llama3") {
    r.low_freq_factor = num("low_freq_factor", 1.0);
    r.high_freq_factor = num("high_freq_factor", 4.0);
    r.original_max_position_embeddings = num("original_max_position_embeddings", 8192);
    return r;
  }
  throw Error(ErrorCode::Unsupported, "rope_scaling type '" + r.type + "' is not supported (default, linear, llama3)");
}

at::Tensor rope_inv_freq(const RopeConfig& r) {
  auto f32 = at::TensorOptions().dtype(c10::kFloat);
  at::Tensor exponents = at::arange(0, r.dim, 2, at::TensorOptions().dtype(c10::kLong)).to(c10::kFloat) / static_cast<double>(r.dim);
  at::Tensor inv = 1.0 / at::pow(r.theta, exponents);
  if (r.type == "linear") return inv / r.factor;
  if (r.type == "llama3") {
    const double low_wavelen = r.original_max_position_embeddings / r.low_freq_factor;
    const double high_wavelen = r.original_max_position_embeddings / r.high_freq_factor;
    at::Tensor wavelen = 2.0 * M_PI / inv;
    at::Tensor scaled = at::where(wavelen > low_wavelen, inv / r.factor, inv);
    at::Tensor smooth = (r.original_max_position_embeddings / wavelen - r.low_freq_factor) / (r.high_freq_factor - r.low_freq_factor);
    at::Tensor smoothed = (1.0 - smooth) * scaled / r.factor + smooth * scaled;
    at::Tensor medium = (wavelen >= high_wavelen) & (wavelen <= low_wavelen);
    return at::where(medium, smoothed, scaled).to(f32.dtype());
  }
  return inv;
}

std::pair<at::Tensor, at::Tensor> rope_cos_sin(const at::Tensor& inv_freq, const at::Tensor& positions,
                                               double attention_scaling, c10::ScalarType dtype) {
  const auto B = positions.size(0);
  at::Tensor inv = inv_freq.to(c10::kFloat).view({1, -1, 1}).expand({B, -1, 1});
  at::Tensor pos = positions.unsqueeze(1).to(c10::kFloat);
  at::Tensor freqs = at::matmul(inv, pos).transpose(1, 2);
  at::Tensor emb = at::cat({freqs, freqs}, -1);
  at::Tensor cos = emb.cos(), sin = emb.sin();
  if (attention_scaling != 1.0) {
    cos = cos * attention_scaling;
    sin = sin * attention_scaling;
  }
  return {cos.to(dtype), sin.to(dtype)};
}

namespace {
at::Tensor rotate_half(const at::Tensor& x) {
  const auto half = x.size(-1) / 2;
  return at::cat({-x.narrow(-1, half, x.size(-1) - half), x.narrow(-1, 0, half)}, -1);
}
}  // namespace

std::pair<at::Tensor, at::Tensor> apply_rotary(const at::Tensor& q, const at::Tensor& k, const at::Tensor& cos,
                                               const at::Tensor& sin) {
  at::Tensor c = cos.unsqueeze(1), s = sin.unsqueeze(1);
  return {q * c + rotate_half(q) * s, k * c + rotate_half(k) * s};
}

at::Tensor repeat_kv(const at::Tensor& x, std::int64_t n) {
  if (n == 1) return x;
  const auto B = x.size(0), kv = x.size(1), T = x.size(2), D = x.size(3);
  return x.unsqueeze(2).expand({B, kv, n, T, D}).reshape({B, kv * n, T, D});
}

}  // namespace lathe::models
