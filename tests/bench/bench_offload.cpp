// lathe-cli bench offload: GPT-2 124M fp32 forward with half of its blocks on
// disk (device_map: h.6..h.11 → "disk", the rest → "cpu") against the same
// model all in memory.
//
// The checkpoint (config.json + model.safetensors, ~498 MB) is generated into
// D/lathe-bench-offload-gpt2 (reused when present), the page cache is warmed,
// then each measurement runs in a fresh process (this binary re-run with
// --measure-child KIND), so its VmHWM is its own:
//   memory   from_pretrained, touch every weight, then forwards of 1×T tokens;
//   offload  from_pretrained with the map, then the same forwards: the disk
//            blocks' weights are read (pread, from the page cache) around each
//            module's forward and dropped after.
// Reported: median forward time of each and the slowdown; peak RSS of each and,
// for offload, the bound the issue sets: RSS before loading + resident part
// + the largest block + activations, where "activations" is what the memory
// child's forwards added on top of its touched weights (its VmHWM − RSS after
// the touch: activations, scratch and first-use library pages, all of which
// the offload child needs too).
#include "bench.h"
#include "bench_util.h"

#include "core/error.h"
#include "core/size_string.h"
#include "io/safetensors.h"
#include "io/safetensors_io.h"
#include "models/from_pretrained.h"

#include <ATen/core/Tensor.h>
#include <ATen/Parallel.h>
#include <ATen/ops/arange.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace lathe::bench {
namespace {

namespace fs = std::filesystem;
constexpr int kForwards = 3;
constexpr int kRuns = 3;  // child processes per kind, alternating
const char* const kUsage =
    "lathe-cli bench offload [--dir D] [--tokens T] [--threads N] [--keep] [--json]\n"
    "  offload  GPT-2 124M fp32 forward of 1xT tokens (default 128, 1 thread) with blocks 6-11 on disk vs\n"
    "           all in memory: slowdown and peak RSS of each (3 fresh processes each, alternating),\n"
    "           RSS bound of the offload run\n";

std::string disk_half_map() {
  nlohmann::ordered_json m = {{"transformer.wte", "cpu"}, {"transformer.wpe", "cpu"}};
  for (int i = 0; i < 12; ++i) m["transformer.h." + std::to_string(i)] = i >= 6 ? "disk" : "cpu";
  m["transformer.ln_f"] = "cpu";
  m["lm_head"] = "cpu";
  return m.dump();
}

bool checkpoint_present(const std::string& ckdir) {
  try {
    if (!fs::is_regular_file(ckdir + "/config.json")) return false;
    if (ModelConfig::from_file(ckdir + "/config.json").to_json_string() != gpt2_124m_config().to_json_string()) return false;
    auto skeleton = models::build_skeleton(gpt2_124m_config(), kGpt2Class, c10::kFloat);
    // save_pretrained drops the tied lm_head.weight: one tensor fewer than the state dict.
    return read_safetensors_header(ckdir + "/model.safetensors").tensors.size() + 1 == skeleton->state_dict().size();
  } catch (const std::exception&) {
    return false;
  }
}

void generate(const std::string& ckdir) {
  run_in_child(
      [&](ChildStats&) {
        auto model = models::init_random(gpt2_124m_config(), kGpt2Class, c10::kFloat, kSeed);
        StateDict sd;
        for (auto& [name, t] : model->state_dict())
          if (name != "lm_head.weight") sd.insert(name, t);
        fs::create_directories(ckdir);
        gpt2_124m_config().save(ckdir + "/config.json");
        save_safetensors(sd, ckdir + "/model.safetensors");
      },
      "generating the checkpoint");
}

void warm(const std::string& path) {
  std::vector<char> buf(1 << 20);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorCode::Io, "bench offload: cannot open", path);
  while (::read(fd, buf.data(), buf.size()) > 0) {
  }
  ::close(fd);
}

