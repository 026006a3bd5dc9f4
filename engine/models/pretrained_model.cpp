#include "models/pretrained_model.h"

#include "core/error.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/any.h>

#include <cmath>
#include <limits>
#include <unordered_set>

namespace lathe::models {

PreTrainedModel::PreTrainedModel(std::string class_name, ModelConfig cfg, at::TensorOptions opts)
    : nn::Module(std::move(class_name)), config(std::move(cfg)), options(opts) {}

nn::Module* PreTrainedModel::base_model() {
  nn::Module* m = child(base_model_prefix());
  return m ? m : this;
}

void PreTrainedModel::init_module_weights(const std::string&, nn::Module& m, at::Generator& gen) {
  // The common _init_weights: normal(0, initializer_range) for Linear/Conv1D/
  // Embedding weights (padding row zeroed), zero biases, LayerNorm 1/0.
  const double std_ = config.get_double("initializer_range").value_or(0.02);
  const std::string& t = m.type_name();
  if (t == "Linear" || t == "Conv1D" || t == "Embedding") {
    if (auto w = m.param("weight")) w->value.normal_(0.0, std_, gen);
    if (auto b = m.param("bias")) b->value.zero_();
    if (t == "Embedding") {
      auto& e = static_cast<nn::Embedding&>(m);
      if (e.padding_idx && *e.padding_idx >= 0 && *e.padding_idx < e.num_embeddings)
        m.param("weight")->value[*e.padding_idx].zero_();
    }
  } else if (t == "LayerNorm" || t == "RMSNorm") {
    if (auto w = m.param("weight")) w->value.fill_(1.0);
    if (auto b = m.param("bias")) b->value.zero_();
  }
}

void PreTrainedModel::prune_layer_heads(int, const std::set<int>&) {
  throw Error(ErrorCode::Unsupported, type_name() + " does not support head pruning (as in transformers)");
}

void PreTrainedModel::prune_heads(const std::map<int, std::vector<int>>& heads_to_prune) {
  const std::int64_t layers = config.num_hidden_layers().value_or(0);
  for (const auto& [layer, heads] : heads_to_prune) {
    if (layer < 0 || layer >= layers)
      throw Error(ErrorCode::InvalidArgument, "layer " + std::to_string(layer) + " does not exist (the model has " +
                                                  std::to_string(layers) + ")");
    const std::int64_t n = config.num_attention_heads().value_or(0);
    for (int h : heads)
      if (h < 0 || h >= n)
        throw Error(ErrorCode::InvalidArgument, "head " + std::to_string(h) + " does not exist (layers have " + std::to_string(n) + " heads)");
  }
  // Validate support before touching the config.
  if (!heads_to_prune.empty() && !supports_head_pruning()) prune_layer_heads(0, {});
  auto pruned = config.pruned_heads();
  for (const auto& [layer, heads] : heads_to_prune) {
    std::set<int> u(pruned[layer].begin(), pruned[layer].end());
    u.insert(heads.begin(), heads.end());
    pruned[layer] = {u.begin(), u.end()};
  }
  config.set_pruned_heads(pruned);
  for (const auto& [layer, heads] : heads_to_prune)
    if (!heads.empty()) prune_layer_heads(layer, {heads.begin(), heads.end()});
}

void PreTrainedModel::tie_weights() {
  if (config.get_bool("tie_word_embeddings").value_or(default_tie_word_embeddings())) {
    nn::Linear* out = get_output_embeddings();
    nn::Embedding* in = get_input_embeddings();
    if (out && in) {
      out->set_param("weight", in->param("weight"));
      if (auto b = out->param("bias")) {
        std::int64_t pad = in->param("weight")->value.size(0) - b->value.size(0);
        if (pad != 0 && !b->value.is_meta()) b->value = at::constant_pad_nd(b->value, {0, pad}, 0);
      }
      out->out_features = in->num_embeddings;
    }
  }
  tie_extra();
}

std::vector<std::string> PreTrainedModel::embedding_parameter_names() {
  std::vector<std::string> out;
  named_modules([&](const std::string& name, nn::Module& m) {
    if (m.type_name() == "Embedding") out.push_back(name.empty() ? "weight" : name + ".weight");
  });
  return out;
}

std::int64_t PreTrainedModel::num_parameters(bool only_trainable, bool exclude_embeddings) {
  std::unordered_set<std::string> skip;
  if (exclude_embeddings)
    for (auto& n : embedding_parameter_names()) skip.insert(n);
  std::int64_t total = 0;
  for (const auto& [name, p] : named_parameters()) {
    if (skip.count(name)) continue;
    if (only_trainable && !p->requires_grad) continue;
    total += p->value.numel() * p->count_factor;
  }
  return total;
}

std::int64_t PreTrainedModel::get_memory_footprint(bool return_buffers) {
  std::int64_t mem = 0;
  for (const auto& [name, p] : named_parameters()) mem += p->value.numel() * static_cast<std::int64_t>(p->value.element_size());
  if (return_buffers)
    for (const auto& [name, b] : named_buffers())
      mem += b->value.numel() * static_cast<std::int64_t>(b->value.element_size());
  return mem;
}

std::int64_t PreTrainedModel::estimate_tokens(const ForwardInputs& in) const {
  if (main_input_name() == "input_ids" && in.input_ids.defined()) return in.input_ids.numel();
  return 0;
}

std::int64_t PreTrainedModel::floating_point_ops(const ForwardInputs& in, bool exclude_embeddings) {
  return 6 * estimate_tokens(in) * num_parameters(false, exclude_embeddings);
}

c10::ScalarType PreTrainedModel::dtype() {
  for (const auto& [name, p] : named_parameters())
    if (at::isFloatingType(p->value.scalar_type())) return p->value.scalar_type();
  return c10::kFloat;
}

void PreTrainedModel::to_dtype(c10::ScalarType dt) {
  if (!at::isFloatingType(dt))
    throw Error(ErrorCode::InvalidArgument, "models can only be cast to a floating dtype");
  for (auto& [name, p] : named_parameters())
    if (at::isFloatingType(p->value.scalar_type())) p->value = p->value.to(dt);
  for (auto& [name, b] : named_buffers())
    if (at::isFloatingType(b->value.scalar_type())) b->value = b->value.to(dt);
  options = options.dtype(dt);
}

std::vector<std::pair<std::string, at::Tensor>> PreTrainedModel::cast_params(c10::ScalarType dt,
                                                                             const std::map<std::string, bool>& mask) {
  if (!at::isFloatingType(dt)) throw Error(ErrorCode::InvalidArgument, "parameters can only be cast to a floating dtype");
  std::vector<std::pair<std::string, at::Tensor>> out;
  for (const auto& [name, p] : named_parameters()) {
    bool cast = at::isFloatingType(p->value.scalar_type());
    if (!mask.empty()) {
      auto it = mask.find(name);
      cast = cast && it != mask.end() && it->second;
    }
    out.emplace_back(name, cast ? p->value.to(dt) : p->value);
  }
  return out;
}

std::optional<std::string> PreTrainedModel::warn_if_padding_and_no_attention_mask(const at::Tensor& ids,
                                                                                 const at::Tensor& attention_mask) {
  auto pad = config.get_int("pad_token_id");
  if (attention_mask.defined() || !pad || !ids.defined() || ids.dim() != 2 || ids.size(1) == 0 || warned_padding_)
    return std::nullopt;
  // Only the first and last columns are checked, to keep it cheap.
  bool found = (ids.select(1, 0) == *pad).any().item<bool>() || (ids.select(1, -1) == *pad).any().item<bool>();
  if (!found) return std::nullopt;
  std::string w =
      "We strongly recommend passing in an `attention_mask` since your input_ids may be padded. See "
      "https://huggingface.co/docs/transformers/troubleshooting#incorrect-output-when-padding-tokens-arent-masked.";
  auto bos = config.get_int("bos_token_id"), eos = config.get_int("eos_token_id"), sep = config.get_int("sep_token_id");
  if ((bos && *bos == *pad) || (eos && *eos == *pad) || (sep && *sep == *pad)) {
    auto str = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string("None"); };
    w += "\nYou may ignore this warning if your `pad_token_id` (" + std::to_string(*pad) + ") is identical to the `bos_token_id` (" +
         str(bos) + "), `eos_token_id` (" + str(eos) + "), or the `sep_token_id` (" + str(sep) + "), and your input is not padded.";
  }
  warned_padding_ = true;
  return w;
}

