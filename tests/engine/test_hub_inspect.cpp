// Remote inspection (safetensors headers by HTTP Range requests) against the real
// local hub server on 127.0.0.1: `lathe-cli inspect org/name` prints the same JSON
// document as a local inspect of the same files, weights never enter the cache,
// and hostile files or answers are clear errors. Also MODEL=org/name for a
// weights command (save).
#include "core/error.h"
#include "core/file_util.h"
#include "hub/hub_client.h"
#include "hub/remote_inspect.h"
#include "io/safetensors.h"
#include "local_hub.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>

using namespace lathe;
using namespace lathe::hub;
using lathe::test::LocalHub;
using lathe::test::TempDir;
using lathe::test::hub_config;
using nlohmann::json;

namespace {

const std::string kGpt2 = "cases/gpt2_lm_s0/model_safetensors";

std::string le64(std::uint64_t n) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xFF);
  return s;
}

class HubInspect : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = std::make_unique<LocalHub>(tmp_.path() + "/server", [](ServerOptions& o) { o.test_ignore_range_once = false; });
    alice_ = std::make_unique<HubClient>(hub_config(hub_->url(), "hf_alice", tmp_.path() + "/push-home"));
  }
  void push(const std::string& dir, const std::string& repo) { alice_->push(dir, repo, PushOptions{}); }
  test::RunResult cli(std::vector<std::string> args, const std::string& home = "cli-home") {
    args.insert(args.begin(), LATHE_CLI_PATH);
    return test::run_process(args, 120,
                             {"HF_ENDPOINT=" + hub_->url(), "HF_TOKEN=hf_alice", "HF_HOME=" + tmp_.path() + "/" + home,
                              "HF_HUB_OFFLINE=", "HF_HUB_CACHE="});
  }
  /// A hostile repo: config.json plus a model.safetensors of these bytes.
  void push_weights(const std::string& repo, const std::string& bytes) {
    std::string dir = tmp_.path() + "/" + repo.substr(repo.find('/') + 1);
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(test::fixture(kGpt2) + "/config.json", dir + "/config.json");
    test::write_bytes(dir + "/model.safetensors", bytes);
    push(dir, repo);
  }
  TempDir tmp_;
  std::unique_ptr<LocalHub> hub_;
  std::unique_ptr<HubClient> alice_;
};

}  // namespace

TEST_F(HubInspect, RemoteInspectEqualsLocalAndDownloadsNoWeights) {
  // A sharded bfloat16 copy without torch_dtype in its config ("auto" reads the headers).
  std::string sharded = tmp_.path() + "/sharded";
  auto conv = test::run_cli({"convert", test::fixture(kGpt2), sharded, "--max-shard-size", "60kB", "--dtype", "bfloat16"});
  ASSERT_EQ(conv.exit_code, 0) << conv.err;
  json cfg = json::parse(test::read_bytes(sharded + "/config.json"));
  cfg.erase("torch_dtype");
  test::write_bytes(sharded + "/config.json", cfg.dump(2));
  ASSERT_TRUE(path_exists(sharded + "/model.safetensors.index.json"));
  push(test::fixture(kGpt2), "alice/gpt2");
  push(sharded, "alice/sharded");

  for (const auto& [repo, local] : {std::pair<std::string, std::string>{"alice/gpt2", test::fixture(kGpt2)},
                                    {"alice/sharded", sharded}}) {
    for (const char* dtype : {"float32", "auto"}) {
      auto r = cli({"inspect", repo, "--json", "--dtype", dtype});
      auto l = cli({"inspect", local, "--json", "--dtype", dtype});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      ASSERT_EQ(l.exit_code, 0) << l.err;
      json rj = json::parse(r.out), lj = json::parse(l.out);
      EXPECT_GT(rj["tensors"].size(), 10u);
      EXPECT_GT(rj["num_parameters"]["all"].get<long long>(), 0);
      EXPECT_EQ(rj, lj) << repo << " " << dtype;  // no field names a local path
    }
  }
  json sj = json::parse(cli({"inspect", "alice/sharded", "--json", "--dtype", "auto"}).out);
  EXPECT_GE(sj["files"].size(), 2u);
  EXPECT_EQ(sj["dtype"], "bfloat16");

  // The cache holds the config/index JSON blobs and nothing else.
  std::set<std::string> json_blobs;
  for (const char* repo : {"alice/gpt2", "alice/sharded"})
    for (const auto& e : alice_->list_files(repo, "main", true))
      if (e.path.size() > 5 && e.path.substr(e.path.size() - 5) == ".json") json_blobs.insert(e.blob_name());
  int blobs = 0;
  for (const char* repo : {"models--alice--gpt2", "models--alice--sharded"}) {
    for (auto& b : std::filesystem::directory_iterator(tmp_.path() + "/cli-home/hub/" + repo + "/blobs")) {
      ++blobs;
      EXPECT_TRUE(json_blobs.count(b.path().filename().string())) << "not a JSON blob: " << b.path();
    }
  }
  EXPECT_EQ(blobs, 2 + 3);  // gpt2: config + generation config; sharded: those + the index
}

