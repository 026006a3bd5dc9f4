// A raw-socket HTTP/1.1 server on 127.0.0.1 for tests of the Hub client against a
// hostile or broken server: every response byte is the handler's (stalls, lies
// about sizes, endless headers, redirect loops...). One connection at a time on
// one thread (the client makes one request at a time); each connection is closed
// after its handler returns. Header-only; POSIX sockets.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace lathe::test {

struct RawRequest {
  std::string method, target, head, body;
  std::string header(const std::string& lower_name) const {
    std::string h;
    for (char c : head) h += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto p = h.find("\r\n" + lower_name + ":");
    if (p == std::string::npos) return {};
    p += lower_name.size() + 3;
    auto e = h.find("\r\n", p);
    std::string v = head.substr(p, e - p);
    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    return v;
  }
};

/// Sends all of `s` (no SIGPIPE); false once the peer is gone.
inline bool send_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

/// A complete response with Content-Length.
inline bool send_response(int fd, int status, const std::string& body, const std::vector<std::string>& headers = {},
                          const std::string& content_type = "application/json") {
  std::string r = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + content_type +
                  "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n";
  for (const auto& h : headers) r += h + "\r\n";
  return send_all(fd, r + "\r\n" + body);
}

class RawServer {
 public:
  using Handler = std::function<void(const RawRequest&, int fd)>;
  explicit RawServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_fd_, 64) != 0)
      throw std::runtime_error("RawServer: cannot listen");
    socklen_t len = sizeof a;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~RawServer() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_; }
  bool stopping() const { return stop_; }

  /// Blocks until the client closes the connection, `max_ms` pass, or the server
  /// stops: a stall that ends when the client gives up.
  bool wait_for_close(int fd, int max_ms) const {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(max_ms);
    char buf[4096];
    while (!stop_ && std::chrono::steady_clock::now() < end) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) > 0) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return true;
      }
    }
    return false;
  }

 private:
  void loop() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      RawRequest req;
      if (read_request(fd, req)) {
        ++requests_;
        handler_(req, fd);
      }
      ::shutdown(fd, SHUT_WR);
      ::close(fd);
    }
  }
  bool read_request(int fd, RawRequest& req) {
    std::string data;
    char buf[65536];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::size_t head_end = std::string::npos;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline || stop_) return false;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      data.append(buf, static_cast<std::size_t>(n));
    }
    req.head = data.substr(0, head_end + 2);
    auto sp = req.head.find(' ');
    req.method = req.head.substr(0, sp);
    req.target = req.head.substr(sp + 1, req.head.find(' ', sp + 1) - sp - 1);
    std::string cl = req.header("content-length");
    std::size_t want = cl.empty() ? 0 : std::stoull(cl);
    req.body = data.substr(head_end + 4);
    while (req.body.size() < want && !stop_) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      req.body.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }

  Handler handler_;
  int listen_fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace lathe::test
