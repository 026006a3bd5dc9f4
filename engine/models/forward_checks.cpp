// PreTrainedModel::forward: the inputs checked in words before any kernel runs,
// then the architecture's forward behind the LibTorch error boundary.
#include "models/pretrained_model.h"

#include "core/error.h"
#include "nn/layers.h"
#include "runtime/torch_errors.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/max.h>
#include <ATen/ops/min.h>
#include <ATen/ops/nonzero.h>

#include <string>

namespace lathe::models {
namespace {

std::string shape_of(const at::Tensor& t) {
  std::string s = "[";
  for (std::int64_t i = 0; i < t.dim(); ++i) s += (i ? ", " : "") + std::to_string(t.size(i));
  return s + "]";
}

bool is_index_dtype(const at::Tensor& t) {
  return t.scalar_type() == c10::kLong || t.scalar_type() == c10::kInt;
}

/// Error when some value of `ids` lies outside [0, limit): names the first one
/// and where it is ("row 0, position 2").
void check_range(const at::Tensor& ids, std::int64_t limit, const std::string& what,
                 const std::string& bound_text) {
  if (ids.numel() == 0) return;
  const std::int64_t lo = ids.min().item<std::int64_t>(), hi = ids.max().item<std::int64_t>();
  if (lo >= 0 && hi < limit) return;
  at::Tensor bad = ((ids < 0) | (ids >= limit)).nonzero();
  at::Tensor first = bad[0];
  std::string where;
  if (ids.dim() == 2)
    where = " (row " + std::to_string(first[0].item<std::int64_t>()) + ", position " +
            std::to_string(first[1].item<std::int64_t>()) + ")";
  std::int64_t value = ids.dim() == 2 ? ids[first[0].item<std::int64_t>()][first[1].item<std::int64_t>()].item<std::int64_t>()
                                      : ids.flatten()[first[0].item<std::int64_t>()].item<std::int64_t>();
  throw Error(ErrorCode::InvalidArgument, what + " " + std::to_string(value) + where + " is outside " + bound_text);
}

}  // namespace

void PreTrainedModel::check_forward_inputs(const ForwardInputs& in) {
  auto bad = [&](const std::string& why) { throw Error(ErrorCode::InvalidArgument, why, type_name()); };
  if (!in.input_ids.defined()) bad("no input_ids given");
  const at::Tensor& ids = in.input_ids;
  if (ids.dim() != 2) bad("input_ids must be [batch, sequence]; got the shape " + shape_of(ids));
  if (!is_index_dtype(ids)) bad("input_ids must hold integer token ids, not " + std::string(c10::toString(ids.scalar_type())));
  const std::int64_t B = ids.size(0), L = ids.size(1);
  if (B == 0 || L == 0) bad("input_ids is empty (shape " + shape_of(ids) + ")");
  const std::int64_t past = in.cache ? in.cache->length() : 0;

  if (nn::Embedding* emb = get_input_embeddings()) {
    const std::int64_t vocab = emb->num_embeddings;
    check_range(ids, vocab, "token id",
                "the vocabulary: this model has " + std::to_string(vocab) + " tokens (ids 0-" +
                    std::to_string(vocab - 1) + ")");
  }
  if (in.attention_mask.defined()) {
    const at::Tensor& m = in.attention_mask;
    if (m.dim() != 2 || m.size(0) != B || m.size(1) != past + L)
      bad("attention_mask must be [" + std::to_string(B) + ", " + std::to_string(past + L) +
          "] (batch, cached + new tokens); got " + shape_of(m));
  }
  if (in.token_type_ids.defined()) {
    const at::Tensor& t = in.token_type_ids;
    if (!t.sizes().equals(ids.sizes())) bad("token_type_ids must have the shape of input_ids " + shape_of(ids) + "; got " + shape_of(t));
    if (!is_index_dtype(t)) bad("token_type_ids must be integers");
    if (auto types = config.get_int("type_vocab_size"))
      check_range(t, *types, "token type id",
                  "type_vocab_size: this model has " + std::to_string(*types) + " token types");
    else if (nn::Embedding* emb = get_input_embeddings())
      check_range(t, emb->num_embeddings, "token type id", "the vocabulary (token types index the token embedding)");
  }
  const auto table = max_learned_positions();
  if (in.position_ids.defined()) {
    const at::Tensor& p = in.position_ids;
    if (p.dim() < 1 || p.dim() > 2 || p.size(-1) != L)
      bad("position_ids must be [batch, " + std::to_string(L) + "]; got " + shape_of(p));
    if (!is_index_dtype(p)) bad("position_ids must be integers");
    if (table) check_range(p, *table, "position id", "the position table: max_position_embeddings is " + std::to_string(*table));
  } else if (table && past + L > *table) {
    bad("the input is " + std::to_string(L) + " tokens" +
        (past ? " after " + std::to_string(past) + " cached ones" : std::string()) +
        ", but the model has learned positions for " + std::to_string(*table) + " (max_position_embeddings)");
  }
}

ForwardOutputs PreTrainedModel::forward(const ForwardInputs& in) {
  check_forward_inputs(in);
  return guarded("forward", type_name(), [&] { return forward_impl(in); });
}

}  // namespace lathe::models
