// The local hub server against hostile users (issue #13, items 1-4), over real
// HTTP on 127.0.0.1: private LFS objects stay in their repository, declared
// sizes must be true, deep JSON and huge bodies are refused before they cost
// anything, and nothing is read from a body before the caller is authorised.
#include "core/file_util.h"
#include "hub/hub_client.h"
#include "hub_raw_http.h"
#include "local_hub.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>

using namespace lathe;
using namespace lathe::hub;
using lathe::test::LocalHub;
using lathe::test::TempDir;
using lathe::test::hub_config;
using nlohmann::json;

namespace {

httplib::Headers auth(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

json lfs_batch(httplib::Client& http, const std::string& token, const std::string& repo, const std::string& oid,
               std::uint64_t size) {
  json req = {{"operation", "upload"}, {"transfers", {"basic"}}, {"objects", {{{"oid", oid}, {"size", size}}}}};
  auto r = http.Post(("/" + repo + ".git/info/lfs/objects/batch").c_str(), auth(token), req.dump(),
                     "application/vnd.git-lfs+json");
  EXPECT_TRUE(r && r->status == 200);
  return r ? json::parse(r->body) : json();
}

/// A commit of one lfsFile line; the raw response.
httplib::Result commit_lfs(httplib::Client& http, const std::string& token, const std::string& repo,
                           const std::string& path, const std::string& oid, const std::string& size_json) {
  std::string body = R"({"key":"header","value":{"summary":"s"}})" "\n" R"({"key":"lfsFile","value":{"path":")" + path +
                     R"(","algo":"sha256","oid":")" + oid + R"(","size":)" + size_json + "}}\n";
  return http.Post(("/api/models/" + repo + "/commit/main").c_str(), auth(token), body, "application/x-ndjson");
}

std::string path_of(const std::string& href) { return href.substr(href.find('/', 7)); }

struct TwoUsers {
  TempDir tmp;
  std::unique_ptr<LocalHub> hub;
  std::string secret = test::random_bytes(300000, 11);
  std::string oid;
  void start() {
    hub = std::make_unique<LocalHub>(tmp.path() + "/server");
    std::filesystem::create_directories(tmp.path() + "/private");
    test::write_bytes(tmp.path() + "/private/weights.safetensors", secret);
    oid = test::sha256_of(tmp.path() + "/private/weights.safetensors");
  }
};

}  // namespace

TEST(HubServerHostile, LfsObjectsAreScopedToTheirRepository) {
  TwoUsers t;
  t.start();
  HubClient alice(hub_config(t.hub->url(), "hf_alice", t.tmp.path() + "/a"));
  PushOptions priv;
  priv.is_private = true;
  alice.push(t.tmp.path() + "/private", "alice/secret", priv);
  HubClient bob(hub_config(t.hub->url(), "hf_bob", t.tmp.path() + "/b"));
  bob.create_repo("bob/pub", false, false);
  httplib::Client http("127.0.0.1", t.hub->port());

  // The batch answer for alice's object is the one for an object nobody has:
  // an upload action (bob must send the bytes), nothing telling it exists.
  const std::string unknown(64, 'a');
  json known = lfs_batch(http, "hf_bob", "bob/pub", t.oid, t.secret.size())["objects"][0];
  json fresh = lfs_batch(http, "hf_bob", "bob/pub", unknown, t.secret.size())["objects"][0];
  EXPECT_TRUE(known.contains("actions") && known["actions"].contains("upload")) << known.dump();
  EXPECT_EQ(known.contains("actions"), fresh.contains("actions"));
  EXPECT_FALSE(known.contains("error"));

  // A commit naming alice's hash is refused, with the answer an unknown hash gets.
  auto leak = commit_lfs(http, "hf_bob", "bob/pub", "stolen.safetensors", t.oid, std::to_string(t.secret.size()));
  auto none = commit_lfs(http, "hf_bob", "bob/pub", "stolen.safetensors", unknown, std::to_string(t.secret.size()));
  ASSERT_TRUE(leak && none);
  EXPECT_EQ(leak->status, 400);
  EXPECT_EQ(none->status, 400);
  EXPECT_NE(leak->body.find("was not uploaded to bob/pub"), std::string::npos) << leak->body;
  auto get = http.Get("/bob/pub/resolve/main/stolen.safetensors");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 404);

  // Wrong bytes sent to bob's signed URL: still not his.
  const std::string href = path_of(known["actions"]["upload"]["href"]);
  auto wrong = http.Put(href.c_str(), std::string(t.secret.size(), 'x'), "application/octet-stream");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 400);
  EXPECT_EQ(commit_lfs(http, "hf_bob", "bob/pub", "w.safetensors", t.oid, std::to_string(t.secret.size()))->status, 400);
  // The signature binds the repository: bob's URL cannot claim the object for alice's repo.
  std::string moved = href;
  moved.replace(moved.find("repo=bob%2Fpub"), 14, "repo=alice%2Fsecret");
  auto forged = http.Put(moved.c_str(), t.secret, "application/octet-stream");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);

  // Whoever really has the bytes may upload them (the blob on disk is shared): then it is bob's too.
  auto real = http.Put(href.c_str(), t.secret, "application/octet-stream");
  ASSERT_TRUE(real);
  EXPECT_EQ(real->status, 200);
  auto ok = commit_lfs(http, "hf_bob", "bob/pub", "mine.safetensors", t.oid, std::to_string(t.secret.size()));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_TRUE(lfs_batch(http, "hf_bob", "bob/pub", t.oid, t.secret.size())["objects"][0].count("actions") == 0);
}

