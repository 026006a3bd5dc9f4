// Whole checkpoints as tensors (internal: includes ATen).
#pragma once

#include "core/progress.h"
#include "io/checkpoint.h"
#include "io/folder_transaction.h"
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

/// Writes weights (shards + index) into the transaction's staging folder as
/// save_pretrained does. Returns the plan used.
ShardPlan write_weights(const StateDict& sd, FolderTransaction& tx, const WriteWeightsOptions& opts,
                        ProgressSink* progress = nullptr);

/// Carries the target's other files into the staging folder, except the
/// shards of an earlier save that the new weights replace (transformers'
/// clean-up rule), then commits the transaction.
void finish_save(FolderTransaction& tx, const ShardPlan& plan, const WriteWeightsOptions& opts);

}  // namespace lathe
