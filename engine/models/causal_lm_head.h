// "Base model + optional LM head" (internal: includes ATen), shared by the
// decoder-only families (GPT-2, the Llama family, BLOOM) as transformers'
// XxxModel / XxxForCausalLM pairs share it: the head class holds the base under
// base_model_prefix() plus a bias-free `lm_head` Linear tied to the input
// embedding ("lm_head.weight" in _tied_weights_keys), can generate, and its
// forward adds logits = lm_head(last_hidden_state).
#pragma once

#include "models/registry.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lathe::models {

/// `Base` is the family's bare model module, with
/// forward(in, dtype, require_grads, checkpointing) → ForwardOutputs.
template <class Base>
class CausalLmFamily : public PreTrainedModel {
 public:
  using PreTrainedModel::PreTrainedModel;

  std::vector<std::string> tied_weights_keys() const override {
    return lm_head_ ? std::vector<std::string>{"lm_head.weight"} : std::vector<std::string>{};
  }
  bool can_generate() const override { return lm_head_ != nullptr; }
  bool is_causal() const override { return true; }
  nn::Linear* get_output_embeddings() override { return lm_head_.get(); }
  ForwardOutputs forward_impl(const ForwardInputs& in) override {
    ForwardOutputs out = base_->forward(in, dtype(), input_require_grads(), is_gradient_checkpointing());
    if (lm_head_) out.logits = lm_head_->forward(out.last_hidden_state);
    return out;
  }

 protected:
  /// Call from the most-derived constructor's body: attaches `base` (see
  /// attach_base) and, for the head class, adds lm_head [vocab × hidden] after it.
  void build(std::shared_ptr<Base> base, std::int64_t hidden, std::int64_t vocab, bool lm_head,
             const at::TensorOptions& o) {
    base_ = attach_base(std::move(base), lm_head);
    if (lm_head) lm_head_ = add_child("lm_head", std::make_shared<nn::Linear>(hidden, vocab, false, o));
  }

  std::shared_ptr<Base> base_;
  std::shared_ptr<nn::Linear> lm_head_;
};

/// Registers a family's bare class (is_base) then its head class, each built as
/// `new Family(class_name, extra..., config, options, lm_head)`.
template <class Family, class... Extra>
void register_causal_lm(Registry& r, const std::string& model_type, const std::string& base_class,
                        const std::string& head_class, Extra... extra) {
  for (bool head : {false, true}) {
    std::string cls = head ? head_class : base_class;
    r.add({model_type, cls, !head, [cls, head, extra...](const ModelConfig& c, const at::TensorOptions& o) {
             return std::unique_ptr<PreTrainedModel>(new Family(cls, extra..., c, o, head));
           }});
  }
}

}  // namespace lathe::models
