// PreTrainedModel: what transformers' modeling_utils base class does, for the
// architectures registered in registry.cpp (internal: includes ATen).
//
// An architecture subclass builds its module tree in the constructor (on the
// meta device for a skeleton, or on CPU), names its base model prefix, its
// embeddings, its no-split classes and tied keys, and implements forward().
// Everything generic — tying, counting, footprint, masks — lives here.
#pragma once

#include "config/model_config.h"
#include "nn/layers.h"

#include <ATen/core/Generator.h>

#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lathe::models {

/// Per-layer key/value cache for incremental decoding (generate()).
struct KVCache {
  std::vector<at::Tensor> keys, values;  ///< per layer [B, heads_kv, T, head_dim]
  std::int64_t length() const { return keys.empty() || !keys[0].defined() ? 0 : keys[0].size(-2); }
};

struct ForwardInputs {
  at::Tensor input_ids;       ///< [B, L] int64
  at::Tensor attention_mask;  ///< optional [B, L] (covering cached positions too)
  at::Tensor token_type_ids;  ///< optional
  at::Tensor position_ids;    ///< optional
  bool output_hidden_states = false;
  KVCache* cache = nullptr;   ///< causal models: read and extended in place
};

struct ForwardOutputs {
  at::Tensor logits;             ///< head output, when the class has a head
  at::Tensor last_hidden_state;  ///< base model output
  at::Tensor pooler_output;      ///< BertModel
  std::vector<at::Tensor> hidden_states;  ///< with output_hidden_states
};

class PreTrainedModel : public nn::Module {
 public:
  PreTrainedModel(std::string class_name, ModelConfig config, at::TensorOptions opts);

  ModelConfig config;
  /// generation_config.json as loaded (empty: derive from config on save).
  std::string generation_config_text;
  /// Tokenizer files found beside the weights (name → path), copied by
  /// save_pretrained next to what it writes: saving a model keeps its tokenizer.
  std::map<std::string, std::string> carried_files;
  /// dtype/device the parameters were built with (meta for skeletons).
  at::TensorOptions options;

  virtual std::string base_model_prefix() const = 0;
  /// child(base_model_prefix) for head classes, this for base classes.
  nn::Module* base_model();
  virtual std::vector<std::string> no_split_modules() const { return {}; }
  /// Whether the class itself declares `_no_split_modules` (transformers refuses
  /// device_map="auto" and the other modes for a class that leaves it None).
  virtual bool declares_no_split_modules() const { return true; }
  /// Regexes of keys save_pretrained may drop because they are tied.
  virtual std::vector<std::string> tied_weights_keys() const { return {}; }
  virtual std::vector<std::string> keys_to_ignore_on_load_missing() const { return {}; }
  virtual std::vector<std::string> keys_to_ignore_on_load_unexpected() const { return {}; }
  virtual std::string main_input_name() const { return "input_ids"; }
  virtual bool can_generate() const { return false; }
  virtual bool is_causal() const { return false; }
  /// The config class's default for tie_word_embeddings (Llama-family: false).
  virtual bool default_tie_word_embeddings() const { return true; }

  virtual nn::Embedding* get_input_embeddings() = 0;
  /// The output embedding (an LM head Linear) or nullptr.
  virtual nn::Linear* get_output_embeddings() { return nullptr; }
  /// The model's forward: inputs checked first (check_forward_inputs), then the
  /// architecture's forward_impl; a LibTorch failure becomes one lathe::Error
  /// naming the module (runtime/torch_errors.h).
  ForwardOutputs forward(const ForwardInputs& in);
  /// Error(InvalidArgument) with the cause in words for inputs the model cannot
  /// take: ids outside the vocabulary (or token types outside type_vocab_size),
  /// wrong ranks or dtypes, masks of the wrong shape, more positions than a
  /// learned position table holds. Nothing is computed.
  void check_forward_inputs(const ForwardInputs& in);
  /// Rows of a learned absolute position table (BERT, GPT-2); nullopt for
  /// rotary/ALiBi models, whose positions are not bounded by a table.
  virtual std::optional<std::int64_t> max_learned_positions() const { return std::nullopt; }

  /// transformers' prune_heads: records the union with config.pruned_heads (original
  /// head numbering), then prunes the attention layers. Error(Unsupported) for
  /// architectures without head pruning (the Llama family, BLOOM), as transformers.
  void prune_heads(const std::map<int, std::vector<int>>& heads_to_prune);
  virtual bool supports_head_pruning() const { return false; }
  /// The architecture's _prune_heads for one layer (heads in original numbering).
  virtual void prune_layer_heads(int layer, const std::set<int>& heads);

  /// resize_token_embeddings(new_num_tokens, pad_to_multiple_of, mean_resizing).
  /// Rows beyond the old vocabulary: with mean_resizing, exactly the mean of the
  /// old rows as transformers 4.47.1 computes it (its PSD check always fails);
  /// with `sample_new_rows` (the v4.48+ behaviour) a draw from N(μ, 1e-9·Σ) when
  /// Σ is positive definite; without mean_resizing, _init_weights (N(0, range)).
  /// Untied LM heads (and their bias) are resized too; config.vocab_size is
  /// updated and weights re-tied. Both sizes absent: nothing happens.
  nn::Embedding* resize_token_embeddings(std::optional<std::int64_t> new_num_tokens,
                                         std::optional<std::int64_t> pad_to_multiple_of = std::nullopt,
                                         bool mean_resizing = true, std::uint64_t seed = 0,
                                         bool sample_new_rows = false);

