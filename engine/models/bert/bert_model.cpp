// BERT (modeling_bert.py): BertModel, BertForMaskedLM, BertLMHeadModel,
// BertForSequenceClassification with eager attention as in 4.47.
#include "core/error.h"
#include "models/attention_util.h"
#include "models/checkpointing.h"
#include "models/pruning.h"
#include "models/registry.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/softmax.h>
#include <ATen/ops/tanh.h>
#include <ATen/ops/zeros.h>

#include <cmath>
#include <set>

namespace lathe::models {
namespace {

struct BertDims {
  std::int64_t vocab, hidden, layers, heads, inner, positions, type_vocab;
  std::optional<std::int64_t> pad;
  double eps;
  std::string act;
  bool is_decoder;
};

BertDims dims_of(const ModelConfig& c) {
  BertDims d;
  d.vocab = c.vocab_size().value_or(30522);
  d.hidden = c.hidden_size().value_or(768);
  d.layers = c.num_hidden_layers().value_or(12);
  d.heads = c.num_attention_heads().value_or(12);
  d.inner = c.get_int("intermediate_size").value_or(3072);
  d.positions = c.get_int("max_position_embeddings").value_or(512);
  d.type_vocab = c.get_int("type_vocab_size").value_or(2);
  d.pad = c.get_int("pad_token_id");
  if (!c.has("pad_token_id")) d.pad = 0;
  d.eps = c.get_double("layer_norm_eps").value_or(1e-12);
  d.act = c.get_string("hidden_act").value_or("gelu");
  d.is_decoder = c.get_bool("is_decoder").value_or(false);
  if (d.hidden % d.heads != 0) throw Error(ErrorCode::ConfigInvalid, "hidden_size must be divisible by num_attention_heads");
  auto pet = c.get_string("position_embedding_type").value_or("absolute");
  if (pet != "absolute")
    throw Error(ErrorCode::Unsupported, "BERT position_embedding_type '" + pet + "' is not supported (absolute only)");
  if (c.get_bool("add_cross_attention").value_or(false))
    throw Error(ErrorCode::Unsupported, "BERT with cross-attention is not supported");
  nn::check_activation(d.act);
  return d;
}

class BertEmbeddings : public nn::Module {
 public:
  BertEmbeddings(const BertDims& d, const at::TensorOptions& o) : Module("BertEmbeddings"), d_(d) {
    word = add_child("word_embeddings", std::make_shared<nn::Embedding>(d.vocab, d.hidden, d.pad, o));
    position = add_child("position_embeddings", std::make_shared<nn::Embedding>(d.positions, d.hidden, std::nullopt, o));
    token_type = add_child("token_type_embeddings", std::make_shared<nn::Embedding>(d.type_vocab, d.hidden, std::nullopt, o));
    norm = add_child("LayerNorm", std::make_shared<nn::LayerNorm>(d.hidden, d.eps, o));
    declare_tensorless({"LayerNorm", "dropout", "Dropout", {}});
    create_buffers(o.device().is_meta());
  }
  void create_buffers(bool meta) {
    auto lo = at::TensorOptions().dtype(c10::kLong).device(meta ? c10::DeviceType::Meta : c10::DeviceType::CPU);
    add_buffer("position_ids", at::arange(d_.positions, lo).view({1, -1}), false);
    add_buffer("token_type_ids", at::zeros({1, d_.positions}, lo), false);
  }
  at::Tensor forward(const at::Tensor& ids, at::Tensor token_types, at::Tensor pos, std::int64_t past) {
    nn::ForwardScope scope(*this);
    const auto B = ids.size(0), L = ids.size(1);
    if (!pos.defined()) pos = buffer("position_ids")->value.narrow(1, past, L);
    if (!token_types.defined()) token_types = buffer("token_type_ids")->value.narrow(1, 0, L).expand({B, L});
    at::Tensor e = word->forward(ids) + token_type->forward(token_types);
    e = e + position->forward(pos);
    return norm->forward(e);
  }
  std::shared_ptr<nn::Embedding> word, position, token_type;
  std::shared_ptr<nn::LayerNorm> norm;

