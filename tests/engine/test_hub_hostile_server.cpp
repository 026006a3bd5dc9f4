// The Hub client against a hostile or broken server (issue 13, item 7 and part of
// 9): raw HTTP on 127.0.0.1 (tests/support/hostile_http.h) that never ends its
// pagination, stalls, sends more than it declared, loops redirects, sends huge
// headers/answers or garbage; and `hub push` of a downloaded cache snapshot
// (symlinks into blobs/). Timeouts are set to 1 s through huggingface_hub's
// variables, so the file runs in seconds.
#include "core/error.h"
#include "core/file_util.h"
#include "core/sha256.h"
#include "hub/hub_client.h"
#include "hub/hub_util.h"
#include "hostile_http.h"
#include "local_hub.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>

using namespace lathe;
using namespace lathe::hub;
using lathe::test::RawRequest;
using lathe::test::RawServer;
using lathe::test::TempDir;
using lathe::test::send_all;
using lathe::test::send_response;
using lathe::test::sha256_hex;
using nlohmann::json;

namespace {

const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";
const std::string kContent = "0123456789";  // the 10 bytes the listing declares

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

template <typename F>
ErrorCode error_of(F&& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.code();
  }
  ADD_FAILURE() << "no lathe::Error thrown";
  return ErrorCode::Internal;
}

/// HF_HUB_DOWNLOAD_TIMEOUT / HF_HUB_ETAG_TIMEOUT = 1 for the test's lifetime.
struct ShortTimeouts {
  ShortTimeouts() {
    setenv("HF_HUB_DOWNLOAD_TIMEOUT", "1", 1);
    setenv("HF_HUB_ETAG_TIMEOUT", "1", 1);
  }
  ~ShortTimeouts() {
    unsetenv("HF_HUB_DOWNLOAD_TIMEOUT");
    unsetenv("HF_HUB_ETAG_TIMEOUT");
  }
};

/// The environment's configuration (timeouts), pointed at `url` with its cache under `home`.
HubConfig config_for(const std::string& url, const std::string& home) {
  HubConfig c = HubConfig::from_environment();
  c.endpoint = url;
  c.token = "hf_test";
  c.hf_home = home;
  c.cache_dir = home + "/hub";
  c.offline = false;
  return c;
}

/// A fake Hub for org/name at kCommit listing one LFS file model.safetensors of
/// 10 bytes; `resolve` answers the file download.
RawServer::Handler fake_hub(std::function<void(const RawRequest&, int)> resolve) {
  return [resolve](const RawRequest& r, int fd) {
    if (r.target.rfind("/api/models/org/name/revision/", 0) == 0) {
      send_response(fd, 200, json{{"id", "org/name"}, {"sha", kCommit}}.dump());
    } else if (r.target.rfind("/api/models/org/name/tree/", 0) == 0) {
      json e = {{"type", "file"}, {"path", "model.safetensors"}, {"oid", std::string(40, 'a')}, {"size", 10},
                {"lfs", {{"oid", sha256_hex(kContent)}, {"size", 10}, {"pointerSize", 130}}}};
      send_response(fd, 200, json::array({e}).dump());
    } else if (r.target.rfind("/org/name/resolve/", 0) == 0) {
      resolve(r, fd);
    } else {
      send_response(fd, 404, "{}", {"X-Error-Code: EntryNotFound"});
    }
  };
}

std::string blob_path(const std::string& home) {
  return home + "/hub/models--org--name/blobs/" + sha256_hex(kContent);
}

/// The CLI (lathe-cli-full) with HF_ENDPOINT at `url`, timeouts of 1 s.
test::RunResult run_cli_at(const std::string& url, const std::string& home, const std::vector<std::string>& args) {
  std::vector<std::string> argv{LATHE_CLI_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  return test::run_process(argv, 60,
                           {"HF_ENDPOINT=" + url, "HF_HOME=" + home, "HF_TOKEN=hf_test", "HF_HUB_OFFLINE=",
                            "HF_HUB_DOWNLOAD_TIMEOUT=1", "HF_HUB_ETAG_TIMEOUT=1"});
}

/// Exit 1 and one "error: ..." line on stderr, the last (progress lines may precede
/// it), with no libcurl/JSON internals.
void expect_one_error_line(const test::RunResult& r) {
  EXPECT_EQ(r.exit_code, 1) << r.err;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.back(), '\n');
  std::string last = r.err.substr(r.err.rfind('\n', r.err.size() - 2) + 1);
  EXPECT_EQ(last.rfind("error: ", 0), 0u) << r.err;
  EXPECT_EQ(r.err.find("error"), r.err.size() - last.size()) << r.err;  // no earlier error text
  EXPECT_EQ(r.err.find("curl"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("json.exception"), std::string::npos) << r.err;
}

}  // namespace

