// The Llama family (modeling_llama.py, 4.48 eager path): LlamaForCausalLM,
// MistralForCausalLM (sliding window), Qwen2ForCausalLM (q/k/v biases).
// GQA/MQA through repeated key/value heads, explicit head_dim, RoPE (default,
// linear, llama3), attention_bias, mlp_bias, tied or untied lm_head.
#include "core/error.h"
#include "models/attention_util.h"
#include "models/causal_lm_head.h"
#include "models/checkpointing.h"
#include "models/llama/rope.h"
#include "models/registry.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/full.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/softmax.h>

#include <cmath>

namespace lathe::models {
namespace {

struct LlamaDims {
  std::string family;  // "Llama", "Mistral", "Qwen2": class-name prefix
  std::int64_t vocab, hidden, inner, layers, heads, kv_heads, head_dim, positions;
  std::optional<std::int64_t> pad;
  double eps;
  std::string act;
  bool qkv_bias, o_bias, mlp_bias;
  std::optional<std::int64_t> sliding_window;
  RopeConfig rope;
};

LlamaDims dims_of(const ModelConfig& c, const std::string& family) {
  LlamaDims d;
  d.family = family;
  d.vocab = c.vocab_size().value_or(32000);
  d.hidden = c.hidden_size().value_or(4096);
  d.inner = c.get_int("intermediate_size").value_or(11008);
  d.layers = c.num_hidden_layers().value_or(32);
  d.heads = c.num_attention_heads().value_or(32);
  d.kv_heads = c.get_int("num_key_value_heads").value_or(d.heads);
  d.head_dim = c.get_int("head_dim").value_or(d.hidden / d.heads);
  d.positions = c.get_int("max_position_embeddings").value_or(2048);
  d.pad = c.get_int("pad_token_id");
  d.eps = c.get_double("rms_norm_eps").value_or(1e-6);
  d.act = c.get_string("hidden_act").value_or("silu");
  bool attention_bias = c.get_bool("attention_bias").value_or(false);
  d.qkv_bias = family == "Qwen2" ? true : attention_bias;
  d.o_bias = family == "Qwen2" ? false : attention_bias;
  d.mlp_bias = family == "Llama" ? c.get_bool("mlp_bias").value_or(false) : false;
  if (family == "Mistral") d.sliding_window = c.get_int("sliding_window");
  if (family == "Qwen2" && c.get_bool("use_sliding_window").value_or(false))
    throw Error(ErrorCode::Unsupported, "Qwen2 with use_sliding_window=true is not supported");
  if (d.heads <= 0 || d.kv_heads <= 0 || d.heads % d.kv_heads != 0)
    throw Error(ErrorCode::ConfigInvalid, "num_attention_heads must be a multiple of num_key_value_heads");
  if (!c.pruned_heads().empty())
    throw Error(ErrorCode::Unsupported, family + " models do not support pruned heads");
  d.rope = rope_config_of(c, d.head_dim);
  nn::check_activation(d.act);
  return d;
}

class LlamaAttention : public nn::Module {
 public:
  LlamaAttention(const LlamaDims& d, std::int64_t layer, const at::TensorOptions& o)
      : Module(d.family + "Attention"), d_(d), layer_(layer) {
    q = add_child("q_proj", std::make_shared<nn::Linear>(d.hidden, d.heads * d.head_dim, d.qkv_bias, o));
    k = add_child("k_proj", std::make_shared<nn::Linear>(d.hidden, d.kv_heads * d.head_dim, d.qkv_bias, o));
    v = add_child("v_proj", std::make_shared<nn::Linear>(d.hidden, d.kv_heads * d.head_dim, d.qkv_bias, o));
    out = add_child("o_proj", std::make_shared<nn::Linear>(d.heads * d.head_dim, d.hidden, d.o_bias, o));
    // 4.47.1's attention still builds its own rotary_emb (removed in 4.48); its inv_freq shows in
    // accelerate's sizes (device-maps.md's Llama-2-7B total counts 33 of them). Lathe keeps one.
    declare_tensorless({"o_proj", "rotary_emb", d.family + "RotaryEmbedding", {{"inv_freq", {rope_inv_freq(d.rope).size(0)}}}});
  }
  at::Tensor forward(const at::Tensor& h, const at::Tensor& cos, const at::Tensor& sin, const at::Tensor& mask,
                     KVCache* cache) {
    nn::ForwardScope scope(*this);
    const auto B = h.size(0), L = h.size(1);
    auto shape = [&](const at::Tensor& t, std::int64_t n) { return t.view({B, L, n, d_.head_dim}).transpose(1, 2); };
    at::Tensor qs = shape(q->forward(h), d_.heads), ks = shape(k->forward(h), d_.kv_heads), vs = shape(v->forward(h), d_.kv_heads);
    std::tie(qs, ks) = apply_rotary(qs, ks, cos, sin);
    if (cache) std::tie(ks, vs) = cache_append(*cache, layer_, ks, vs);
    const std::int64_t groups = d_.heads / d_.kv_heads;
    ks = repeat_kv(ks, groups);
    vs = repeat_kv(vs, groups);
    at::Tensor w = at::matmul(qs, ks.transpose(2, 3)) * std::pow(static_cast<double>(d_.head_dim), -0.5);
    if (mask.defined()) w = w + mask.narrow(3, 0, ks.size(-2));
    w = at::softmax(w, -1, c10::kFloat).to(qs.scalar_type());
    at::Tensor o = at::matmul(w, vs).transpose(1, 2).contiguous().view({B, L, d_.heads * d_.head_dim});
    return out->forward(o);
  }
  std::shared_ptr<nn::Linear> q, k, v, out;

