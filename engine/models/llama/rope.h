// Rotary position embeddings and repeated KV heads (internal).
#pragma once

#include "config/model_config.h"

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>

namespace lathe::models {

struct RopeConfig {
  std::string type = "default";  ///< default | linear | llama3
  double theta = 10000.0;
  std::int64_t dim = 0;          ///< head_dim × partial_rotary_factor
  double factor = 1.0;
  double low_freq_factor = 1.0, high_freq_factor = 4.0;
  double original_max_position_embeddings = 8192;
  double attention_scaling = 1.0;
};

/// rope_theta, rope_scaling ({"rope_type"|"type", "factor", ...}) and
/// partial_rotary_factor; Error(Unsupported) for scaling types Lathe lacks.
RopeConfig rope_config_of(const ModelConfig& c, std::int64_t head_dim);
/// inv_freq as transformers' rope init functions compute it (float32, [dim/2]).
at::Tensor rope_inv_freq(const RopeConfig& r);
/// cos, sin [B, L, dim] in `dtype` for integer positions [B, L].
std::pair<at::Tensor, at::Tensor> rope_cos_sin(const at::Tensor& inv_freq, const at::Tensor& positions,
                                               double attention_scaling, c10::ScalarType dtype);
/// q·cos + rotate_half(q)·sin for q and k ([B, H, L, D]).
std::pair<at::Tensor, at::Tensor> apply_rotary(const at::Tensor& q, const at::Tensor& k, const at::Tensor& cos,
                                               const at::Tensor& sin);
/// [B, kv, T, D] → [B, kv·n, T, D], each kv head repeated n times in place.
at::Tensor repeat_kv(const at::Tensor& x, std::int64_t n);

}  // namespace lathe::models