TEST(HubServerHostile, ObjectsAlreadyInARepoStayUsableAcrossRestarts) {
  TwoUsers t;
  t.start();
  {
    HubClient alice(hub_config(t.hub->url(), "hf_alice", t.tmp.path() + "/a"));
    alice.push(t.tmp.path() + "/private", "alice/model", PushOptions{});
  }
  // A folder written before per-repo membership existed: rebuilt from the commits at start.
  t.hub.reset();
  std::filesystem::remove_all(t.tmp.path() + "/server/repos/alice/model/lfs");
  t.hub = std::make_unique<LocalHub>(t.tmp.path() + "/server");
  httplib::Client http("127.0.0.1", t.hub->port());
  auto again = commit_lfs(http, "hf_alice", "alice/model", "copy.safetensors", t.oid, std::to_string(t.secret.size()));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200) << again->body;
  EXPECT_TRUE(lfs_batch(http, "hf_alice", "alice/model", t.oid, t.secret.size())["objects"][0].count("actions") == 0);
}

TEST(HubServerHostile, DeclaredLfsSizesMustBeTrue) {
  TwoUsers t;
  t.start();
  HubClient alice(hub_config(t.hub->url(), "hf_alice", t.tmp.path() + "/a"));
  alice.push(t.tmp.path() + "/private", "alice/sizes", PushOptions{});
  httplib::Client http("127.0.0.1", t.hub->port());
  for (const std::string size : {"10", "999999999", "-1", "18446744073709551615", "3.5e5", "\"300000\"", "null"}) {
    auto r = commit_lfs(http, "hf_alice", "alice/sizes", "other.safetensors", t.oid, size);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << size << ": " << r->body;
    EXPECT_EQ(r->get_header_value("EXCEPTION_WHAT"), "");
    if (size == "10" || size == "999999999" || size == "18446744073709551615")
      EXPECT_NE(r->body.find("has 300000 bytes, the commit declares " + size), std::string::npos) << r->body;
    else
      EXPECT_NE(r->body.find("size"), std::string::npos) << r->body;
  }
  EXPECT_EQ(alice.list_files("alice/sizes", "main").size(), 2u);  // nothing was committed
  auto ok = commit_lfs(http, "hf_alice", "alice/sizes", "other.safetensors", t.oid, "300000");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  auto got = http.Get("/alice/sizes/resolve/main/other.safetensors");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->body, t.secret);
}

