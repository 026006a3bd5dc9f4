// The local hub server against slow and malformed clients (issue #13, items 5
// and 9), over real HTTP on 127.0.0.1 and through the real `lathe-cli hub serve`:
// slow-loris connections neither stop service nor live past the header deadline,
// one address cannot take every worker, headers are bounded, non-UTF-8 input is
// a 400 without internals, killed uploads leave no temp files after a restart,
// tokens come from a private file, and bad ports are usage errors.
#include "core/file_util.h"
#include "hub/hub_client.h"
#include "hub_raw_http.h"
#include "local_hub.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <thread>

using namespace lathe;
using namespace lathe::hub;
using lathe::test::LocalHub;
using lathe::test::TempDir;
using lathe::test::hub_config;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

/// Connections from `from` that send a request line, then one header byte per 100 ms.
class SlowLoris {
 public:
  SlowLoris(int port, int n, const std::string& from, int seconds) {
    for (int i = 0; i < n; ++i) {
      int fd = test::connect_from(port, from);
      if (fd >= 0) fds_.push_back(fd);
      if (fd >= 0) test::send_all(fd, "GET /api/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    }
    thread_ = std::thread([this, seconds] {
      auto end = Clock::now() + std::chrono::seconds(seconds);
      while (!stop_ && Clock::now() < end) {
        for (int fd : fds_) (void)::send(fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~SlowLoris() {
    stop_ = true;
    thread_.join();
    for (int fd : fds_) ::close(fd);
  }
  const std::vector<int>& fds() const { return fds_; }

 private:
  std::vector<int> fds_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

/// Seconds a plain GET from `from` takes (a large value when it fails).
double timed_get(int port, const std::string& from = "127.0.0.1") {
  auto t0 = Clock::now();
  std::string a = test::raw_request(port, "GET /api/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", from, 15000);
  if (test::status_of(a) != 200) return 999;
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

TEST(HubServerLimits, EightSlowLorisConnectionsDoNotStopService) {
  TempDir tmp;
  LocalHub hub(tmp.path() + "/server");  // default options: the attack, same address as the victim
  SlowLoris slow(hub.port(), 8, "127.0.0.1", 4);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (int i = 0; i < 5; ++i) EXPECT_LT(timed_get(hub.port()), 2.0);
}

TEST(HubServerLimits, SlowClientsAreCutAtTheHeaderDeadlineAndCannotTakeEveryWorker) {
  TempDir tmp;
  LocalHub hub(tmp.path() + "/server", [](ServerOptions& o) {
    o.threads = 8;  // the old pool size: 4 of them at most for one address
    o.header_timeout_ms = 1500;
  });
  auto t0 = Clock::now();
  SlowLoris slow(hub.port(), 16, "127.0.0.2", 6);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (int i = 0; i < 5; ++i) EXPECT_LT(timed_get(hub.port(), "127.0.0.1"), 2.0);
  EXPECT_LT(timed_get(hub.port(), "127.0.0.3"), 2.0);
  // Every slow connection ends: the 4 served at the deadline, the waiting ones
  // as they get their turn (the deadline counts from then).
  for (int fd : slow.fds()) EXPECT_TRUE(test::closed_within(fd, 10000));
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(12));  // 4 rounds of 1.5 s, with slack
}

TEST(HubServerLimits, OneAddressGetsABoundedNumberOfConnections) {
  TempDir tmp;
  LocalHub hub(tmp.path() + "/server", [](ServerOptions& o) {
    o.threads = 8;
    o.max_connections_per_ip = 10;
    o.header_timeout_ms = 5000;
  });
  std::vector<int> idle;
  for (int i = 0; i < 15; ++i) idle.push_back(test::connect_from(hub.port(), "127.0.0.4"));
  int busy = 0;
  for (int fd : idle) {
    std::string a = test::read_until_close(fd, 100);
    if (test::status_of(a) == 503) ++busy;
  }
  EXPECT_EQ(busy, 5);  // over the limit: refused at once
  EXPECT_LT(timed_get(hub.port(), "127.0.0.1"), 2.0);
  for (int fd : idle) ::close(fd);
}

TEST(HubServerLimits, HeaderBlocksAreBounded) {
  TempDir tmp;
  LocalHub hub(tmp.path() + "/server");
  std::string many = "GET /api/models HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 100; ++i) many += "X-Filler-" + std::to_string(i) + ": " + std::string(1000, 'a') + "\r\n";
  many += "\r\n";
  std::string a = test::raw_request(hub.port(), many, "127.0.0.1", 5000);
  EXPECT_TRUE(test::status_of(a) == 0 || test::status_of(a) >= 400) << a.substr(0, 100);
  std::string line = "GET /api/models HTTP/1.1\r\nHost: x\r\nX-Long: " + std::string(20000, 'a') + "\r\n\r\n";
  a = test::raw_request(hub.port(), line, "127.0.0.1", 5000);
  EXPECT_TRUE(test::status_of(a) == 0 || test::status_of(a) >= 400) << a.substr(0, 100);
  EXPECT_LT(timed_get(hub.port()), 2.0);
}

TEST(HubServerLimits, NonUtf8InputIsA400WithoutInternals) {
  TempDir tmp;
  LocalHub hub(tmp.path() + "/server");
  HubClient(hub_config(hub.url(), "hf_alice", tmp.path() + "/a")).create_repo("alice/open", false, false);
  auto post = [](const std::string& path, const std::string& type, const std::string& body, const std::string& extra = "") {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + type + "\r\n" + extra +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  };
  auto get = [](const std::string& path) { return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"; };
  const std::string alice = "Authorization: Bearer hf_alice\r\n";
  struct Case {
    std::string request;
    int status;
  };
  std::vector<Case> cases = {
      {get("/alice/open/resolve/main/%FF%FE.bin"), 400},
      {get("/api/models/alice/%C3%28"), 400},
      {get("/api/models?search=%FF"), 400},
      {get("/alice/open/resolve/main/\xff\xfe.bin"), 400},
      {post("/api/models/alice/open/paths-info/main", "application/json", "{\"paths\":[\"\xff\xfe\"]}"), 400},
      {post("/api/models/alice/open/paths-info/main", "application/x-www-form-urlencoded", "paths=%FF%FE"), 400},
      {post("/api/models/alice/open/commit/main", "application/x-ndjson",
            "{\"key\":\"header\",\"value\":{\"summary\":\"\xc3\x28\"}}\n", alice), 400},
      {post("/api/repos/create", "application/json", "{\"name\":\"\xff\"}", alice), 400},
      {"GET /api/whoami-v2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer \xff\xfe\r\n\r\n", 401},
  };
  for (const auto& c : cases) {
    std::string a = test::raw_request(hub.port(), c.request, "127.0.0.1", 5000);
    EXPECT_EQ(test::status_of(a), c.status) << c.request.substr(0, 80) << "\n" << a.substr(0, 300);
    EXPECT_EQ(a.find("EXCEPTION_WHAT"), std::string::npos) << a.substr(0, 300);
    EXPECT_EQ(a.find("json.exception"), std::string::npos) << a.substr(0, 300);
    EXPECT_EQ(a.find("[json"), std::string::npos) << a.substr(0, 300);
    auto body = a.substr(a.find("\r\n\r\n") + 4);
    EXPECT_TRUE(body.empty() || json::accept(body)) << body;  // a well-formed (UTF-8) JSON error
  }
}

TEST(HubServerLimits, KilledUploadsLeaveNoTempFilesAfterARestart) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/server";
  std::string href;
  {
    test::ServerProcess server(LATHE_CLI_PATH, {dir, "--token", "alice=hf_alice"});
    ASSERT_GT(server.port(), 0);
    HubClient alice(hub_config(server.url(), "hf_alice", tmp.path() + "/a"));
    alice.create_repo("alice/up", false, false);
    json req = {{"operation", "upload"}, {"objects", {{{"oid", std::string(64, 'b')}, {"size", 10 << 20}}}}};
    json ans = alice.api("POST", "/alice/up.git/info/lfs/objects/batch", req.dump(), {"Content-Type: application/json"});
    href = ans["objects"][0]["actions"]["upload"]["href"];
    int fd = test::connect_from(server.port());
    test::send_all(fd, "PUT " + href.substr(href.find('/', 7)) + " HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                           std::to_string(10 << 20) + "\r\n\r\n" + std::string(1 << 20, 'x'));
    bool seen = false;
    for (int i = 0; i < 200 && !seen; ++i) {
      for (auto& e : std::filesystem::directory_iterator(dir + "/blobs"))
        seen = seen || e.path().filename().string().find(".tmp.") != std::string::npos;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(seen) << "the upload's temp file never appeared";
    server.kill(SIGKILL);  // mid-upload
    ::close(fd);
  }
  test::ServerProcess again(LATHE_CLI_PATH, {dir});
  ASSERT_GT(again.port(), 0);
  for (auto& e : std::filesystem::recursive_directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
}

TEST(HubServerLimits, TokensFromAFileOnlyItsOwnerCanRead) {
  TempDir tmp;
  const std::string file = tmp.path() + "/tokens";
  test::write_bytes(file, "# user=token\nalice=hf_from_file\n\nbob = hf_bob_file\n");
  ::chmod(file.c_str(), 0644);
  auto r = test::run_cli({"hub", "serve", tmp.path() + "/server", "--token-file", file}, 30);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
  ::chmod(file.c_str(), 0600);
  test::ServerProcess server(LATHE_CLI_PATH, {tmp.path() + "/server", "--token-file", file});
  ASSERT_GT(server.port(), 0);
  for (const auto& [token, user] : {std::pair<std::string, std::string>{"hf_from_file", "alice"}, {"hf_bob_file", "bob"}}) {
    HubClient c(hub_config(server.url(), token, tmp.path() + "/c"));
    EXPECT_EQ(c.api("GET", "/api/whoami-v2")["name"], user);
  }
  test::write_bytes(file, "alice_without_token\n");
  ::chmod(file.c_str(), 0600);
  r = test::run_cli({"hub", "serve", tmp.path() + "/server", "--token-file", file}, 30);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("line 1"), std::string::npos) << r.err;
}

TEST(HubServerLimits, BadPortsAreUsageErrors) {
  TempDir tmp;
  for (const std::string port : {"abc", "99999", "-1", "80x", "65536", ""}) {
    auto r = test::run_cli({"hub", "serve", tmp.path() + "/server", "--port", port}, 30);
    EXPECT_EQ(r.exit_code, 2) << "--port '" << port << "': " << r.err;
    EXPECT_NE(r.err.find("--port"), std::string::npos) << r.err;
  }
  auto r = test::run_cli({"hub", "serve", tmp.path() + "/server", "--threads", "many"}, 30);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = test::run_cli({"hub", "--help"}, 30);
  EXPECT_NE(r.out.find("--token-file FILE"), std::string::npos);
}
