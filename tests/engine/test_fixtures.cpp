// Conversions checked against checkpoints Python transformers wrote.
#include "core/file_util.h"
#include "io/checkpoint.h"
#include "io/checkpoint_io.h"
#include "io/safetensors.h"
#include "manifest.h"
#include "test_support.h"

#include <ATen/core/Tensor.h>
#include <ATen/ops/equal.h>

#include <gtest/gtest.h>

#include <map>

using namespace lathe;

namespace {

struct CasePair {
  std::string id, bin_dir, st_dir, st_sha;
  bool tied;
};

std::vector<CasePair> cases_with_both_formats() {
  std::map<std::string, CasePair> by_id;
  std::map<std::string, int> seen;
  for (const auto& f : test::manifest_weight_files()) {
    auto& c = by_id[f.case_id];
    c.id = f.case_id;
    if (f.format == "bin" && f.dir.size() >= 9 && f.dir.substr(f.dir.size() - 9) == "model_bin") {
      c.bin_dir = f.dir;
      c.tied = !(*f.entry)["torch_pickle"]["shared_storage_groups"].empty();
      seen[f.case_id] |= 1;
    }
    if (f.format == "safetensors" && f.dir.size() >= 17 && f.dir.substr(f.dir.size() - 17) == "model_safetensors") {
      c.st_dir = f.dir;
      c.st_sha = f.sha256;
      seen[f.case_id] |= 2;
    }
  }
  std::vector<CasePair> out;
  for (auto& [id, c] : by_id)
    if (seen[id] == 3) out.push_back(c);
  return out;
}

}  // namespace

TEST(Fixtures, BinConvertedToSafetensorsEqualsSavePretrained) {
  auto cases = cases_with_both_formats();
  ASSERT_GE(cases.size(), 2u);
  int untied = 0;
  for (const auto& c : cases) {
    test::TempDir out;
    convert_checkpoint(c.bin_dir, out.path(), {});
    std::string produced = out.file("model.safetensors");
    if (!c.tied) {
      // Untied: the file must be byte-identical to what save_pretrained wrote.
      EXPECT_EQ(test::sha256_of(produced), c.st_sha) << c.id;
      ++untied;
    }
    // Tied or not: same names, dtypes, shapes and values as the reference file.
    StateDict ours = load_checkpoint_tensors(resolve_checkpoint(out.path()));
    StateDict ref = load_checkpoint_tensors(resolve_checkpoint(c.st_dir));
    ASSERT_EQ(ours.size(), ref.size()) << c.id;
    for (const auto& [name, t] : ref.items()) {
      const at::Tensor* o = ours.find(name);
      ASSERT_NE(o, nullptr) << c.id << " " << name;
      EXPECT_TRUE(at::equal(*o, t)) << c.id << " " << name;
    }
    EXPECT_EQ(read_text_file(out.file("config.json")), read_text_file(c.bin_dir + "/config.json"));
  }
  EXPECT_GE(untied, 1);
}

TEST(Fixtures, SafetensorsToBinAndBackIsIdentity) {
  for (const auto& c : cases_with_both_formats()) {
    test::TempDir bin, back;
    ConvertOptions to_bin;
    to_bin.to_bin = true;
    convert_checkpoint(c.st_dir, bin.path(), to_bin);
    EXPECT_TRUE(path_exists(bin.file("pytorch_model.bin")));
    convert_checkpoint(bin.path(), back.path(), {});
    EXPECT_EQ(test::sha256_of(back.file("model.safetensors")), c.st_sha) << c.id;
  }
}

TEST(Fixtures, ShardedRoundTrip) {
  for (const auto& c : cases_with_both_formats()) {
    test::TempDir sharded, merged;
    ConvertOptions o;
    o.max_shard_size = 40000;
    convert_checkpoint(c.bin_dir, sharded.path(), o);
    CheckpointFiles files = resolve_checkpoint(sharded.path());
    ASSERT_TRUE(files.sharded()) << c.id;
    EXPECT_EQ(files.index_file, "model.safetensors.index.json");
    EXPECT_GE(files.weight_files.size(), 3u);
    // Every shard but an oversize one stays within the limit.
    for (const auto& f : files.weight_files) {
      auto h = read_safetensors_header(sharded.file(f));
      std::uint64_t sum = 0;
      for (const auto& t : h.tensors) sum += t.nbytes;
      if (h.tensors.size() > 1) {
        EXPECT_LE(sum, o.max_shard_size) << f;
      }
    }
    CheckpointInfo a = inspect_checkpoint(sharded.path());
    CheckpointInfo b = inspect_checkpoint(c.st_dir);
    EXPECT_EQ(a.total_bytes, b.total_bytes);
    EXPECT_EQ(a.tensors.size(), b.tensors.size());
    convert_checkpoint(sharded.path(), merged.path(), {});
    // Merging shards loses state-dict order, but safetensors sorts by dtype
    // and name anyway: the single file is byte-identical again.
    EXPECT_EQ(test::sha256_of(merged.file("model.safetensors")), c.st_sha) << c.id;
  }
}
