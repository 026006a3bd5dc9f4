// GPT-2 (modeling_gpt2.py): GPT2Model, GPT2LMHeadModel. Conv1D weights are
// stored [in, out]; q/k/v are fused in c_attn; eager attention as in 4.47.
#include "core/error.h"
#include "models/attention_util.h"
#include "models/causal_lm_head.h"
#include "models/checkpointing.h"
#include "models/pruning.h"
#include "models/registry.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/full.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/softmax.h>
#include <ATen/ops/tril.h>
#include <ATen/ops/where.h>

#include <cmath>
#include <set>

namespace lathe::models {
namespace {

struct Gpt2Dims {
  std::int64_t vocab, positions, embd, layers, heads, inner;
  double eps;
  std::string act;
  bool scale_weights, scale_by_layer;
};

Gpt2Dims dims_of(const ModelConfig& c) {
  Gpt2Dims d;
  d.vocab = c.vocab_size().value_or(50257);
  d.positions = c.get_int("n_positions").value_or(1024);
  d.embd = c.get_int("n_embd").value_or(768);
  d.layers = c.get_int("n_layer").value_or(12);
  d.heads = c.get_int("n_head").value_or(12);
  d.inner = c.get_int("n_inner").value_or(4 * d.embd);
  d.eps = c.get_double("layer_norm_epsilon").value_or(1e-5);
  d.act = c.get_string("activation_function").value_or("gelu_new");
  d.scale_weights = c.get_bool("scale_attn_weights").value_or(true);
  d.scale_by_layer = c.get_bool("scale_attn_by_inverse_layer_idx").value_or(false);
  if (d.embd % d.heads != 0) throw Error(ErrorCode::ConfigInvalid, "n_embd must be divisible by n_head");
  if (c.get_bool("add_cross_attention").value_or(false))
    throw Error(ErrorCode::Unsupported, "GPT-2 with cross-attention is not supported");
  if (c.get_bool("reorder_and_upcast_attn").value_or(false))
    throw Error(ErrorCode::Unsupported, "reorder_and_upcast_attn is not supported");
  nn::check_activation(d.act);
  return d;
}

class Gpt2Attention : public nn::Module {
 public:
  Gpt2Attention(const Gpt2Dims& d, std::int64_t layer_idx, const std::set<int>& pruned, const at::TensorOptions& o)
      : Module("GPT2Attention"), d_(d), layer_(layer_idx), heads_(d.heads - static_cast<std::int64_t>(pruned.size())),
        head_dim_(d.embd / d.heads), dtype_(o.dtype().toScalarType()), pruned_(pruned) {
    c_attn = add_child("c_attn", std::make_shared<nn::Conv1D>(3 * heads_ * head_dim_, d.embd, o));
    c_proj = add_child("c_proj", std::make_shared<nn::Conv1D>(d.embd, heads_ * head_dim_, o));
    declare_tensorless({"c_proj", "attn_dropout", "Dropout", {}});
    declare_tensorless({"c_proj", "resid_dropout", "Dropout", {}});
  }
  /// `causal` is the [1, 1, P, P] lower-triangular mask, one tensor shared by
  /// every layer: it is never saved, and each layer's buffer slot still counts
  /// it in get_memory_footprint as transformers' separate copies are counted.
  void create_buffers(bool meta, const at::Tensor& causal) {
    auto dev = meta ? c10::DeviceType::Meta : c10::DeviceType::CPU;
    // registered before the Conv1D children in Python: buffers come first.
    add_buffer("bias", causal, false);
    // torch.tensor(-1e4) under from_pretrained's default dtype: the model dtype.
    add_buffer("masked_bias", at::full({}, -1e4, at::TensorOptions().dtype(dtype_).device(dev)), false);
  }

