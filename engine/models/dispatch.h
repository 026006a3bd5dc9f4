// Loading with a device map (from_pretrained(device_map=...) + accelerate's
// dispatch_model, semantics.md A2), internal: includes ATen.
//
// This LibTorch is CPU-only, so the main (execution) device is the CPU: "cpu"
// entries are materialised as usual (zero-copy views of the mmap'd weights when
// dtypes match) and "disk" entries stay on disk — for safetensors the offload
// index points into the original files, for .bin the weights are written to an
// offload folder. A map naming a GPU (or mps) is a clear Error.
#pragma once

#include "io/checkpoint.h"
#include "models/offload.h"
#include "models/pretrained_model.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace lathe::models {

struct DispatchOptions {
  /// "" none; "auto", "balanced", "balanced_low_0", "sequential"; or an explicit
  /// map as JSON text ({"transformer.h.0": "cpu", "lm_head": "disk", ...}).
  std::string device_map;
  std::string max_memory;      ///< "cpu=2GiB,disk=..." (modes only)
  std::string offload_folder;  ///< required for .bin checkpoints with disk entries
  bool offload_buffers = false;
  bool active() const { return !device_map.empty(); }
};

/// What went where (transformers' model.hf_device_map plus totals).
struct DispatchInfo {
  std::vector<std::pair<std::string, std::string>> device_map;  ///< as used, in order
  std::vector<std::string> warnings;
  std::uint64_t resident_bytes = 0;   ///< parameters and buffers in memory
  std::uint64_t offloaded_bytes = 0;  ///< parameters (and buffers) left on disk
  std::int64_t offloaded_tensors = 0;
  std::string offload_folder;         ///< set when a folder was written
  bool has_hooks() const { return offloaded_tensors > 0; }
};

/// The device of a tensor or module name under `map`: the longest key equal to
/// it or a dotted prefix of it ("" covers everything); "" when none.
std::string device_of(const std::vector<std::pair<std::string, std::string>>& map, const std::string& name);

/// Parses an explicit map (JSON object of name → int | "cpu" | "disk" | ...).
/// Error(InvalidArgument) on bad JSON or values.
std::vector<std::pair<std::string, std::string>> parse_device_map_json(const std::string& text);

/// Runs inside from_pretrained: decides which parameter slots are offloaded,
/// records where their bytes are instead of loading them, and installs the
/// hooks at the end.
class Dispatcher {
 public:
  /// `skeleton` is the tied meta model; `dtype` the load dtype.
  Dispatcher(PreTrainedModel& skeleton, const CheckpointFiles& files, c10::ScalarType dtype,
             const DispatchOptions& opts);
  ~Dispatcher();

  /// Called for each checkpoint tensor routed to `model_key`: true when that
  /// tensor is offloaded (its location was recorded; do not put it in the model).
  bool take(const std::string& ckpt_key, const std::string& model_key, const at::Tensor& tensor,
            const std::string& file);
  /// True for a model tensor (parameter or buffer slot) that stays on disk.
  bool offloaded(const at::Tensor* slot) const;
  /// After the weights are in: writes the folder index, turns offloaded slots
  /// into meta tensors and attaches an AlignDevicesHook to every module that
  /// directly owns one.
  DispatchInfo finish(PreTrainedModel& model);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// True when the model holds offloaded (meta) tensors managed by hooks.
bool is_dispatched(PreTrainedModel& model);
/// The offload state of a dispatched model (nullptr otherwise), for stats.
const OffloadState* offload_state_of(PreTrainedModel& model);

}  // namespace lathe::models
