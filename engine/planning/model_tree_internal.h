// Module-size trees of built models (internal: includes ATen through models/).
#pragma once

#include "models/pretrained_model.h"
#include "planning/module_tree.h"

namespace lathe::planning {

/// The module tree accelerate sees on `model` (a meta skeleton or a loaded model): pre-order modules
/// with class names, own parameters (tied ones listed under every owner) and buffers (one entry per
/// owner, non-persistent included), tied groups (shared parameter slots), the class's
/// _no_split_modules, the output embeddings, and the transformers 4.47.1 structure Lathe's modules
/// leave out: the per-attention rotary_emb of the Llama family, and tensor-less modules (dropouts,
/// activations such as "transformer.drop"). Maps planned on the tree may name those; they hold nothing. tree.sizing gets the late tie of
/// the output embeddings (untied_when_balancing) and auto_unsupported; its dtype stays "" (None).
ModuleTree module_tree_of(models::PreTrainedModel& model);

}  // namespace lathe::planning
