// MODEL arguments from the Hub: resolve_model (local path unchanged, repo id ->
// HF-cache snapshot with what the command needs, offline fallback, clear errors),
// against the real local hub server on 127.0.0.1 serving reference checkpoints.
#include "core/error.h"
#include "core/file_util.h"
#include "hub/cache.h"
#include "hub/hub_client.h"
#include "hub/model_source.h"
#include "hub/pipelined_hash.h"
#include "core/sha256.h"
#include "local_hub.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace lathe;
using namespace lathe::hub;
using lathe::test::LocalHub;
using lathe::test::TempDir;
using lathe::test::hub_config;

namespace {

const std::string kGpt2 = "cases/gpt2_lm_s0/model_safetensors";

std::vector<std::string> files_under(const std::string& root) {
  std::vector<std::string> out;
  for (auto& e : std::filesystem::recursive_directory_iterator(root))
    if (!e.is_directory()) out.push_back(e.path().generic_string().substr(root.size() + 1));  // symlinks not followed
  std::sort(out.begin(), out.end());
  return out;
}

class HubModels : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = std::make_unique<LocalHub>(tmp_.path() + "/server");
    HubClient alice(hub_config(hub_->url(), "hf_alice", tmp_.path() + "/push-home"));
    commit_ = alice.push(test::fixture(kGpt2), "alice/gpt2", PushOptions{}).commit_oid;
  }
  HubClient client(bool offline = false) {
    auto c = hub_config(hub_->url(), "hf_alice", tmp_.path() + "/home");
    c.offline = offline;
    return HubClient(c);
  }
  TempDir tmp_;
  std::unique_ptr<LocalHub> hub_;
  std::string commit_;
};

}  // namespace

TEST(ModelSource, WhatLooksLikeARepoId) {
  TempDir tmp;
  EXPECT_TRUE(looks_like_repo_id("alice/gpt2"));
  EXPECT_TRUE(looks_like_repo_id("alice/gpt2@main"));
  EXPECT_TRUE(looks_like_repo_id("alice/gpt2@refs/pr/1"));
  EXPECT_TRUE(looks_like_repo_id("gpt2"));
  EXPECT_FALSE(looks_like_repo_id(tmp.path()));          // an existing folder
  EXPECT_FALSE(looks_like_repo_id("missing.safetensors"));  // a missing file, not a repo
  EXPECT_FALSE(looks_like_repo_id("a/b/c"));
  EXPECT_FALSE(looks_like_repo_id("./x"));
  EXPECT_FALSE(looks_like_repo_id("../x/y"));
  EXPECT_FALSE(looks_like_repo_id("alice/gpt2@bad rev"));
  EXPECT_FALSE(looks_like_repo_id(""));
}

TEST(ModelSource, ConfigFilesOfAListing) {
  std::vector<std::string> listing = {"README.md", "config.json", "model.safetensors", "tokenizer.json",
                                      "sub/config.json", "tf_model.h5", "model.safetensors.index.json",
                                      "pytorch_model.bin.index.fp16.json", "merges.txt"};
  EXPECT_EQ(config_files_of(listing),
            (std::vector<std::string>{"config.json", "tokenizer.json", "model.safetensors.index.json",
                                      "pytorch_model.bin.index.fp16.json", "merges.txt"}));
}

TEST(PipelinedSha256, EqualsTheOneThreadHashAcrossChunkBoundariesAndResets) {
  std::string data(100000, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 2654435761u) >> 13);
  Sha256 ref;
  ref.update(data.data(), data.size());
  const std::string want = ref.hex_digest();
  PipelinedSha256 h(4096, 2);  // small chunks and queue: many hand-offs and waits
  h.update("garbage", 7);
  h.reset();                   // a restarted download: the garbage must not count
  for (std::size_t pos = 0, step = 1; pos < data.size(); pos += step, step = step * 3 % 9973 + 1)
    h.update(data.data() + pos, std::min(step, data.size() - pos));
  EXPECT_EQ(h.hex_digest(), want);
  PipelinedSha256 empty;
  EXPECT_EQ(empty.hex_digest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");  // sha256("")
}

TEST_F(HubModels, LocalPathIsReturnedUnchanged) {
  auto c = client();
  std::string local = test::fixture(kGpt2);
  EXPECT_EQ(resolve_model(c, local, ModelNeed::Weights), local);
  EXPECT_EQ(resolve_model(local, ModelNeed::Config), local);
  EXPECT_FALSE(path_exists(tmp_.path() + "/home/hub"));  // no cache touched
}

TEST_F(HubModels, RepoIdResolvesToTheSnapshotWithWhatIsNeeded) {
  auto c = client();
  std::string snap = tmp_.path() + "/home/hub/models--alice--gpt2/snapshots/" + commit_;
  EXPECT_EQ(resolve_model(c, "alice/gpt2", ModelNeed::Config), snap);
  EXPECT_EQ(files_under(snap), (std::vector<std::string>{"config.json", "generation_config.json"}));
  EXPECT_EQ(read_ref(tmp_.path() + "/home/hub/models--alice--gpt2", "main"), commit_);

  EXPECT_EQ(resolve_model(c, "alice/gpt2@" + commit_, ModelNeed::Weights), snap);
  EXPECT_EQ(files_under(snap), (std::vector<std::string>{"config.json", "generation_config.json", "model.safetensors"}));
  EXPECT_EQ(test::sha256_of(snap + "/model.safetensors"), test::sha256_of(test::fixture(kGpt2) + "/model.safetensors"));

  // Offline: the cached snapshot of refs/main, no request.
  auto off = client(true);
  EXPECT_EQ(resolve_model(off, "alice/gpt2", ModelNeed::Weights), snap);
  EXPECT_EQ(test::code_of([&] { resolve_model(off, "alice/other", ModelNeed::Config); }), ErrorCode::Network);
}

TEST_F(HubModels, UnknownRepoOrRevisionIsNotFound) {
  auto c = client();
  EXPECT_EQ(test::code_of([&] { resolve_model(c, "alice/none", ModelNeed::Config); }), ErrorCode::NotFound);
  EXPECT_EQ(test::code_of([&] { resolve_model(c, "alice/gpt2@nobranch", ModelNeed::Config); }), ErrorCode::NotFound);
  EXPECT_EQ(test::code_of([&] { resolve_model(c, "no/such/path", ModelNeed::Config); }), ErrorCode::NotFound);
}

TEST_F(HubModels, UnreachableHubFallsBackToTheCache) {
  auto c = client();
  resolve_model(c, "alice/gpt2", ModelNeed::Config);
  auto cfg = hub_config("http://127.0.0.1:1", "hf_alice", tmp_.path() + "/home");  // nothing listens there
  HubClient down(cfg);
  std::string snap = tmp_.path() + "/home/hub/models--alice--gpt2/snapshots/" + commit_;
  EXPECT_EQ(resolve_model(down, "alice/gpt2", ModelNeed::Config), snap);
  // Weights were never fetched: not silently "resolved".
  EXPECT_EQ(test::code_of([&] { resolve_model(down, "alice/gpt2", ModelNeed::Weights); }), ErrorCode::Network);
}
