// Plain-data snapshots of a Session's loaded model (public, torch-free), for
// views that must not touch live modules: the tensors of its state dict (as a
// CheckpointInfo, so ParamTreeSnapshot::build works on it) and the attention
// layout that head pruning needs. Call them where the Session is used (a job).
#pragma once

#include "io/checkpoint.h"
#include "session/session.h"

#include <cstdint>
#include <map>
#include <vector>

namespace lathe {

/// The state dict of the loaded model as tensor headers: names, dtypes,
/// shapes in state-dict order, tied tensors in shared_storage. `file` is
/// "(memory)". Throws InvalidArgument when nothing is loaded.
CheckpointInfo session_tensor_info(Session& session);

struct AttentionLayout {
  std::int64_t num_layers = 0;
  std::int64_t num_heads = 0;   ///< heads per layer before any pruning
  std::int64_t hidden_size = 0;
  std::int64_t vocab_size = 0;  ///< rows of the input embedding
  std::map<int, std::vector<int>> pruned_heads;  ///< config.pruned_heads
  bool supports_pruning = false;                 ///< bert, gpt2
};

/// Layers, heads and already-pruned heads of the loaded model.
AttentionLayout session_attention_layout(Session& session);

}  // namespace lathe
