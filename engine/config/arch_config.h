// What config.json means for one architecture (its transformers config class),
// torch-free so that config parsing and planning without LibTorch see it too.
// Each architecture folder (engine/models/<arch>/<arch>_config.cpp) provides its
// entry; arch_config.cpp lists them.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace lathe {

struct ArchConfigInfo {
  std::string model_type;
  /// The config class's attribute_map: canonical name -> the key config.json stores
  /// ("hidden_size" -> "n_embd" for GPT-2).
  std::vector<std::pair<std::string, std::string>> attribute_map;
};

/// The entry of a model_type; nullptr when no architecture folder declares one.
const ArchConfigInfo* arch_config_info(const std::string& model_type);

}  // namespace lathe
