// The Hub client against the real local hub server (in-process, 127.0.0.1 only):
// push, browse, download into the HF cache layout, resume, offline, auth,
// error codes, retries, integrity checks, hostile names, the CLI, the JS probe.
#include "core/error.h"
#include "core/file_util.h"
#include "core/sha256.h"
#include "hub/cache.h"
#include "hub/hub_client.h"
#include "hub/hub_util.h"
#include "hub/server.h"
#include "local_hub.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>
#include <atomic>
#include <thread>

using namespace lathe;
using namespace lathe::hub;
using lathe::test::LocalHub;
using lathe::test::TempDir;
using lathe::test::hub_config;
using lathe::test::random_bytes;
using lathe::test::sha256_hex;
using nlohmann::json;

namespace {

const std::string kReadme =
    "---\nlicense: mit\nlibrary_name: transformers\npipeline_tag: text-generation\ntags:\n- lathe-test\n---\n# tiny\n";

/// A model folder: README (card), config.json, an LFS-sized weights file, a nested text file.
void write_model(const std::string& dir, const std::string& weights) {
  std::filesystem::create_directories(dir + "/sub");
  test::write_bytes(dir + "/README.md", kReadme);
  test::write_bytes(dir + "/config.json", "{\"model_type\": \"gpt2\"}\n");
  test::write_bytes(dir + "/model.safetensors", weights);
  test::write_bytes(dir + "/sub/notes.txt", "hello\n");
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

struct Recorder : ProgressSink {
  std::vector<std::uint64_t> done;
  std::uint64_t cancel_after = 0;
  bool report(const std::string&, std::uint64_t d, std::uint64_t) override {
    done.push_back(d);
    return cancel_after == 0 || d < cancel_after;
  }
};

class HubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = std::make_unique<LocalHub>(tmp_.path() + "/server");
    weights_ = random_bytes(300 * 1024 + 7, 1);
    write_model(tmp_.path() + "/model", weights_);
    HubClient alice(hub_config(hub_->url(), "hf_alice", tmp_.path() + "/push-home"));
    pushed_ = alice.push(tmp_.path() + "/model", "alice/tiny", PushOptions{});
  }
  HubClient client(const std::string& token = "hf_alice", const std::string& home = "home") {
    return HubClient(hub_config(hub_->url(), token, tmp_.path() + "/" + home));
  }
  std::string cache_repo(const std::string& home = "home") {
    return tmp_.path() + "/" + home + "/hub/models--alice--tiny";
  }
  TempDir tmp_;
  std::unique_ptr<LocalHub> hub_;
  std::string weights_;
  PushResult pushed_;
};

}  // namespace