double cpu_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// t[0] = median forward wall seconds, t[1] = resident bytes, t[2] = largest
// block bytes, t[3] = median forward CPU seconds (all threads: steadier than
// wall time on a shared machine).
void child(const std::string& kind, const std::string& ckdir, int tokens, int threads, ChildStats& s) {
  at::set_num_threads(threads);
  models::FromPretrainedOptions o;
  if (kind == "offload") o.dispatch.device_map = disk_half_map();
  models::LoadedModel lm = models::from_pretrained(ckdir, o);
  auto& m = *lm.model;
  if (kind == "memory") {
    double sum = 0;  // every weight resident before the forwards
    for (auto& [n, p] : m.named_parameters()) {
      const auto* b = static_cast<const unsigned char*>(p->value.data_ptr());
      for (std::size_t off = 0; off < p->value.nbytes(); off += 4096) sum += b[off];
    }
    s.checksum = sum;
  }
  s.rss_mid_kb = proc_status_kb("VmRSS");
  s.t[1] = static_cast<double>(lm.dispatch.resident_bytes);
  std::uint64_t largest = 0;
  if (nn::Module* h = m.find_module("transformer.h")) {
    for (const auto& [n, blk] : h->children()) {
      std::uint64_t b = 0;
      blk->named_modules([&](const std::string&, nn::Module& mod) {
        for (const auto& [pn, p] : mod.own_params()) b += p->value.nbytes();
      });
      largest = std::max(largest, b);
    }
  }
  s.t[2] = static_cast<double>(largest);
  models::ForwardInputs in;
  in.input_ids = at::arange(tokens, at::TensorOptions().dtype(c10::kLong)).remainder(50257).unsqueeze(0);
  std::vector<double> times, cpu;
  for (int i = 0; i < kForwards + 1; ++i) {  // the first is a warm-up
    double f0 = now_s(), c0 = cpu_s();
    models::ForwardOutputs out = m.forward(in);
    if (i > 0) {
      times.push_back(now_s() - f0);
      cpu.push_back(cpu_s() - c0);
    }
    s.checksum += out.logits.sum().item<double>();
  }
  s.t[0] = median(times);
  s.t[3] = median(cpu);
  s.at_end();
}