 private:
  BertDims d_;
};

// dense + LayerNorm(dense(x) + residual): BertSelfOutput and BertOutput.
class BertResidualOut : public nn::Module {
 public:
  BertResidualOut(const char* type, std::int64_t in, std::int64_t out, double eps, const at::TensorOptions& o)
      : Module(type) {
    dense = add_child("dense", std::make_shared<nn::Linear>(in, out, true, o));
    norm = add_child("LayerNorm", std::make_shared<nn::LayerNorm>(out, eps, o));
    declare_tensorless({"LayerNorm", "dropout", "Dropout", {}});
  }
  at::Tensor forward(const at::Tensor& h, const at::Tensor& residual) {
    nn::ForwardScope scope(*this);
    return norm->forward(dense->forward(h) + residual);
  }
  std::shared_ptr<nn::Linear> dense;
  std::shared_ptr<nn::LayerNorm> norm;
};

class BertSelfAttention : public nn::Module {
 public:
  BertSelfAttention(const BertDims& d, const std::set<int>& pruned, std::int64_t layer, const at::TensorOptions& o)
      : Module("BertSelfAttention"), heads_(d.heads - static_cast<std::int64_t>(pruned.size())), head_size_(d.hidden / d.heads),
        layer_(layer), pruned_(pruned) {
    const std::int64_t heads = heads_;
    query = add_child("query", std::make_shared<nn::Linear>(d.hidden, heads * head_size_, true, o));
    key = add_child("key", std::make_shared<nn::Linear>(d.hidden, heads * head_size_, true, o));
    value = add_child("value", std::make_shared<nn::Linear>(d.hidden, heads * head_size_, true, o));
    declare_tensorless({"value", "dropout", "Dropout", {}});
  }
  at::Tensor forward(const at::Tensor& h, const at::Tensor& mask, KVCache* cache) {
    nn::ForwardScope scope(*this);
    const auto B = h.size(0), L = h.size(1);
    // L, not -1: a layer whose heads are all pruned has 0 of them (and 0 elements).
    auto split = [&](const at::Tensor& t) { return t.view({B, L, heads_, head_size_}).permute({0, 2, 1, 3}); };
    at::Tensor q = split(query->forward(h)), k = split(key->forward(h)), v = split(value->forward(h));
    if (cache) std::tie(k, v) = cache_append(*cache, layer_, k, v);
    at::Tensor s = at::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(head_size_));
    if (mask.defined()) s = s + mask;
    at::Tensor p = at::softmax(s, -1);
    return at::matmul(p, v).permute({0, 2, 1, 3}).contiguous().view({B, L, heads_ * head_size_});
  }
  std::shared_ptr<nn::Linear> query, key, value;
  std::int64_t heads_, head_size_, layer_;
  std::set<int> pruned_;
};

class BertLayer : public nn::Module {
 public:
  BertLayer(const BertDims& d, const std::set<int>& pruned, std::int64_t i, const at::TensorOptions& o) : Module("BertLayer"), act_(d.act) {
    auto attention = add_child("attention", std::make_shared<nn::Module>("BertAttention"));
    self = attention->add_child("self", std::make_shared<BertSelfAttention>(d, pruned, i, o));
    self_out = attention->add_child("output", std::make_shared<BertResidualOut>("BertSelfOutput", self->heads_ * (d.hidden / d.heads), d.hidden, d.eps, o));
    auto inter = add_child("intermediate", std::make_shared<nn::Module>("BertIntermediate"));
    inter_dense = inter->add_child("dense", std::make_shared<nn::Linear>(d.hidden, d.inner, true, o));
    inter->declare_tensorless({"dense", "intermediate_act_fn", nn::activation_class(d.act), {}});
    out = add_child("output", std::make_shared<BertResidualOut>("BertOutput", d.inner, d.hidden, d.eps, o));
  }
  at::Tensor forward(const at::Tensor& x, const at::Tensor& mask, KVCache* cache) {
    nn::ForwardScope scope(*this);
    at::Tensor a, i;
    {
      nn::ForwardScope attention(*child("attention"));
      a = self_out->forward(self->forward(x, mask, cache), x);
    }
    {
      nn::ForwardScope intermediate(*child("intermediate"));
      i = nn::activation(act_, inter_dense->forward(a));
    }
    return out->forward(i, a);
  }
  /// BertAttention.prune_heads: q/k/v rows, output.dense columns.
  void prune(const std::set<int>& heads) {
    auto [fresh, index] = pruneable_heads_and_index(heads, self->heads_, self->head_size_, self->pruned_);
    prune_linear(*self->query, index, 0);
    prune_linear(*self->key, index, 0);
    prune_linear(*self->value, index, 0);
    prune_linear(*self_out->dense, index, 1);
    self->heads_ -= static_cast<std::int64_t>(fresh.size());
    self->pruned_.insert(fresh.begin(), fresh.end());
  }
  std::shared_ptr<BertSelfAttention> self;
  std::shared_ptr<BertResidualOut> self_out, out;
  std::shared_ptr<nn::Linear> inter_dense;

