// generate(): greedy and sampling decoding with a KV cache (internal: ATen).
#pragma once

#include "core/progress.h"
#include "models/pretrained_model.h"

#include <cstdint>
#include <optional>

namespace lathe::models {

struct GenerationOptions {
  std::int64_t max_new_tokens = 20;
  bool do_sample = false;
  double temperature = 1.0;   ///< applied first when sampling
  std::int64_t top_k = 50;    ///< then top-k (0 = off)
  double top_p = 1.0;         ///< then nucleus filtering (1.0 = off)
  std::optional<std::int64_t> eos_token_id;  ///< default: config.eos_token_id
  std::optional<std::int64_t> pad_token_id;  ///< default: config.pad_token_id, else eos
  std::uint64_t seed = 0;
  bool use_cache = true;
};

/// Continues `input_ids` [B, L] (left-padded where `attention_mask` says so)
/// and returns [B, L + n] with n ≤ max_new_tokens; finished rows are padded.
/// Positions follow transformers: cumsum(mask) − 1 for padded batches.
at::Tensor generate(PreTrainedModel& model, const at::Tensor& input_ids, const at::Tensor& attention_mask,
                    const GenerationOptions& opts, ProgressSink* progress = nullptr);

/// The sampling warpers in transformers' order (temperature, top-k, top-p)
/// applied to scores [B, V]; filtered entries become -inf.
at::Tensor warp_scores(const at::Tensor& scores, const GenerationOptions& opts);

}  // namespace lathe::models