int run(const Args& args, const std::vector<std::string>& argv) {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string dir = args.value("--dir").value_or(tmpdir && *tmpdir ? tmpdir : "/tmp");
  const std::string ckdir = dir + "/lathe-bench-offload-gpt2";
  const int tokens = args.positive_int("--tokens", 128, 1024);
  const int threads = args.positive_int("--threads", 1, 256);
  if (auto kind = args.value("--measure-child")) {
    if (*kind != "memory" && *kind != "offload") throw UsageFailure("--measure-child must be memory or offload");
    ChildStats s;
    s.rss_start_kb = proc_status_kb("VmRSS");
    child(*kind, ckdir, tokens, threads, s);
    s.hwm_kb = proc_status_kb("VmHWM");
    print_child_stats(s);
    return 0;
  }
  auto say = [](const std::string& m) { std::fprintf(stderr, "bench offload: %s\n", m.c_str()); };
  const bool reuse = checkpoint_present(ckdir);
  if (!reuse) {
    say("generating the GPT-2 124M fp32 checkpoint in " + ckdir);
    generate(ckdir);
  }
  RemoveOnExit cleanup{!reuse && !args.has("--keep") ? ckdir : std::string()};
  warm(ckdir + "/model.safetensors");

  std::vector<std::string> prefix = self_command_prefix(argv);
  if (prefix.empty()) throw UsageFailure("run it as `lathe-cli bench offload ...` (children re-run the command line)");
  auto measure = [&](const char* kind) {
    std::vector<std::string> a = prefix;
    for (std::string x : {std::string("--measure-child"), std::string(kind), std::string("--dir"), dir,
                          std::string("--tokens"), std::to_string(tokens), std::string("--threads"),
                          std::to_string(threads)})
      a.push_back(x);
    return run_spawned(a, kind);
  };
  const CpuSample before = cpu_sample();
  say("measuring (" + std::to_string(kRuns) + " fresh processes per kind, " + std::to_string(kForwards) +
      " forwards each after a warm-up, " + std::to_string(threads) + " thread(s))");
  // Per kind: medians over the runs of the per-run medians; the highest peak RSS.
  std::vector<ChildStats> mems, offs;
  for (int i = 0; i < kRuns; ++i) {
    mems.push_back(measure("memory"));
    offs.push_back(measure("offload"));
  }
  auto combine = [](const std::vector<ChildStats>& v) {
    ChildStats c = v.front();
    std::vector<double> wall, cpu;
    for (const auto& x : v) {
      wall.push_back(x.t[0]);
      cpu.push_back(x.t[3]);
      if (x.hwm_kb > c.hwm_kb) c = x;
    }
    c.t[0] = median(wall);
    c.t[3] = median(cpu);
    return c;
  };
  const ChildStats mem = combine(mems), off = combine(offs);
  const double busy = others_cpu_share(before, cpu_sample());

  const double slowdown = off.t[0] / mem.t[0], cpu_slowdown = off.t[3] / mem.t[3];
  const double activations_kb = static_cast<double>(mem.hwm_kb - mem.rss_mid_kb);
  const double bound_kb = static_cast<double>(off.rss_start_kb) + off.t[1] / 1024.0 + off.t[2] / 1024.0 + activations_kb;
  const double rss_ratio = static_cast<double>(off.hwm_kb) / bound_kb;
  if (args.json()) {
    nlohmann::ordered_json j;
    j["benchmark"] = "offload";
    j["tokens"] = tokens;
    j["threads"] = threads;
    j["runs"] = kRuns;
    j["device_map"] = nlohmann::ordered_json::parse(disk_half_map());
    j["memory"] = {{"forward_s", mem.t[0]}, {"forward_cpu_s", mem.t[3]}, {"peak_rss_bytes", mem.hwm_kb * 1024},
                   {"rss_after_load_and_touch_bytes", mem.rss_mid_kb * 1024}};
    j["offload"] = {{"forward_s", off.t[0]}, {"forward_cpu_s", off.t[3]}, {"peak_rss_bytes", off.hwm_kb * 1024},
                    {"rss_before_load_bytes", off.rss_start_kb * 1024}, {"resident_bytes", off.t[1]},
                    {"largest_block_bytes", off.t[2]}};
    j["activations_bytes"] = activations_kb * 1024;
    j["ratio_forward_offload_vs_memory"] = slowdown;
    j["ratio_forward_cpu_offload_vs_memory"] = cpu_slowdown;
    j["ratio_peak_rss_offload_vs_memory"] = static_cast<double>(off.hwm_kb) / static_cast<double>(mem.hwm_kb);
    j["rss_bound_bytes"] = bound_kb * 1024;
    j["ratio_peak_rss_vs_bound"] = rss_ratio;
    j["goal_ratio_peak_rss_vs_bound"] = 1.0;
    j["other_processes_cpu_share"] = busy;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  auto kb = [](double k) { return format_bytes(static_cast<std::uint64_t>(k * 1024.0)); };
  std::printf("bench offload: GPT-2 124M fp32, 1x%d tokens, %d thread(s); median of %d processes x %d forwards; "
              "page cache warm\n", tokens, threads, kRuns, kForwards);
  Table t({"measurement", "forward s", "x memory", "CPU s", "x memory", "peak RSS"});
  t.add({"all in memory", fmt(mem.t[0]), "1.00", fmt(mem.t[3]), "1.00", kb(static_cast<double>(mem.hwm_kb))});
  t.add({"blocks 6-11 on disk", fmt(off.t[0]), fmt(slowdown, "%.2f"), fmt(off.t[3]), fmt(cpu_slowdown, "%.2f"),
         kb(static_cast<double>(off.hwm_kb))});
  t.print();
  std::printf("\noffload peak RSS / bound: %.3fx (goal <= 1.0x: %s)\n", rss_ratio, verdict(rss_ratio <= 1.0));
  std::printf("bound %s = %s before loading + %s resident + %s largest block + %s activations\n", kb(bound_kb).c_str(),
              kb(static_cast<double>(off.rss_start_kb)).c_str(), format_bytes(static_cast<std::uint64_t>(off.t[1])).c_str(),
              format_bytes(static_cast<std::uint64_t>(off.t[2])).c_str(), kb(activations_kb).c_str());
  warn_if_busy(busy);
  return 0;
}

}  // namespace

int bench_offload(const std::vector<std::string>& argv) {
  return bench_main("offload", argv, {"--dir", "--measure-child", "--tokens", "--threads"}, {"--keep"}, kUsage,
                    [&argv](const Args& args) { return run(args, argv); });
}

}  // namespace lathe::bench