TEST_F(HubInspect, EngineLevelHeadersMatchTheFiles) {
  push(test::fixture(kGpt2), "alice/gpt2");
  HubClient c(hub_config(hub_->url(), "hf_alice", tmp_.path() + "/home"));
  CheckpointInfo info = inspect_remote(c, "alice/gpt2", "main");
  SafetensorsHeader h = read_safetensors_header(test::fixture(kGpt2) + "/model.safetensors");
  ASSERT_EQ(info.tensors.size(), h.tensors.size());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < h.tensors.size(); ++i) {
    EXPECT_EQ(info.tensors[i].name, h.tensors[i].name);
    EXPECT_EQ(info.tensors[i].dtype, h.tensors[i].dtype);
    EXPECT_EQ(info.tensors[i].shape, h.tensors[i].shape);
    EXPECT_EQ(info.tensors[i].nbytes, h.tensors[i].nbytes);
    EXPECT_EQ(info.tensors[i].file, "model.safetensors");
    total += h.tensors[i].nbytes;
  }
  EXPECT_EQ(info.total_bytes, total);
  EXPECT_EQ(info.model_type, "gpt2");
  EXPECT_EQ(info.architectures, std::vector<std::string>{"GPT2LMHeadModel"});
  EXPECT_EQ(info.files.config_file, info.files.dir + "/config.json");
  EXPECT_FALSE(path_exists(info.files.dir + "/model.safetensors"));
  EXPECT_EQ(test::code_of([&] { inspect_remote(c, "alice/none", "main"); }), ErrorCode::NotFound);
  EXPECT_EQ(test::code_of([&] { inspect_remote(c, "alice/gpt2", "nobranch"); }), ErrorCode::NotFound);
  ResolveOptions bin_only;
  bin_only.use_safetensors = false;
  EXPECT_EQ(test::code_of([&] { inspect_remote(c, "alice/gpt2", "main", bin_only); }), ErrorCode::NotFound);
  push(test::fixture("cases/gpt2_lm_s0/model_bin"), "alice/gpt2bin");  // pickles are not range-readable
  EXPECT_EQ(test::code_of([&] { inspect_remote(c, "alice/gpt2bin", "main"); }), ErrorCode::Unsupported);
  auto off = hub_config(hub_->url(), "hf_alice", tmp_.path() + "/home");
  off.offline = true;
  HubClient offline(off);
  EXPECT_EQ(test::code_of([&] { inspect_remote(offline, "alice/gpt2", "main"); }), ErrorCode::Network);
}

TEST_F(HubInspect, HostileFilesAndAnswersAreClearErrors) {
  HubClient c(hub_config(hub_->url(), "hf_alice", tmp_.path() + "/home"));
  std::string body(1000, ' ');
  push_weights("alice/huge", le64(1ull << 40) + body);     // header length 1 TB: over the 100 MB cap
  push_weights("alice/past", le64(5000) + body);           // 5000 > 1000 bytes left in the file
  push_weights("alice/tiny", "\x01\x02\x03");              // not even the 8-byte length
  push_weights("alice/junk", le64(16) + "{\"a\":          " + body);  // header is not JSON
  std::string msg;
  for (const char* repo : {"alice/huge", "alice/past", "alice/tiny", "alice/junk"}) {
    try {
      inspect_remote(c, repo, "main");
      ADD_FAILURE() << repo << " inspected";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::CorruptFile) << repo << ": " << e.what();
      if (std::string(repo) == "alice/huge") msg = e.what();
    }
  }
  EXPECT_NE(msg.find("100 MB"), std::string::npos) << msg;
  auto r = cli({"inspect", "alice/huge"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error: alice/huge/model.safetensors: header length"), std::string::npos) << r.err;

  // A server that answers 200 (the whole file) to a Range request: refused, nothing cached.
  push(test::fixture(kGpt2), "alice/gpt2");
  LocalHub ignoring(tmp_.path() + "/server", [](ServerOptions& o) { o.test_ignore_range_once = true; });
  HubClient c2(hub_config(ignoring.url(), "hf_alice", tmp_.path() + "/home2"));
  try {
    inspect_remote(c2, "alice/gpt2", "main");
    ADD_FAILURE() << "a 200 answer was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Network);
    EXPECT_NE(std::string(e.what()).find("instead of 206"), std::string::npos) << e.what();
  }
  for (auto& b : std::filesystem::directory_iterator(tmp_.path() + "/home2/hub/models--alice--gpt2/blobs"))
    EXPECT_LT(std::filesystem::file_size(b.path()), 4096u) << b.path();
}

TEST_F(HubInspect, WeightsCommandsTakeARepoId) {
  push(test::fixture(kGpt2), "alice/gpt2");
  auto r = cli({"save", "alice/gpt2", "--out", tmp_.path() + "/from-hub", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto l = cli({"save", test::fixture(kGpt2), "--out", tmp_.path() + "/from-local", "--json"});
  ASSERT_EQ(l.exit_code, 0) << l.err;
  EXPECT_EQ(test::sha256_of(tmp_.path() + "/from-hub/model.safetensors"),
            test::sha256_of(tmp_.path() + "/from-local/model.safetensors"));
  auto missing = cli({"save", "alice/none", "--out", tmp_.path() + "/x"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("alice/none"), std::string::npos) << missing.err;
}
