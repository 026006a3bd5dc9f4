#include "config/arch_config.h"

namespace lathe {

// One line per architecture folder.
ArchConfigInfo gpt2_config_info();
ArchConfigInfo bloom_config_info();

const ArchConfigInfo* arch_config_info(const std::string& model_type) {
  static const std::vector<ArchConfigInfo> all = {gpt2_config_info(), bloom_config_info()};
  for (const auto& a : all)
    if (a.model_type == model_type) return &a;
  return nullptr;
}

}  // namespace lathe
