// lathe-cli bench plan: device-map planning on a Llama-70B-shaped model. The planning step (median
// of many runs; goal <= 3 ms) against peers measured in the same run (parsing the same tree from its
// --tree JSON, compute_module_sizes alone, the tree from the meta skeleton), and the whole
// `lathe-cli plan` process (goal <= 0.5 s) against the same command through the LibTorch binary and
// `plan --tree` of the same tree. A benchmark: never pass/fail.
#include "bench.h"
#include "bench_util.h"

#include "core/error.h"
#include "core/file_util.h"
#include "planning/device_map.h"
#include "planning/model_tree.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>


namespace fs = std::filesystem;

namespace lathe::bench {

namespace {

// Llama-2-70B's config.json numbers.
constexpr const char* kLlama70B =
    R"({"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":8192,"intermediate_size":28672,
        "num_hidden_layers":80,"num_attention_heads":64,"num_key_value_heads":8,"vocab_size":32000,
        "max_position_embeddings":4096,"rms_norm_eps":1e-05,"hidden_act":"silu","tie_word_embeddings":false,
        "torch_dtype":"float16"})";
constexpr const char* kBudgets = "0=40GiB,1=40GiB,2=40GiB,cpu=64GiB";

template <class F>
double median_ms(int runs, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    double t0 = now_s();
    f();
    t.push_back((now_s() - t0) * 1e3);
  }
  return median(t);
}

}  // namespace

int bench_plan(const std::vector<std::string>& argv) {
  bool json = false;
  int runs = 200, procs = 10;
  std::string dir = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--json") json = true;
    else if (argv[i] == "--dir" && i + 1 < argv.size()) dir = argv[++i];
    else if (argv[i] == "--runs" && i + 1 < argv.size()) runs = std::max(1, std::atoi(argv[++i].c_str()));
    else if (argv[i] == "--procs" && i + 1 < argv.size()) procs = std::max(1, std::atoi(argv[++i].c_str()));
    else {
      std::fprintf(stderr, "usage: lathe-cli bench plan [--runs N] [--procs P] [--dir D] [--json]\n");
      return 2;
    }
  }
  const std::string root = dir + "/lathe-bench-plan";
  fs::remove_all(root);
  fs::create_directories(root);
  write_text_file_atomic(root + "/config.json", kLlama70B);

  const CpuSample c0 = cpu_sample();
  planning::PlanOptions opts;
  opts.max_memory = planning::parse_max_memory(kBudgets);
  auto fast = planning::model_module_tree_fast(root, {"auto", "", {}, ""});
  if (!fast) throw Error(ErrorCode::Internal, "the Llama-70B config is not on the fast path");
  const planning::ModuleTree& tree = *fast;
  const std::string tree_text = planning::module_tree_json(tree).dump();
  write_text_file_atomic(root + "/tree.json", tree_text);

  // In-process steps.
  const double plan_ms = median_ms(runs, [&] { planning::plan_device_map(tree, opts); });
  const double sizes_ms = median_ms(runs, [&] { planning::compute_module_sizes(tree, tree.sizing.dtype); });
  const double parse_ms = median_ms(std::max(1, runs / 4), [&] { planning::parse_module_tree_text(tree_text); });
  const double fast_ms = median_ms(std::max(1, runs / 4), [&] { planning::model_module_tree_fast(root, {"auto", "", {}, ""}); });
  const double skel_ms = median_ms(std::max(1, runs / 20), [&] { planning::model_module_tree(root, {"auto", "", {}, ""}); });
  const auto result = planning::plan_device_map(tree, opts);

  // Whole processes: the torch-free front, the same command through the LibTorch binary, --tree.
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  std::string bin = n > 0 ? std::string(self, static_cast<std::size_t>(n)) : std::string();
  bin = bin.substr(0, bin.find_last_of('/') + 1);
  const std::vector<std::string> args = {"plan", root, "--device-map", "auto", "--max-memory", kBudgets, "--dtype", "auto", "--json"};
  auto with = [&](const std::string& exe, std::vector<std::string> a) {
    a.insert(a.begin(), bin + exe);
    return a;
  };
  std::vector<double> front, full, tree_proc;
  for (int i = 0; i < procs; ++i) {
    front.push_back(process_s(with("lathe-cli", args)));
    tree_proc.push_back(process_s(with("lathe-cli", {"plan", "--tree", root + "/tree.json", "--device-map", "auto",
                                                      "--max-memory", kBudgets, "--dtype", "float16", "--json"})));
    if (i < 3) full.push_back(process_s(with("lathe-cli-full", args)));
  }
  const double front_s = median(front), full_s = median(full), tree_s = median(tree_proc);
  const double busy = others_cpu_share(c0, cpu_sample());
  fs::remove_all(root);

  if (json) {
    nlohmann::ordered_json j;
    j["model"] = "Llama-2-70B config.json, float16, " + std::string(kBudgets) + ", balanced";
    j["modules"] = tree.modules.size();
    j["map_entries"] = result.device_map.size();
    j["plan_step_ms"] = plan_ms;
    j["compute_module_sizes_ms"] = sizes_ms;
    j["tree_json_parse_ms"] = parse_ms;
    j["tree_from_config_ms"] = fast_ms;
    j["tree_from_meta_skeleton_ms"] = skel_ms;
    j["process_s"] = front_s;
    j["process_tree_s"] = tree_s;
    j["process_libtorch_binary_s"] = full_s;
    j["goals"] = {{"plan_step_ms", 3.0}, {"process_s", 0.5}};
    j["others_cpu_share"] = busy;
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("bench plan: Llama-2-70B config.json (float16), budgets %s, device_map=\"auto\"\n", kBudgets);
  std::printf("  %zu modules, %zu map entries, model %.2f GiB\n\n", tree.modules.size(), result.device_map.size(),
              result.total / 1073741824.0);
  Table t({"step (median)", "time", "vs plan step"});
  t.add({"plan_device_map (balanced + infer + clean), " + std::to_string(runs) + " runs", fmt(plan_ms) + " ms", "1.00x"});
  t.add({"peer: parse the same tree from its --tree JSON", fmt(parse_ms) + " ms", fmt(parse_ms / plan_ms, "%.2fx")});
  t.add({"peer: compute_module_sizes alone", fmt(sizes_ms) + " ms", fmt(sizes_ms / plan_ms, "%.2fx")});
  t.add({"tree from config.json (torch-free)", fmt(fast_ms) + " ms", fmt(fast_ms / plan_ms, "%.2fx")});
  t.add({"tree from the meta skeleton (LibTorch)", fmt(skel_ms) + " ms", fmt(skel_ms / plan_ms, "%.2fx")});
  t.print();
  std::printf("\nplanning step %.3f ms (goal <= 3 ms: %s)\n\n", plan_ms, verdict(plan_ms <= 3.0));
  Table p({"whole process (median)", "time", "vs lathe-cli plan"});
  p.add({"lathe-cli plan MODEL, " + std::to_string(procs) + " runs", fmt(front_s) + " s", "1.00x"});
  p.add({"peer: lathe-cli plan --tree (same tree)", fmt(tree_s) + " s", fmt(tree_s / front_s, "%.2fx")});
  p.add({"peer: the same plan in the LibTorch binary", fmt(full_s) + " s", fmt(full_s / front_s, "%.2fx")});
  p.print();
  std::printf("\nlathe-cli plan process %.3f s (goal <= 0.5 s: %s)\n", front_s, verdict(front_s <= 0.5));
  warn_if_busy(busy);
  return 0;
}

}  // namespace lathe::bench
