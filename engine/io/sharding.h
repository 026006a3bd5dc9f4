// How save_pretrained splits a state dict into shard files (torch-free).
//
// Follows huggingface_hub's split_torch_state_dict_into_shards as transformers
// 4.47 calls it (semantics.md A4): state-dict order; tensors sharing a storage
// are counted once and placed in the shard of the first of them; a tensor
// larger than the limit gets a shard of its own at once while the current
// shard stays open; otherwise the current shard closes when the next tensor
// would tip it over the limit.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lathe {

struct ShardInput {
  std::string name;
  std::uint64_t storage_bytes = 0;  ///< size of the tensor's whole storage
  std::string storage_id;           ///< equal ids = one shared storage; "" = own storage
};

struct ShardPlan {
  std::vector<std::string> filenames;                 ///< shard file names, in order
  std::vector<std::vector<std::string>> shards;       ///< tensor names per shard, in order
  std::map<std::string, std::string> weight_map;      ///< tensor name → file name
  std::uint64_t total_size = 0;
  bool sharded() const { return filenames.size() > 1; }
};

/// weights_name: "model.safetensors" or "pytorch_model.bin" (variant already
/// applied via add_variant). One shard keeps the plain name; several become
/// "<stem>-0000k-of-0000N.<ext>".
ShardPlan plan_shards(const std::vector<ShardInput>& tensors, std::uint64_t max_shard_size,
                      const std::string& weights_name);

/// transformers' _add_variant: "model.safetensors" + "fp16" → "model.fp16.safetensors";
/// "model.safetensors.index.json" + "fp16" → "model.safetensors.index.fp16.json".
std::string add_variant(const std::string& weights_name, const std::string& variant);

/// The index file as transformers writes it: {"metadata": {"total_size": N},
/// "weight_map": {...}} with indent 2, sorted keys and a trailing newline.
std::string shard_index_json(const ShardPlan& plan);

/// Files in `dir` that a save of `weights_name` producing `new_files` deletes:
/// names starting with the weights stem, matching "<anything>-NNNNN-of-NNNNN",
/// and not among the new files (transformers' clean-up rule, quirks included).
std::vector<std::string> stale_shard_files(const std::string& dir, const std::string& weights_name,
                                           const std::vector<std::string>& new_files);

}  // namespace lathe
