// A local hub server fixture for tests: the real HubServer (engine/hub/server.h)
// in-process on 127.0.0.1, any free port, served on its own thread, stopped with
// the object. Header-only so only test binaries that link lathe_hub include it.
#pragma once

#include "hub/hub_env.h"
#include "hub/server.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace lathe::test {

class LocalHub {
 public:
  /// Tokens hf_alice -> alice, hf_bob -> bob; `tweak` may change any option.
  explicit LocalHub(const std::string& dir, const std::function<void(hub::ServerOptions&)>& tweak = {}) {
    hub::ServerOptions o;
    o.dir = dir;
    o.tokens = {{"hf_alice", "alice"}, {"hf_bob", "bob"}};
    if (tweak) tweak(o);
    server_ = std::make_unique<hub::HubServer>(o);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->listen(); });
    // stop() before listen() runs would be lost (and the join would hang).
    while (!server_->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LocalHub() {
    server_->stop();
    thread_.join();
  }
  LocalHub(const LocalHub&) = delete;
  LocalHub& operator=(const LocalHub&) = delete;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  std::unique_ptr<hub::HubServer> server_;
  std::thread thread_;
  int port_ = 0;
};

/// A client configuration for `url` with its cache under `home` (HF_HOME).
inline hub::HubConfig hub_config(const std::string& url, const std::string& token, const std::string& home) {
  hub::HubConfig c;
  c.endpoint = url;
  c.token = token;
  c.hf_home = home;
  c.cache_dir = home + "/hub";
  c.user_agent = hub::lathe_user_agent();
  return c;
}

}  // namespace lathe::test