 private:
  std::string act_;
};

class BertBase : public nn::Module {
 public:
  BertBase(const ModelConfig& c, const BertDims& d, const at::TensorOptions& o, bool pooler) : Module("BertModel"), d_(d) {
    embeddings = add_child("embeddings", std::make_shared<BertEmbeddings>(d, o));
    auto encoder = add_child("encoder", std::make_shared<nn::Module>("BertEncoder"));
    auto list = encoder->add_child("layer", std::make_shared<nn::Module>("ModuleList"));
    auto pruned = c.pruned_heads();
    // config.pruned_heads is applied at construction, before any weight loads.
    for (std::int64_t i = 0; i < d.layers; ++i) {
      const auto& p = pruned[static_cast<int>(i)];
      layers.push_back(list->add_child(std::to_string(i), std::make_shared<BertLayer>(d, std::set<int>(p.begin(), p.end()), i, o)));
    }
    if (pooler) {
      auto p = add_child("pooler", std::make_shared<nn::Module>("BertPooler"));
      pooler_dense = p->add_child("dense", std::make_shared<nn::Linear>(d.hidden, d.hidden, true, o));
      p->declare_tensorless({"dense", "activation", "Tanh", {}});
    }
  }
  ForwardOutputs forward(const ForwardInputs& in, c10::ScalarType dtype, bool require_grads = false, bool checkpointing = false) {
    nn::ForwardScope scope(*this);
    const auto B = in.input_ids.size(0), L = in.input_ids.size(1);
    const std::int64_t past = in.cache ? in.cache->length() : 0;
    at::Tensor am = in.attention_mask.defined() ? in.attention_mask
                                                : at::ones({B, L + past}, at::TensorOptions().dtype(c10::kLong));
    at::Tensor mask = extended_attention_mask(am, dtype, d_.is_decoder);
    if (d_.is_decoder && past > 0) mask = mask.narrow(2, past, L);
    at::Tensor h = embeddings->forward(in.input_ids, in.token_type_ids, in.position_ids, past);
    if (require_grads && !h.requires_grad()) h.requires_grad_(true);
    ForwardOutputs out;
    {
      nn::ForwardScope encoder(*child("encoder"));
      for (auto& layer : layers) {
        if (in.output_hidden_states) out.hidden_states.push_back(h);
        if (use_checkpointing(checkpointing, h)) {
          h = checkpointed([layer, mask](const at::Tensor& x) { return layer->forward(x, mask, nullptr); }, h);
        } else {
          h = layer->forward(h, mask, in.cache);
        }
      }
    }
    if (in.output_hidden_states) out.hidden_states.push_back(h);
    out.last_hidden_state = h;
    if (pooler_dense) {
      nn::ForwardScope pooler(*child("pooler"));
      out.pooler_output = at::tanh(pooler_dense->forward(h.select(1, 0)));
    }
    return out;
  }
  std::shared_ptr<BertEmbeddings> embeddings;
  std::vector<std::shared_ptr<BertLayer>> layers;
  std::shared_ptr<nn::Linear> pooler_dense;

