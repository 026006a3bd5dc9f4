// lathe::Session — the engine facade the CLI and the GUI call (public, torch-free).
//
// A Session owns at most one loaded model. Every method is synchronous and
// thread-agnostic; callers that must not block (the GUI) run them as jobs.
// Errors are lathe::Error; cancellation via ProgressSink is lathe::Cancelled.
#pragma once

#include "analysis/memory_report.h"
#include "core/progress.h"
#include "io/checkpoint.h"
#include "quant/bnb_config.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lathe {

struct LoadOptions {
  std::string torch_dtype;              ///< "" (float32), "auto", "float32", "bfloat16", "float16"
  std::string variant, subfolder;
  std::optional<bool> use_safetensors;
  bool ignore_mismatched_sizes = false;
  std::string model_class;              ///< "" → from config.json
  /// device_map: "" none; "auto", "balanced", "balanced_low_0", "sequential";
  /// or an explicit map as JSON text {"module": "cpu" | "disk" | GPU index}.
  std::string device_map;
  std::string max_memory;               ///< "cpu=2GiB,disk=..." for the modes
  std::string offload_folder;           ///< needed for .bin checkpoints with disk entries
  bool offload_buffers = false;
  /// BitsAndBytesConfig: quantise on load (a checkpoint already in the
  /// bitsandbytes layout loads quantised without it).
  std::optional<BnbConfig> quantization;
};

struct MismatchedKey {
  std::string key;
  std::vector<std::int64_t> checkpoint_shape, model_shape;
};

/// output_loading_info of from_pretrained.
struct LoadReport {
  std::vector<std::string> missing_keys, unexpected_keys;
  std::vector<MismatchedKey> mismatched_keys;
  /// With a device map: the map used (module → "cpu" | "disk"), in order, and totals.
  std::vector<std::pair<std::string, std::string>> device_map;
  std::vector<std::string> device_map_warnings;
  std::uint64_t resident_bytes = 0, offloaded_bytes = 0;
  std::int64_t offloaded_tensors = 0;
};

/// What transformers' base-class utilities say about a model.
struct ModelSummary {
  std::string class_name, model_type, dtype;
  std::int64_t num_parameters = 0;                      ///< all
  std::int64_t num_parameters_trainable = 0;
  std::int64_t num_parameters_exclude_embeddings = 0;
  std::int64_t num_parameters_trainable_exclude_embeddings = 0;
  std::int64_t memory_footprint_with_buffers = 0;
  std::int64_t memory_footprint_without_buffers = 0;
  std::vector<std::vector<std::string>> tied;           ///< state-dict names sharing a tensor
  std::vector<std::string> no_split_modules;
  bool can_generate = false;
};

/// Model-level facts from config.json and headers alone (a meta skeleton):
/// no weights are read. Throws like from_pretrained's config handling
/// (ConfigInvalid, UnsupportedArch).
ModelSummary summarize_model(const std::string& path, const LoadOptions& opts = {});
/// Same from an inspected checkpoint whose weight files need not be on disk (a
/// remote inspection: info.files.config_file is read, tensor headers come from
/// `info`, e.g. for torch_dtype "auto").
ModelSummary summarize_model(const CheckpointInfo& info, const LoadOptions& opts = {});

/// Names of the supported model types ("bert", "gpt2", ...).
std::vector<std::string> supported_model_types();

/// Inputs given in memory (e.g. a tokenizer's padded batch): rows of equal
/// length; attention_mask and token_type_ids may be empty (not passed).
struct TokenBatch {
  std::vector<std::vector<std::int64_t>> input_ids, attention_mask, token_type_ids;
};

struct ForwardRequest {
  std::string inputs_path;    ///< JSON {"input_ids": [[...]], "attention_mask": ..., "token_type_ids": ...} or .safetensors
  std::string inputs_prefix;  ///< for .safetensors inputs: read "<prefix>input_ids", ...
  bool hidden_states = false;
  std::string out_path;       ///< "" → do not write outputs
  std::optional<TokenBatch> batch = std::nullopt;  ///< used instead of inputs_path when set
};

