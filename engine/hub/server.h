// The local hub server (`lathe-cli hub serve DIR`): a Hugging Face Hub-compatible
// HTTP API over a folder (server_storage.h). Python's huggingface_hub, the JS
// @huggingface/hub client and Lathe's own client work against it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace lathe::hub {

struct ServerOptions {
  std::string dir;
  std::string host = "127.0.0.1";
  int port = 0;                               ///< 0: any free port
  std::map<std::string, std::string> tokens;  ///< token -> user name
  /// Worker threads; at most half of them (max_active_per_ip when > 0) serve one
  /// client address at once, and one address may hold at most
  /// max_connections_per_ip connections (served or waiting; more get a 503).
  int threads = 64;
  int max_active_per_ip = 0;
  int max_connections_per_ip = 1024;
  /// A request's headers must arrive within this; an idle keep-alive connection
  /// is closed after idle_timeout_ms; a read or write stalled for io_timeout_ms fails.
  int header_timeout_ms = 10000;
  int idle_timeout_ms = 5000;
  int io_timeout_ms = 10000;
  // Test-only fault injection.
  bool test_truncate_once = false;  ///< the first GET of a file sends half of it, then drops
  bool test_429_once = false;       ///< the first resolve request gets 429 + Retry-After: 1
  bool test_ignore_range_once = false;  ///< the first ranged GET of a file is answered 200 (whole file)
  /// > 0: LFS objects larger than this get a multipart upload answer with parts of this size
  /// (the real Hub does so for large files; tests use a small value).
  std::uint64_t test_multipart_chunk = 0;
};

class HubServer {
 public:
  explicit HubServer(ServerOptions options);
  ~HubServer();
  HubServer(const HubServer&) = delete;
  HubServer& operator=(const HubServer&) = delete;
  /// Binds; returns the port. Throws Error(Io) when it cannot.
  int bind();
  /// Serves until stop() (blocking). bind() first.
  void listen();
  void stop();
  /// True once listen() serves (stop() before that point would be lost).
  bool running() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace lathe::hub
