// lathe-cli bench forward: a GPT-2 124M forward of 1×T tokens against the
// machine's fp32 matmul ceiling at the same thread count.
//
// The model is init_random (same config and seed as bench load's checkpoint).
// Each timed item gets 2 warm-up runs, then the median of 5:
//   ceiling    one square fp32 at::mm_out, n = round(cbrt(F/2)) so 2n³ ≈ F,
//              the forward's FLOPs: the peer (its own exact 2n³ is used);
//   GEMMs      only the forward's matrix products, on the model's own weights
//              with random activations (how much of the forward is GEMM);
//   forward    PreTrainedModel::forward, fp32 — the goal: ≥ 60 % of ceiling;
//   bf16       the same after to_dtype(kBFloat16), against a bf16 ceiling.
// --profile adds self time per ATen op (RecordFunction) of one fp32 forward.
#include "bench.h"
#include "bench_util.h"

#include "core/error.h"
#include "models/from_pretrained.h"
#include "runtime/threads.h"

#include <ATen/Parallel.h>
#include <ATen/core/Tensor.h>
#include <ATen/ops/addmm.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/linear.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/mm.h>
#include <ATen/ops/randn.h>
#include <ATen/record_function.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>

namespace lathe::bench {
namespace {

constexpr int kWarmup = 2, kRuns = 5;
constexpr std::int64_t kEmbd = 768, kInner = 3072, kVocab = 50257, kLayers = 12, kHeads = 12;

/// FLOPs of one GPT2LMHeadModel forward of T tokens, multiply-adds counted as 2.
/// Only the matrix products (layer norms, softmax, GELU, residuals are O(T·d)).
/// Eager attention computes the full T×T scores before masking, so no /2.
/// For T = 128:
///   qkv      2·T·768·2304   =   452,984,832
///   scores   2·T·T·768      =    25,165,824   (12 heads × [T,64]·[64,T])
///   attn·V   2·T·T·768      =    25,165,824
///   proj     2·T·768·768    =   150,994,944
///   MLP      2·2·T·768·3072 = 1,207,959,552   (c_fc and c_proj)
///   layer                   = 1,862,270,976   × 12 = 22,347,251,712
///   lm_head  2·T·768·50257  = 9,880,928,256
///   total                   = 32,228,179,968  ≈ 32.2 GFLOP
struct Flops {
  double layer = 0, layers = 0, lm_head = 0, total = 0;
};
Flops count_flops(std::int64_t tokens) {
  const double t = static_cast<double>(tokens), d = kEmbd;
  Flops f;
  const double qkv = 2 * t * d * 3 * d, scores = 2 * t * t * d, attn_v = 2 * t * t * d, proj = 2 * t * d * d;
  const double mlp = 2 * 2 * t * d * kInner;
  f.layer = qkv + scores + attn_v + proj + mlp;
  f.layers = f.layer * kLayers;
  f.lm_head = 2 * t * d * kVocab;
  f.total = f.layers + f.lm_head;
  return f;
}

struct Timing {
  double median_s = 0, min_s = 0;
  std::vector<double> runs;
};
Timing time_it(const std::function<void()>& fn) {
  for (int i = 0; i < kWarmup; ++i) fn();
  Timing r;
  for (int i = 0; i < kRuns; ++i) {
    double t0 = now_s();
    fn();
    r.runs.push_back(now_s() - t0);
  }
  r.median_s = median(r.runs);
  r.min_s = *std::min_element(r.runs.begin(), r.runs.end());
  return r;
}

/// The BLAS shared objects mapped into this process (OpenBLAS vs netlib).
std::vector<std::string> blas_libraries() {
  std::ifstream in("/proc/self/maps");
  std::set<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    std::string path = line.substr(slash);
    if (path.find("blas") != std::string::npos) out.insert(path);
  }
  return {out.begin(), out.end()};
}

/// Peer: one square matmul with about the forward's FLOPs. Returns its FLOPs.
double square_ceiling(double flops, c10::ScalarType dtype, Timing* t) {
  const auto n = static_cast<std::int64_t>(std::llround(std::cbrt(flops / 2)));
  auto o = at::TensorOptions().dtype(dtype);
  at::Tensor a = at::randn({n, n}, o), b = at::randn({n, n}, o), c = at::empty({n, n}, o);
  *t = time_it([&] { at::mm_out(c, a, b); });
  return 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
}

/// Only the forward's matrix products, with the model's weights (current dtype).
Timing gemms_only(models::PreTrainedModel& m, std::int64_t T) {
  auto w = [&](const std::string& n) -> at::Tensor {
    at::Tensor* t = m.find_tensor(n);
    if (!t) throw Error(ErrorCode::Internal, "bench forward: no tensor", n);
    return *t;
  };
  auto o = at::TensorOptions().dtype(m.dtype());
  const std::int64_t hd = kEmbd / kHeads;
  at::Tensor x = at::randn({T, kEmbd}, o), x4 = at::randn({T, kInner}, o);
  at::Tensor q = at::randn({kHeads, T, hd}, o), kt = at::randn({kHeads, hd, T}, o);
  at::Tensor p = at::randn({kHeads, T, T}, o), v = at::randn({kHeads, T, hd}, o);
  at::Tensor lm = w("lm_head.weight");
  return time_it([&] {
    for (std::int64_t i = 0; i < kLayers; ++i) {
      const std::string l = "transformer.h." + std::to_string(i) + ".";
      at::addmm(w(l + "attn.c_attn.bias"), x, w(l + "attn.c_attn.weight"));
      at::matmul(q, kt);
      at::matmul(p, v);
      at::addmm(w(l + "attn.c_proj.bias"), x, w(l + "attn.c_proj.weight"));
      at::addmm(w(l + "mlp.c_fc.bias"), x, w(l + "mlp.c_fc.weight"));
      at::addmm(w(l + "mlp.c_proj.bias"), x4, w(l + "mlp.c_proj.weight"));
    }
    at::linear(x, lm);
  });
}

// --profile: self time per op name, via a global RecordFunction callback.
struct OpCtx : at::ObserverContext {
  double t0 = 0, children = 0;
};
thread_local std::vector<OpCtx*> g_stack;
std::mutex g_mu;
std::map<std::string, std::pair<double, long>> g_self;  // name → (self s, calls)

std::unique_ptr<at::ObserverContext> op_start(const at::RecordFunction&) {
  auto c = std::make_unique<OpCtx>();
  c->t0 = now_s();
  g_stack.push_back(c.get());
  return c;
}
void op_end(const at::RecordFunction& fn, at::ObserverContext* ctx) {
  auto* c = static_cast<OpCtx*>(ctx);
  const double el = now_s() - c->t0;
  if (!g_stack.empty()) g_stack.pop_back();
  if (!g_stack.empty()) g_stack.back()->children += el;
  std::lock_guard<std::mutex> lock(g_mu);
  auto& s = g_self[fn.name()];
  s.first += el - c->children;
  s.second += 1;
}

std::vector<std::pair<std::string, std::pair<double, long>>> profile_forward(const std::function<void()>& fwd) {
  g_self.clear();
  auto handle = at::addGlobalCallback(
      at::RecordFunctionCallback(op_start, op_end).scopes({at::RecordScope::FUNCTION}));
  fwd();
  at::removeCallback(handle);
  std::vector<std::pair<std::string, std::pair<double, long>>> v(g_self.begin(), g_self.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
  return v;
}

int run_forward(const Args& args) {
  const int threads = args.positive_int("--threads", 2, 256);
  const int tokens = args.positive_int("--tokens", 128, 1024);
  init_threads(threads);
  const int actual_threads = at::get_num_threads();
  const Flops F = count_flops(tokens);
  auto say = [](const std::string& m) { std::fprintf(stderr, "bench forward: %s\n", m.c_str()); };

  const CpuSample cpu_before = cpu_sample();
  say("building GPT-2 124M (init_random, fp32)");
  double t0 = now_s();
  auto model = models::init_random(gpt2_124m_config(), kGpt2Class, c10::kFloat, kSeed);
  const double build_s = now_s() - t0;
  const std::int64_t params = model->num_parameters();
  at::Tensor ids = at::empty({1, tokens}, at::TensorOptions().dtype(c10::kLong));
  for (int i = 0; i < tokens; ++i) ids.data_ptr<std::int64_t>()[i] = (i * 7919 + 13) % kVocab;
  models::ForwardInputs in;
  in.input_ids = ids;
  auto fwd = [&] { at::Tensor logits = model->forward(in).logits; };

  say("fp32: ceiling matmul, GEMMs alone, forward");
  Timing ceil32, ceil16;
  const double ceil32_flops = square_ceiling(F.total, c10::kFloat, &ceil32);
  const auto n_square = static_cast<std::int64_t>(std::llround(std::cbrt(ceil32_flops / 2)));
  Timing gemm32 = gemms_only(*model, tokens);
  Timing fwd32 = time_it(fwd);
  std::vector<std::pair<std::string, std::pair<double, long>>> prof;
  if (args.has("--profile")) prof = profile_forward(fwd);

  say("bf16: to_dtype(kBFloat16), ceiling matmul, GEMMs alone, forward");
  model->to_dtype(c10::kBFloat16);
  const double ceil16_flops = square_ceiling(F.total, c10::kBFloat16, &ceil16);
  Timing gemm16 = gemms_only(*model, tokens);
  Timing fwd16 = time_it(fwd);

  auto gflops = [](double flops, const Timing& t) { return flops / t.median_s / 1e9; };
  const double ceiling = gflops(ceil32_flops, ceil32), ceiling16 = gflops(ceil16_flops, ceil16);
  const double pct = 100.0 * gflops(F.total, fwd32) / ceiling;
  const double pct16 = 100.0 * gflops(F.total, fwd16) / ceiling16;
  const auto blas = blas_libraries();
  const double busy = others_cpu_share(cpu_before, cpu_sample());
  const bool openblas = std::any_of(blas.begin(), blas.end(), [](const std::string& p) {
    return p.find("openblas") != std::string::npos;
  });

  if (args.json()) {
    auto item = [&](double flops, const Timing& t, double ceil) {
      std::vector<double> runs_ms;
      for (double s : t.runs) runs_ms.push_back(s * 1e3);
      return nlohmann::ordered_json{{"ms", t.median_s * 1e3}, {"min_ms", t.min_s * 1e3}, {"runs_ms", runs_ms},
                                    {"flops", flops}, {"gflops_per_s", gflops(flops, t)},
                                    {"percent_of_ceiling", 100.0 * gflops(flops, t) / ceil}};
    };
    nlohmann::ordered_json j;
    j["benchmark"] = "forward";
    j["model"] = {{"config", "gpt2-124m"}, {"parameters", params}, {"build_s", build_s}};
    j["tokens"] = tokens;
    j["threads_requested"] = threads;
    j["at_get_num_threads"] = actual_threads;
    j["blas_libraries"] = blas;
    j["openblas"] = openblas;
    j["other_processes_cpu_share"] = busy;
    j["warmup"] = kWarmup;
    j["runs"] = kRuns;
    j["forward_flops"] = {{"per_layer", F.layer}, {"layers", F.layers}, {"lm_head", F.lm_head}, {"total", F.total}};
    j["ceiling_fp32"] = item(ceil32_flops, ceil32, ceiling);
    j["ceiling_fp32"]["n"] = n_square;
    j["gemms_only_fp32"] = item(F.total, gemm32, ceiling);
    j["forward_fp32"] = item(F.total, fwd32, ceiling);
    j["goal_percent_of_ceiling"] = 60.0;
    j["ceiling_bf16"] = item(ceil16_flops, ceil16, ceiling16);
    j["gemms_only_bf16"] = item(F.total, gemm16, ceiling16);
    j["forward_bf16"] = item(F.total, fwd16, ceiling16);
    if (!prof.empty()) {
      nlohmann::ordered_json p = nlohmann::ordered_json::array();
      for (const auto& [name, s] : prof) p.push_back({{"op", name}, {"self_ms", s.first * 1e3}, {"calls", s.second}});
      j["profile_fp32"] = p;
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::printf("bench forward: GPT-2 124M (%.1fM parameters, init_random in %.1f s), 1x%d tokens\n",
              static_cast<double>(params) / 1e6, build_s, tokens);
  std::printf("threads: %d requested, at::get_num_threads() = %d\n", threads, actual_threads);
  for (const auto& b : blas) std::printf("BLAS mapped: %s\n", b.c_str());
  if (blas.empty()) std::printf("BLAS mapped: none found in /proc/self/maps\n");
  std::printf("forward FLOPs: %.2f GFLOP (12 layers %.2f + lm_head %.2f); %d warm-up runs, median of %d\n\n",
              F.total / 1e9, F.layers / 1e9, F.lm_head / 1e9, kWarmup, kRuns);
  Table t({"measurement", "ms", "min ms", "GFLOP/s", "% of ceiling"});
  auto row = [&](const std::string& what, double flops, const Timing& tm, double ceil) {
    t.add({what, fmt(tm.median_s * 1e3, "%.1f"), fmt(tm.min_s * 1e3, "%.1f"), fmt(gflops(flops, tm), "%.1f"),
           fmt(100.0 * gflops(flops, tm) / ceil, "%.0f%%")});
  };
  const std::string sq = std::to_string(n_square) + "x" + std::to_string(n_square);
  row("ceiling: fp32 at::mm " + sq, ceil32_flops, ceil32, ceiling);
  row("fp32 GEMMs of the forward alone", F.total, gemm32, ceiling);
  row("fp32 forward", F.total, fwd32, ceiling);
  row("ceiling: bf16 at::mm " + sq, ceil16_flops, ceil16, ceiling16);
  row("bf16 GEMMs of the forward alone", F.total, gemm16, ceiling16);
  row("bf16 forward (% of bf16 ceiling)", F.total, fwd16, ceiling16);
  t.print();
  std::printf("\nfp32 forward / fp32 ceiling: %.0f%%  (goal >= 60%%: %s)\n", pct, verdict(pct >= 60.0));
  std::printf("bf16 forward: %.0f%% of the bf16 ceiling, %.2fx the fp32 forward's speed\n", pct16,
              fwd32.median_s / fwd16.median_s);
  if (!openblas || ceiling < 20.0)
    std::printf("WARNING: fp32 matmul at %.1f GFLOP/s%s: netlib reference BLAS runs ~30x slower than OpenBLAS "
                "(toolchain.md 3d: install libopenblas0-openmp)\n",
                ceiling, openblas ? "" : " and no OpenBLAS mapped");
  warn_if_busy(busy);
  if (!prof.empty()) {
    std::printf("\nprofile of one fp32 forward (self time per ATen op, top 15):\n");
    Table pt({"op", "self ms", "calls"});
    for (std::size_t i = 0; i < prof.size() && i < 15; ++i)
      pt.add({prof[i].first, fmt(prof[i].second.first * 1e3, "%.2f"), std::to_string(prof[i].second.second)});
    pt.print();
  }
  return 0;
}

}  // namespace

int bench_forward(const std::vector<std::string>& argv) {
  return bench_main("forward", argv, {"--threads", "--tokens"}, {"--profile"}, kForwardUsage, run_forward);
}

}  // namespace lathe::bench