  at::Tensor forward(const at::Tensor& h, const at::Tensor& mask, KVCache* cache) {
    nn::ForwardScope scope(*this);
    const auto B = h.size(0), L = h.size(1);
    const std::int64_t split = heads_ * head_dim_;
    at::Tensor qkv = c_attn->forward(h);
    auto heads = [&](const at::Tensor& t) { return t.view({B, L, heads_, head_dim_}).permute({0, 2, 1, 3}); };
    at::Tensor q = heads(qkv.narrow(2, 0, split));
    at::Tensor k = heads(qkv.narrow(2, split, split));
    at::Tensor v = heads(qkv.narrow(2, 2 * split, split));
    if (cache) std::tie(k, v) = cache_append(*cache, layer_, k, v);

    at::Tensor w = at::matmul(q, k.transpose(-1, -2));
    if (d_.scale_weights) w = w / std::sqrt(static_cast<double>(v.size(-1)));
    if (d_.scale_by_layer) w = w / static_cast<double>(layer_ + 1);
    const auto ql = q.size(-2), kl = k.size(-2);
    at::Tensor causal = buffer("bias")->value.narrow(2, kl - ql, ql).narrow(3, 0, kl);
    at::Tensor mask_value = at::full({}, finfo_min(w.scalar_type()), w.options());
    w = at::where(causal, w, mask_value);
    if (mask.defined()) w = w + mask.narrow(3, 0, kl);
    w = at::softmax(w, -1).to(v.scalar_type());
    at::Tensor o = at::matmul(w, v).permute({0, 2, 1, 3}).contiguous().view({B, L, split});
    return c_proj->forward(o);
  }

  /// GPT2Attention.prune_heads: c_attn columns of q, k and v; c_proj rows.
  void prune(const std::set<int>& heads) {
    auto [fresh, index] = pruneable_heads_and_index(heads, heads_, head_dim_, pruned_);
    const std::int64_t split = heads_ * head_dim_;
    prune_conv1d(*c_attn, at::cat({index, index + split, index + 2 * split}), 1);
    prune_conv1d(*c_proj, index, 0);
    heads_ -= static_cast<std::int64_t>(fresh.size());
    pruned_.insert(fresh.begin(), fresh.end());
  }

  std::shared_ptr<nn::Conv1D> c_attn, c_proj;

 private:
  Gpt2Dims d_;
  std::int64_t layer_, heads_, head_dim_;
  c10::ScalarType dtype_;
  std::set<int> pruned_;
};

class Gpt2Mlp : public nn::Module {
 public:
  Gpt2Mlp(const Gpt2Dims& d, const at::TensorOptions& o) : Module("GPT2MLP"), act_(d.act) {
    c_fc = add_child("c_fc", std::make_shared<nn::Conv1D>(d.inner, d.embd, o));
    c_proj = add_child("c_proj", std::make_shared<nn::Conv1D>(d.embd, d.inner, o));
    declare_tensorless({"c_proj", "act", nn::activation_class(d.act), {}});
    declare_tensorless({"c_proj", "dropout", "Dropout", {}});
  }
  at::Tensor forward(const at::Tensor& h) {
    nn::ForwardScope scope(*this);
    return c_proj->forward(nn::activation(act_, c_fc->forward(h)));
  }
  std::shared_ptr<nn::Conv1D> c_fc, c_proj;

 private:
  std::string act_;
};

class Gpt2Block : public nn::Module {
 public:
  Gpt2Block(const Gpt2Dims& d, std::int64_t i, const std::set<int>& pruned, const at::TensorOptions& o) : Module("GPT2Block") {
    ln_1 = add_child("ln_1", std::make_shared<nn::LayerNorm>(d.embd, d.eps, o));
    attn = add_child("attn", std::make_shared<Gpt2Attention>(d, i, pruned, o));
    ln_2 = add_child("ln_2", std::make_shared<nn::LayerNorm>(d.embd, d.eps, o));
    mlp = add_child("mlp", std::make_shared<Gpt2Mlp>(d, o));
  }
  at::Tensor forward(const at::Tensor& x, const at::Tensor& mask, KVCache* cache) {
    nn::ForwardScope scope(*this);
    at::Tensor h = x + attn->forward(ln_1->forward(x), mask, cache);
    return h + mlp->forward(ln_2->forward(h));
  }
  std::shared_ptr<nn::LayerNorm> ln_1, ln_2;
  std::shared_ptr<Gpt2Attention> attn;
  std::shared_ptr<Gpt2Mlp> mlp;
};

class Gpt2Base : public nn::Module {
 public:
  Gpt2Base(const ModelConfig& c, const Gpt2Dims& d, const at::TensorOptions& o) : Module("GPT2Model"), d_(d) {
    wte = add_child("wte", std::make_shared<nn::Embedding>(d.vocab, d.embd, std::nullopt, o));
    wpe = add_child("wpe", std::make_shared<nn::Embedding>(d.positions, d.embd, std::nullopt, o));
    declare_tensorless({"wpe", "drop", "Dropout", {}});
    auto list = add_child("h", std::make_shared<nn::Module>("ModuleList"));
    auto pruned = c.pruned_heads();
    // config.pruned_heads is applied at construction, before any weight loads.
    for (std::int64_t i = 0; i < d.layers; ++i) {
      const auto& p = pruned[static_cast<int>(i)];
      blocks.push_back(list->add_child(std::to_string(i), std::make_shared<Gpt2Block>(d, i, std::set<int>(p.begin(), p.end()), o)));
    }
    ln_f = add_child("ln_f", std::make_shared<nn::LayerNorm>(d.embd, d.eps, o));
  }

