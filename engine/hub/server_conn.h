// Internal to the hub server: connection handling that hostile clients cannot
// stall. httplib's own loop gives each connection a pool thread for its whole
// life and bounds only single reads, so N connections sending a header byte per
// second stop a pool of N. GuardedServer replaces that loop (httplib still
// parses and routes every request):
//   - accepted sockets go to a fair scheduler: at most `active_per_ip` of the
//     workers serve one client address at a time, at most `connections_per_ip`
//     of its connections wait, the rest get a 503 at once;
//   - a request's header block must arrive within `header_timeout_ms` and be at
//     most `header_max_bytes`;
//   - a read or write making no progress for `io_timeout_ms`, or a body or
//     response slower than `min_rate` bytes/s on average (after a grace time),
//     ends the connection;
//   - an idle keep-alive connection is released at once when others wait.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <memory>
#include <string>

namespace lathe::hub {

struct ConnLimits {
  int workers = 64;
  int active_per_ip = 32;
  int connections_per_ip = 1024;
  int max_waiting = 4096;
  int header_timeout_ms = 10000;
  std::size_t header_max_bytes = 64 << 10;
  int idle_timeout_ms = 5000;
  int io_timeout_ms = 10000;
  std::uint64_t min_rate = 4096;  ///< bytes/s
  int rate_grace_ms = 10000;
  int keep_alive_max = 100;
};

/// Called by a handler that answers without reading the request body: the
/// connection closes after the response (the unread body is never parsed as
/// a request).
void close_connection_after_response();

class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(const ConnLimits& limits);
  ~GuardedServer() override;

  /// After binding: the kernel's accept queue as long as the system allows.
  /// httplib listens with a backlog of 5; when 200 clients connect at once the
  /// queue overflows, the kernel drops their handshakes and retries them after
  /// 1, 2, 4, 8 s, and a client already "connected" sees no data for 10 s+.
  void widen_backlog();

  struct Gate;

 private:
  bool process_and_close_socket(socket_t sock) override;
  void serve(int sock, const std::string& ip);
  void serve_requests(int sock, const std::string& ip);
  friend struct Gate;

  ConnLimits limits_;
  std::unique_ptr<Gate> gate_;
};

}  // namespace lathe::hub
