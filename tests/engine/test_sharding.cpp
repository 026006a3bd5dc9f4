// Sharding plans, names and index files as save_pretrained produces them.
#include "core/file_util.h"
#include "io/sharding.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace lathe;

namespace {
std::vector<ShardInput> four_tensors() {
  // The example: 80 000 / 160 000 / 80 000 / 20 000 bytes.
  return {{"t1", 80000, ""}, {"t2", 160000, ""}, {"t3", 80000, ""}, {"t4", 20000, ""}};
}
}  // namespace

TEST(Sharding, At300kB) {
  // By the algorithm (semantics.md A4): t1 → cur 80 000; t2 → 240 000 ≤ 300 000;
  // t3 would make 320 000 > 300 000 → close [t1,t2]; t3,t4 → 100 000.
  ShardPlan p = plan_shards(four_tensors(), 300000, "model.safetensors");
  ASSERT_EQ(p.shards.size(), 2u);
  EXPECT_EQ(p.shards[0], (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(p.shards[1], (std::vector<std::string>{"t3", "t4"}));
  EXPECT_EQ(p.filenames, (std::vector<std::string>{"model-00001-of-00002.safetensors",
                                                   "model-00002-of-00002.safetensors"}));
  EXPECT_EQ(p.total_size, 340000u);
}

TEST(Sharding, At100kBOversizeTensorGetsItsOwnShardFirst) {
  // t1 → cur [t1]; t2 (160 000 > 100 000) → own shard at once, cur stays open;
  // t3: 80 000 + 80 000 > 100 000 → close [t1]; t4: 80 000 + 20 000 = 100 000 fits.
  ShardPlan p = plan_shards(four_tensors(), 100000, "pytorch_model.bin");
  ASSERT_EQ(p.shards.size(), 3u);
  EXPECT_EQ(p.shards[0], (std::vector<std::string>{"t2"}));
  EXPECT_EQ(p.shards[1], (std::vector<std::string>{"t1"}));
  EXPECT_EQ(p.shards[2], (std::vector<std::string>{"t3", "t4"}));
  EXPECT_EQ(p.weight_map.at("t2"), "pytorch_model-00001-of-00003.bin");
  EXPECT_EQ(p.weight_map.at("t4"), "pytorch_model-00003-of-00003.bin");
}

TEST(Sharding, SharedStorageCountedOnceAndKeptTogether) {
  std::vector<ShardInput> in = {{"emb", 80000, "s0"}, {"mid", 80000, "s1"}, {"head", 80000, "s0"}};
  ShardPlan p = plan_shards(in, 100000, "model.safetensors");
  ASSERT_EQ(p.shards.size(), 2u);
  EXPECT_EQ(p.shards[0], (std::vector<std::string>{"emb", "head"}));
  EXPECT_EQ(p.total_size, 160000u);
}

TEST(Sharding, SingleShardKeepsPlainNameAndAllKeys) {
  ShardPlan p = plan_shards(four_tensors(), 5000000000ull, add_variant("model.safetensors", "fp16"));
  EXPECT_FALSE(p.sharded());
  EXPECT_EQ(p.filenames, std::vector<std::string>{"model.fp16.safetensors"});
  EXPECT_EQ(p.shards[0].size(), 4u);
}

TEST(Sharding, VariantNames) {
  EXPECT_EQ(add_variant("model.safetensors.index.json", "fp16"), "model.safetensors.index.fp16.json");
  ShardPlan p = plan_shards(four_tensors(), 100000, add_variant("model.safetensors", "fp16"));
  EXPECT_EQ(p.filenames[0], "model.fp16-00001-of-00003.safetensors");
}

TEST(Sharding, IndexJsonFormat) {
  ShardPlan p = plan_shards(four_tensors(), 300000, "model.safetensors");
  EXPECT_EQ(shard_index_json(p),
            "{\n"
            "  \"metadata\": {\n"
            "    \"total_size\": 340000\n"
            "  },\n"
            "  \"weight_map\": {\n"
            "    \"t1\": \"model-00001-of-00002.safetensors\",\n"
            "    \"t2\": \"model-00001-of-00002.safetensors\",\n"
            "    \"t3\": \"model-00002-of-00002.safetensors\",\n"
            "    \"t4\": \"model-00002-of-00002.safetensors\"\n"
            "  }\n"
            "}\n");
}

TEST(Sharding, StaleShardRule) {
  test::TempDir d;
  for (const char* f : {"model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                        "model-00003-of-00003.safetensors", "model.safetensors",
                        "model.fp16-00001-of-00002.safetensors", "pytorch_model-00001-of-00002.bin",
                        "model-1-of-2.safetensors", "notes.txt"})
    write_text_file_atomic(d.file(f), "x");
  auto stale = stale_shard_files(d.path(), "model.safetensors",
                                 {"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"});
  // transformers' quirks: the unsharded file survives, variant shards go too.
  EXPECT_EQ(stale, (std::vector<std::string>{"model-00001-of-00003.safetensors",
                                             "model-00002-of-00003.safetensors",
                                             "model-00003-of-00003.safetensors",
                                             "model.fp16-00001-of-00002.safetensors"}));
}
