// The module-size tree of a model folder, as transformers 4.47.1's
// from_pretrained(device_map=str) sizes it for accelerate 1.2.1 (torch-free header;
// the implementation builds a meta skeleton: no memory, no weights read).
#pragma once

#include "planning/module_tree.h"

#include <optional>
#include <string>
#include <vector>

namespace lathe {
class ModelConfig;
}

namespace lathe::planning {

struct ModelTreeOptions {
  /// "", "auto", "float32", "bfloat16", "float16" as from_pretrained's torch_dtype.
  /// "" = None: tensors keep their own (float32) size, except with `quantize`, where the
  /// quantizer's update_torch_dtype makes it float16.
  std::string torch_dtype;
  std::string quantize;                   ///< "", "8bit", "nf4", "fp4" (BitsAndBytesConfig)
  std::vector<std::string> skip_modules;  ///< llm_int8_skip_modules; empty = get_keys_to_not_convert
  std::string model_class;                ///< "" = config.architectures, else the base class
};

/// The module-size tree transformers/accelerate would size for from_pretrained(device_map=...) of a
/// LOCAL model folder (or a config.json file): config.json required; weights optional (their headers
/// only settle torch_dtype "auto" when config.json has no torch_dtype; without either: float32).
/// Built from a meta skeleton (models::build_skeleton): class names, params, buffers as accelerate
/// counts them (per-layer copies, non-persistent included), the architecture's _no_split_modules,
/// tied groups, and tree.sizing (target dtype, late ties, quantization: see quantized_sizing.h).
/// Errors: NotFound (no config.json), ConfigInvalid/UnsupportedArch (bad config), InvalidArgument
/// (bad dtype or quantize value).
ModuleTree model_module_tree(const std::string& path, const ModelTreeOptions& opts = {});

/// The same tree without LibTorch (lathe_engine_base), for the Llama family (Llama, Mistral, Qwen2)
/// with plain configs; std::nullopt whenever the skeleton path is needed (other architectures,
/// pruned heads, unusual values, "auto" without a config torch_dtype, a requested model_class).
/// Lets `lathe-cli plan` answer without loading LibTorch. Same errors as model_module_tree otherwise.
std::optional<ModuleTree> model_module_tree_fast(const std::string& path, const ModelTreeOptions& opts = {});
/// The same from a parsed config.json (the fuzz target's entry point).
std::optional<ModuleTree> model_module_tree_fast(const ModelConfig& config, const ModelTreeOptions& opts = {});

}  // namespace lathe::planning