TEST(HubUtil, GitIdsAndEncodings) {
  EXPECT_EQ(git_blob_oid(""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  EXPECT_EQ(git_blob_oid("hello\n"), "ce013625030ba8dba906f756967f9e9ca394464a");
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(base64_decode(base64_encode("\x01\x02xyz\xff")), "\x01\x02xyz\xff");
  EXPECT_EQ(url_encode("refs/pr/1", false), "refs%2Fpr%2F1");
  EXPECT_TRUE(valid_repo_path("a/b.txt"));
  for (const char* bad : {"../x", "a/../b", "/etc/passwd", "a//b", "a\\b", ".git/config", "./a", ""})
    EXPECT_FALSE(valid_repo_path(bad)) << bad;
  EXPECT_FALSE(valid_repo_id("../x"));
  EXPECT_FALSE(valid_repo_id("a/b/c"));
  EXPECT_TRUE(valid_revision_name("refs/pr/1"));
}

TEST(HubEnv, ReadsTheEnvironmentLikeHuggingfaceHub) {
  TempDir tmp;
  test::write_bytes(tmp.file("token"), "  hf_from_file\r\n");
  setenv("HF_ENDPOINT", "http://127.0.0.1:1/", 1);
  setenv("HF_HOME", tmp.path().c_str(), 1);
  unsetenv("HF_TOKEN");
  unsetenv("HUGGING_FACE_HUB_TOKEN");
  unsetenv("HF_TOKEN_PATH");
  unsetenv("HF_HUB_CACHE");
  unsetenv("HUGGINGFACE_HUB_CACHE");
  setenv("HF_HUB_OFFLINE", "Yes", 1);
  HubConfig c = HubConfig::from_environment();
  EXPECT_EQ(c.endpoint, "http://127.0.0.1:1");
  EXPECT_EQ(c.token, "hf_from_file");
  EXPECT_EQ(c.cache_dir, tmp.path() + "/hub");
  EXPECT_TRUE(c.offline);
  EXPECT_NE(c.user_agent.find("lathe/"), std::string::npos);
  setenv("HF_TOKEN", "hf_env", 1);
  setenv("HF_HUB_CACHE", "$HF_HOME/elsewhere", 1);
  setenv("HF_HUB_OFFLINE", "0", 1);
  c = HubConfig::from_environment();
  EXPECT_EQ(c.token, "hf_env");
  EXPECT_EQ(c.cache_dir, tmp.path() + "/elsewhere");
  EXPECT_FALSE(c.offline);
  for (const char* v : {"HF_ENDPOINT", "HF_HOME", "HF_TOKEN", "HF_HUB_CACHE", "HF_HUB_OFFLINE"}) unsetenv(v);
}

TEST_F(HubTest, BrowseSearchInfoAndTree) {
  ASSERT_TRUE(is_commit_id(pushed_.commit_oid));
  auto c = client();
  EXPECT_EQ(c.whoami()["name"], "alice");
  EXPECT_FALSE(c.create_repo("alice/tiny", false, true));
  EXPECT_EQ(error_of([&] { c.create_repo("alice/tiny", false, false); }), ErrorCode::InvalidArgument);
  c.create_repo("alice/other", false, false);
  c.create_repo("alice/zeta", false, false);

  SearchQuery q;
  q.search = "tin";
  auto found = c.list_models(q);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["id"], "alice/tiny");
  EXPECT_EQ(found[0]["pipeline_tag"], "text-generation");
  q = {};
  q.filters = {"lathe-test"};
  EXPECT_EQ(c.list_models(q).size(), 1u);
  q = {};
  q.author = "alice";
  q.limit = 2;
  EXPECT_EQ(c.list_models(q).size(), 2u);
  q.author = "nobody";
  EXPECT_TRUE(c.list_models(q).empty());

  HttpResponse raw;  // pagination: absolute Link with our own host
  json page = c.api("GET", "/api/models?limit=1", {}, {}, &raw);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(raw.header("link"), "<" + hub_->url() + "/api/models?limit=1&cursor=1>; rel=\"next\"");
  ASSERT_TRUE(page[0].contains("_id"));

  json info = c.model_info("alice/tiny");
  EXPECT_EQ(info["sha"], pushed_.commit_oid);
  EXPECT_EQ(info["cardData"]["license"], "mit");
  EXPECT_EQ(info["siblings"].size(), 5u);  // + .gitattributes of the initial commit
  json first = c.model_info("alice/tiny", c.model_info("alice/tiny")["sha"]);
  EXPECT_EQ(first["sha"], pushed_.commit_oid);

  auto tree = c.list_files("alice/tiny");
  std::map<std::string, TreeEntry> by;
  for (auto& e : tree) by[e.path] = e;
  ASSERT_TRUE(by.count("sub"));
  EXPECT_EQ(by["sub"].type, "directory");
  EXPECT_EQ(by["config.json"].oid, git_blob_oid("{\"model_type\": \"gpt2\"}\n"));
  EXPECT_EQ(by["model.safetensors"].lfs_sha256, sha256_hex(weights_));
  EXPECT_EQ(by["model.safetensors"].size, weights_.size());
  EXPECT_EQ(by["sub/notes.txt"].oid, "ce013625030ba8dba906f756967f9e9ca394464a");
  HttpResponse tr;  // tree pagination
  json tpage = c.api("GET", "/api/models/alice/tiny/tree/main?recursive=true&limit=2", {}, {}, &tr);
  EXPECT_EQ(tpage.size(), 2u);
  EXPECT_NE(tr.header("link").find("cursor=2>; rel=\"next\""), std::string::npos) << tr.header("link");
  HttpResponse hr;  // resolve: Range 206 and the metadata headers
  EXPECT_ANY_THROW(c.api("GET", "/alice/tiny/resolve/main/config.json", {}, {"Range: bytes=0-0"}, &hr));  // not JSON
  EXPECT_EQ(hr.status, 206);
  EXPECT_EQ(hr.header("content-range"), "bytes 0-0/23");
  EXPECT_EQ(hr.header("x-repo-commit"), pushed_.commit_oid);
  EXPECT_EQ(hr.header("etag"), "\"" + git_blob_oid("{\"model_type\": \"gpt2\"}\n") + "\"");
  HttpResponse lr;
  EXPECT_ANY_THROW(c.api("GET", "/alice/tiny/resolve/" + pushed_.commit_oid + "/model.safetensors", {},
                         {"Range: bytes=0-9"}, &lr));
  EXPECT_EQ(lr.header("x-linked-etag"), "\"" + sha256_hex(weights_) + "\"");
  EXPECT_EQ(lr.header("x-linked-size"), std::to_string(weights_.size()));
  auto top = c.list_files("alice/tiny", "main", false);
  for (const auto& e : top) EXPECT_EQ(e.path.find('/'), std::string::npos) << e.path;

  json paths = c.api("POST", "/api/models/alice/tiny/paths-info/main",
                     json{{"paths", {"README.md", "sub", "missing"}}, {"expand", true}}.dump());
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0]["lastCommit"]["id"], pushed_.commit_oid);
}