 private:
  LlamaDims d_;
  std::int64_t layer_;
};

class LlamaMlp : public nn::Module {
 public:
  LlamaMlp(const LlamaDims& d, const at::TensorOptions& o) : Module(d.family + "MLP"), act_(d.act) {
    gate = add_child("gate_proj", std::make_shared<nn::Linear>(d.hidden, d.inner, d.mlp_bias, o));
    up = add_child("up_proj", std::make_shared<nn::Linear>(d.hidden, d.inner, d.mlp_bias, o));
    down = add_child("down_proj", std::make_shared<nn::Linear>(d.inner, d.hidden, d.mlp_bias, o));
    declare_tensorless({"down_proj", "act_fn", nn::activation_class(d.act), {}});
  }
  at::Tensor forward(const at::Tensor& x) {
    nn::ForwardScope scope(*this);
    return down->forward(nn::activation(act_, gate->forward(x)) * up->forward(x));
  }
  std::shared_ptr<nn::Linear> gate, up, down;

 private:
  std::string act_;
};

class LlamaLayer : public nn::Module {
 public:
  LlamaLayer(const LlamaDims& d, std::int64_t i, const at::TensorOptions& o) : Module(d.family + "DecoderLayer") {
    attn = add_child("self_attn", std::make_shared<LlamaAttention>(d, i, o));
    mlp = add_child("mlp", std::make_shared<LlamaMlp>(d, o));
    in_norm = add_child("input_layernorm", std::make_shared<nn::RMSNorm>(d.hidden, d.eps, o));
    post_norm = add_child("post_attention_layernorm", std::make_shared<nn::RMSNorm>(d.hidden, d.eps, o));
  }
  at::Tensor forward(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin, const at::Tensor& mask, KVCache* cache) {
    nn::ForwardScope scope(*this);
    at::Tensor h = x + attn->forward(in_norm->forward(x), cos, sin, mask, cache);
    return h + mlp->forward(post_norm->forward(h));
  }
  std::shared_ptr<LlamaAttention> attn;
  std::shared_ptr<LlamaMlp> mlp;
  std::shared_ptr<nn::RMSNorm> in_norm, post_norm;
};

class LlamaBase : public nn::Module {
 public:
  LlamaBase(const LlamaDims& d, const at::TensorOptions& o) : Module(d.family + "Model"), d_(d) {
    embed = add_child("embed_tokens", std::make_shared<nn::Embedding>(d.vocab, d.hidden, d.pad, o));
    auto list = add_child("layers", std::make_shared<nn::Module>("ModuleList"));
    for (std::int64_t i = 0; i < d.layers; ++i)
      layers.push_back(list->add_child(std::to_string(i), std::make_shared<LlamaLayer>(d, i, o)));
    norm = add_child("norm", std::make_shared<nn::RMSNorm>(d.hidden, d.eps, o));
    rotary = add_child("rotary_emb", std::make_shared<nn::Module>(d.family + "RotaryEmbedding"));
    create_buffers(o.device().is_meta());
  }
  void create_buffers(bool meta) {
    at::Tensor inv = rope_inv_freq(d_.rope);
    rotary->add_buffer("inv_freq", meta ? at::empty(inv.sizes(), nn::meta_options(c10::kFloat)) : inv, false);
  }
  ForwardOutputs forward(const ForwardInputs& in, c10::ScalarType dtype, bool require_grads = false, bool checkpointing = false) {
    nn::ForwardScope scope(*this);
    const auto B = in.input_ids.size(0), L = in.input_ids.size(1);
    const std::int64_t past = in.cache ? in.cache->length() : 0;
    at::Tensor pos = in.position_ids.defined()
                         ? in.position_ids
                         : at::arange(past, past + L, at::TensorOptions().dtype(c10::kLong)).unsqueeze(0).expand({B, L});
    at::Tensor h = embed->forward(in.input_ids);
    if (require_grads && !h.requires_grad()) h.requires_grad_(true);
    at::Tensor mask = causal_mask_4d(in.attention_mask, B, L, past, dtype, d_.sliding_window);
    auto [cos, sin] = rope_cos_sin(rotary->buffer("inv_freq")->value, pos, d_.rope.attention_scaling, h.scalar_type());
    ForwardOutputs out;
    for (auto& layer : layers) {
      if (in.output_hidden_states) out.hidden_states.push_back(h);
      if (use_checkpointing(checkpointing, h)) {
        h = checkpointed([layer, cos = cos, sin = sin, mask](const at::Tensor& x) { return layer->forward(x, cos, sin, mask, nullptr); }, h);
      } else {
        h = layer->forward(h, cos, sin, mask, in.cache);
      }
    }
    h = norm->forward(h);
    if (in.output_hidden_states) out.hidden_states.push_back(h);
    out.last_hidden_state = h;
    return out;
  }
  std::shared_ptr<nn::Embedding> embed;
  std::vector<std::shared_ptr<LlamaLayer>> layers;
  std::shared_ptr<nn::RMSNorm> norm;
  std::shared_ptr<nn::Module> rotary;

 private:
  LlamaDims d_;
};

class LlamaFamily : public CausalLmFamily<LlamaBase> {
 public:
  LlamaFamily(std::string cls, const std::string& family, const ModelConfig& c, const at::TensorOptions& o, bool lm_head)
      : CausalLmFamily(std::move(cls), c, o), d_(dims_of(c, family)) {
    build(std::make_shared<LlamaBase>(d_, o), d_.hidden, d_.vocab, lm_head, o);
  }
  std::string base_model_prefix() const override { return "model"; }
  std::vector<std::string> no_split_modules() const override { return {d_.family + "DecoderLayer"}; }
  bool default_tie_word_embeddings() const override { return false; }
  nn::Embedding* get_input_embeddings() override { return base_->embed.get(); }
  void create_buffers() override { base_->create_buffers(false); }

 private:
  LlamaDims d_;
};

void add_family(Registry& r, const std::string& model_type, const std::string& family) {
  register_causal_lm<LlamaFamily>(r, model_type, family + "Model", family + "ForCausalLM", family);
}

}  // namespace

void register_llama(Registry& r) {
  add_family(r, "llama", "Llama");
  add_family(r, "mistral", "Mistral");
  add_family(r, "qwen2", "Qwen2");
}

}  // namespace lathe::models