 private:
  BertDims d_;
};

enum class Head { None, MaskedLM, CausalLM, SequenceClassification };

class BertFamily : public PreTrainedModel {
 public:
  BertFamily(std::string cls, const ModelConfig& c, const at::TensorOptions& o, Head head)
      : PreTrainedModel(std::move(cls), c, o), d_(dims_of(c)), head_(head) {
    // BertModel has a pooler by default; of the head classes only the classifier keeps it.
    const bool pooler = head == Head::None || head == Head::SequenceClassification;
    base_ = attach_base(std::make_shared<BertBase>(c, d_, o, pooler), head != Head::None);
    if (head == Head::None) return;
    if (head == Head::SequenceClassification) {
      classifier_ = add_child("classifier", std::make_shared<nn::Linear>(d_.hidden, c.num_labels(), true, o));
      declare_tensorless({"bert", "dropout", "Dropout", {}});
      return;
    }
    auto cls_mod = add_child("cls", std::make_shared<nn::Module>("BertOnlyMLMHead"));
    predictions_ = cls_mod->add_child("predictions", std::make_shared<nn::Module>("BertLMPredictionHead"));
    predictions_->add_param("bias", at::zeros({d_.vocab}, o));
    auto transform = predictions_->add_child("transform", std::make_shared<nn::Module>("BertPredictionHeadTransform"));
    transform_dense_ = transform->add_child("dense", std::make_shared<nn::Linear>(d_.hidden, d_.hidden, true, o));
    transform->declare_tensorless({"dense", "transform_act_fn", nn::activation_class(d_.act), {}});
    transform_norm_ = transform->add_child("LayerNorm", std::make_shared<nn::LayerNorm>(d_.hidden, d_.eps, o));
    decoder_ = predictions_->add_child("decoder", std::make_shared<nn::Linear>(d_.hidden, d_.vocab, false, o));
    tie_extra();
  }
  std::string base_model_prefix() const override { return "bert"; }
  std::vector<std::string> no_split_modules() const override { return {"BertEmbeddings", "BertLayer"}; }
  // In 4.47.1 only BertModel declares _no_split_modules; the head classes leave it None.
  bool declares_no_split_modules() const override { return head_ == Head::None; }
  std::vector<std::string> tied_weights_keys() const override {
    if (!decoder_) return {};
    return {"predictions.decoder.bias", "cls.predictions.decoder.weight"};
  }
  // 4.47: BertForMaskedLM overrides prepare_inputs_for_generation, so
  // can_generate() is true for it too (and save writes generation_config.json).
  bool can_generate() const override { return head_ == Head::CausalLM || head_ == Head::MaskedLM; }
  bool is_causal() const override { return d_.is_decoder; }
  bool supports_head_pruning() const override { return true; }
  std::optional<std::int64_t> max_learned_positions() const override { return d_.positions; }
  void prune_layer_heads(int layer, const std::set<int>& heads) override {
    base_->layers.at(static_cast<std::size_t>(layer))->prune(heads);
  }
  nn::Embedding* get_input_embeddings() override { return base_->embeddings->word.get(); }
  nn::Linear* get_output_embeddings() override { return decoder_.get(); }
  // BertLMPredictionHead._tie_weights: decoder.bias is the head's bias.
  void tie_extra() override {
    if (decoder_) decoder_->set_param("bias", predictions_->param("bias"));
  }
  void create_buffers() override { base_->embeddings->create_buffers(false); }
  void init_module_weights(const std::string& name, nn::Module& m, at::Generator& gen) override {
    PreTrainedModel::init_module_weights(name, m, gen);
    if (m.type_name() == "BertLMPredictionHead") m.param("bias")->value.zero_();
  }
  ForwardOutputs forward_impl(const ForwardInputs& in) override {
    ForwardOutputs out = base_->forward(in, dtype(), input_require_grads(), is_gradient_checkpointing());
    if (decoder_) {
      nn::ForwardScope head(*predictions_);
      at::Tensor t = nn::activation(d_.act, transform_dense_->forward(out.last_hidden_state));
      out.logits = decoder_->forward(transform_norm_->forward(t));
    } else if (classifier_) {
      out.logits = classifier_->forward(out.pooler_output);
    }
    return out;
  }

 private:
  BertDims d_;
  Head head_;
  std::shared_ptr<BertBase> base_;
  std::shared_ptr<nn::Module> predictions_;
  std::shared_ptr<nn::Linear> transform_dense_, decoder_, classifier_;
  std::shared_ptr<nn::LayerNorm> transform_norm_;
};

template <Head H>
std::unique_ptr<PreTrainedModel> make(const char* cls, const ModelConfig& c, const at::TensorOptions& o) {
  return std::unique_ptr<PreTrainedModel>(new BertFamily(cls, c, o, H));
}

}  // namespace

void register_bert(Registry& r) {
  r.add({"bert", "BertModel", true, [](const ModelConfig& c, const at::TensorOptions& o) { return make<Head::None>("BertModel", c, o); }});
  r.add({"bert", "BertForMaskedLM", false, [](const ModelConfig& c, const at::TensorOptions& o) { return make<Head::MaskedLM>("BertForMaskedLM", c, o); }});
  r.add({"bert", "BertLMHeadModel", false, [](const ModelConfig& c, const at::TensorOptions& o) { return make<Head::CausalLM>("BertLMHeadModel", c, o); }});
  r.add({"bert", "BertForSequenceClassification", false, [](const ModelConfig& c, const at::TensorOptions& o) {
           return make<Head::SequenceClassification>("BertForSequenceClassification", c, o);
         }});
}

}  // namespace lathe::models
