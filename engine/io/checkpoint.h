// Checkpoints as a whole (public, torch-free): locate the weight files of a
// folder or file, inspect them from headers alone, convert between formats.
#pragma once

#include "core/dtype.h"
#include "core/progress.h"
#include "io/tensor_info.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lathe {

enum class WeightFormat { Safetensors, TorchBin };

/// Which files make up a checkpoint.
struct CheckpointFiles {
  std::string dir;                        ///< folder holding the weight files
  WeightFormat format = WeightFormat::Safetensors;
  std::vector<std::string> weight_files;  ///< names relative to dir, shard order
  std::string index_file;                 ///< "" unless sharded
  std::string config_file;                ///< absolute path of config.json, "" if none
  bool sharded() const { return !index_file.empty(); }
};

struct ResolveOptions {
  std::string variant;                   ///< "fp16" → model.fp16.safetensors, ...
  std::optional<bool> use_safetensors;   ///< true: only safetensors; false: only .bin
  std::string subfolder;
};

/// Finds the weights of `path` in transformers' order: a file is itself; a
/// folder is searched for model.safetensors, its index, pytorch_model.bin, its
/// index (variant-aware). Throws Error(NotFound) naming what was looked for.
/// Index files are validated: shard names that escape the folder are refused.
CheckpointFiles resolve_checkpoint(const std::string& path, const ResolveOptions& opts = {});
/// resolve_checkpoint's folder search where the weight files need not be on disk
/// (a Hub snapshot holding only config and index files): `exists(name)` says
/// whether a file (relative to `dir`) is there; index files are read from `dir`.
CheckpointFiles resolve_checkpoint_listed(const std::string& dir, const ResolveOptions& opts,
                                          const std::function<bool(const std::string&)>& exists);

/// Everything a checkpoint says without reading tensor data.
struct CheckpointInfo {
  CheckpointFiles files;
  std::vector<TensorInfo> tensors;               ///< file order, shard by shard
  std::map<std::string, std::string> metadata;   ///< safetensors __metadata__ (first file)
  std::uint64_t total_bytes = 0;                 ///< Σ nbytes (shared .bin storages once)
  std::uint64_t total_elements = 0;              ///< Σ numel over distinct tensors
  /// Groups of tensor names sharing one storage (.bin ties); safetensors has none.
  std::vector<std::vector<std::string>> shared_storage;
  std::string model_type;                        ///< from config.json, "" if none
  std::vector<std::string> architectures;        ///< from config.json
};

/// Reads only headers (safetensors) or data.pkl (.bin): a 100 GB sharded
/// checkpoint inspects in milliseconds.
CheckpointInfo inspect_checkpoint(const std::string& path, const ResolveOptions& opts = {});

struct ConvertOptions {
  bool to_bin = false;                     ///< write pytorch_model*.bin instead of safetensors
  std::uint64_t max_shard_size = 5000000000ull;  ///< "5GB" as in save_pretrained
  std::string variant;
  std::optional<DType> dtype;              ///< cast floating tensors
};

/// Re-saves a checkpoint into folder `out_dir` (created if needed) exactly as
/// save_pretrained would name, order and shard it; config/generation config
/// files are copied. Every file is written atomically.
void convert_checkpoint(const std::string& in, const std::string& out_dir,
                        const ConvertOptions& opts, ProgressSink* progress = nullptr);

}  // namespace lathe
