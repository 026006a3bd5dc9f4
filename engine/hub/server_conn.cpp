#include "hub/server_conn.h"

#include "hub/server_parse.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

namespace lathe::hub {

namespace {

using Clock = std::chrono::steady_clock;
thread_local bool t_close_after = false;

int ms_until(Clock::time_point t) {
  auto d = std::chrono::duration_cast<std::chrono::milliseconds>(t - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(d, 0, 1 << 30));
}

long long ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

/// poll() for one event; > 0 ready, 0 timeout, < 0 error/hang-up.
int wait_for(int sock, short events, int timeout_ms) {
  pollfd p{sock, events, 0};
  for (;;) {
    int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    if (r > 0 && (p.revents & (POLLERR | POLLNVAL))) return -1;
    return r;
  }
}

std::string address_of(int sock, bool peer, int* port) {
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  int r = peer ? ::getpeername(sock, reinterpret_cast<sockaddr*>(&a), &len)
               : ::getsockname(sock, reinterpret_cast<sockaddr*>(&a), &len);
  char buf[INET6_ADDRSTRLEN] = "";
  if (port) *port = 0;
  if (r != 0) return "?";
  if (a.ss_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&a);
    ::inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
    if (port) *port = ntohs(in->sin_port);
  } else if (a.ss_family == AF_INET6) {
    auto* in = reinterpret_cast<sockaddr_in6*>(&a);
    ::inet_ntop(AF_INET6, &in->sin6_addr, buf, sizeof buf);
    if (port) *port = ntohs(in->sin6_port);
  }
  return buf;
}

/// The socket as httplib's Stream, with the limits of ConnLimits applied.
class LimitedStream : public httplib::Stream {
 public:
  LimitedStream(int sock, const ConnLimits& l) : sock_(sock), l_(l) {}

  void begin_request(Clock::time_point header_deadline) {
    scanner_.reset();
    in_headers_ = true;
    deadline_ = header_deadline;
    read_bytes_ = written_bytes_ = 0;
    read_started_ = write_started_ = false;
  }
  bool buffered() const { return pos_ < len_; }
  /// A limit was hit or the socket failed: the connection must end.
  bool failed() const { return failed_; }
  /// The request's header block ended (else httplib refused it half-read).
  bool headers_done() const { return !in_headers_; }

  bool is_readable() const override { return pos_ < len_ || wait_for(sock_, POLLIN, l_.io_timeout_ms) > 0; }
  bool is_writable() const override { return wait_for(sock_, POLLOUT, l_.io_timeout_ms) > 0; }

