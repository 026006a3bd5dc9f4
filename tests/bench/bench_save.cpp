// lathe-cli bench save: save_pretrained of a ~1 GB model as 5 shards vs `cp`
// of the same bytes. A benchmark, never pass/fail.
#include "bench.h"
#include "bench_util.h"

#include "core/error.h"
#include "core/file_util.h"
#include "models/from_pretrained.h"
#include "models/save_pretrained.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace lathe::bench {

int bench_save(const std::vector<std::string>& argv) {
  bool json = false;
  std::string dir = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--json") json = true;
    else if (argv[i] == "--dir" && i + 1 < argv.size()) dir = argv[++i];
    else {
      std::fprintf(stderr, "usage: lathe-cli bench save [--dir D] [--json]\n");
      return 2;
    }
  }
  // GPT-2-shaped, 1024 wide, 20 blocks: 20·12·1024² + (50257 + 1024)·1024 ≈ 304 M
  // parameters ≈ 1.22 GB in float32; 300 MB shards give 5 files.
  ModelConfig cfg = ModelConfig::from_json_text(
      R"({"model_type":"gpt2","architectures":["GPT2LMHeadModel"],"vocab_size":50257,"n_positions":1024,
          "n_embd":1024,"n_layer":20,"n_head":16,"torch_dtype":"float32"})", "bench");
  std::fprintf(stderr, "bench save: building a %s model in memory\n", "1.2 GB");
  auto model = models::init_random(cfg, "GPT2LMHeadModel", c10::kFloat, 0);
  const std::string root = dir + "/lathe-bench-save";
  fs::remove_all(root);
  fs::create_directories(root);
  models::SavePretrainedOptions opts;
  opts.max_shard_size = 300000000;
  std::vector<double> save_s, cp_s;
  std::uint64_t bytes = 0;
  std::size_t shards = 0;
  for (int run = 0; run < 3; ++run) {
    const std::string out = root + "/saved";
    fs::remove_all(out);
    double t0 = now_s();
    models::SavePlan plan = models::save_pretrained(*model, out, opts);  // fsyncs every file
    save_s.push_back(now_s() - t0);
    bytes = plan.shards.total_size;
    shards = plan.shards.filenames.size();
    // The peer: cp of the same folder, then sync of the copies (the save fsyncs too).
    const std::string copy = root + "/copy";
    fs::remove_all(copy);
    t0 = now_s();
    std::string cmd = "cp -r '" + out + "' '" + copy + "' && sync -f '" + copy + "'";
    if (std::system(cmd.c_str()) != 0) throw Error(ErrorCode::Io, "cp failed", copy);
    cp_s.push_back(now_s() - t0);
  }
  fs::remove_all(root);
  const double s = median(save_s), c = median(cp_s);
  const double gbs_save = static_cast<double>(bytes) / s / 1e9, gbs_cp = static_cast<double>(bytes) / c / 1e9;
  const double ratio = gbs_save / gbs_cp;
  if (json) {
    nlohmann::ordered_json j{{"bytes", bytes}, {"shards", shards}, {"save_s", s}, {"cp_sync_s", c},
                             {"save_gb_per_s", gbs_save}, {"cp_gb_per_s", gbs_cp}, {"throughput_ratio", ratio},
                             {"goal", ">= 0.8"}, {"load_average", load_average()}};
    std::puts(j.dump(2).c_str());
    return 0;
  }
  Table t({"operation", "seconds", "GB/s"});
  t.add({"save_pretrained (" + std::to_string(shards) + " shards, fsync)", fmt(s), fmt(gbs_save, "%.2f")});
  t.add({"cp -r + sync of the same files", fmt(c), fmt(gbs_cp, "%.2f")});
  t.print();
  std::printf("save throughput / cp: %.2fx  (goal >= 0.8x: %s)  [%.2f GB, median of 3, load %.1f]\n", ratio,
              verdict(ratio >= 0.8), static_cast<double>(bytes) / 1e9, load_average());
  return 0;
}

}  // namespace lathe::bench
