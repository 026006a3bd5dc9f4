#include "models/checkpointing.h"

#include <ATen/core/ivalue.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>

namespace lathe::models {
namespace {

struct BlockHolder : torch::CustomClassHolder {
  explicit BlockHolder(BlockFn f) : fn(std::move(f)) {}
  BlockFn fn;
};

struct CheckpointFunction : public torch::autograd::Function<CheckpointFunction> {
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x,
                                                c10::intrusive_ptr<BlockHolder> holder) {
    at::Tensor y;
    {
      at::NoGradGuard no_grad;  // nothing inside the block is saved for backward
      y = holder->fn(x);
    }
    ctx->save_for_backward({x});
    ctx->saved_data["block"] = c10::IValue::make_capsule(holder);
    return {y};
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    at::Tensor x = ctx->get_saved_variables()[0].detach();
    x.requires_grad_(true);
    auto holder = ctx->saved_data["block"].toCapsule();
    auto* block = static_cast<BlockHolder*>(holder.get());
    at::Tensor y;
    {
      at::AutoGradMode grad(true);
      y = block->fn(x);  // recompute, this time keeping the graph
    }
    torch::autograd::backward({y}, {grads[0]});
    return {x.grad(), at::Tensor()};
  }
};

}  // namespace

at::Tensor checkpointed(BlockFn block, const at::Tensor& x) {
  return CheckpointFunction::apply(x, c10::make_intrusive<BlockHolder>(std::move(block)))[0];
}

bool use_checkpointing(bool enabled, const at::Tensor& x) {
  return enabled && at::GradMode::is_enabled() && x.requires_grad();
}

}  // namespace lathe::models
