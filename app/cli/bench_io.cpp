// lathe-cli bench io [--size S] [--dir D]: checkpoint I/O against its peers.
//
// Generates a safetensors file of ~S bytes (bf16 attention and embedding
// matrices, f32 MLP matrices and norms, LLaMA-like shapes), warms the page
// cache, then measures (median of 3 runs):
//   read   `cat FILE > /dev/null` vs load_safetensors(populate) + one byte
//          read per page, in a forked child (time, peak RSS over the child's
//          RSS at fork);
//   torch  the same weights as a .bin through /usr/bin/python3 torch.load
//          (weights_only=True), in-process load time, import and start-up apart;
//   write  save_safetensors (fsyncs, renames) vs `cp` (+ `sync FILE`).
// Everything it writes lives in a fresh folder under D, removed at the end.
#include "cli_args.h"
#include "commands.h"
#include "output.h"

#include "bench_util.h"

#include "core/error.h"
#include "core/size_string.h"
#include "io/safetensors_io.h"
#include "io/torch_bin_io.h"

#include <ATen/core/Tensor.h>
#include <ATen/ops/empty.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <iostream>
#include <malloc.h>
#include <spawn.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace lathe::cli {
namespace {

constexpr int kRuns = 3;

using bench::fmt;
using bench::median;
using bench::now_s;

/// Runs argv (PATH lookup) with stdin and stderr on /dev/null and stdout into
/// *out (or /dev/null). Returns the exit status (-1 if it could not start or
/// died from a signal); *maxrss_kb gets the child's peak RSS.
int run(const std::vector<std::string>& argv, std::string* out = nullptr, long* maxrss_kb = nullptr) {
  int pipefd[2] = {-1, -1};
  if (out && ::pipe(pipefd) != 0) return -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  if (out) {
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    posix_spawn_file_actions_addclose(&fa, pipefd[0]);
  } else {
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (out) {
    ::close(pipefd[1]);
    char buf[4096];
    ssize_t n;
    while (rc == 0 && (n = ::read(pipefd[0], buf, sizeof buf)) > 0) out->append(buf, static_cast<std::size_t>(n));
    ::close(pipefd[0]);
  }
  if (rc != 0) return -1;
  int status = 0;
  struct rusage ru {};
  while (::wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
  }
  if (maxrss_kb) *maxrss_kb = ru.ru_maxrss;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Seconds a command takes, start to exit; throws if it fails.
double time_command(const std::vector<std::string>& argv) {
  double t0 = now_s();
  if (run(argv) != 0) throw Error(ErrorCode::Io, "bench: '" + argv[0] + "' failed", argv.back());
  return now_s() - t0;
}

/// The generated weights: LLaMA-like layers sized so S holds ~6 or more of them.
StateDict make_weights(std::uint64_t size) {
  std::int64_t h = 64;
  for (std::int64_t c : {4096, 2048, 1024, 512, 256, 128})
    if (40 * static_cast<std::uint64_t>(c * c) <= size / 6) {
      h = c;
      break;
    }
  StateDict sd;
  std::uint64_t total = 0;
  std::uint32_t seed = 12345;
  auto add = [&](const std::string& name, std::vector<std::int64_t> shape, at::ScalarType type) {
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(type));
    // Floats in [1, 2) from an LCG: cheap, finite, not compressible.
    if (type == at::kFloat) {
      auto* p = static_cast<std::uint32_t*>(t.data_ptr());
      for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = 0x3f800000u | ((seed = seed * 1664525u + 1013904223u) >> 9);
    } else {
      auto* p = static_cast<std::uint16_t*>(t.data_ptr());
      for (std::int64_t i = 0; i < t.numel(); ++i)
        p[i] = static_cast<std::uint16_t>(0x3f80u | ((seed = seed * 1664525u + 1013904223u) >> 25));
    }
    total += t.nbytes();
    sd.insert(name, std::move(t));
  };
  const std::uint64_t layer_bytes = 40 * static_cast<std::uint64_t>(h * h) + 8 * static_cast<std::uint64_t>(h);
  std::int64_t vocab = std::min<std::int64_t>(32000, static_cast<std::int64_t>(size / 4 / (2 * h)));
  if (vocab > 0) add("model.embed_tokens.weight", {vocab, h}, at::kBFloat16);
  for (int i = 0; total + layer_bytes <= size; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    for (const char* w : {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"})
      add(p + w + ".weight", {h, h}, at::kBFloat16);
    add(p + "mlp.up_proj.weight", {4 * h, h}, at::kFloat);
    add(p + "mlp.down_proj.weight", {h, 4 * h}, at::kFloat);
    add(p + "input_layernorm.weight", {h}, at::kFloat);
    add(p + "post_attention_layernorm.weight", {h}, at::kFloat);
  }
  if (size - total >= 4) add("model.extra.weight", {static_cast<std::int64_t>((size - total) / 4)}, at::kFloat);
  return sd;
}

/// load_safetensors(populate) and one byte read per 4 KiB page, in a forked
/// child (bench::run_in_child) so the peak RSS is this load's alone:
/// t[0] = seconds, checksum = Σ of the bytes read.
bench::ChildStats lathe_read_in_child(const std::string& path) {
  return bench::run_in_child(
      [&path](bench::ChildStats& r) {
        double t0 = now_s();
        StateDict sd = load_safetensors(path, SafetensorsLoadOptions{true});
        std::uint64_t sum = 0;  // one byte of every page: the data is really resident
        for (const auto& [name, t] : sd.items()) {
          const auto* p = static_cast<const std::uint8_t*>(t.data_ptr());
          for (std::size_t off = 0; off < t.nbytes(); off += 4096) sum += p[off];
        }
        r.t[0] = now_s() - t0;
        r.checksum = static_cast<double>(sum);
      },
      "reading " + path);
}

const char* kTorchScript = R"(import sys, time, resource
t0 = time.perf_counter()
import torch
t1 = time.perf_counter()
def rss():
    return int([l for l in open('/proc/self/status') if l.startswith('VmRSS:')][0].split()[1])
base = rss()
sd = torch.load(sys.argv[1], weights_only=True)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(sd))
)";

struct TorchResult {
  bool available = false;
  std::string why;  // when not available
  double load_s = 0, import_s = 0, startup_s = 0, wall_s = 0;
  long baseline_kb = 0, maxrss_kb = 0;
};

TorchResult torch_load(const StateDict& sd, const std::string& bin) {
  TorchResult r;
  if (run({"/usr/bin/python3", "-c", "import torch"}) != 0) {
    r.why = "/usr/bin/python3 cannot import torch";
    return r;
  }
  try {
    save_torch_bin(sd, bin);
  } catch (const Error& e) {
    r.why = std::string("save_torch_bin failed: ") + e.what();
    return r;
  }
  time_command({"cat", bin});  // warm the page cache
  std::vector<double> load, imp, startup, wall;
  for (int i = 0; i < kRuns; ++i) {
    std::string out;
    double t0 = now_s();
    int rc = run({"/usr/bin/python3", "-c", kTorchScript, bin}, &out);
    double w = now_s() - t0;
    std::istringstream in(out);
    double imp_s = 0, load_s = 0;
    std::size_t n = 0;
    if (rc != 0 || !(in >> imp_s >> load_s >> r.baseline_kb >> r.maxrss_kb >> n) || n != sd.size()) {
      r.why = "torch.load failed";
      return r;
    }
    load.push_back(load_s);
    imp.push_back(imp_s);
    wall.push_back(w);
    startup.push_back(w - imp_s - load_s);
  }
  r.available = true;
  r.load_s = median(load);
  r.import_s = median(imp);
  r.startup_s = median(startup);
  r.wall_s = median(wall);
  return r;
}

}  // namespace

int bench_io(const Argv& argv) {
  Args args(argv, {"--size", "--dir"}, {});
  args.expect_positional(0, 0, "lathe-cli bench io [--size S] [--dir D] [--json]");
  const std::uint64_t size = parse_size(args.value("--size").value_or("1GB"));
  if (size < (1u << 20)) throw UsageError("bench io: --size must be at least 1MB");
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string dir = args.value("--dir").value_or(tmpdir && *tmpdir ? tmpdir : "/tmp");
  struct statvfs vfs {};
  if (::statvfs(dir.c_str(), &vfs) != 0) throw Error(ErrorCode::NotFound, "bench io: cannot use folder", dir);
  if (static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize < 3 * size + (64u << 20))
    throw Error(ErrorCode::Io, "bench io: needs " + format_bytes(3 * size) + " free", dir);
  bench::RemoveOnExit scratch{dir + "/lathe-bench-io-" + std::to_string(::getpid())};
  std::filesystem::create_directories(scratch.path);
  const std::string st = scratch.path + "/model.safetensors", copy = scratch.path + "/copy.safetensors";
  const std::string out = scratch.path + "/written.safetensors";
  const std::string bin = scratch.path + "/pytorch_model.bin";
  auto say = [](const std::string& s) { std::fprintf(stderr, "bench io: %s\n", s.c_str()); };

  say("generating " + format_bytes(size) + " of weights");
  StateDict sd = make_weights(size);

  // Each timed write goes to a file just deleted, for both writers: a fresh
  // page-cache page can cost far more than a recycled one (first touch of
  // guest memory in a VM), which would otherwise favour whoever runs second.
  say("write: save_safetensors vs cp");
  save_safetensors(sd, st);  // the file every later step reads
  std::vector<double> w_lathe, w_cp, w_cp_sync;
  for (int i = 0; i < kRuns; ++i) {
    std::filesystem::remove(out);
    double t0 = now_s();
    save_safetensors(sd, out);
    w_lathe.push_back(now_s() - t0);
    std::filesystem::remove(copy);
    w_cp.push_back(time_command({"cp", st, copy}));
    w_cp_sync.push_back(w_cp.back() + time_command({"sync", copy}));
  }
  std::filesystem::remove(out);
  std::filesystem::remove(copy);
  const std::uint64_t file_size = std::filesystem::file_size(st);

  say("torch.load of the same weights as .bin");
  TorchResult torch = torch_load(sd, bin);
  std::filesystem::remove(bin);
  const std::size_t tensors = sd.size();
  sd.clear();
  ::malloc_trim(0);

  say("read: cat vs load_safetensors");
  time_command({"cat", st});  // warm the page cache
  std::vector<double> r_cat, r_lathe;
  bench::ChildStats last;  // the run with the largest RSS growth
  for (int i = 0; i < kRuns; ++i) {
    r_cat.push_back(time_command({"cat", st}));
    bench::ChildStats r = lathe_read_in_child(st);
    r_lathe.push_back(r.t[0]);
    if (i == 0 || r.hwm_kb - r.rss_start_kb > last.hwm_kb - last.rss_start_kb) last = r;
  }

  const double cat = median(r_cat), lathe_read = median(r_lathe);
  const double wl = median(w_lathe), wcp = median(w_cp), wcps = median(w_cp_sync);
  const double gb = static_cast<double>(file_size) / 1e9;
  const double rss_delta = static_cast<double>(last.hwm_kb - last.rss_start_kb) * 1024.0;
  const double read_ratio = lathe_read / cat, rss_ratio = rss_delta / static_cast<double>(file_size);

  if (args.json()) {
    nlohmann::ordered_json j;
    j["size_bytes"] = file_size;
    j["tensors"] = tensors;
    j["runs"] = kRuns;
    j["dir"] = dir;
    j["read"] = {{"cat_s", cat}, {"lathe_s", lathe_read}, {"ratio_vs_cat", read_ratio},
                 {"lathe_peak_rss_bytes", last.hwm_kb * 1024}, {"lathe_baseline_rss_bytes", last.rss_start_kb * 1024},
                 {"rss_ratio", rss_ratio}, {"goal_ratio_vs_cat", 1.5}, {"goal_rss_ratio", 1.05}};
    nlohmann::ordered_json t = {{"available", torch.available}};
    if (torch.available)
      t.update({{"load_s", torch.load_s}, {"import_s", torch.import_s}, {"interpreter_startup_s", torch.startup_s},
                {"wall_s", torch.wall_s}, {"peak_rss_bytes", torch.maxrss_kb * 1024},
                {"rss_before_load_bytes", torch.baseline_kb * 1024},
                {"speedup_lathe_vs_torch_load", torch.load_s / lathe_read}});
    else
      t["reason"] = torch.why;
    j["torch"] = t;
    j["write"] = {{"lathe_s", wl}, {"cp_s", wcp}, {"cp_sync_s", wcps}, {"ratio_vs_cp_sync", wl / wcps},
                  {"ratio_vs_cp", wl / wcp}};
    print_json(j);
    return 0;
  }
  std::printf("bench io: %s safetensors file, %zu tensors, median of %d runs, in %s\n",
              format_bytes(file_size).c_str(), tensors, kRuns, dir.c_str());
  Table table({"operation", "seconds", "GB/s", "peak RSS"}, {false, true, true, true});
  auto row = [&](const std::string& what, double s, const std::string& rss) {
    table.add({what, fmt(s), fmt(gb / s, "%.2f"), rss});
  };
  row("read: cat FILE > /dev/null", cat, "");
  row("read: lathe load_safetensors + touch", lathe_read,
      "+" + format_bytes(static_cast<std::uint64_t>(rss_delta)));
  if (torch.available)
    row("read: torch.load(.bin) in-process", torch.load_s,
        "+" + format_bytes(static_cast<std::uint64_t>(torch.maxrss_kb - torch.baseline_kb) * 1024));
  row("write: lathe save_safetensors (fsync)", wl, "");
  row("write: cp", wcp, "");
  row("write: cp + sync FILE", wcps, "");
  table.print(std::cout);
  auto verdict = [](bool ok) { return ok ? "ok" : "MISSED"; };
  std::printf("read / cat:             %5.2fx  (goal <= 1.5x: %s)\n", read_ratio, verdict(read_ratio <= 1.5));
  std::printf("peak RSS / file size:   %5.3fx  (goal <= 1.05x: %s)\n", rss_ratio, verdict(rss_ratio <= 1.05));
  if (torch.available)
    std::printf("torch.load / lathe:     %5.2fx  (python start-up %.2f s and import torch %.2f s not included)\n",
                torch.load_s / lathe_read, torch.startup_s, torch.import_s);
  else
    std::printf("torch.load: skipped (%s)\n", torch.why.c_str());
  std::printf("write / (cp + sync):    %5.2fx  (write / cp without sync: %.2fx)\n", wl / wcps, wl / wcp);
  return 0;
}

}  // namespace lathe::cli
