// save_pretrained round trips, sharding, stale shards, crash safety (SIGKILL),
// Python readability of .bin saves, and load_sharded_checkpoint.
#include "core/error.h"
#include "core/file_util.h"
#include "io/checkpoint.h"
#include "io/safetensors_io.h"
#include "manifest.h"
#include "models/from_pretrained.h"
#include "models/save_pretrained.h"
#include "test_support.h"

#include <ATen/ops/equal.h>

#include <gtest/gtest.h>

#include <filesystem>

using namespace lathe;
using namespace lathe::models;
namespace fs = std::filesystem;

namespace {

std::string fx(const std::string& rel) { return test::fixture("cases/" + rel); }

void expect_same_model(PreTrainedModel& a, PreTrainedModel& b, const std::string& what) {
  auto sa = a.state_dict(), sb = b.state_dict();
  ASSERT_EQ(sa.size(), sb.size()) << what;
  for (std::size_t i = 0; i < sa.size(); ++i) {
    EXPECT_EQ(sa[i].first, sb[i].first) << what;
    EXPECT_TRUE(at::equal(sa[i].second, sb[i].second)) << what << " " << sa[i].first;
  }
  EXPECT_EQ(a.num_parameters(), b.num_parameters()) << what;
}

bool python_torch() {
  static int ok = -1;
  if (ok < 0) ok = test::run_process({"/usr/bin/python3", "-c", "import torch"}, 120).exit_code == 0;
  return ok == 1;
}

}  // namespace

TEST(SavePretrained, RoundTripEveryFixtureModelBothFormats) {
  int n = 0;
  for (const auto& f : test::manifest_weight_files()) {
    if (f.dir.find("/model_") == std::string::npos) continue;
    LoadedModel orig = from_pretrained(f.dir);
    for (bool bin : {false, true}) {
      test::TempDir out;
      SavePretrainedOptions o;
      o.safe_serialization = !bin;
      save_pretrained(*orig.model, out.path(), o);
      EXPECT_TRUE(path_exists(out.file(bin ? "pytorch_model.bin" : "model.safetensors")));
      LoadedModel back = from_pretrained(out.path());
      EXPECT_TRUE(back.info.missing_keys.empty() && back.info.unexpected_keys.empty()) << f.dir;
      expect_same_model(*orig.model, *back.model, f.dir + (bin ? " bin" : " safetensors"));
      if (bin && python_torch() && n < 2) {
        // Readable by torch.load(weights_only=True), ties kept as shared storage.
        auto r = test::run_process({"/usr/bin/python3", "-c",
                                    "import torch,sys; sd=torch.load(sys.argv[1], weights_only=True); "
                                    "print(len(sd), sum(v.numel() for v in sd.values()))",
                                    out.file("pytorch_model.bin")},
                                   120);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(r.out, std::to_string(orig.model->state_dict().size()) + " " + [&] {
          std::int64_t s = 0;
          for (const auto& [k, t] : orig.model->state_dict()) s += t.numel();
          return std::to_string(s);
        }() + "\n");
      }
      ++n;
    }
  }
  EXPECT_GE(n, 16);
}

