// Load test of the Hub client against one local hub server (in-process,
// 127.0.0.1 only): 100 concurrent downloads (half into private caches, half
// into one shared cache, which exercises the cache locks) and 10 concurrent
// pushes (distinct repos and one shared repo). Zero errors, byte-exact
// content, the whole test well under 60 s; throughput is printed.
#include "core/error.h"
#include "core/file_util.h"
#include "core/sha256.h"
#include "hub/hub_client.h"
#include "hub/hub_util.h"
#include "hub/server.h"
#include "local_hub.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

using namespace lathe;
using namespace lathe::hub;
using lathe::test::LocalHub;
using lathe::test::TempDir;
using lathe::test::hub_config;
using lathe::test::random_bytes;
using lathe::test::run_parallel;
using nlohmann::json;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST(HubLoad, HundredDownloadsAndTenPushesAgainstOneServer) {
  const auto t_start = std::chrono::steady_clock::now();
  TempDir tmp;
  LocalHub hub(tmp.path() + "/server", [](ServerOptions& o) {
    o.threads = 16;
    o.test_multipart_chunk = 1024 * 1024;
  });
  HubClient alice(hub_config(hub.url(), "hf_alice", tmp.path() + "/alice"));

  // The repo everybody downloads: a 2 MiB LFS file (multipart on upload) and small files.
  const std::string weights = random_bytes(2 * 1024 * 1024 + 17, 42);
  const std::string cfg = "{\"model_type\": \"gpt2\"}\n";
  std::filesystem::create_directories(tmp.path() + "/model");
  test::write_bytes(tmp.path() + "/model/model.safetensors", weights);
  test::write_bytes(tmp.path() + "/model/config.json", cfg);
  PushResult base = alice.push(tmp.path() + "/model", "alice/load", PushOptions{});
  ASSERT_TRUE(is_commit_id(base.commit_oid));

  // 100 concurrent downloads: even jobs into their own cache, odd jobs into one shared cache.
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<int> content_errors{0};
  auto t0 = std::chrono::steady_clock::now();
  auto errors = run_parallel(100, [&](int i) {
    std::string home = i % 2 == 0 ? tmp.path() + "/dl" + std::to_string(i) : tmp.path() + "/common";
    HubClient c(hub_config(hub.url(), "", home));
    DownloadResult r = c.download("alice/load", "main");
    if (r.commit != base.commit_oid) ++content_errors;
    if (test::read_bytes(r.snapshot + "/model.safetensors") != weights) ++content_errors;
    if (test::read_bytes(r.snapshot + "/config.json") != cfg) ++content_errors;
    bytes += weights.size() + cfg.size();
  });
  double dl_s = seconds_since(t0);
  std::printf("[hub load] 100 concurrent downloads: %.1f MB in %.2f s = %.1f MB/s, errors %zu, bad content %d\n",
              bytes.load() / 1e6, dl_s, bytes.load() / 1e6 / dl_s, errors.size(), content_errors.load());
  for (const auto& e : errors) ADD_FAILURE() << e;
  EXPECT_EQ(content_errors.load(), 0);
  // The shared cache holds exactly one blob per file (.gitattributes, config.json, the
  // weights) and no leftover temp files.
  std::set<std::string> blobs;
  for (const auto& e : std::filesystem::directory_iterator(tmp.path() + "/common/hub/models--alice--load/blobs"))
    blobs.insert(e.path().filename().string());
  EXPECT_EQ(blobs.size(), 3u);
  EXPECT_EQ(blobs.count(sha256_file(tmp.path() + "/model/model.safetensors")), 1u);

  // 10 concurrent pushes: 5 into distinct (new) repos, 5 different files into one shared repo.
  alice.create_repo("alice/common", false, true);
  std::vector<std::string> payload;
  for (int i = 0; i < 10; ++i) {
    payload.push_back(random_bytes(1024 * 1024 + 1000 * i, 100 + i));
    std::string dir = tmp.path() + "/push" + std::to_string(i);
    std::filesystem::create_directories(dir);
    test::write_bytes(dir + "/w" + std::to_string(i) + ".bin", payload[i]);
    test::write_bytes(dir + "/note" + std::to_string(i) + ".txt", "push " + std::to_string(i) + "\n");
  }
  std::atomic<std::uint64_t> up_bytes{0};
  t0 = std::chrono::steady_clock::now();
  errors = run_parallel(10, [&](int i) {
    std::string repo = i < 5 ? "alice/p" + std::to_string(i) : "alice/common";
    HubClient c(hub_config(hub.url(), "hf_alice", tmp.path() + "/pusher" + std::to_string(i)));
    PushResult r = c.push(tmp.path() + "/push" + std::to_string(i), repo, PushOptions{});
    if (!is_commit_id(r.commit_oid)) throw Error(ErrorCode::Internal, "no commit id", repo);
    up_bytes += payload[i].size();
  });
  double up_s = seconds_since(t0);
  std::printf("[hub load] 10 concurrent pushes: %.1f MB in %.2f s = %.1f MB/s, errors %zu\n",
              up_bytes.load() / 1e6, up_s, up_bytes.load() / 1e6 / up_s, errors.size());
  for (const auto& e : errors) ADD_FAILURE() << e;

  // Every push landed (no lost update on the shared repo) with the right bytes.
  HubClient reader(hub_config(hub.url(), "hf_alice", tmp.path() + "/verify"));
  for (int i = 0; i < 10; ++i) {
    std::string repo = i < 5 ? "alice/p" + std::to_string(i) : "alice/common";
    std::string name = "w" + std::to_string(i) + ".bin";
    DownloadResult r = reader.download(repo, "main", {name});
    EXPECT_EQ(test::read_bytes(r.snapshot + "/" + name), payload[i]) << repo << " " << name;
  }
  json info = reader.model_info("alice/common");
  std::set<std::string> names;
  for (const auto& s : info["siblings"]) names.insert(s["rfilename"]);
  for (int i = 5; i < 10; ++i) {
    EXPECT_TRUE(names.count("w" + std::to_string(i) + ".bin")) << i;
    EXPECT_TRUE(names.count("note" + std::to_string(i) + ".txt")) << i;
  }
  double total_s = seconds_since(t_start);
  std::printf("[hub load] whole test %.2f s\n", total_s);
  EXPECT_LT(total_s, 60.0);
}
