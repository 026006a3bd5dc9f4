// BLOOM (modeling_bloom.py): BloomModel, BloomForCausalLM. ALiBi position
// biases instead of position embeddings; q/k/v fused per head as
// [heads, 3, head_dim]; softmax in float32.
#include "core/error.h"
#include "models/attention_util.h"
#include "models/causal_lm_head.h"
#include "models/checkpointing.h"
#include "models/registry.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/baddbmm.h>
#include <ATen/ops/bmm.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/pow.h>
#include <ATen/ops/softmax.h>
#include <ATen/ops/tanh.h>

#include <cmath>

namespace lathe::models {

/// build_alibi_tensor: per-head slopes × (cumsum(mask) − 1)·mask, [B·H, 1, T].
at::Tensor bloom_alibi(const at::Tensor& attention_mask, std::int64_t heads, c10::ScalarType dtype) {
  const auto B = attention_mask.size(0), T = attention_mask.size(1);
  const std::int64_t closest = std::int64_t{1} << static_cast<int>(std::floor(std::log2(static_cast<double>(heads))));
  auto f32 = at::TensorOptions().dtype(c10::kFloat);
  auto i32 = at::TensorOptions().dtype(c10::kInt);
  const double base = std::pow(2.0, -std::pow(2.0, -(std::log2(static_cast<double>(closest)) - 3)));
  at::Tensor slopes = at::pow(at::ones({}, f32) * base, at::arange(1, 1 + closest, i32));
  if (closest != heads) {
    const double extra_base = std::pow(2.0, -std::pow(2.0, -(std::log2(2.0 * static_cast<double>(closest)) - 3)));
    const std::int64_t remaining = std::min(closest, heads - closest);
    at::Tensor extra = at::pow(at::ones({}, f32) * extra_base, at::arange(1, 1 + 2 * remaining, 2, i32));
    slopes = at::cat({slopes, extra}, 0);
  }
  at::Tensor positions = ((attention_mask.cumsum(-1) - 1) * attention_mask).unsqueeze(1);  // [B, 1, T]
  at::Tensor alibi = slopes.view({1, heads, 1}) * positions;                                 // [B, H, T]
  return alibi.reshape({B * heads, 1, T}).to(dtype);
}

namespace {

struct BloomDims {
  std::int64_t vocab, hidden, layers, heads;
  double eps;
  bool post_ln_residual;
};

BloomDims dims_of(const ModelConfig& c) {
  BloomDims d;
  d.vocab = c.vocab_size().value_or(250880);
  d.hidden = c.hidden_size().value_or(64);
  if (!c.has("hidden_size")) d.hidden = c.get_int("n_embed").value_or(64);
  d.layers = c.num_hidden_layers().value_or(2);
  d.heads = c.num_attention_heads().value_or(8);
  d.eps = c.get_double("layer_norm_epsilon").value_or(1e-5);
  d.post_ln_residual = c.get_bool("apply_residual_connection_post_layernorm").value_or(false);
  if (d.hidden % d.heads != 0) throw Error(ErrorCode::ConfigInvalid, "hidden_size must be divisible by n_head");
  if (c.get_int("pretraining_tp").value_or(1) != 1 && c.get_bool("slow_but_exact").value_or(false))
    throw Error(ErrorCode::Unsupported, "BLOOM slow_but_exact with pretraining_tp > 1 is not supported");
  return d;
}

at::Tensor bloom_gelu(const at::Tensor& x) { return x * 0.5 * (1.0 + at::tanh(0.79788456 * x * (1 + 0.044715 * x * x))); }

class BloomBlock : public nn::Module {
 public:
  BloomBlock(const BloomDims& d, std::int64_t i, const at::TensorOptions& o) : Module("BloomBlock"), d_(d), layer_(i) {
    in_norm = add_child("input_layernorm", std::make_shared<nn::LayerNorm>(d.hidden, d.eps, o));
    auto attn = add_child("self_attention", std::make_shared<nn::Module>("BloomAttention"));
    qkv = attn->add_child("query_key_value", std::make_shared<nn::Linear>(d.hidden, 3 * d.hidden, true, o));
    dense = attn->add_child("dense", std::make_shared<nn::Linear>(d.hidden, d.hidden, true, o));
    attn->declare_tensorless({"dense", "attention_dropout", "Dropout", {}});
    post_norm = add_child("post_attention_layernorm", std::make_shared<nn::LayerNorm>(d.hidden, d.eps, o));
    auto mlp = add_child("mlp", std::make_shared<nn::Module>("BloomMLP"));
    up = mlp->add_child("dense_h_to_4h", std::make_shared<nn::Linear>(d.hidden, 4 * d.hidden, true, o));
    mlp->add_child("gelu_impl", std::make_shared<nn::Module>("BloomGelu"));
    down = mlp->add_child("dense_4h_to_h", std::make_shared<nn::Linear>(4 * d.hidden, d.hidden, true, o));
  }
  at::Tensor forward(const at::Tensor& x, const at::Tensor& alibi, const at::Tensor& mask, KVCache* cache) {
    nn::ForwardScope scope(*this);
    const auto B = x.size(0), L = x.size(1), H = d_.heads, D = d_.hidden / d_.heads;
    at::Tensor ln = in_norm->forward(x);
    at::Tensor residual = d_.post_ln_residual ? ln : x;
    at::Tensor attn_out;
    {
      nn::ForwardScope attention(*child("self_attention"));
      at::Tensor fused = qkv->forward(ln).view({B, L, H, 3, D});
      at::Tensor q = fused.select(3, 0).transpose(1, 2), k = fused.select(3, 1).transpose(1, 2), v = fused.select(3, 2).transpose(1, 2);
      if (cache) std::tie(k, v) = cache_append(*cache, layer_, k, v);
      const auto T = k.size(2);
      at::Tensor qf = q.reshape({B * H, L, D}), kf = k.reshape({B * H, T, D}).transpose(-1, -2), vf = v.reshape({B * H, T, D});
      at::Tensor scores = at::baddbmm(alibi, qf, kf, 1.0, 1.0 / std::sqrt(static_cast<double>(D))).view({B, H, L, T});
      if (mask.defined()) scores = scores + mask.narrow(3, 0, T);
      at::Tensor probs = at::softmax(scores, -1, c10::kFloat).to(q.scalar_type());
      at::Tensor ctx = at::bmm(probs.view({B * H, L, T}), vf).view({B, H, L, D}).permute({0, 2, 1, 3}).reshape({B, L, H * D});
      attn_out = dense->forward(ctx) + residual;
    }
    at::Tensor ln2 = post_norm->forward(attn_out);
    residual = d_.post_ln_residual ? ln2 : attn_out;
    nn::ForwardScope mlp(*child("mlp"));
    return down->forward(bloom_gelu(up->forward(ln2))) + residual;
  }
  std::shared_ptr<nn::LayerNorm> in_norm, post_norm;
  std::shared_ptr<nn::Linear> qkv, dense, up, down;

