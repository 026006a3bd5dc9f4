// from_pretrained for local folders and files (internal: includes ATen).
#pragma once

#include "core/progress.h"
#include "io/checkpoint.h"
#include "models/dispatch.h"
#include "models/loading_report.h"
#include "models/pretrained_model.h"

#include <memory>
#include <string>

namespace lathe::models {

struct FromPretrainedOptions {
  /// "" → float32 (transformers' None); "auto" → config.torch_dtype, else the
  /// first floating tensor; or a name ("bfloat16"). Non-float names are refused.
  std::string torch_dtype;
  ResolveOptions resolve;               ///< variant, use_safetensors, subfolder
  bool ignore_mismatched_sizes = false;
  std::string model_class;              ///< "" → config.architectures, else the base class
  std::uint64_t seed = 0;               ///< RNG for weights the checkpoint lacks
  DispatchOptions dispatch;             ///< device_map, max_memory, offload_folder, offload_buffers
};

struct LoadedModel {
  std::unique_ptr<PreTrainedModel> model;
  LoadingInfo info;
  CheckpointFiles files;
  DispatchInfo dispatch;                ///< what went where (with a device map)
};

/// The dtype from_pretrained will use (resolves "auto" from config/headers).
c10::ScalarType resolve_load_dtype(const std::string& torch_dtype, const ModelConfig& config,
                                   const CheckpointFiles& files);

/// A model built from config alone on the meta device: shapes, dtypes and
/// sizes, no memory. Ties applied (tied slots are shared).
std::unique_ptr<PreTrainedModel> build_skeleton(const ModelConfig& config, const std::string& model_class,
                                                c10::ScalarType dtype);

/// A model built from config with freshly initialised weights (_init_weights),
/// as `ModelClass(config)` gives in Python. Used for demos and benchmarks.
std::unique_ptr<PreTrainedModel> init_random(const ModelConfig& config, const std::string& model_class,
                                             c10::ScalarType dtype, std::uint64_t seed = 0);

/// Loads a model as transformers' from_pretrained does. Shards stream one at a
/// time; tensors whose dtype already matches stay zero-copy views of the file.
LoadedModel from_pretrained(const std::string& path, const FromPretrainedOptions& opts = {},
                            ProgressSink* progress = nullptr);

}  // namespace lathe::models