void PreTrainedModel::apply_requires_grad() {
  for (auto& [name, p] : named_parameters())
    if (at::isFloatingType(p->value.scalar_type())) p->value.requires_grad_(p->requires_grad);
}

double finfo_min(c10::ScalarType dtype) {
  switch (dtype) {
    case c10::kHalf: return -65504.0;
    case c10::kBFloat16: return -3.3895313892515355e+38;
    case c10::kDouble: return std::numeric_limits<double>::lowest();
    default: return static_cast<double>(std::numeric_limits<float>::lowest());
  }
}

at::Tensor extended_attention_mask(const at::Tensor& mask, c10::ScalarType dtype, bool is_decoder) {
  at::Tensor ext;
  if (mask.dim() == 3) {
    ext = mask.unsqueeze(1);
  } else if (mask.dim() == 2) {
    if (is_decoder) {
      const std::int64_t b = mask.size(0), total = mask.size(1);
      // Without past keys the query length equals the mask length.
      const std::int64_t seq = total;
      at::Tensor ids = at::arange(seq, at::TensorOptions().dtype(c10::kLong));
      at::Tensor causal = (ids.view({1, 1, seq}).repeat({b, seq, 1}) <= ids.view({1, seq, 1})).to(mask.scalar_type());
      ext = causal.unsqueeze(1) * mask.unsqueeze(1).unsqueeze(1);
    } else {
      ext = mask.unsqueeze(1).unsqueeze(1);
    }
  } else {
    throw Error(ErrorCode::InvalidArgument, "attention_mask must be 2-D or 3-D");
  }
  ext = ext.to(dtype);
  return (1.0 - ext) * finfo_min(dtype);
}

at::Tensor invert_attention_mask(const at::Tensor& mask, c10::ScalarType dtype) {
  at::Tensor ext;
  if (mask.dim() == 3) ext = mask.unsqueeze(1);
  else if (mask.dim() == 2) ext = mask.unsqueeze(1).unsqueeze(1);
  else throw Error(ErrorCode::InvalidArgument, "encoder attention_mask must be 2-D or 3-D");
  ext = ext.to(dtype);
  return (1.0 - ext) * finfo_min(dtype);
}

at::Tensor head_mask_5d(const at::Tensor& head_mask, std::int64_t num_layers) {
  if (!head_mask.defined()) return head_mask;
  at::Tensor h = head_mask;
  if (h.dim() == 1) h = h.view({1, 1, -1, 1, 1}).expand({num_layers, -1, -1, -1, -1});
  else if (h.dim() == 2) h = h.unsqueeze(1).unsqueeze(-1).unsqueeze(-1);
  else throw Error(ErrorCode::InvalidArgument, "head_mask must be [heads] or [layers, heads]");
  return h;
}

}  // namespace lathe::models
