#include "hub/hub_env.h"

#include "core/file_util.h"
#include "hub/hub_util.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>

namespace lathe::hub {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string clean_token(std::string t) {
  std::string out;
  for (char c : t)
    if (c != '\r' && c != '\n') out += c;
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  while (!out.empty() && (out.front() == ' ' || out.front() == '\t')) out.erase(0, 1);
  return out;
}

/// huggingface_hub's `_as_int(os.environ.get(name)) or default`: a positive
/// whole number of seconds, else the default.
long env_seconds(const char* name, long fallback) {
  std::string v = env(name);
  char* end = nullptr;
  long n = v.empty() ? 0 : std::strtol(v.c_str(), &end, 10);
  if (v.empty() || !end || *end != '\0' || n <= 0) return fallback;
  return std::min(n, 24L * 3600);
}

}  // namespace

bool env_truthy(const char* name) {
  std::string v = to_lower(env(name));
  return v == "1" || v == "on" || v == "yes" || v == "true";
}

std::string expand_path(const std::string& p) {
  std::string s = p;
  if (!s.empty() && s[0] == '~' && (s.size() == 1 || s[1] == '/')) s = env("HOME") + s.substr(1);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$') {
      out += s[i];
      continue;
    }
    std::size_t j = i + 1;
    bool braces = j < s.size() && s[j] == '{';
    if (braces) ++j;
    std::size_t k = j;
    while (k < s.size() && (std::isalnum(static_cast<unsigned char>(s[k])) || s[k] == '_')) ++k;
    if (k == j || (braces && (k >= s.size() || s[k] != '}'))) {
      out += s[i];
      continue;
    }
    out += env(s.substr(j, k - j).c_str());
    i = braces ? k : k - 1;
  }
  return out;
}

std::string lathe_user_agent() {
  return std::string("lathe/0.1.0; hf_hub/compat; libcurl/") + curl_version_info(CURLVERSION_NOW)->version;
}

HubConfig HubConfig::from_environment() {
  HubConfig c;
  std::string ep = env("HF_ENDPOINT");
  if (ep.empty() && env_truthy("HUGGINGFACE_CO_STAGING")) ep = "https://hub-ci.huggingface.co";
  if (!ep.empty()) c.endpoint = ep;
  while (!c.endpoint.empty() && c.endpoint.back() == '/') c.endpoint.pop_back();
  std::string home = env("HF_HOME");
  if (home.empty()) {
    std::string xdg = env("XDG_CACHE_HOME");
    home = xdg.empty() ? "~/.cache/huggingface" : xdg + "/huggingface";
  }
  c.hf_home = expand_path(home);
  std::string cache = env("HF_HUB_CACHE");
  if (cache.empty()) cache = env("HUGGINGFACE_HUB_CACHE");
  c.cache_dir = cache.empty() ? c.hf_home + "/hub" : expand_path(cache);
  c.token = clean_token(env("HF_TOKEN"));
  if (c.token.empty()) c.token = clean_token(env("HUGGING_FACE_HUB_TOKEN"));
  if (c.token.empty()) {
    std::string path = env("HF_TOKEN_PATH");
    path = path.empty() ? c.hf_home + "/token" : expand_path(path);
    if (path_exists(path)) {
      try {
        c.token = clean_token(read_text_file(path));
      } catch (...) {
      }
    }
  }
  c.offline = env_truthy("HF_HUB_OFFLINE") || env_truthy("TRANSFORMERS_OFFLINE");
  c.user_agent = lathe_user_agent();
  c.etag_timeout_s = env_seconds("HF_HUB_ETAG_TIMEOUT", 10);
  c.download_timeout_s = env_seconds("HF_HUB_DOWNLOAD_TIMEOUT", 10);
  return c;
}

}  // namespace lathe::hub