  ForwardOutputs forward(const ForwardInputs& in, c10::ScalarType dtype, bool require_grads = false, bool checkpointing = false) {
    nn::ForwardScope scope(*this);
    const auto B = in.input_ids.size(0), L = in.input_ids.size(1);
    const std::int64_t past = in.cache ? in.cache->length() : 0;
    at::Tensor pos = in.position_ids.defined()
                         ? in.position_ids
                         : at::arange(past, past + L, at::TensorOptions().dtype(c10::kLong)).unsqueeze(0);
    at::Tensor h = wte->forward(in.input_ids) + wpe->forward(pos);
    if (require_grads && !h.requires_grad()) h.requires_grad_(true);
    if (in.token_type_ids.defined()) h = h + wte->forward(in.token_type_ids);
    at::Tensor mask;
    if (in.attention_mask.defined()) {
      mask = in.attention_mask.view({B, -1}).unsqueeze(1).unsqueeze(1).to(dtype);
      mask = (1.0 - mask) * finfo_min(dtype);
    }
    ForwardOutputs out;
    for (auto& blk : blocks) {
      if (in.output_hidden_states) out.hidden_states.push_back(h);
      if (use_checkpointing(checkpointing, h)) {
        h = checkpointed([blk, mask](const at::Tensor& x) { return blk->forward(x, mask, nullptr); }, h);
      } else {
        h = blk->forward(h, mask, in.cache);
      }
    }
    h = ln_f->forward(h);
    if (in.output_hidden_states) out.hidden_states.push_back(h);
    out.last_hidden_state = h;
    return out;
  }

  std::shared_ptr<nn::Embedding> wte, wpe;
  std::vector<std::shared_ptr<Gpt2Block>> blocks;
  std::shared_ptr<nn::LayerNorm> ln_f;

 private:
  Gpt2Dims d_;
};

class Gpt2Family : public CausalLmFamily<Gpt2Base> {
 public:
  Gpt2Family(std::string cls, const ModelConfig& c, const at::TensorOptions& o, bool lm_head)
      : CausalLmFamily(std::move(cls), c, o), d_(dims_of(c)) {
    build(std::make_shared<Gpt2Base>(c, d_, o), d_.embd, d_.vocab, lm_head, o);
    create_buffers(o.device().is_meta());
  }
  std::string base_model_prefix() const override { return "transformer"; }
  std::vector<std::string> no_split_modules() const override { return {"GPT2Block"}; }
  bool supports_head_pruning() const override { return true; }
  std::optional<std::int64_t> max_learned_positions() const override { return d_.positions; }
  void prune_layer_heads(int layer, const std::set<int>& heads) override {
    base_->blocks.at(static_cast<std::size_t>(layer))->attn->prune(heads);
  }
  nn::Embedding* get_input_embeddings() override { return base_->wte.get(); }
  void create_buffers() override { create_buffers(false); }
  void create_buffers(bool meta) {
    auto opts = at::TensorOptions().dtype(c10::kBool).device(meta ? c10::DeviceType::Meta : c10::DeviceType::CPU);
    at::Tensor causal = at::ones({d_.positions, d_.positions}, opts);
    if (!meta) causal.tril_();  // in place: no temporary the allocator keeps
    causal = causal.view({1, 1, d_.positions, d_.positions});
    for (auto& b : base_->blocks) b->attn->create_buffers(meta, causal);
  }
  void init_module_weights(const std::string& name, nn::Module& m, at::Generator& gen) override {
    PreTrainedModel::init_module_weights(name, m, gen);
    // GPT-2 scales residual projections: c_proj.weight ~ N(0, range/sqrt(2·n_layer)).
    if (nn::Module* proj = m.child("c_proj"); proj && (m.type_name() == "GPT2Attention" || m.type_name() == "GPT2MLP")) {
      double range = config.get_double("initializer_range").value_or(0.02);
      proj->param("weight")->value.normal_(0.0, range / std::sqrt(2.0 * static_cast<double>(d_.layers)), gen);
    }
  }

 private:
  Gpt2Dims d_;
};

}  // namespace

void register_gpt2(Registry& r) {
  register_causal_lm<Gpt2Family>(r, "gpt2", "GPT2Model", "GPT2LMHeadModel");
}

}  // namespace lathe::models