 private:
  BloomDims d_;
  std::int64_t layer_;
};

class BloomBase : public nn::Module {
 public:
  BloomBase(const BloomDims& d, const at::TensorOptions& o) : Module("BloomModel"), d_(d) {
    embed = add_child("word_embeddings", std::make_shared<nn::Embedding>(d.vocab, d.hidden, std::nullopt, o));
    embed_norm = add_child("word_embeddings_layernorm", std::make_shared<nn::LayerNorm>(d.hidden, d.eps, o));
    auto list = add_child("h", std::make_shared<nn::Module>("ModuleList"));
    for (std::int64_t i = 0; i < d.layers; ++i) blocks.push_back(list->add_child(std::to_string(i), std::make_shared<BloomBlock>(d, i, o)));
    ln_f = add_child("ln_f", std::make_shared<nn::LayerNorm>(d.hidden, d.eps, o));
  }
  ForwardOutputs forward(const ForwardInputs& in, c10::ScalarType dtype, bool require_grads = false, bool checkpointing = false) {
    nn::ForwardScope scope(*this);
    const auto B = in.input_ids.size(0), L = in.input_ids.size(1);
    const std::int64_t past = in.cache ? in.cache->length() : 0;
    at::Tensor am = in.attention_mask.defined() ? in.attention_mask : at::ones({B, past + L}, at::TensorOptions().dtype(c10::kLong));
    at::Tensor e = embed->forward(in.input_ids);
    if (require_grads && !e.requires_grad()) e.requires_grad_(true);
    at::Tensor h = embed_norm->forward(e);
    at::Tensor alibi = bloom_alibi(am, d_.heads, h.scalar_type());
    at::Tensor mask = causal_mask_4d(am, B, L, past, dtype);
    ForwardOutputs out;
    for (auto& b : blocks) {
      if (in.output_hidden_states) out.hidden_states.push_back(h);
      if (use_checkpointing(checkpointing, h)) {
        h = checkpointed([b, alibi, mask](const at::Tensor& x) { return b->forward(x, alibi, mask, nullptr); }, h);
      } else {
        h = b->forward(h, alibi, mask, in.cache);
      }
    }
    h = ln_f->forward(h);
    if (in.output_hidden_states) out.hidden_states.push_back(h);
    out.last_hidden_state = h;
    return out;
  }
  std::shared_ptr<nn::Embedding> embed;
  std::shared_ptr<nn::LayerNorm> embed_norm, ln_f;
  std::vector<std::shared_ptr<BloomBlock>> blocks;

 private:
  BloomDims d_;
};

class BloomFamily : public CausalLmFamily<BloomBase> {
 public:
  BloomFamily(std::string cls, const ModelConfig& c, const at::TensorOptions& o, bool lm_head)
      : CausalLmFamily(std::move(cls), c, o), d_(dims_of(c)) {
    build(std::make_shared<BloomBase>(d_, o), d_.hidden, d_.vocab, lm_head, o);
  }
  std::string base_model_prefix() const override { return "transformer"; }
  std::vector<std::string> no_split_modules() const override { return {"BloomBlock"}; }
  nn::Embedding* get_input_embeddings() override { return base_->embed.get(); }

 private:
  BloomDims d_;
};

}  // namespace

void register_bloom(Registry& r) {
  register_causal_lm<BloomFamily>(r, "bloom", "BloomModel", "BloomForCausalLM");
}

}  // namespace lathe::models