TEST_F(HubTest, DownloadWritesThePythonCacheLayout) {
  auto c = client();
  Recorder rec;
  DownloadResult r = c.download("alice/tiny", "main", {}, &rec);
  const std::string repo = cache_repo();
  EXPECT_EQ(r.commit, pushed_.commit_oid);
  EXPECT_EQ(r.snapshot, repo + "/snapshots/" + r.commit);
  EXPECT_EQ(test::read_bytes(repo + "/refs/main"), r.commit);  // no trailing newline
  EXPECT_TRUE(path_exists(tmp_.path() + "/home/hub/CACHEDIR.TAG"));
  EXPECT_FALSE(rec.done.empty());
  struct Want {
    std::string path, content, blob, link;
  };
  std::string cfg_text = "{\"model_type\": \"gpt2\"}\n";
  std::vector<Want> wants = {
      {"README.md", kReadme, git_blob_oid(kReadme), "../../blobs/" + git_blob_oid(kReadme)},
      {"config.json", cfg_text, git_blob_oid(cfg_text), "../../blobs/" + git_blob_oid(cfg_text)},
      {"model.safetensors", weights_, sha256_hex(weights_), "../../blobs/" + sha256_hex(weights_)},
      {"sub/notes.txt", "hello\n", git_blob_oid("hello\n"), "../../../blobs/" + git_blob_oid("hello\n")},
  };
  for (const auto& w : wants) {
    std::string snap = r.snapshot + "/" + w.path;
    char buf[512] = {0};
    ssize_t n = ::readlink(snap.c_str(), buf, sizeof buf - 1);
    ASSERT_GT(n, 0) << w.path << " is not a symlink";
    EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)), w.link) << w.path;
    EXPECT_EQ(test::read_bytes(repo + "/blobs/" + w.blob), w.content) << w.path;
    EXPECT_EQ(test::read_bytes(snap), w.content) << w.path;
  }
  for (const auto& e : std::filesystem::directory_iterator(repo + "/blobs"))
    EXPECT_EQ(e.path().string().find(".incomplete"), std::string::npos);

  // Missing file: EntryNotFound and a .no_exist marker.
  std::string msg;
  EXPECT_EQ(error_of([&] { c.download("alice/tiny", "main", {"nope.bin"}); }, &msg), ErrorCode::NotFound);
  EXPECT_NE(msg.find("EntryNotFound"), std::string::npos) << msg;
  EXPECT_TRUE(path_exists(repo + "/.no_exist/" + r.commit + "/nope.bin"));

  // Offline: served from refs/ + snapshots/, never from the network.
  HubConfig off = hub_config(hub_->url(), "hf_alice", tmp_.path() + "/home");
  off.offline = true;
  HubClient offline(off);
  DownloadResult o = offline.download("alice/tiny", "main", {"config.json"});
  EXPECT_TRUE(o.from_cache_only);
  EXPECT_EQ(o.commit, r.commit);
  EXPECT_EQ(error_of([&] { offline.download("alice/tiny", "main", {"nope.bin"}); }), ErrorCode::NotFound);
  EXPECT_EQ(error_of([&] { offline.download("alice/tiny", "dev", {}); }), ErrorCode::Network);
  EXPECT_EQ(error_of([&] { offline.whoami(); }), ErrorCode::Network);

  // Server gone: falls back to the cache.
  hub_.reset();
  DownloadResult fb = c.download("alice/tiny", "main", {"README.md"});
  EXPECT_TRUE(fb.from_cache_only);
  EXPECT_EQ(fb.commit, r.commit);
}

