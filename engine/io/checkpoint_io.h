// Whole checkpoints as tensors (internal: includes ATen).
#pragma once

#include "core/progress.h"
#include "io/checkpoint.h"
#include "io/sharding.h"
#include "io/state_dict.h"

#include <string>

namespace lathe {

/// Loads every weight file of a resolved checkpoint into one StateDict
/// (safetensors zero-copy; .bin through the restricted unpickler).
StateDict load_checkpoint_tensors(const CheckpointFiles& files, ProgressSink* progress = nullptr);

/// Removes later members of groups of identical views of one storage (tied
/// weights: the first in state-dict order stays, as save_pretrained keeps the
/// input embedding), clones non-overlapping views of one storage, and refuses
/// other aliasing (Error InvalidArgument), as save_pretrained does before
/// writing safetensors. Returns the names removed.
std::vector<std::string> drop_shared_duplicates(StateDict& sd);

/// The sharding inputs of a state dict: storage bytes and storage identity.
std::vector<ShardInput> shard_inputs(const StateDict& sd);

struct WriteWeightsOptions {
  bool to_bin = false;
  std::uint64_t max_shard_size = 5000000000ull;
  std::string variant;
};

/// Writes weights (shards + index) into `dir` as save_pretrained does and
/// removes stale shards of an earlier save. Returns the plan used.
ShardPlan write_weights(const StateDict& sd, const std::string& dir, const WriteWeightsOptions& opts,
                        ProgressSink* progress = nullptr);

}  // namespace lathe