struct OutputTensor {
  std::string name;
  std::vector<std::int64_t> shape;
};

struct ForwardResult {
  std::int64_t estimate_tokens = 0;
  std::int64_t floating_point_ops = 0;
  std::string dtype;
  std::vector<OutputTensor> outputs;  ///< written to out_path as float32
  std::vector<std::string> warnings;  ///< e.g. padding without an attention mask
};

struct GenerateRequest {
  std::vector<std::vector<std::int64_t>> prompts;  ///< left-padded internally when lengths differ
  std::int64_t max_new_tokens = 20;
  bool do_sample = false;
  double temperature = 1.0;
  std::int64_t top_k = 50;
  double top_p = 1.0;
  std::uint64_t seed = 0;
};

struct SaveOptions {
  std::uint64_t max_shard_size = 5000000000ull;  ///< "5GB"
  bool bin = false;                               ///< pytorch_model*.bin instead of safetensors
  std::string variant;
  std::string dtype;                              ///< "" keep; else cast floating weights first
};

/// What a save writes and deletes (a dry run shows it before anything happens).
struct SaveReport {
  std::vector<std::string> files;                      ///< every file written
  std::vector<std::vector<std::string>> shards;        ///< tensor names per weight file
  std::vector<std::string> deleted;                    ///< stale shards of an earlier save
  std::vector<std::string> dropped_tied;               ///< tied duplicates left out of safetensors
  std::uint64_t total_size = 0;
};

class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// from_pretrained on a local folder or file. Replaces any loaded model.
  LoadReport load(const std::string& path, const LoadOptions& opts = {}, ProgressSink* progress = nullptr);
  bool loaded() const;
  /// Drops the loaded model (and its memory hooks); no-op when none is loaded.
  void unload();
  ModelSummary summary() const;
  /// The forward pass of the loaded model on a file of inputs.
  ForwardResult run(const ForwardRequest& req);
  /// prune_heads({layer: [heads]}) in original head numbering (union semantics).
  void prune_heads(const std::map<int, std::vector<int>>& heads);
  /// resize_token_embeddings; returns the new vocabulary size.
  std::int64_t resize_token_embeddings(std::optional<std::int64_t> new_num_tokens,
                                       std::optional<std::int64_t> pad_to_multiple_of, bool mean_resizing = true,
                                       std::uint64_t seed = 0);
  /// Saving carries the files found beside the loaded checkpoint (the
  /// tokenizer's); this replaces or adds one (name → path, e.g. a tokenizer with
  /// added tokens written to a scratch folder); an empty path drops it.
  void set_carried_file(const std::string& name, const std::string& path);
  /// save_pretrained into `dir` (atomic: the folder is swapped in whole).
  SaveReport save(const std::string& dir, const SaveOptions& opts = {}, ProgressSink* progress = nullptr);
  /// The same plan without writing anything.
  SaveReport preview_save(const std::string& dir, const SaveOptions& opts = {});
  /// A forward pass under per-module memory hooks (add_memory_hooks): records
  /// accumulate across calls until reset_memory_hooks().
  MemoryReport memory(const ForwardRequest& req);
  void reset_memory_hooks();
  /// Quantises the loaded model in place (as quantize-on-load does).
  void quantize(const BnbConfig& cfg);
  /// The quantised layers (empty for a float model).
  std::vector<QuantizedModuleInfo> quantized_modules();
  /// transformers' dequantize(): quantised layers back to float weights.
  void dequantize();
  /// Token ids continuing each prompt (prompt included).
  std::vector<std::vector<std::int64_t>> generate(const GenerateRequest& req, ProgressSink* progress = nullptr);

  struct Impl;
  Impl& impl() { return *impl_; }  ///< engine-internal access (other engine modules)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace lathe