TEST_F(HubTest, StorageIsDurableAcrossRestarts) {
  hub_ = std::make_unique<LocalHub>(tmp_.path() + "/server");
  EXPECT_EQ(client().model_info("alice/tiny")["sha"], pushed_.commit_oid);
}

TEST_F(HubTest, PullRequestsAndParentCommit) {
  test::write_bytes(tmp_.path() + "/model/extra.txt", "pr file\n");
  PushOptions o;
  o.create_pr = true;
  o.message = "add extra";
  HubClient alice = client();
  PushResult pr = alice.push(tmp_.path() + "/model", "alice/tiny", o);
  EXPECT_EQ(pr.uploaded, std::vector<std::string>{"extra.txt"});  // unchanged files skipped
  EXPECT_NE(pr.pull_request_url.find("/discussions/1"), std::string::npos);
  EXPECT_EQ(alice.model_info("alice/tiny")["sha"], pushed_.commit_oid);  // main untouched
  DownloadResult r = alice.download("alice/tiny", "refs/pr/1", {"extra.txt"});
  EXPECT_EQ(r.commit, pr.commit_oid);
  EXPECT_EQ(test::read_bytes(cache_repo() + "/refs/refs/pr/1"), pr.commit_oid);
  // A stale parentCommit on a branch is refused.
  std::string stale = json{{"key", "header"}, {"value", {{"summary", "x"}, {"parentCommit", "0000000000000000000000000000000000000000"}}}}.dump() + "\n";
  EXPECT_ANY_THROW(alice.api("POST", "/api/models/alice/tiny/commit/main", stale, {"Content-Type: application/x-ndjson"}));
  // Nothing changed: no commit.
  EXPECT_FALSE(alice.push(tmp_.path() + "/model", "alice/tiny", PushOptions{}).commit_oid.empty());
  EXPECT_TRUE(alice.push(tmp_.path() + "/model", "alice/tiny", PushOptions{}).commit_oid.empty());
}