  ssize_t read(char* ptr, size_t size) override {
    if (size == 0) return 0;
    if (pos_ == len_) {
      int timeout = l_.io_timeout_ms;
      if (in_headers_) {
        timeout = std::min(timeout, ms_until(deadline_));
        if (timeout <= 0) return fail();  // the header block took too long
      } else if (!rate_ok(read_started_, read_t0_, read_bytes_)) {
        return fail();
      }
      if (wait_for(sock_, POLLIN, timeout) <= 0) return fail();
      ssize_t r;
      do r = ::recv(sock_, buf_, sizeof buf_, 0);
      while (r < 0 && errno == EINTR);
      if (r <= 0) return r < 0 ? fail() : 0;
      pos_ = 0;
      len_ = static_cast<std::size_t>(r);
    }
    std::size_t n = 0;
    if (in_headers_) {
      while (n < size && pos_ < len_) {
        char c = buf_[pos_++];
        ptr[n++] = c;
        if (scanner_.feed(c)) {
          in_headers_ = false;
          break;
        }
        if (scanner_.size() > l_.header_max_bytes) return fail();
      }
      return static_cast<ssize_t>(n);
    }
    n = std::min(size, len_ - pos_);
    std::memcpy(ptr, buf_ + pos_, n);
    pos_ += n;
    read_bytes_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!rate_ok(write_started_, write_t0_, written_bytes_)) return fail();
    if (wait_for(sock_, POLLOUT, l_.io_timeout_ms) <= 0) return fail();
    ssize_t r;
    do r = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    if (r < 0) return fail();
    if (r > 0) written_bytes_ += static_cast<std::uint64_t>(r);
    return r;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { ip = address_of(sock_, true, &port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { ip = address_of(sock_, false, &port); }
  socket_t socket() const override { return sock_; }

 private:
  ssize_t fail() {
    failed_ = true;
    return -1;
  }

  /// A body or response must average min_rate bytes/s once past the grace time.
  bool rate_ok(bool& started, Clock::time_point& t0, std::uint64_t bytes) const {
    if (!started) {
      started = true;
      t0 = Clock::now();
      return true;
    }
    long long ms = ms_since(t0);
    if (ms <= l_.rate_grace_ms) return true;
    return bytes * 1000 >= l_.min_rate * static_cast<std::uint64_t>(ms - l_.rate_grace_ms);
  }

  int sock_;
  const ConnLimits& l_;
  char buf_[16384];
  std::size_t pos_ = 0, len_ = 0;
  wire::HeaderScanner scanner_;
  bool in_headers_ = true;
  bool failed_ = false;
  Clock::time_point deadline_;
  std::uint64_t read_bytes_ = 0, written_bytes_ = 0;
  mutable bool read_started_ = false, write_started_ = false;
  mutable Clock::time_point read_t0_, write_t0_;
};

void refuse_busy(int sock) {
  static const char kBusy[] =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n";
  (void)!::send(sock, kBusy, sizeof kBusy - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
  ::close(sock);
}

/// Closes after the response while the client may still be sending a body we
/// refused: FIN first, then discard what arrives for a moment (bounded), so the
/// client reads our answer instead of a reset.
void lingering_close(int sock) {
  ::shutdown(sock, SHUT_WR);
  char sink[16384];
  std::size_t total = 0;
  auto until = Clock::now() + std::chrono::milliseconds(1000);
  while (total < (4u << 20) && wait_for(sock, POLLIN, std::min(250, ms_until(until))) > 0) {
    ssize_t r = ::recv(sock, sink, sizeof sink, 0);
    if (r <= 0) break;
    total += static_cast<std::size_t>(r);
  }
  ::close(sock);
}

}  // namespace

void close_connection_after_response() { t_close_after = true; }

struct GuardedServer::Gate {
  struct Peer {
    int active = 0;
    std::deque<int> waiting;
    bool queued = false;
  };
  GuardedServer& server;
  std::mutex mu;
  std::condition_variable cv;
  std::unordered_map<std::string, Peer> peers;
  std::deque<std::string> ready;  ///< peers with a waiting connection and a free slot
  std::set<int> active;
  std::size_t waiting_total = 0;
  bool stopping = false;
  std::vector<std::thread> workers;

  explicit Gate(GuardedServer& s) : server(s) {}

  void schedule(const std::string& ip, Peer& p) {  // mu held
    if (!p.queued && !p.waiting.empty() && p.active < server.limits_.active_per_ip) {
      ready.push_back(ip);
      p.queued = true;
      cv.notify_one();
    }
  }

  void admit(int sock) {
    std::string ip = address_of(sock, true, nullptr);
    std::unique_lock<std::mutex> lock(mu);
    Peer& p = peers[ip];
    if (stopping || p.active + static_cast<int>(p.waiting.size()) >= server.limits_.connections_per_ip ||
        waiting_total >= static_cast<std::size_t>(server.limits_.max_waiting)) {
      if (p.active == 0 && p.waiting.empty()) peers.erase(ip);
      lock.unlock();
      refuse_busy(sock);
      return;
    }
    p.waiting.push_back(sock);
    ++waiting_total;
    schedule(ip, p);
  }

  /// Whether a connection waits that an idle keep-alive connection of `ip`
  /// should give its worker to: another peer's, or one of this peer's own
  /// (which cannot be scheduled while the peer is at active_per_ip).
  bool others_waiting(const std::string& ip) {
    std::lock_guard<std::mutex> lock(mu);
    if (!ready.empty()) return true;
    auto it = peers.find(ip);
    return it != peers.end() && !it->second.waiting.empty();
  }

  void work() {
    for (;;) {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return stopping || !ready.empty(); });
      if (stopping) return;
      std::string ip = ready.front();
      ready.pop_front();
      Peer& p = peers[ip];
      p.queued = false;
      int sock = p.waiting.front();
      p.waiting.pop_front();
      --waiting_total;
      ++p.active;
      active.insert(sock);
      schedule(ip, p);  // round robin: the peer goes to the back of the line
      lock.unlock();
      server.serve(sock, ip);
      lock.lock();
      active.erase(sock);
      if (stopping) return;
      Peer& q = peers[ip];
      --q.active;
      if (q.active == 0 && q.waiting.empty() && !q.queued) peers.erase(ip);
      else schedule(ip, q);
    }
  }

