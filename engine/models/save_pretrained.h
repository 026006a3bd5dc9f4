// save_pretrained (internal: ATen).
#pragma once

#include "core/progress.h"
#include "io/sharding.h"
#include "models/pretrained_model.h"

#include <string>
#include <vector>

namespace lathe::models {

struct SavePretrainedOptions {
  std::uint64_t max_shard_size = 5000000000ull;  ///< "5GB"
  bool safe_serialization = true;                 ///< false: pytorch_model*.bin
  std::string variant;
};

struct SavePlan {
  ShardPlan shards;
  std::vector<std::string> files;          ///< every file the save writes
  std::vector<std::string> deleted;        ///< stale shards of an earlier save it removes
  std::vector<std::string> dropped_tied;   ///< tied duplicates left out of safetensors
};

/// What save_pretrained would do, without writing anything (the GUI's dry run).
SavePlan plan_save(PreTrainedModel& model, const std::string& dir, const SavePretrainedOptions& opts);

/// transformers' save_pretrained: config.json (torch_dtype, architectures;
/// misplaced generation parameters moved out when the model can generate),
/// generation_config.json iff can_generate(), weights sharded as huggingface_hub
/// splits them, index, stale shards removed. The whole folder is replaced
/// atomically (FolderTransaction): other files in it are kept.
SavePlan save_pretrained(PreTrainedModel& model, const std::string& dir, const SavePretrainedOptions& opts = {},
                         ProgressSink* progress = nullptr);

/// load_sharded_checkpoint(model, folder, strict, prefer_safe): loads every
/// shard named by the folder's index into the model; returns {missing,
/// unexpected}. With strict, mismatching keys raise before anything loads
/// (quirk kept: unexpected keys are also reported as "Missing key(s)").
std::pair<std::vector<std::string>, std::vector<std::string>> load_sharded_checkpoint(
    PreTrainedModel& model, const std::string& folder, bool strict = true, bool prefer_safe = true);

}  // namespace lathe::models