TEST_F(HubTest, AuthPrivateReposAndErrorCodes) {
  std::string msg;
  EXPECT_EQ(error_of([&] { client("hf_wrong").whoami(); }), ErrorCode::Auth);
  EXPECT_EQ(error_of([&] { client("hf_wrong").download("alice/tiny", "main", {"config.json"}); }), ErrorCode::Auth);
  EXPECT_EQ(error_of([&] { client("").create_repo("alice/anon", false, false); }), ErrorCode::Auth);
  EXPECT_EQ(error_of([&] { client("hf_bob").create_repo("alice/bobs", false, false); }), ErrorCode::Auth);
  EXPECT_EQ(error_of([&] { client("hf_bob").push(tmp_.path() + "/model", "alice/tiny", PushOptions{}); }), ErrorCode::Auth);

  EXPECT_EQ(error_of([&] { client().model_info("alice/none"); }, &msg), ErrorCode::NotFound);
  EXPECT_NE(msg.find("RepoNotFound"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] { client().download("alice/tiny", "nobranch"); }, &msg), ErrorCode::NotFound);
  EXPECT_NE(msg.find("RevisionNotFound"), std::string::npos) << msg;
  HttpResponse raw;
  EXPECT_ANY_THROW(client().api("GET", "/alice/tiny/resolve/main/none.txt", {}, {}, &raw));
  EXPECT_EQ(raw.status, 404);
  EXPECT_EQ(raw.header("x-error-code"), "EntryNotFound");
  EXPECT_EQ(raw.header("x-repo-commit"), pushed_.commit_oid);

  PushOptions priv;
  priv.is_private = true;
  client().push(tmp_.path() + "/model", "alice/secret", priv);
  EXPECT_EQ(client().model_info("alice/secret")["private"], true);
  EXPECT_EQ(error_of([&] { client("hf_bob").model_info("alice/secret"); }), ErrorCode::NotFound);
  EXPECT_EQ(error_of([&] { client("").download("alice/secret", "main"); }), ErrorCode::NotFound);
  SearchQuery q;
  q.search = "secret";
  EXPECT_TRUE(client("hf_bob").list_models(q).empty());
  EXPECT_EQ(client().list_models(q).size(), 1u);

  std::string del = json{{"name", "secret"}, {"organization", "alice"}}.dump();
  EXPECT_EQ(error_of([&] { client("hf_bob").api("DELETE", "/api/repos/delete", del); }), ErrorCode::NotFound);
  client().api("DELETE", "/api/repos/delete", del);
  EXPECT_EQ(error_of([&] { client().model_info("alice/secret"); }), ErrorCode::NotFound);
  EXPECT_EQ(client().model_info("alice/tiny")["sha"], pushed_.commit_oid);
}

TEST_F(HubTest, ResumeAfterADroppedConnection) {
  hub_ = std::make_unique<LocalHub>(tmp_.path() + "/server", [](ServerOptions& o) { o.test_truncate_once = true; });
  Recorder rec;
  DownloadResult r = client().download("alice/tiny", "main", {"model.safetensors"}, &rec);
  EXPECT_EQ(test::read_bytes(r.snapshot + "/model.safetensors"), weights_);
  for (std::size_t i = 1; i < rec.done.size(); ++i)  // resumed where it stopped, never from zero
    EXPECT_GE(rec.done[i], rec.done[i - 1]);

  // A half-downloaded .incomplete is resumed with Range, not restarted.
  HubClient c2 = client("hf_alice", "home2");
  std::string blob = cache_repo("home2") + "/blobs/" + sha256_hex(weights_);
  std::filesystem::create_directories(cache_repo("home2") + "/blobs");
  test::write_bytes(blob + ".incomplete", weights_.substr(0, 100000));
  Recorder rec2;
  c2.download("alice/tiny", "main", {"model.safetensors"}, &rec2);
  EXPECT_EQ(test::read_bytes(blob), weights_);
  ASSERT_GE(rec2.done.size(), 2u);
  EXPECT_GE(rec2.done[1], 100000u);
}

