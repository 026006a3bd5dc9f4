// Which checkpoint key loads into which model key, and transformers' loading
// report {missing, unexpected, mismatched} — pure key logic, torch-free.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lathe::models {

using Shape = std::vector<std::int64_t>;

struct MismatchedKey {
  std::string key;
  Shape checkpoint_shape, model_shape;
};

/// output_loading_info of from_pretrained.
struct LoadingInfo {
  std::vector<std::string> missing_keys;
  std::vector<std::string> unexpected_keys;
  std::vector<MismatchedKey> mismatched_keys;
  std::vector<std::string> error_msgs;
};

struct KeyPlanInput {
  std::string class_name;
  std::string prefix;                                      ///< base_model_prefix
  bool has_base_child = false;                             ///< the model has a child named prefix
  std::vector<std::pair<std::string, Shape>> model_keys;   ///< state_dict order (tied names included)
  std::vector<std::string> model_buffers;                  ///< every named buffer
  std::vector<std::vector<std::string>> tied_groups;       ///< model keys sharing one tensor
  std::vector<std::pair<std::string, Shape>> checkpoint;   ///< checkpoint keys and shapes
  std::vector<std::string> ignore_missing, ignore_unexpected;  ///< regexes (re.search)
  bool ignore_mismatched_sizes = false;
};

struct KeyPlan {
  LoadingInfo info;
  /// checkpoint key → model key, for every tensor that will be loaded.
  std::map<std::string, std::string> load;
  /// Model keys that get no checkpoint tensor (missing or mismatched): initialised.
  std::vector<std::string> uninitialized;
  /// checkpoint renames applied (old → new), e.g. LayerNorm.gamma → LayerNorm.weight.
  std::vector<std::pair<std::string, std::string>> renamed;
};

/// transformers 4.48's key handling in _load_pretrained_model. Throws
/// Error(CorruptFile) for a checkpoint mixing unprefixed base and head keys,
/// Error(ShapeMismatch) for mismatches without ignore_mismatched_sizes.
KeyPlan plan_loading(const KeyPlanInput& in);

/// 4.48 renames: "LayerNorm.gamma" → "LayerNorm.weight", "LayerNorm.beta" → "LayerNorm.bias";
/// weight_g/weight_v → parametrizations.weight.original0/1.
std::string fix_checkpoint_key(const std::string& key);

}  // namespace lathe::models
