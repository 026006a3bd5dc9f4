// Hub settings read from the environment exactly as huggingface_hub does.
#pragma once

#include <string>

namespace lathe::hub {

struct HubConfig {
  std::string endpoint = "https://huggingface.co";  ///< HF_ENDPOINT, no trailing '/'
  std::string token;                                 ///< HF_TOKEN, else $HF_HOME/token
  std::string hf_home;                               ///< HF_HOME
  std::string cache_dir;                             ///< HF_HUB_CACHE ($HF_HOME/hub)
  bool offline = false;                              ///< HF_HUB_OFFLINE
  std::string user_agent;                            ///< names Lathe

  static HubConfig from_environment();
};

/// "1", "ON", "YES", "TRUE" (any case).
bool env_truthy(const char* name);
/// Expands a leading "~" and $VAR / ${VAR}.
std::string expand_path(const std::string& p);
std::string lathe_user_agent();

}  // namespace lathe::hub
