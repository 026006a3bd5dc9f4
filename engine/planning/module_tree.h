// Module-size trees for device-map planning (torch-free). See docs/cli.md
// "Module-size tree" and semantics.md A2 (compute_module_sizes).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lathe::planning {

struct TensorInfo {
  std::string name;  ///< full dotted name
  std::vector<std::int64_t> shape;
  std::string dtype;  ///< "float32", "bfloat16", "int64", "bool", ...
  double numel() const;
};

struct Module {
  std::string name;  ///< full dotted name ("" for the root)
  std::string cls;
  std::vector<TensorInfo> params, buffers;
  std::vector<int> children;  ///< indices into ModuleTree::modules
};

/// What transformers 4.47's from_pretrained(device_map=str) adds to the bare tree when it sizes a model
/// (set by model_module_tree / apply_bnb_sizing; plan_device_map applies it). Empty for a plain --tree.
struct Sizing {
  /// Target dtype: "" = each tensor's own (torch_dtype None), "float16", ..., "int8" (8-bit BnB),
  /// "int4" (accelerate's CustomDtype.INT4: 0.5 byte, 4-bit BnB). PlanOptions::dtype overrides it.
  std::string dtype;
  /// accelerate's special_dtypes: parameter name -> dtype it is sized at (a quantizer's unconverted modules).
  std::unordered_map<std::string, std::string> special_dtypes;
  /// A quantizer's adjust_max_memory after balancing: every budget times this (bitsandbytes: 0.90).
  double max_memory_factor = 1.0;
  /// Parameter names model.tie_weights() ties only after get_balanced_memory (from_pretrained builds the
  /// model untied): balancing counts them as tensors of their own, planning as tied.
  std::vector<std::string> untied_when_balancing;
  /// Non-empty: _get_no_split_modules raises this ("X does not support `device_map='auto'`...").
  std::string auto_unsupported;
  std::string quantize;                             ///< "", "8bit", "nf4", "fp4"
  std::vector<std::string> modules_to_not_convert;  ///< the quantizer's list (informational)
};

struct ModuleTree {
  std::vector<Module> modules;  ///< pre-order; [0] is the root
  std::vector<std::string> no_split;
  std::vector<std::vector<std::string>> tied;  ///< each group sorted
  std::unordered_map<std::string, int> index;  ///< module name -> index
  /// Module name of get_output_embeddings() ("" when the class has none); JSON key "output_embeddings".
  std::string output_embeddings;
  Sizing sizing;  ///< JSON key "sizing" (optional)
};

/// The tree as the --tree JSON (cli.md), plus "output_embeddings" and "sizing" when set.
nlohmann::ordered_json module_tree_json(const ModuleTree& tree);

/// Throws Error(ConfigInvalid) on a malformed tree, Error(InvalidArgument) on a bad dtype.
ModuleTree parse_module_tree(const nlohmann::ordered_json& j);
/// nlohmann::json sorts object keys: params/buffers come out in name order (tests only).
ModuleTree parse_module_tree(const nlohmann::json& j);
ModuleTree parse_module_tree_text(std::string_view text);

/// Bytes per element: bool = 1/8, otherwise trailing digits / 8. Error(InvalidArgument) if unknown.
double dtype_bytes(const std::string& dtype);

/// compute_module_sizes: insertion-ordered sizes of every dotted prefix ("" = total).
struct ModuleSizes {
  std::unordered_map<std::string, double> size;
  std::vector<std::string> order;  ///< first-insertion order
  std::unordered_map<std::string, double> buffer_total;  ///< per module name: all buffers, recursive
  double get(const std::string& name) const {
    auto it = size.find(name);
    return it == size.end() ? 0.0 : it->second;
  }
};
/// dtype empty = each tensor's own dtype. tree.sizing.special_dtypes apply; with `untied` the names in
/// tree.sizing.untied_when_balancing count as tensors of their own (the model get_balanced_memory sees).
ModuleSizes compute_module_sizes(const ModuleTree& tree, const std::string& dtype, bool untied = false);
double tensor_size(const TensorInfo& t, const std::string& dtype);

}  // namespace lathe::planning