// ---------------------------------------------------------------- pagination

TEST(HubHostile, EndlessPaginationStopsAtThePageLimit) {
  std::atomic<int> pages{0};
  RawServer srv([&](const RawRequest& r, int fd) {
    int n = ++pages;
    send_response(fd, 200, json::array({{{"id", "org/m" + std::to_string(n)}}}).dump(),
                  {"Link: </api/models?cursor=" + std::to_string(n) + ">; rel=\"next\""});
    (void)r;
  });
  TempDir tmp;
  HubClient c(config_for(srv.url(), tmp.path()));
  auto t0 = std::chrono::steady_clock::now();
  std::string msg;
  EXPECT_EQ(error_of([&] { c.list_models({}); }, &msg), ErrorCode::Network);
  double s = seconds_since(t0);
  EXPECT_EQ(pages.load(), c.config().max_list_pages);  // 2000, then one clear error
  EXPECT_NE(msg.find("pages"), std::string::npos) << msg;
  EXPECT_LT(s, 40.0);
  std::printf("[ timing ] endless rel=next: %d pages, refused after %.2f s\n", pages.load(), s);
}

TEST(HubHostile, RepeatedNextLinkIsALoop) {
  RawServer srv([&](const RawRequest&, int fd) {
    send_response(fd, 200, json::array({{{"type", "file"}, {"path", "a"}, {"oid", std::string(40, 'a')}, {"size", 1}}}).dump(),
                  {"Link: </api/models/org/name/tree/main?cursor=x>; rel=\"next\""});
  });
  TempDir tmp;
  HubClient c(config_for(srv.url(), tmp.path()));
  std::string msg;
  EXPECT_EQ(error_of([&] { c.list_files("org/name", "main"); }, &msg), ErrorCode::Network);
  EXPECT_NE(msg.find("repeats"), std::string::npos) << msg;
  EXPECT_EQ(srv.requests(), 2);  // the first page and the cursor page; its repeat is never requested
}

TEST(HubHostile, TotalListedEntriesAreCapped) {
  std::atomic<int> pages{0};
  RawServer srv([&](const RawRequest&, int fd) {
    int n = ++pages;
    json page = json::array();
    for (int i = 0; i < 400; ++i) page.push_back({{"type", "file"}, {"path", "f" + std::to_string(i)}, {"size", 1}});
    send_response(fd, 200, page.dump(), {"Link: </api/models/org/name/tree/main?p=" + std::to_string(n) + ">; rel=\"next\""});
  });
  TempDir tmp;
  HubConfig cfg = config_for(srv.url(), tmp.path());
  EXPECT_EQ(cfg.max_list_entries, 1000000u);  // the default; this test lowers it to stay fast
  cfg.max_list_entries = 1000;
  HubClient c(cfg);
  std::string msg;
  EXPECT_EQ(error_of([&] { c.list_files("org/name", "main"); }, &msg), ErrorCode::Network);
  EXPECT_NE(msg.find("more than 1000 entries"), std::string::npos) << msg;
  EXPECT_EQ(pages.load(), 3);
}

TEST(HubHostile, CliSearchOfAnEndlessListingIsOneErrorLine) {
  std::atomic<int> pages{0};
  RawServer srv([&](const RawRequest&, int fd) {
    int n = ++pages;
    send_response(fd, 200, json::array({{{"id", "org/m"}}}).dump(),
                  {"Link: <" "/api/models?c=" + std::to_string(n % 3) + ">; rel=\"next\""});
  });
  TempDir tmp;
  auto r = run_cli_at(srv.url(), tmp.path(), {"hub", "search", "x"});
  expect_one_error_line(r);
  EXPECT_NE(r.err.find("rel=\"next\""), std::string::npos) << r.err;
}

// ---------------------------------------------------------------- timeouts

