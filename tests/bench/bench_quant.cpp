// lathe-cli bench quant: the bitsandbytes CPU kernels (NF4 fused GEMV / tiled
// GEMM, LLM.int8) on a 4096×4096 weight vs LibTorch float32 and bfloat16
// matmuls of the same shapes, in the same run, on the same threads; plus the
// weight-memory ratios. Never pass/fail: it prints ratios and ranges.
#include "bench.h"
#include "bench_util.h"

#include "quant/bnb_kernels.h"
#include "quant/bnb_quant.h"
#include "runtime/threads.h"

#include <ATen/ops/linear.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/randn.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>

namespace lathe::bench {
namespace {

struct Range {
  double lo = 0, med = 0, hi = 0;
};

// Repeats `f` (after one warm-up) `reps` times; min / median / max seconds.
Range timed(int reps, const std::function<void()>& f) {
  f();
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    double a = now_s();
    f();
    t.push_back(now_s() - a);
  }
  std::sort(t.begin(), t.end());
  return {t.front(), median(t), t.back()};
}

}  // namespace

int bench_quant(const std::vector<std::string>& argv) {
  try {
    Args args(argv, {"--threads", "--size", "--reps"}, {"--json", "--help"});
    if (args.help()) {
      std::puts("lathe-cli bench quant [--threads 2] [--size 4096] [--reps 15] [--json]");
      return 0;
    }
    const int threads = args.positive_int("--threads", 2, 256);
    const std::int64_t n = args.positive_int("--size", 4096, 65536);
    const int reps = args.positive_int("--reps", 15, 1000);
    init_threads(threads);
    at::Tensor w = at::randn({n, n});
    at::Tensor wb = w.to(at::kBFloat16);
    quant::QuantState4 st;
    quant::Weight4bit q4;
    q4.packed = quant::quantize_4bit(w, "nf4", 64, false, st);
    q4.absmax = quant::absmax_float(st);
    std::copy(quant::code_4bit("nf4").begin(), quant::code_4bit("nf4").end(), q4.code.begin());
    q4.out = q4.in = n;
    quant::Int8Weight q8 = quant::quantize_int8_rows(w);
    // Weight memory: float32 4 B/weight; NF4 packed 0.5 B + float32 absmax per 64
    // (the kernel's working set; 0.516 B stored with double quant); int8 1 B + SCB.
    const double f32_bytes = 4.0 * n * n;
    const double nf4_bytes = q4.packed.numel() + 4.0 * q4.absmax.numel();
    const double i8_bytes = q8.CB.numel() + 4.0 * q8.SCB.numel();
    CpuSample c0 = cpu_sample();
    nlohmann::ordered_json j;
    j["threads"] = threads;
    j["size"] = n;
    j["reps"] = reps;
    std::vector<std::pair<std::string, std::pair<Range, Range>>> rows;  // name -> (time, float32 peer)
    for (std::int64_t batch : {1, 64}) {
      at::Tensor x = at::randn({batch, n}), xb = x.to(at::kBFloat16);
      Range f32 = timed(reps, [&] { at::linear(x, w); });
      Range bf16 = timed(reps, [&] { at::linear(xb, wb); });
      // The other float32 layout LibTorch offers: W·xᵀ without the transpose
      // (at::matmul(W, xᵀ): GEMV for batch 1), so the peer is its faster form.
      at::Tensor xt = x.t().contiguous();
      Range f32mv = timed(reps, [&] { at::matmul(w, xt); });
      Range nf4 = timed(reps, [&] { quant::linear_4bit(x, q4, at::Tensor(), at::kFloat); });
      Range nf4b = timed(reps, [&] { quant::linear_4bit(xb, q4, at::Tensor(), at::kBFloat16); });
      Range i8 = timed(reps, [&] { quant::linear_int8(x, q8.CB, q8.SCB, 6.0, at::Tensor()); });
      std::string tag = batch == 1 ? "gemv" : "gemm64";
      auto entry = [&](const char* what, const Range& r) {
        j[tag][what] = {{"median_ms", r.med * 1e3}, {"min_ms", r.lo * 1e3}, {"max_ms", r.hi * 1e3},
                        {"speed_vs_float32", f32.med / r.med}};
        rows.push_back({tag + " " + what, {r, f32}});
      };
      entry("float32", f32);
      entry("float32_w_xT", f32mv);
      entry("bfloat16", bf16);
      entry("nf4_float32", nf4);
      entry("nf4_bfloat16", nf4b);
      entry("int8", i8);
    }
    j["weight_bytes"] = {{"float32", f32_bytes}, {"nf4", nf4_bytes}, {"int8", i8_bytes}};
    j["memory_ratio_vs_float32"] = {{"nf4", nf4_bytes / f32_bytes}, {"int8", i8_bytes / f32_bytes}};
    const double busy = others_cpu_share(c0, cpu_sample());
    j["others_cpu_share"] = busy;
    if (args.json()) {
      std::puts(j.dump(2).c_str());
      return 0;
    }
    std::printf("bench quant: %lldx%lld weight, %d threads, %d reps (min / median / max ms)\n",
                static_cast<long long>(n), static_cast<long long>(n), threads, reps);
    for (const auto& [name, rr] : rows)
      std::printf("  %-22s %8.3f %8.3f %8.3f   speed vs float32 %.2fx\n", name.c_str(), rr.first.lo * 1e3,
                  rr.first.med * 1e3, rr.first.hi * 1e3, rr.second.med / rr.first.med);
    std::printf("  weight memory: nf4 %.4f of float32 (1/%.2f), int8 %.4f (1/%.2f)\n", nf4_bytes / f32_bytes,
                f32_bytes / nf4_bytes, i8_bytes / f32_bytes, f32_bytes / i8_bytes);
    warn_if_busy(busy);
    return 0;
  } catch (const UsageFailure& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}

}  // namespace lathe::bench
