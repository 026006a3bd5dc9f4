#include "models/generate.h"

#include "runtime/torch_errors.h"
#include "core/error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/TensorOperators.h>
#include <ATen/ops/argmax.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/cumsum.h>
#include <ATen/ops/full.h>
#include <ATen/ops/multinomial.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/softmax.h>
#include <ATen/ops/sort.h>
#include <ATen/ops/topk.h>
#include <ATen/ops/where.h>
#include <ATen/ops/zeros.h>
#include <ATen/ops/max.h>

#include <limits>

namespace lathe::models {

at::Tensor warp_scores(const at::Tensor& in, const GenerationOptions& o) {
  at::Tensor s = in.to(c10::kFloat);
  const double neg_inf = -std::numeric_limits<double>::infinity();
  if (o.temperature <= 0) throw Error(ErrorCode::InvalidArgument, "temperature must be > 0");
  if (o.temperature != 1.0) s = s / o.temperature;
  if (o.top_k > 0 && o.top_k < s.size(-1)) {
    // TopKLogitsWarper: everything below the k-th largest score is removed.
    at::Tensor kth = std::get<0>(at::topk(s, o.top_k, -1)).narrow(-1, o.top_k - 1, 1);
    s = s.masked_fill(s < kth, neg_inf);
  }
  if (o.top_p < 1.0) {
    // TopPLogitsWarper: sort ascending, drop the tokens whose cumulative
    // probability stays within 1 − top_p (the most likely one is always kept).
    auto [sorted, idx] = at::sort(s, -1, false);
    at::Tensor cum = at::softmax(sorted, -1).cumsum(-1);
    at::Tensor remove_sorted = cum <= (1.0 - o.top_p);
    remove_sorted.narrow(-1, s.size(-1) - 1, 1).fill_(false);
    at::Tensor remove = remove_sorted.scatter(-1, idx, remove_sorted);
    s = s.masked_fill(remove, neg_inf);
  }
  return s;
}

namespace {
at::Tensor generate_ids(PreTrainedModel& model, const at::Tensor& input_ids, const at::Tensor& attention_mask,
                    const GenerationOptions& opts, ProgressSink* progress) {
  if (!model.can_generate())
    throw Error(ErrorCode::Unsupported, model.type_name() + " cannot generate (it has no language-model head)");
  if (input_ids.dim() != 2 || input_ids.size(1) == 0)
    throw Error(ErrorCode::InvalidArgument, "input_ids must be [batch, length] with length > 0");
  if (opts.max_new_tokens < 0) throw Error(ErrorCode::InvalidArgument, "max_new_tokens must be 0 or more");
  if (auto table = model.max_learned_positions(); table && input_ids.size(1) + opts.max_new_tokens > *table)
    throw Error(ErrorCode::InvalidArgument,
                "the prompt (" + std::to_string(input_ids.size(1)) + " tokens) plus max_new_tokens (" +
                    std::to_string(opts.max_new_tokens) + ") exceed the " + std::to_string(*table) +
                    " positions the model has learned (max_position_embeddings)",
                model.type_name());
  const auto B = input_ids.size(0);
  auto lo = at::TensorOptions().dtype(c10::kLong);
  std::optional<std::int64_t> eos = opts.eos_token_id ? opts.eos_token_id : model.config.get_int("eos_token_id");
  std::int64_t pad = opts.pad_token_id.value_or(model.config.get_int("pad_token_id").value_or(eos.value_or(0)));
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(opts.seed);

  at::Tensor ids = input_ids;
  at::Tensor mask = attention_mask.defined() ? attention_mask.to(c10::kLong) : at::ones(input_ids.sizes(), lo);
  at::Tensor unfinished = at::ones({B}, lo);
  KVCache cache;
  for (std::int64_t step = 0; step < opts.max_new_tokens; ++step) {
    check_progress(progress, "generating", static_cast<std::uint64_t>(step), static_cast<std::uint64_t>(opts.max_new_tokens));
    ForwardInputs in;
    const bool incremental = opts.use_cache && step > 0;
    in.input_ids = incremental ? ids.narrow(1, ids.size(1) - 1, 1) : ids;
    in.attention_mask = mask;
    // Positions from the mask, as prepare_inputs_for_generation computes them.
    at::Tensor pos = mask.cumsum(-1) - 1;
    pos = pos.masked_fill(mask == 0, 1);
    in.position_ids = incremental ? pos.narrow(1, pos.size(1) - 1, 1) : pos;
    if (opts.use_cache) in.cache = &cache;
    at::Tensor logits = model.forward(in).logits.select(1, -1);
    at::Tensor next;
    if (opts.do_sample) {
      at::Tensor probs = at::softmax(warp_scores(logits, opts), -1);
      next = at::multinomial(probs, 1, false, gen).squeeze(1);
    } else {
      next = at::argmax(logits.to(c10::kFloat), -1);
    }
    next = next * unfinished + pad * (1 - unfinished);
    ids = at::cat({ids, next.unsqueeze(1)}, 1);
    mask = at::cat({mask, at::ones({B, 1}, lo)}, 1);
    if (eos) unfinished = unfinished * (next != *eos).to(c10::kLong);
    if (unfinished.max().item<std::int64_t>() == 0) break;
  }
  return ids;
}
}  // namespace

at::Tensor generate(PreTrainedModel& model, const at::Tensor& input_ids, const at::Tensor& attention_mask,
                    const GenerationOptions& opts, ProgressSink* progress) {
  return guarded("generating", model.type_name(), [&] { return generate_ids(model, input_ids, attention_mask, opts, progress); });
}

}  // namespace lathe::models