  /// (Re)creates non-persistent buffers (position ids, causal masks, rotary
  /// frequencies) on the CPU; called after materialising a skeleton.
  virtual void create_buffers() {}
  /// transformers' _init_weights for one module (random init of missing keys).
  virtual void init_module_weights(const std::string& name, nn::Module& m, at::Generator& gen);

  /// Ties output to input embeddings when config.tie_word_embeddings, plus
  /// architecture-specific ties (tie_extra): same slot, counted once.
  void tie_weights();
  virtual void tie_extra() {}

  std::int64_t num_parameters(bool only_trainable = false, bool exclude_embeddings = false);
  /// Σ numel·element_size of parameters (and buffers), as transformers holds them.
  std::int64_t get_memory_footprint(bool return_buffers = true);
  /// inputs[main_input_name].numel(), 0 when absent.
  std::int64_t estimate_tokens(const ForwardInputs& in) const;
  /// 6 × tokens × non-embedding parameters (or all with exclude_embeddings=false).
  std::int64_t floating_point_ops(const ForwardInputs& in, bool exclude_embeddings = true);
  /// Names of the nn.Embedding weights (excluded by exclude_embeddings).
  std::vector<std::string> embedding_parameter_names();

  /// The floating dtype of the first floating parameter (transformers' model.dtype).
  c10::ScalarType dtype();
  /// warn_if_padding_and_no_attention_mask: when no mask is given and the pad
  /// token appears in the first or last column of input_ids, the warning text
  /// (once per model, as logger.warning_once); otherwise nothing.
  std::optional<std::string> warn_if_padding_and_no_attention_mask(const at::Tensor& input_ids,
                                                                   const at::Tensor& attention_mask);

  /// Casts every floating parameter and buffer (ties kept).
  void to_dtype(c10::ScalarType dtype);

  /// Flax's to_bf16/to_fp16/to_fp32(params, mask): a new name → tensor map of
  /// the parameters where floating tensors whose mask entry is true (all, when
  /// `mask` is empty) are cast; others are returned as they are. The model is
  /// not changed.
  std::vector<std::pair<std::string, at::Tensor>> cast_params(c10::ScalarType dtype,
                                                              const std::map<std::string, bool>& mask = {});

  /// enable_input_require_grads (PEFT): embedding outputs require grad, so
  /// gradients reach adapters even when the embedding weights are frozen.
  void enable_input_require_grads() { input_require_grads_ = true; }
  void disable_input_require_grads() { input_require_grads_ = false; }
  bool input_require_grads() const { return input_require_grads_; }

  /// gradient_checkpointing_enable/disable: every decoder/encoder block is run
  /// without keeping activations and recomputed in backward.
  void gradient_checkpointing_enable() { gradient_checkpointing_ = true; }
  void gradient_checkpointing_disable() { gradient_checkpointing_ = false; }
  bool is_gradient_checkpointing() const { return gradient_checkpointing_; }
  /// Sets requires_grad on every parameter tensor from its slot flag (for training).
  void apply_requires_grad();

 protected:
  virtual ForwardOutputs forward_impl(const ForwardInputs& in) = 0;
  /// The "head class or bare base" construction, as transformers' XxxPreTrainedModel
  /// subclasses do it: a head class holds `base` as the child base_model_prefix()
  /// (GPT2LMHeadModel.transformer); the bare base class (GPT2Model) *is* the base
  /// model, so it adopts the base's children and its state-dict names carry no
  /// prefix. Call from the most-derived constructor's body (base_model_prefix()
  /// is virtual). Returns `base`.
  template <class B>
  std::shared_ptr<B> attach_base(std::shared_ptr<B> base, bool as_child) {
    if (as_child) return add_child(base_model_prefix(), std::move(base));
    for (const auto& [n, ch] : base->children()) set_child(n, ch);
    return base;
  }

 private:
  bool input_require_grads_ = false;
  bool warned_padding_ = false;
  bool gradient_checkpointing_ = false;

 public:
};

/// get_extended_attention_mask: 3-D → [:,None]; 2-D → [:,None,None,:] or, for a
/// decoder, causal (j ≤ i, ones prefix for past keys) × padding; then
/// (1 − m)·finfo(dtype).min. Kept entries are −0.0 as in transformers.
at::Tensor extended_attention_mask(const at::Tensor& mask, c10::ScalarType dtype, bool is_decoder);
/// invert_attention_mask for encoder masks (2-D or 3-D).
at::Tensor invert_attention_mask(const at::Tensor& mask, c10::ScalarType dtype);
/// get_head_mask: undefined → empty vector of L undefined; [H] or [L,H] → [L,1,H,1,1].
at::Tensor head_mask_5d(const at::Tensor& head_mask, std::int64_t num_layers);
/// torch.finfo(dtype).min
double finfo_min(c10::ScalarType dtype);

}  // namespace lathe::models