TEST(HubServerHostile, DeeplyNestedJsonIsRefusedNotCrashing) {
  TwoUsers t;
  t.start();
  HubClient alice(hub_config(t.hub->url(), "hf_alice", t.tmp.path() + "/a"));
  alice.create_repo("alice/open", false, false);
  httplib::Client http("127.0.0.1", t.hub->port());
  const std::string deep(600000, '['), deep_obj = [] {
    std::string s;
    for (int i = 0; i < 100000; ++i) s += "{\"a\":";
    return s;
  }();
  struct Case {
    std::string path, token, body;
  };
  std::vector<Case> cases = {
      {"/api/models/alice/open/paths-info/main", "", deep},  // anonymous, the issue's crash
      {"/api/models/alice/open/paths-info/main", "", "{\"paths\":" + deep_obj},
      {"/api/models/alice/open/preupload/main", "hf_alice", "{\"files\":" + deep},
      {"/api/models/alice/open/commit/main", "hf_alice", R"({"key":"header","value":{"summary":"x"}})" "\n" + deep},
      {"/api/models/alice/open/commit/main", "hf_alice", "{\"key\":\"header\",\"value\":" + deep_obj + "\n"},
      {"/alice/open.git/info/lfs/objects/batch", "hf_alice", "{\"objects\":" + deep},
      {"/api/repos/create", "hf_alice", deep},
  };
  for (const auto& c : cases) {
    auto r = http.Post(c.path.c_str(), c.token.empty() ? httplib::Headers{} : auth(c.token), c.body, "application/json");
    ASSERT_TRUE(r) << c.path << ": no answer (server down?)";
    EXPECT_EQ(r->status, 400) << c.path << ": " << r->body.substr(0, 200);
    EXPECT_NE(r->body.find("nested deeper than 64"), std::string::npos) << r->body.substr(0, 200);
  }
  // Nesting within the limit still parses (and the server is alive).
  auto fine = http.Post("/api/models/alice/open/paths-info/main", R"({"paths":[".gitattributes"],"expand":false})",
                        "application/json");
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
  EXPECT_EQ(json::parse(fine->body).size(), 1u);
}

TEST(HubServerHostile, BodiesAreCappedAndNeverReadBeforeAuthorisation) {
  TwoUsers t;
  t.start();
  HubClient alice(hub_config(t.hub->url(), "hf_alice", t.tmp.path() + "/a"));
  alice.create_repo("alice/open", false, false);
  const int port = t.hub->port();
  auto head = [](const std::string& path, const std::string& token, const std::string& length) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
           (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") + "Content-Length: " + length + "\r\n\r\n";
  };
  // Only the headers are sent: each answer comes before any body byte, so the
  // server decided without reading (let alone buffering) the announced bytes.
  struct Case {
    std::string path, token, length;
    int status;
  };
  std::vector<Case> cases = {
      {"/api/models/alice/open/paths-info/main", "", "2147483648", 413},     // anonymous 2 GB
      {"/api/models/alice/open/paths-info/main", "hf_nobody", "2147483648", 401},  // bad token
      {"/api/models/alice/open/commit/main", "", "1073741824", 401},        // anonymous commit
      {"/api/models/alice/open/commit/main", "hf_bob", "1073741824", 403},  // not bob's repo
      {"/api/models/alice/open/commit/main", "hf_alice", "1073741824", 413},  // owner, but 1 GB
      {"/api/models/alice/open/preupload/main", "hf_alice", "104857600", 413},
      {"/api/models/nobody/none/paths-info/main", "", "1073741824", 401},  // no such repo
  };
  for (const auto& c : cases) {
    auto t0 = std::chrono::steady_clock::now();
    std::string answer = test::raw_request(port, head(c.path, c.token, c.length), "127.0.0.1", 5000);
    EXPECT_EQ(test::status_of(answer), c.status) << c.path << " " << c.token << ":\n" << answer.substr(0, 300);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
    EXPECT_EQ(answer.find("EXCEPTION_WHAT"), std::string::npos);
  }
  // With `Expect: 100-continue` the refusal comes instead of the invitation to send.
  for (const auto& [token, status] : {std::pair<std::string, int>{"", 413}, {"hf_nobody", 401}}) {
    std::string h = head("/api/models/alice/open/paths-info/main", token, "2147483648");
    h.insert(h.size() - 2, "Expect: 100-continue\r\n");
    std::string answer = test::raw_request(port, h, "127.0.0.1", 5000);
    EXPECT_EQ(test::status_of(answer), status) << answer.substr(0, 200);
    EXPECT_EQ(answer.find("100 Continue"), std::string::npos);
  }
  // A chunked body (no length announced) is cut at the cap: 413, about 4 MiB read.
  int fd = test::connect_from(port);
  ASSERT_GE(fd, 0);
  test::send_all(fd, "POST /api/models/alice/open/paths-info/main HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n");
  std::string chunk = "100000\r\n" + std::string(0x100000, ' ') + "\r\n";  // 1 MiB chunks
  std::size_t sent = 0;
  for (int i = 0; i < 64 && test::send_all(fd, chunk); ++i) sent += chunk.size();
  std::string answer = test::read_until_close(fd, 5000);
  ::close(fd);
  EXPECT_EQ(test::status_of(answer), 413) << answer.substr(0, 200);
  EXPECT_LT(sent, 48u << 20);  // the server stopped reading: the sender got stuck or reset long before 64 MiB
  // The server is fine afterwards.
  httplib::Client http("127.0.0.1", port);
  auto r = http.Get("/api/models");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}