TEST_F(HubTest, A200AnswerToARangeRequestRestarts) {
  hub_ = std::make_unique<LocalHub>(tmp_.path() + "/server", [](ServerOptions& o) { o.test_ignore_range_once = true; });
  std::string blob = cache_repo() + "/blobs/" + sha256_hex(weights_);
  std::filesystem::create_directories(cache_repo() + "/blobs");
  test::write_bytes(blob + ".incomplete", random_bytes(5000, 3));  // wrong bytes: appending would corrupt
  DownloadResult r = client().download("alice/tiny", "main", {"model.safetensors"});
  EXPECT_EQ(test::read_bytes(r.snapshot + "/model.safetensors"), weights_);
}

TEST(HubHttp, AuthorizationNeverLeavesTheEndpointHost) {
  httplib::Server a, b;
  auto echo = [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(json(req.get_header_value("Authorization")).dump(), "application/json");
  };
  b.Get("/echo", echo);
  a.Get("/echo-a", echo);
  int pb = b.bind_to_any_port("127.0.0.1");
  a.Get("/same", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/echo-a", 307); });
  a.Get("/away", [pb](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("http://localhost:" + std::to_string(pb) + "/echo", 302);
  });
  int pa = a.bind_to_any_port("127.0.0.1");
  std::thread ta([&] { a.listen_after_bind(); }), tb([&] { b.listen_after_bind(); });
  TempDir tmp;
  HubClient c(hub_config("http://127.0.0.1:" + std::to_string(pa), "hf_secret", tmp.path()));
  EXPECT_EQ(c.api("GET", "/same"), "Bearer hf_secret");  // same host: kept
  EXPECT_EQ(c.api("GET", "/away"), "");                  // other host: dropped
  a.stop();
  b.stop();
  ta.join();
  tb.join();
}

TEST_F(HubTest, BadBytesNeverEnterTheCache) {
  // A corrupt partial file: the checksum fails, nothing is published.
  std::string blob = cache_repo() + "/blobs/" + sha256_hex(weights_);
  std::filesystem::create_directories(cache_repo() + "/blobs");
  test::write_bytes(blob + ".incomplete", random_bytes(1000, 9));
  EXPECT_EQ(error_of([&] { client().download("alice/tiny", "main", {"model.safetensors"}); }), ErrorCode::CorruptFile);
  EXPECT_FALSE(path_exists(blob));
  EXPECT_FALSE(path_exists(blob + ".incomplete"));
  // The server's stored bytes rotted: same size, wrong sha256.
  test::write_bytes(tmp_.path() + "/server/blobs/" + sha256_hex(weights_), random_bytes(weights_.size(), 5));
  EXPECT_EQ(error_of([&] { client().download("alice/tiny", "main", {"model.safetensors"}); }), ErrorCode::CorruptFile);
  EXPECT_FALSE(path_exists(blob));
  EXPECT_FALSE(path_exists(cache_repo() + "/snapshots/" + pushed_.commit_oid + "/model.safetensors"));
}

TEST_F(HubTest, RetriesA429HonouringRetryAfter) {
  hub_ = std::make_unique<LocalHub>(tmp_.path() + "/server", [](ServerOptions& o) { o.test_429_once = true; });
  auto t0 = std::chrono::steady_clock::now();
  DownloadResult r = client().download("alice/tiny", "main", {"config.json"});
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GE(s, 0.9);
  EXPECT_TRUE(path_exists(r.snapshot + "/config.json"));
}

TEST_F(HubTest, ConcurrentCommitsAndDownloads) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([this, i] {
      std::string body = json{{"key", "header"}, {"value", {{"summary", "t" + std::to_string(i)}}}}.dump() + "\n" +
                         json{{"key", "file"}, {"value", {{"path", "t" + std::to_string(i) + ".txt"}, {"content", base64_encode("x")}, {"encoding", "base64"}}}}.dump();
      try {
        client().api("POST", "/api/models/alice/tiny/commit/main", body, {"Content-Type: application/x-ndjson"});
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  for (auto& t : threads) t.join();
  json info = client().model_info("alice/tiny");
  std::set<std::string> names;
  for (const auto& s : info["siblings"]) names.insert(s["rfilename"]);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(names.count("t" + std::to_string(i) + ".txt")) << i;  // no lost update
  threads.clear();
  std::atomic<int> ok{0};
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([this, &ok] {
      try {
        client().download("alice/tiny", "main", {"model.safetensors"});
        ++ok;
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(test::read_bytes(cache_repo() + "/blobs/" + sha256_hex(weights_)), weights_);
}

TEST(HubMultipart, LargeLfsFilesUploadInPartsSmallOnesBasic) {
  TempDir tmp;
  LocalHub hub(tmp.path() + "/server", [](ServerOptions& o) { o.test_multipart_chunk = 64 * 1024; });
  HubClient alice(hub_config(hub.url(), "hf_alice", tmp.path() + "/home"));
  // The batch answer itself: multipart (chunk_size + "1".."N" + completion href) above the chunk size.
  std::string big = random_bytes(5 * 64 * 1024 + 123, 7), small = random_bytes(1000, 8);
  alice.create_repo("alice/mp", false, true);
  json req = {{"operation", "upload"}, {"transfers", {"basic", "multipart"}}, {"hash_algo", "sha256"},
              {"objects", {{{"oid", sha256_hex(big)}, {"size", big.size()}}, {{"oid", sha256_hex(small)}, {"size", small.size()}}}}};
  json ans = alice.api("POST", "/alice/mp.git/info/lfs/objects/batch", req.dump(), {"Content-Type: application/vnd.git-lfs+json"});
  EXPECT_EQ(ans["transfer"], "multipart");
  const json& h = ans["objects"][0]["actions"]["upload"]["header"];
  EXPECT_EQ(h["chunk_size"], std::to_string(64 * 1024));
  EXPECT_TRUE(h.contains("6"));
  EXPECT_FALSE(h.contains("7"));
  EXPECT_FALSE(ans["objects"][1]["actions"]["upload"].contains("header"));  // basic
  // A bad ETag in the completion is refused.
  HttpClient raw(hub.url(), "", "t", false);
  HttpRequest put{"PUT", h["1"].get<std::string>(), {"Content-Type: application/octet-stream"}, big.substr(0, 64 * 1024), {}, false, 0, {}};
  EXPECT_EQ(raw.send(put).status, 200);
  HttpRequest done{"POST", ans["objects"][0]["actions"]["upload"]["href"].get<std::string>(), {},
                   json{{"oid", sha256_hex(big)}, {"parts", {{{"partNumber", 1}, {"etag", "\"bad\""}}}}}.dump(), {}, false, 0, {}};
  done.headers = {"Content-Type: application/vnd.git-lfs+json"};
  EXPECT_EQ(raw.send(done).status, 400);
  put.url += "x";  // a forged signature
  EXPECT_EQ(raw.send(put).status, 403);
  // The client handles both answers in one push; the downloaded bytes match.
  std::filesystem::create_directories(tmp.path() + "/m");
  test::write_bytes(tmp.path() + "/m/big.bin", big);
  test::write_bytes(tmp.path() + "/m/small.bin", small);
  PushResult pr = alice.push(tmp.path() + "/m", "alice/mp", PushOptions{});
  EXPECT_EQ(pr.uploaded.size(), 2u);
  DownloadResult d = HubClient(hub_config(hub.url(), "", tmp.path() + "/dl")).download("alice/mp", "main");
  EXPECT_EQ(test::read_bytes(d.snapshot + "/big.bin"), big);
  EXPECT_EQ(test::read_bytes(d.snapshot + "/small.bin"), small);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() + "/server/uploads/" + sha256_hex(big)));
}

TEST_F(HubTest, CancelLeavesNoBlob) {
  Recorder rec;
  rec.cancel_after = 1;
  EXPECT_THROW(client().download("alice/tiny", "main", {"model.safetensors"}, &rec), Cancelled);
  EXPECT_FALSE(path_exists(cache_repo() + "/blobs/" + sha256_hex(weights_)));
}

TEST_F(HubTest, HostileNamesAreRefused) {
  auto c = client();
  EXPECT_EQ(error_of([&] { c.download("alice/tiny", "main", {"../../etc/passwd"}); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(error_of([&] { c.download("../alice", "main"); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(error_of([&] { c.download("alice/tiny", "../../x"); }), ErrorCode::InvalidArgument);
  for (const char* p : {"../evil.txt", "a/../../evil.txt", "/abs.txt", ".git/config"}) {
    std::string body = json{{"key", "header"}, {"value", {{"summary", "x"}}}}.dump() + "\n" +
                       json{{"key", "file"}, {"value", {{"path", p}, {"content", base64_encode("x")}, {"encoding", "base64"}}}}.dump();
    HttpResponse raw;
    EXPECT_ANY_THROW(c.api("POST", "/api/models/alice/tiny/commit/main", body, {"Content-Type: application/x-ndjson"}, &raw)) << p;
    EXPECT_EQ(raw.status, 400) << p;
  }
  for (const char* url : {"/api/models/..%2F..%2Fserver/x", "/alice/tiny/resolve/main/..%2F..%2F..%2Frepo.json",
                          "/alice/tiny/resolve/main/%2E%2E/x"}) {
    HttpResponse raw;
    EXPECT_ANY_THROW(c.api("GET", url, {}, {}, &raw)) << url;
    EXPECT_GE(raw.status, 400) << url;
  }
  EXPECT_ANY_THROW(c.api("POST", "/api/repos/create", json{{"name", ".."}, {"organization", "alice"}}.dump()));
  EXPECT_FALSE(path_exists(tmp_.path() + "/evil.txt"));
  EXPECT_EQ(c.model_info("alice/tiny")["sha"], pushed_.commit_oid);
}

TEST_F(HubTest, CliSearchFilesDownload) {
  std::vector<std::string> env = {"HF_ENDPOINT=" + hub_->url(), "HF_TOKEN=hf_alice",
                                  "HF_HOME=" + tmp_.path() + "/cli-home", "HF_HUB_OFFLINE="};
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), LATHE_CLI_PATH);
    return test::run_process(args, 60, env);
  };
  auto s = run({"hub", "search", "tiny", "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(json::parse(s.out)[0]["id"], "alice/tiny");
  auto f = run({"hub", "files", "alice/tiny", "--json"});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  auto d = run({"hub", "download", "alice/tiny", "config.json", "--json"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  json dj = json::parse(d.out);
  EXPECT_EQ(dj["commit"], pushed_.commit_oid);
  EXPECT_TRUE(path_exists(dj["snapshot"].get<std::string>() + "/config.json"));
  auto bad = run({"hub", "info", "alice/none"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("RepoNotFound"), std::string::npos) << bad.err;
}

// The official @huggingface/hub JS client against our server (needs node, npm
// and the npm registry; skipped when any is missing).
TEST(HubJsProbe, OfficialClientPasses) {
  std::string src = std::string(LATHE_FIXTURES_DIR) + "/../../hubjs-probe";  // tests/hubjs-probe
  ASSERT_TRUE(path_exists(src + "/probe.mjs")) << "tests/hubjs-probe is part of the repository: " << src;
  std::string why;
  const std::string probe = test::installed_npm_package(src, &why);
  if (probe.empty()) GTEST_SKIP() << why;
  TempDir tmp;
  LocalHub hub(tmp.path() + "/server");
  auto r = test::run_process({"/usr/bin/env", "node", probe + "/probe.mjs"}, 120,
                             {"HUB_URL=" + hub.url(), "HF_TOKEN=hf_alice", "HF_HOME=" + tmp.path() + "/home", "PROBE_DELETE=1"});
  EXPECT_EQ(r.exit_code, 0) << r.out.substr(r.out.size() > 3000 ? r.out.size() - 3000 : 0);
}