TEST(HubHostile, TimeoutVariablesAreReadLikeHuggingfaceHub) {
  unsetenv("HF_HUB_DOWNLOAD_TIMEOUT");
  unsetenv("HF_HUB_ETAG_TIMEOUT");
  HubConfig d = HubConfig::from_environment();
  EXPECT_EQ(d.download_timeout_s, 10);
  EXPECT_EQ(d.etag_timeout_s, 10);
  setenv("HF_HUB_DOWNLOAD_TIMEOUT", "42", 1);
  setenv("HF_HUB_ETAG_TIMEOUT", "0", 1);  // `_as_int(...) or default`
  HubConfig c = HubConfig::from_environment();
  EXPECT_EQ(c.download_timeout_s, 42);
  EXPECT_EQ(c.etag_timeout_s, 10);
  setenv("HF_HUB_ETAG_TIMEOUT", "soon", 1);
  EXPECT_EQ(HubConfig::from_environment().etag_timeout_s, 10);
  unsetenv("HF_HUB_DOWNLOAD_TIMEOUT");
  unsetenv("HF_HUB_ETAG_TIMEOUT");
}

TEST(HubHostile, DownloadStallAfterHeadersFailsAfterTheDownloadTimeout) {
  ShortTimeouts env;
  RawServer* self = nullptr;
  RawServer srv(fake_hub([&](const RawRequest&, int fd) {
    send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
    self->wait_for_close(fd, 30000);  // then nothing, until the client gives up
  }));
  self = &srv;
  TempDir tmp;
  HubClient c(config_for(srv.url(), tmp.path()));
  EXPECT_EQ(c.config().download_timeout_s, 1);
  auto t0 = std::chrono::steady_clock::now();
  std::string msg;
  EXPECT_EQ(error_of([&] { c.download("org/name", "main", {"model.safetensors"}); }, &msg), ErrorCode::Network);
  double s = seconds_since(t0);
  EXPECT_NE(msg.find("HF_HUB_DOWNLOAD_TIMEOUT=1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("model.safetensors"), std::string::npos) << msg;
  EXPECT_GE(s, 0.9);
  EXPECT_LT(s, 4.0);
  EXPECT_FALSE(path_exists(blob_path(tmp.path())));
  EXPECT_FALSE(path_exists(tmp.path() + "/hub/models--org--name/snapshots/" + kCommit + "/model.safetensors"));
  std::printf("[ timing ] stall after headers (HF_HUB_DOWNLOAD_TIMEOUT=1): failed after %.2f s\n", s);
}

TEST(HubHostile, MetadataStallAndHeaderTrickleFailAfterTheEtagTimeout) {
  ShortTimeouts env;
  RawServer* self = nullptr;
  bool trickle = false;
  RawServer srv([&](const RawRequest&, int fd) {
    if (!trickle) {
      self->wait_for_close(fd, 30000);  // accepts, reads the request, never answers
      return;
    }
    send_all(fd, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 300 && !self->stopping(); ++i) {  // one header line every 100 ms, forever
      if (!send_all(fd, "X-Slow-" + std::to_string(i) + ": y\r\n")) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  self = &srv;
  TempDir tmp;
  HubClient c(config_for(srv.url(), tmp.path()));
  for (bool t : {false, true}) {
    trickle = t;
    auto t0 = std::chrono::steady_clock::now();
    std::string msg;
    EXPECT_EQ(error_of([&] { c.model_info("org/name"); }, &msg), ErrorCode::Network);
    double s = seconds_since(t0);
    EXPECT_NE(msg.find("HF_HUB_ETAG_TIMEOUT=1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("/api/models/org/name"), std::string::npos) << msg;
    EXPECT_LT(s, 4.0);
    std::printf("[ timing ] %s (HF_HUB_ETAG_TIMEOUT=1): failed after %.2f s\n",
                t ? "header trickle" : "no answer to an API call", s);
  }
}

TEST(HubHostile, CliDownloadStallIsOneErrorLine) {
  RawServer* self = nullptr;
  RawServer srv(fake_hub([&](const RawRequest&, int fd) {
    send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
    self->wait_for_close(fd, 30000);
  }));
  self = &srv;
  TempDir tmp;
  auto t0 = std::chrono::steady_clock::now();
  auto r = run_cli_at(srv.url(), tmp.path(), {"hub", "download", "org/name"});
  double s = seconds_since(t0);
  expect_one_error_line(r);
  EXPECT_NE(r.err.find("HF_HUB_DOWNLOAD_TIMEOUT"), std::string::npos) << r.err;
  EXPECT_LT(s, 15.0);
  std::printf("[ timing ] CLI hub download of a staller: exit %d after %.2f s\n", r.exit_code, s);
}

// ---------------------------------------------------------------- declared sizes

TEST(HubHostile, MoreBytesThanDeclaredStopAtTheDeclaredSize) {
  // 300 MiB for a file the listing declares as 10 bytes: with a Content-Length
  // saying so, without one (read to close), and with one that lies (says 10).
  enum Mode { kHonestLength, kNoLength, kLyingLength } mode = kHonestLength;
  std::atomic<std::uint64_t> sent{0};
  RawServer srv(fake_hub([&](const RawRequest&, int fd) {
    const std::uint64_t total = 300ull << 20;
    std::string head = "HTTP/1.1 200 OK\r\nConnection: close\r\n";
    if (mode == kHonestLength) head += "Content-Length: " + std::to_string(total) + "\r\n";
    if (mode == kLyingLength) head += "Content-Length: 10\r\n";
    if (!send_all(fd, head + "\r\n")) return;
    std::string chunk(1 << 20, 'x');
    for (std::uint64_t done = 0; done < total; done += chunk.size()) {
      if (!send_all(fd, chunk)) return;
      sent += chunk.size();
    }
  }));
  TempDir tmp;
  HubClient c(config_for(srv.url(), tmp.path()));
  const std::string part = blob_path(tmp.path()) + ".incomplete";
  for (Mode m : {kHonestLength, kNoLength, kLyingLength}) {
    mode = m;
    sent = 0;
    auto t0 = std::chrono::steady_clock::now();
    std::string msg;
    ErrorCode code = error_of([&] { c.download("org/name", "main", {"model.safetensors"}); }, &msg);
    double s = seconds_since(t0);
    if (m == kLyingLength) {  // read no further than the 10 bytes announced: they fail the hash
      EXPECT_EQ(code, ErrorCode::CorruptFile) << msg;
    } else {
      EXPECT_EQ(code, ErrorCode::Network) << msg;
      EXPECT_NE(msg.find("10 bytes"), std::string::npos) << msg;
    }
    EXPECT_NE(msg.find("model.safetensors"), std::string::npos) << msg;
    EXPECT_LT(sent.load(), 64ull << 20) << m;  // the client hung up at once (socket buffers aside)
    EXPECT_LT(s, 5.0) << m;
    EXPECT_FALSE(path_exists(part)) << m;  // nothing kept that a resume would trust
    EXPECT_FALSE(path_exists(blob_path(tmp.path()))) << m;
    std::printf("[ timing ] 300 MiB for 10 declared bytes (mode %d): refused after %.3f s, %.1f MiB sent\n", int(m), s,
                double(sent.load()) / (1 << 20));
  }
}

TEST(HubHostile, DeclaredSizeHeadersMustAgreeWithTheListing) {
  std::string head;
  RawServer srv(fake_hub([&](const RawRequest&, int fd) { send_all(fd, head + "\r\n" + kContent); }));
  TempDir tmp;
  HubClient c(config_for(srv.url(), tmp.path()));
  auto try_head = [&](const std::string& h) {
    head = h;
    std::string msg;
    ErrorCode code = error_of([&] { c.download("org/name", "main", {"model.safetensors"}); }, &msg);
    EXPECT_FALSE(path_exists(blob_path(tmp.path()))) << h;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    return std::make_pair(code, msg);
  };
  // Garbage and negative Content-Length: curl refuses, one clean error.
  for (const char* cl : {"-5", "abc", "99999999999999999999999", "11"}) {
    auto [code, msg] = try_head(std::string("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: ") + cl + "\r\n");
    EXPECT_EQ(code, ErrorCode::Network) << cl << ": " << msg;
  }
  auto [code, msg] = try_head("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 10\r\nX-Linked-Size: 7\r\n");
  EXPECT_EQ(code, ErrorCode::Network);
  EXPECT_NE(msg.find("X-Linked-Size"), std::string::npos) << msg;
  // A resume whose 206 names another range: refused, the partial file dropped.
  test::write_bytes(blob_path(tmp.path()) + ".incomplete", kContent.substr(0, 4));
  std::tie(code, msg) = try_head("HTTP/1.1 206 Partial\r\nConnection: close\r\nContent-Length: 6\r\n"
                                 "Content-Range: bytes 2-7/10\r\n");
  EXPECT_NE(msg.find("Content-Range"), std::string::npos) << msg;
  EXPECT_FALSE(path_exists(blob_path(tmp.path()) + ".incomplete"));
  // The honest answer still downloads (and a correct resume works).
  test::write_bytes(blob_path(tmp.path()) + ".incomplete", kContent.substr(0, 4));
  RawServer good(fake_hub([&](const RawRequest& r, int fd) {
    EXPECT_EQ(r.header("range"), "bytes=4-");
    send_all(fd, "HTTP/1.1 206 Partial\r\nConnection: close\r\nContent-Length: 6\r\nContent-Range: bytes 4-9/10\r\n\r\n" +
                     kContent.substr(4));
  }));
  HubClient g(config_for(good.url(), tmp.path()));
  DownloadResult d = g.download("org/name", "main", {"model.safetensors"});
  EXPECT_EQ(test::read_bytes(d.snapshot + "/model.safetensors"), kContent);
}

// ---------------------------------------------------------------- other hangs

TEST(HubHostile, RedirectLoopsAndNonHttpRedirectsAreRefused) {
  RawServer srv([&](const RawRequest& r, int fd) {
    std::string to = r.target.rfind("/file", 0) == 0 ? "file:///etc/passwd" : "/loop";
    send_all(fd, "HTTP/1.1 302 Found\r\nLocation: " + to + "\r\nContent-Length: 0\r\n\r\n");
  });
  TempDir tmp;
  HubClient c(config_for(srv.url(), tmp.path()));
  std::string msg;
  EXPECT_EQ(error_of([&] { c.api("GET", "/loop"); }, &msg), ErrorCode::Network);
  EXPECT_NE(msg.find("redirects"), std::string::npos) << msg;
  EXPECT_EQ(srv.requests(), 11);  // the request and 10 redirects
  EXPECT_EQ(error_of([&] { c.api("GET", "/file"); }, &msg), ErrorCode::Network);
  EXPECT_NE(msg.find("non-HTTP"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("root:"), std::string::npos) << msg;
}

TEST(HubHostile, HugeHeadersAndAnswersAreCapped) {
  enum { kHeaders, kLongLength, kEndlessBody, kDeepJson, kErrorBody } mode = kHeaders;
  std::atomic<std::uint64_t> sent{0};
  RawServer srv([&](const RawRequest&, int fd) {
    sent = 0;
    if (mode == kHeaders) {
      send_all(fd, "HTTP/1.1 200 OK\r\n");
      std::string line = "X-Padding: " + std::string(100, 'p') + "\r\n";
      for (int i = 0; i < 100000; ++i)  // 11 MB of headers
        if (!send_all(fd, line)) return;
      send_all(fd, "Content-Length: 2\r\n\r\n{}");
    } else if (mode == kLongLength || mode == kEndlessBody || mode == kErrorBody) {
      std::string head = mode == kErrorBody ? "HTTP/1.1 400 Oops\r\n" : "HTTP/1.1 200 OK\r\n";
      if (mode == kLongLength) head += "Content-Length: 4000000000\r\n";
      if (!send_all(fd, head + "Connection: close\r\n\r\n[")) return;
      std::string chunk(1 << 20, ' ');
      for (int i = 0; i < 1024; ++i) {  // 1 GiB of JSON whitespace
        if (!send_all(fd, chunk)) return;
        sent += chunk.size();
      }
    } else {
      send_response(fd, 200, std::string(1000000, '[') + std::string(1000000, ']'));
    }
  });
  TempDir tmp;
  HubClient c(config_for(srv.url(), tmp.path()));
  auto refused = [&](const char* want) {
    auto t0 = std::chrono::steady_clock::now();
    std::string msg;
    EXPECT_EQ(error_of([&] { c.api("GET", "/api/whoami-v2"); }, &msg), ErrorCode::Network) << want;
    EXPECT_NE(msg.find(want), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_LT(sent.load(), 128ull << 20) << want;
    EXPECT_LT(seconds_since(t0), 10.0) << want;
  };
  mode = kHeaders;
  refused("KiB of response headers");
  mode = kLongLength;
  refused("larger than the 64 MiB");
  mode = kEndlessBody;
  refused("larger than the 64 MiB");
  mode = kDeepJson;
  refused("nested deeper");
  mode = kErrorBody;
  refused("HTTP 400");
}

TEST(HubHostile, RetryWaitsAreBounded) {
  RawServer srv([&](const RawRequest&, int fd) {
    send_response(fd, 429, "slow\n\x1b[31mdown", {"Retry-After: 3600"});
  });
  HttpLimits limits;
  limits.max_retry_wait_s = 0.4;
  limits.max_total_retry_wait_s = 1.0;
  HttpClient http(srv.url(), "", "t", false, limits);
  HttpRequest req;
  req.url = srv.url() + "/x";
  auto t0 = std::chrono::steady_clock::now();
  HttpResponse r = http.send(req);
  double s = seconds_since(t0);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(srv.requests(), 3);  // waits of 0.4 + 0.4 s, a third would pass the 1 s budget
  EXPECT_LT(s, 3.0);
  std::string msg;
  EXPECT_EQ(error_of([&] { check_hub_status(r, "GET /x"); }, &msg), ErrorCode::Network);
  EXPECT_EQ(msg.find_first_of("\n\x1b"), std::string::npos) << msg;  // server text cannot break the line
}

TEST(HubHostile, AnswersOfTheWrongShapeAreCleanErrors) {
  json tree;
  json info = {{"sha", kCommit}};
  RawServer srv([&](const RawRequest& r, int fd) {
    if (r.target.find("/revision/") != std::string::npos) send_response(fd, 200, info.dump());
    else if (r.target.find("/tree/") != std::string::npos) send_response(fd, 200, tree.dump());
    else send_response(fd, 200, json::array({{{"id", "a/b"}, {"downloads", "many"}}}).dump());
  });
  TempDir tmp;
  HubClient c(config_for(srv.url(), tmp.path()));
  for (json size : {json(-1), json("10"), json(1.5)}) {
    tree = json::array({{{"type", "file"}, {"path", "a"}, {"size", size}}});
    EXPECT_EQ(error_of([&] { c.list_files("org/name", "main"); }), ErrorCode::Network) << size;
  }
  tree = json::array({{{"type", 7}, {"path", "a"}}});
  EXPECT_EQ(error_of([&] { c.list_files("org/name", "main"); }), ErrorCode::Network);
  tree = json::object();
  EXPECT_EQ(error_of([&] { c.list_files("org/name", "main"); }), ErrorCode::Network);
  EXPECT_EQ(error_of([&] { c.list_models({}); }), ErrorCode::Network);
  info = {{"sha", 5}};
  EXPECT_EQ(error_of([&] { c.download("org/name", "main"); }), ErrorCode::Network);  // no commit id, not cached
}

// ---------------------------------------------------------------- push of a cache snapshot

namespace {
struct PushFixture {
  TempDir tmp;
  test::LocalHub hub{tmp.path() + "/server"};
  HubClient client{test::hub_config(hub.url(), "hf_alice", tmp.path() + "/home")};
  std::string weights = test::random_bytes(200 * 1024 + 3, 7);
  std::string snapshot;
  PushFixture() {
    std::filesystem::create_directories(tmp.path() + "/model/sub");
    test::write_bytes(tmp.path() + "/model/config.json", "{\"model_type\": \"gpt2\"}\n");
    test::write_bytes(tmp.path() + "/model/model.safetensors", weights);
    test::write_bytes(tmp.path() + "/model/sub/notes.txt", "hello\n");
    client.push(tmp.path() + "/model", "alice/orig", PushOptions{});
    snapshot = client.download("alice/orig", "main").snapshot;
  }
};
}  // namespace

TEST(HubPushSnapshot, ADownloadedSnapshotPushesTheBlobsContent) {
  PushFixture f;
  ASSERT_TRUE(std::filesystem::is_symlink(f.snapshot + "/model.safetensors"));
  ASSERT_TRUE(std::filesystem::is_symlink(f.snapshot + "/sub/notes.txt"));
  PushResult p = f.client.push(f.snapshot, "alice/copy", PushOptions{});
  EXPECT_EQ(p.uploaded, (std::vector<std::string>{"config.json", "model.safetensors", "sub/notes.txt"}));
  HubClient other(test::hub_config(f.hub.url(), "hf_alice", f.tmp.path() + "/home2"));
  DownloadResult d = other.download("alice/copy", "main");
  EXPECT_EQ(test::read_bytes(d.snapshot + "/model.safetensors"), f.weights);
  EXPECT_EQ(test::read_bytes(d.snapshot + "/sub/notes.txt"), "hello\n");
  // The CLI too.
  auto r = test::run_process({LATHE_CLI_PATH, "hub", "push", f.snapshot, "alice/copy-cli"}, 60,
                             {"HF_ENDPOINT=" + f.hub.url(), "HF_TOKEN=hf_alice", "HF_HOME=" + f.tmp.path() + "/home3",
                              "HF_HUB_OFFLINE="});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::read_bytes(other.download("alice/copy-cli", "main").snapshot + "/model.safetensors"), f.weights);
}

TEST(HubPushSnapshot, DanglingAndSpecialLinksAreRefused) {
  PushFixture f;
  const std::string dir = f.tmp.path() + "/linked";
  std::filesystem::create_directories(dir + "/deep");
  test::write_bytes(dir + "/a.txt", "a\n");
  ASSERT_EQ(::symlink("../a.txt", (dir + "/deep/b.txt").c_str()), 0);
  ASSERT_EQ(::symlink((f.snapshot + "/sub").c_str(), (dir + "/linked-folder").c_str()), 0);
  PushResult p = f.client.push(dir, "alice/linked", PushOptions{});
  EXPECT_EQ(p.uploaded, (std::vector<std::string>{"a.txt", "deep/b.txt", "linked-folder/notes.txt"}));
  std::string msg;
  ASSERT_EQ(::symlink("nowhere.bin", (dir + "/gone.bin").c_str()), 0);
  EXPECT_EQ(error_of([&] { f.client.push(dir, "alice/linked", PushOptions{}); }, &msg), ErrorCode::NotFound);
  EXPECT_NE(msg.find("dangling"), std::string::npos) << msg;
  EXPECT_NE(msg.find("gone.bin"), std::string::npos) << msg;
  ::unlink((dir + "/gone.bin").c_str());
  ASSERT_EQ(::symlink("/dev/zero", (dir + "/zero.bin").c_str()), 0);  // would upload forever
  EXPECT_EQ(error_of([&] { f.client.push(dir, "alice/linked", PushOptions{}); }, &msg), ErrorCode::InvalidArgument);
  EXPECT_NE(msg.find("not a regular file"), std::string::npos) << msg;
  ::unlink((dir + "/zero.bin").c_str());
  ASSERT_EQ(::symlink("..", (dir + "/deep/up").c_str()), 0);  // a folder that contains itself
  EXPECT_EQ(error_of([&] { f.client.push(dir, "alice/linked", PushOptions{}); }, &msg), ErrorCode::InvalidArgument);
  EXPECT_NE(msg.find("loop"), std::string::npos) << msg;
}

TEST(HubHostile, LfsUploadUrlMustBeHttp) {
  TempDir tmp;
  const std::string target = tmp.path() + "/pwned";
  RawServer srv([&](const RawRequest& r, int fd) {
    if (r.target.find("/preupload/") != std::string::npos)
      send_response(fd, 200, json{{"files", {{{"path", "w.bin"}, {"uploadMode", "lfs"}}}}}.dump());
    else if (r.target.find("/info/lfs/objects/batch") != std::string::npos)
      send_response(fd, 200, json{{"objects", {{{"oid", json::parse(r.body)["objects"][0]["oid"]}, {"size", 4},
                                                {"actions", {{"upload", {{"href", "file://" + target}}}}}}}}}.dump());
    else
      send_response(fd, 200, "{}");
  });
  std::filesystem::create_directories(tmp.path() + "/m");
  test::write_bytes(tmp.path() + "/m/w.bin", std::string("\0\1\2\3", 4));
  HubClient c(config_for(srv.url(), tmp.path() + "/home"));
  std::string msg;
  EXPECT_EQ(error_of([&] { c.push(tmp.path() + "/m", "org/name", PushOptions{}); }, &msg), ErrorCode::Network);
  EXPECT_NE(msg.find("non-HTTP upload URL"), std::string::npos) << msg;
  EXPECT_FALSE(path_exists(target));
}
