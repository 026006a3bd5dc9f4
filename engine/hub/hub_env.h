// Hub settings read from the environment exactly as huggingface_hub does.
#pragma once

#include <cstddef>
#include <string>

namespace lathe::hub {

struct HubConfig {
  std::string endpoint = "https://huggingface.co";  ///< HF_ENDPOINT, no trailing '/'
  std::string token;                                 ///< HF_TOKEN, else $HF_HOME/token
  std::string hf_home;                               ///< HF_HOME
  std::string cache_dir;                             ///< HF_HUB_CACHE ($HF_HOME/hub)
  bool offline = false;                              ///< HF_HUB_OFFLINE
  std::string user_agent;                            ///< names Lathe
  /// HF_HUB_ETAG_TIMEOUT: seconds to connect / without a byte for API and HEAD requests.
  long etag_timeout_s = 10;
  /// HF_HUB_DOWNLOAD_TIMEOUT: the same for file downloads (a stall that long fails).
  long download_timeout_s = 10;
  /// Paginated listings (search, tree) stop with Error(Network) beyond these: a
  /// server whose rel="next" never ends cannot keep the client busy or growing.
  int max_list_pages = 2000;
  std::size_t max_list_entries = 1000000;

  static HubConfig from_environment();
};

/// "1", "ON", "YES", "TRUE" (any case).
bool env_truthy(const char* name);
/// Expands a leading "~" and $VAR / ${VAR}.
std::string expand_path(const std::string& p);
std::string lathe_user_agent();

}  // namespace lathe::hub
