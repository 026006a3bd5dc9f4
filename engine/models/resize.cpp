// resize_token_embeddings (modeling_utils.py, 4.47.1 semantics).
#include "core/error.h"
#include "models/pretrained_model.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/TensorOperators.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/linalg_cholesky_ex.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/mean.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/std.h>

namespace lathe::models {
namespace {

// New rows from the old rows' statistics. old: [n_old, dim] (any float dtype).
at::Tensor added_rows_with_mean(const at::Tensor& old, std::int64_t added, bool sample, at::Generator& gen) {
  at::Tensor w = old.to(c10::kFloat);
  at::Tensor mu = w.mean({0});
  if (sample) {
    at::Tensor centered = w - mu;
    at::Tensor cov = at::matmul(centered.t(), centered) / static_cast<double>(w.size(0));
    auto [chol, info] = at::linalg_cholesky_ex(cov * 1e-9);
    if (info.item<std::int64_t>() == 0) {
      at::Tensor z = at::randn({added, w.size(1)}, gen, at::TensorOptions().dtype(c10::kFloat));
      return (mu + at::matmul(z, chol.t())).to(old.scalar_type());
    }
  }
  return mu.unsqueeze(0).repeat({added, 1}).to(old.scalar_type());
}

}  // namespace

nn::Embedding* PreTrainedModel::resize_token_embeddings(std::optional<std::int64_t> new_num_tokens,
                                                        std::optional<std::int64_t> pad_to_multiple_of,
                                                        bool mean_resizing, std::uint64_t seed, bool sample_new_rows) {
  nn::Embedding* emb = get_input_embeddings();
  if (!new_num_tokens && !pad_to_multiple_of) return emb;
  nn::Param w = emb->param("weight");
  const std::int64_t old_n = w->value.size(0), dim = w->value.size(1);
  std::int64_t n = new_num_tokens.value_or(old_n);
  if (pad_to_multiple_of) {
    if (*pad_to_multiple_of <= 0)
      throw Error(ErrorCode::InvalidArgument, "pad_to_multiple_of must be a positive integer");
    n = (n + *pad_to_multiple_of - 1) / *pad_to_multiple_of * *pad_to_multiple_of;
  }
  if (n <= 0) throw Error(ErrorCode::InvalidArgument, "the new vocabulary size must be positive");
  if (n > (std::int64_t{1} << 24))  // the vocab_size bound config.json is held to
    throw Error(ErrorCode::InvalidArgument, "the new vocabulary size " + std::to_string(n) + " is above 16777216");
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  const double range = config.get_double("initializer_range").value_or(0.02);
  const std::int64_t keep = std::min(old_n, n);

  if (n != old_n) {
    at::Tensor fresh = at::empty({n, dim}, w->value.options());
    if (n > old_n) {
      if (mean_resizing) fresh.narrow(0, old_n, n - old_n).copy_(added_rows_with_mean(w->value, n - old_n, sample_new_rows, gen));
      else fresh.normal_(0.0, range, gen);
    }
    fresh.narrow(0, 0, keep).copy_(w->value.narrow(0, 0, keep));
    w->value = fresh;  // same slot: a tied head sees the new rows too
    emb->num_embeddings = n;
    if (emb->padding_idx && n - 1 < *emb->padding_idx) emb->padding_idx.reset();
  }

  const bool tied = config.get_bool("tie_word_embeddings").value_or(default_tie_word_embeddings());
  nn::Linear* head = get_output_embeddings();
  if (head && !tied) {
    nn::Param hw = head->param("weight");
    const std::int64_t old_h = hw->value.size(0);
    if (old_h != n) {
      const std::int64_t hkeep = std::min(old_h, n);
      // A new Linear in transformers: fresh parameter objects.
      at::Tensor nw = at::empty({n, hw->value.size(1)}, hw->value.options());
      nn::Param hb = head->param("bias");
      at::Tensor nb = hb ? at::empty({n}, hb->value.options()) : at::Tensor();
      if (n > old_h) {
        if (mean_resizing) {
          nw.narrow(0, old_h, n - old_h).copy_(added_rows_with_mean(hw->value, n - old_h, sample_new_rows, gen));
          if (hb) {
            at::Tensor b = hb->value.to(c10::kFloat);
            nb.narrow(0, old_h, n - old_h).normal_(b.mean().item<double>(), 1e-9 * b.std().item<double>(), gen);
          }
        } else {
          nw.normal_(0.0, range, gen);
          if (hb) nb.zero_();
        }
      }
      nw.narrow(0, 0, hkeep).copy_(hw->value.narrow(0, 0, hkeep));
      head->set_param("weight", std::make_shared<nn::ParamSlot>(nn::ParamSlot{nw, hw->requires_grad}));
      if (hb) {
        nb.narrow(0, 0, hkeep).copy_(hb->value.narrow(0, 0, hkeep));
        head->set_param("bias", std::make_shared<nn::ParamSlot>(nn::ParamSlot{nb, hb->requires_grad}));
      }
      head->out_features = n;
    }
  }
  config.set_int("vocab_size", n);
  tie_weights();
  return emb;
}

}  // namespace lathe::models
