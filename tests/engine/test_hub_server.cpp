// The local hub server's upload path and download counter, through our real
// client and raw HTTP on 127.0.0.1: LFS uploads stream to disk (memory bounded
// whatever the size), an interrupted or wrong upload never publishes a blob,
// and `downloads` counts GET/HEAD of the Hub's default query files.
#include "core/error.h"
#include "core/file_util.h"
#include "hub/hub_client.h"
#include "local_hub.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

using namespace lathe;
using namespace lathe::hub;
using lathe::test::LocalHub;
using lathe::test::TempDir;
using lathe::test::hub_config;
using nlohmann::json;

namespace {

long vm_rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

void write_random(const std::string& path, std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::uint64_t> buf(n / 8 + 1);
  for (auto& w : buf) w = rng();
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(n));
}

/// The signed basic-upload href the LFS batch endpoint hands out for (oid, size).
std::string upload_href(HubClient& c, const std::string& repo, const std::string& oid, std::uint64_t size) {
  json req = {{"operation", "upload"}, {"transfers", {"basic"}}, {"objects", {{{"oid", oid}, {"size", size}}}}};
  json ans = c.api("POST", "/" + repo + ".git/info/lfs/objects/batch", req.dump(), {"Content-Type: application/vnd.git-lfs+json"});
  return ans["objects"][0]["actions"]["upload"]["href"];
}

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file()) out.push_back(e.path().filename().string());
  return out;
}

}  // namespace

TEST(HubServerUploads, LargeLfsUploadsStreamWithBoundedMemory) {
  TempDir tmp;
  LocalHub hub(tmp.path() + "/server");
  const std::size_t size = 96u << 20;  // the old in-memory server held >= this many bytes per upload
  std::filesystem::create_directories(tmp.path() + "/model");
  write_random(tmp.path() + "/model/model.safetensors", size, 7);
  HubClient alice(hub_config(hub.url(), "hf_alice", tmp.path() + "/home"));
  std::atomic<bool> done{false};
  std::atomic<long> peak{0};
  const long base = vm_rss_kb();
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak.load(), vm_rss_kb());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  PushResult r = alice.push(tmp.path() + "/model", "alice/big", PushOptions{});
  done = true;
  sampler.join();
  EXPECT_EQ(r.uploaded.size(), 1u);
  // Client and server share this process: neither may hold the file (96 MiB).
  EXPECT_LT(peak - base, 40L * 1024) << "RSS grew by " << (peak - base) / 1024 << " MiB during the upload";
  auto tree = alice.list_files("alice/big", "main");
  ASSERT_EQ(tree.size(), 2u);  // .gitattributes + the weights
  EXPECT_EQ(tree[1].lfs_sha256, test::sha256_of(tmp.path() + "/model/model.safetensors"));
  EXPECT_EQ(test::sha256_of(tmp.path() + "/server/blobs/" + tree[1].lfs_sha256),
            test::sha256_of(tmp.path() + "/model/model.safetensors"));
}

TEST(HubServerUploads, InterruptedOrWrongUploadsPublishNothing) {
  TempDir tmp;
  LocalHub hub(tmp.path() + "/server");
  HubClient alice(hub_config(hub.url(), "hf_alice", tmp.path() + "/home"));
  alice.create_repo("alice/up", false, false);
  const std::string content(200000, 'x');
  test::write_bytes(tmp.path() + "/content", content);
  const std::string oid = test::sha256_of(tmp.path() + "/content");
  const std::string href = upload_href(alice, "alice/up", oid, content.size());
  const std::string target = href.substr(href.find('/', 7));  // "/lfs-upload/<oid>?sig=..."

  // A client that dies after half the body: nothing published, no temp file left.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(hub.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string head = "PUT " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                     std::to_string(content.size()) + "\r\n\r\n";
  ASSERT_EQ(::write(fd, head.data(), head.size()), static_cast<ssize_t>(head.size()));
  ASSERT_EQ(::write(fd, content.data(), content.size() / 2), static_cast<ssize_t>(content.size() / 2));
  ::close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(path_exists(tmp.path() + "/server/blobs/" + oid));
  for (const auto& f : files_in(tmp.path() + "/server/blobs")) EXPECT_EQ(f.find(".tmp."), std::string::npos) << f;

  // Wrong bytes for the oid: 400, nothing published.
  httplib::Client http("127.0.0.1", hub.port());
  auto bad = http.Put(target, std::string(content.size(), 'y'), "application/octet-stream");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_FALSE(path_exists(tmp.path() + "/server/blobs/" + oid));
  // A forged signature: 403.
  auto forged = http.Put("/lfs-upload/" + oid + "?sig=0000", content, "application/octet-stream");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  // The right bytes: published, byte-exact.
  auto good = http.Put(target, content, "application/octet-stream");
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200);
  EXPECT_EQ(test::read_bytes(tmp.path() + "/server/blobs/" + oid), content);
}

TEST(HubServerDownloads, CountsGetAndHeadOfTheDefaultQueryFiles) {
  TempDir tmp;
  LocalHub hub(tmp.path() + "/server");
  std::filesystem::create_directories(tmp.path() + "/model");
  test::write_bytes(tmp.path() + "/model/config.json", "{\"model_type\": \"gpt2\"}");
  test::write_bytes(tmp.path() + "/model/model.safetensors", std::string(1000, '\1'));
  HubClient alice(hub_config(hub.url(), "hf_alice", tmp.path() + "/home"));
  alice.push(tmp.path() + "/model", "alice/count", PushOptions{});
  auto downloads = [&] { return alice.model_info("alice/count")["downloads"].get<int>(); };
  EXPECT_EQ(downloads(), 0);
  HubClient reader(hub_config(hub.url(), "", tmp.path() + "/reader"));
  reader.download("alice/count", "main");  // GET config.json (1) + GET model.safetensors (not a query file)
  EXPECT_EQ(downloads(), 1);
  httplib::Client http("127.0.0.1", hub.port());
  ASSERT_TRUE(http.Head("/alice/count/resolve/main/config.json"));           // HEAD counts: 2
  ASSERT_TRUE(http.Get("/alice/count/resolve/main/model.safetensors"));      // weights do not
  ASSERT_TRUE(http.Get("/alice/count/resolve/main/config.json", {{"Range", "bytes=0-3"}}));  // ranged GET: 3
  ASSERT_TRUE(http.Get("/alice/count/resolve/main/missing.json"));           // 404: not counted
  EXPECT_EQ(downloads(), 3);
  SearchQuery q;
  q.author = "alice";
  EXPECT_EQ(alice.list_models(q).at(0)["downloads"], 3);
}

TEST(HubServerDownloads, TheCountSurvivesARestart) {
  TempDir tmp;
  {
    LocalHub hub(tmp.path() + "/server");
    std::filesystem::create_directories(tmp.path() + "/model");
    test::write_bytes(tmp.path() + "/model/config.json", "{}");
    HubClient alice(hub_config(hub.url(), "hf_alice", tmp.path() + "/home"));
    alice.push(tmp.path() + "/model", "alice/keep", PushOptions{});
    for (const char* home : {"/r1", "/r2"})  // two readers, one GET of config.json each
      HubClient(hub_config(hub.url(), "", tmp.path() + home)).download("alice/keep", "main");
  }
  LocalHub again(tmp.path() + "/server");
  HubClient c(hub_config(again.url(), "", tmp.path() + "/home2"));
  EXPECT_EQ(c.model_info("alice/keep")["downloads"], 2);
}