  void start() {
    std::lock_guard<std::mutex> lock(mu);
    stopping = false;
    for (int i = 0; i < std::max(1, server.limits_.workers); ++i) workers.emplace_back([this] { work(); });
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu);
      stopping = true;
      for (auto& [ip, p] : peers)
        for (int s : p.waiting) ::close(s);
      peers.clear();
      ready.clear();
      waiting_total = 0;
      for (int s : active) ::shutdown(s, SHUT_RDWR);  // wakes workers blocked on the socket
    }
    cv.notify_all();
    for (auto& t : workers) t.join();
    workers.clear();
  }
};

namespace {

/// httplib's task queue, replaced: the accept thread hands each socket to the
/// gate (process_and_close_socket returns at once), the gate's workers serve.
class GateQueue : public httplib::TaskQueue {
 public:
  explicit GateQueue(GuardedServer::Gate& g) : gate_(g) { gate_.start(); }
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override { gate_.stop(); }

 private:
  GuardedServer::Gate& gate_;
};

}  // namespace

GuardedServer::GuardedServer(const ConnLimits& limits) : limits_(limits), gate_(std::make_unique<Gate>(*this)) {
  limits_.active_per_ip = std::clamp(limits_.active_per_ip, 1, std::max(1, limits_.workers));
  new_task_queue = [this] { return new GateQueue(*gate_); };
  // Waiting connections hold descriptors: allow as many as the hard limit lets us.
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max && r.rlim_cur < 65536) {
    r.rlim_cur = std::min<rlim_t>(r.rlim_max, 65536);
    ::setrlimit(RLIMIT_NOFILE, &r);
  }
}

GuardedServer::~GuardedServer() = default;

void GuardedServer::widen_backlog() {
  if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);  // Linux: a second listen() resizes the queue
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  gate_->admit(sock);
  return true;
}

void GuardedServer::serve(int sock, const std::string& ip) {
  try {
    serve_requests(sock, ip);
  } catch (...) {  // out of memory in httplib's parsing, say: this connection ends, the server stays
    t_close_after = false;
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
  }
}

void GuardedServer::serve_requests(int sock, const std::string& ip) {
  LimitedStream strm(sock, limits_);
  const auto picked = Clock::now();
  bool close_softly = false;
  for (int count = 0; count < limits_.keep_alive_max; ++count) {
    if (!strm.buffered()) {
      if (count == 0) {
        if (wait_for(sock, POLLIN, limits_.header_timeout_ms) <= 0) break;
      } else {
        // Idle keep-alive: wait for the next request, but give the worker up
        // soon when other connections are waiting for one.
        auto until = Clock::now() + std::chrono::milliseconds(limits_.idle_timeout_ms);
        int r = 0;
        while (r == 0 && ms_until(until) > 0) {
          r = wait_for(sock, POLLIN, std::min(50, ms_until(until)));
          if (r == 0 && gate_->others_waiting(ip)) break;
        }
        if (r <= 0) break;
      }
    }
    strm.begin_request(count == 0 ? picked + std::chrono::milliseconds(limits_.header_timeout_ms)
                                  : Clock::now() + std::chrono::milliseconds(limits_.header_timeout_ms));
    t_close_after = false;
    bool connection_closed = false;
    bool ok = process_request(strm, count + 1 == limits_.keep_alive_max, connection_closed, nullptr);
    if (t_close_after) {
      close_softly = true;
      break;
    }
    if (!ok || connection_closed || strm.failed() || !strm.headers_done() || svr_sock_ == INVALID_SOCKET) break;
  }
  t_close_after = false;
  if (close_softly) {
    lingering_close(sock);
  } else {
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
  }
}

}  // namespace lathe::hub
