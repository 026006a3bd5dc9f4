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

struct ModuleTree {
  std::vector<Module> modules;  ///< pre-order; [0] is the root
  std::vector<std::string> no_split;
  std::vector<std::vector<std::string>> tied;  ///< each group sorted
  std::unordered_map<std::string, int> index;  ///< module name -> index
};

/// Throws Error(ConfigInvalid) on a malformed tree, Error(InvalidArgument) on a bad dtype.
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
/// dtype empty = each tensor's own dtype.
ModuleSizes compute_module_sizes(const ModuleTree& tree, const std::string& dtype);
double tensor_size(const TensorInfo& t, const std::string& dtype);

}  // namespace lathe::planning