TEST(SavePretrained, ShardsIndexAndStaleCleanup) {
  LoadedModel m = from_pretrained(fx("gpt2_lm_s0/model_safetensors"));
  test::TempDir d;
  std::string out = d.file("model");
  write_text_file_atomic(d.file("keep.txt"), "x");
  SavePretrainedOptions o;
  o.max_shard_size = 30000;
  SavePlan p1 = save_pretrained(*m.model, out, o);
  ASSERT_TRUE(p1.shards.sharded());
  fs::copy(d.file("keep.txt"), out + "/README.md");
  // The index is exactly what transformers writes for this plan.
  EXPECT_EQ(read_text_file(out + "/model.safetensors.index.json"), shard_index_json(p1.shards));
  LoadedModel back = from_pretrained(out);
  expect_same_model(*m.model, *back.model, "sharded");
  // A later save with fewer shards removes the old ones, and only those.
  o.max_shard_size = 100000;
  SavePlan p2 = save_pretrained(*m.model, out, o);
  ASSERT_LT(p2.shards.filenames.size(), p1.shards.filenames.size());
  std::vector<std::string> expected_deleted;
  for (const auto& f : p1.shards.filenames)
    if (std::find(p2.shards.filenames.begin(), p2.shards.filenames.end(), f) == p2.shards.filenames.end()) expected_deleted.push_back(f);
  EXPECT_EQ(p2.deleted, expected_deleted);
  for (const auto& f : p2.deleted) EXPECT_FALSE(path_exists(out + "/" + f)) << f;
  EXPECT_TRUE(path_exists(out + "/README.md")) << "unrelated files survive a save";
  // No staging folders left behind.
  for (auto& e : fs::directory_iterator(d.path())) EXPECT_EQ(e.path().filename().string().find(".lathe-staging"), std::string::npos);
  expect_same_model(*m.model, *from_pretrained(out).model, "resharded");
}

TEST(SavePretrained, SigkillDuringSaveLeavesAValidCheckpoint) {
  test::TempDir d;
  // Two models of equal shape (~40 MB each) so a save takes a while.
  for (const char* seed : {"1", "2"}) {
    auto r = test::run_cli({"demo", d.file(std::string("m") + seed), "--layers", "6", "--hidden", "512", "--vocab", "8000", "--seed", seed});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const std::string target = d.file("target");
  ASSERT_EQ(test::run_cli({"save", d.file("m1"), "--out", target}).exit_code, 0);
  const std::string sha_old = test::sha256_of(target + "/model.safetensors");
  test::TempDir ref;
  ASSERT_EQ(test::run_cli({"save", d.file("m2"), "--out", ref.file("new")}).exit_code, 0);
  const std::string sha_new = test::sha256_of(ref.file("new/model.safetensors"));
  ASSERT_NE(sha_old, sha_new);
  int killed = 0;
  for (int ms : {50, 150, 300, 450, 600, 800, 1000, 1300}) {
    auto r = test::run_cli_killed_after({"save", d.file("m2"), "--out", target}, ms);
    killed += r.signal == SIGKILL;
    // Whatever moment the kill hit: the target is the old or the new checkpoint, complete.
    const std::string sha = test::sha256_of(target + "/model.safetensors");
    EXPECT_TRUE(sha == sha_old || sha == sha_new) << "after kill at " << ms << " ms";
    EXPECT_NO_THROW(from_pretrained(target)) << ms;
    // Reset to the old model for the next round.
    ASSERT_EQ(test::run_cli({"save", d.file("m1"), "--out", target}).exit_code, 0);
  }
  EXPECT_GE(killed, 3) << "the kills should land mid-save";
  // Staging folders of killed processes are cleaned up by the next save.
  int staging = 0;
  for (auto& e : fs::directory_iterator(d.path())) staging += e.path().filename().string().find(".lathe-staging") != std::string::npos;
  EXPECT_EQ(staging, 0);
}

TEST(LoadShardedCheckpoint, StrictAndLenient) {
  LoadedModel m = from_pretrained(fx("gpt2_lm_s0/model_safetensors"));
  test::TempDir d;
  SavePretrainedOptions o;
  o.max_shard_size = 30000;
  save_pretrained(*m.model, d.path(), o);
  LoadedModel fresh = from_pretrained(fx("gpt2_lm_s0/model_safetensors"));
  // The tied lm_head.weight is not in the safetensors index: strict refuses (as transformers).
  try {
    load_sharded_checkpoint(*fresh.model, d.path(), true);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::MissingTensor);
  }
  auto [missing, unexpected] = load_sharded_checkpoint(*fresh.model, d.path(), false);
  EXPECT_EQ(missing, std::vector<std::string>{"lm_head.weight"});
  EXPECT_TRUE(unexpected.empty());
  expect_same_model(*m.model, *fresh.model, "load_sharded_checkpoint");
  test::TempDir none;
  EXPECT_THROW(load_sharded_checkpoint(*fresh.model, none.path()), Error);
}
