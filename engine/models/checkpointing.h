// Gradient checkpointing (internal: ATen).
#pragma once

#include <ATen/core/Tensor.h>

#include <functional>

namespace lathe::models {

using BlockFn = std::function<at::Tensor(const at::Tensor&)>;

/// Runs `block(x)` without keeping its activations; the backward pass runs it
/// again with gradients enabled (torch.utils.checkpoint semantics). `block`
/// must own what it captures (it runs again during backward).
at::Tensor checkpointed(BlockFn block, const at::Tensor& x);

/// True when a block should be checkpointed: enabled, grad mode on, and the
/// input takes part in autograd.
bool use_checkpointing(bool enabled, const at::Tensor& x);

}  // namespace lathe::models
