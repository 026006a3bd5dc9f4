// bitsandbytes' quantisation formats: code tables, exact codes of hand-made
// blocks, packing, double quantisation, int8 rows, quant_state JSON, and
// round-trip error bounds derived from the code tables.
#include "core/error.h"
#include "quant/bnb_quant.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/max.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/tensor.h>
#include <ATen/ops/zeros.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace lathe::quant;

namespace {

at::Tensor floats(const std::vector<float>& v) { return at::tensor(at::ArrayRef<float>(v)).clone(); }

std::vector<int> codes_of(const at::Tensor& packed, std::int64_t n) {
  std::vector<int> out;
  const std::uint8_t* p = packed.data_ptr<std::uint8_t>();
  for (std::int64_t i = 0; i < n; ++i) out.push_back(i % 2 == 0 ? p[i / 2] >> 4 : p[i / 2] & 0xF);
  return out;
}

// Largest half-gap between adjacent codes: the worst rounding error of a value
// scaled into [-1, 1] (nearest-code quantisation).
float max_half_gap(const float* c, int n) {
  float g = 0;
  for (int i = 0; i + 1 < n; ++i) g = std::max(g, (c[i + 1] - c[i]) / 2);
  return g;
}

}  // namespace

TEST(QuantFormat, TablesAreBitsandbytesTables) {
  const auto& nf4 = code_4bit("nf4");
  EXPECT_EQ(nf4[0], -1.0f);
  EXPECT_EQ(nf4[7], 0.0f);
  EXPECT_EQ(nf4[15], 1.0f);
  for (int i = 0; i < 15; ++i) EXPECT_LT(nf4[i], nf4[i + 1]);
  const auto& fp4 = code_4bit("fp4");
  // Codes 0-7 are 0, 0.0625, 8, 12, 4, 6, 2, 3 divided by 12; 8-15 negated.
  const float raw[8] = {0.f, 0.0625f, 8.f, 12.f, 4.f, 6.f, 2.f, 3.f};
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(fp4[i], raw[i] / 12.0f);
    EXPECT_EQ(fp4[i + 8], -(raw[i] / 12.0f));
  }
  EXPECT_FALSE(std::signbit(fp4[8]));  // Python's -0 is the integer 0
  EXPECT_THROW(code_4bit("int4"), lathe::Error);
}

TEST(QuantFormat, DynamicMapShape) {
  const auto& m = dynamic_map();
  // 127 negatives, 0, 127 positives mirroring them, then 1.0.
  EXPECT_EQ(m[127], 0.0f);
  EXPECT_EQ(m[255], 1.0f);
  for (int k = 1; k <= 127; ++k) EXPECT_EQ(m[127 - k], -m[127 + k]) << k;
  for (int i = 0; i < 255; ++i) EXPECT_LT(m[i], m[i + 1]);
  // Smallest positive: i = 0 gives linspace(0.1, 1, 2) = [0.1, 1], mean 0.55, times 1e-6 (float32).
  EXPECT_EQ(m[128], ((0.1f + 1.0f) / 2.0f) * 1e-6f);
  // Exact codes are their own quantisation.
  for (int i = 0; i < 256; ++i) EXPECT_EQ(quantize_dynamic_value(m, m[i]), i) << i;
}

TEST(QuantFormat, Nf4CodesAtAndBetweenMidpoints) {
  const auto& c = code_4bit("nf4");
  for (int i = 0; i < 16; ++i) EXPECT_EQ(quantize_nf4_value(c[i]), i) << i;
  const auto& t = nf4_thresholds();
  for (int i = 0; i < 15; ++i) {
    // The kernel's thresholds are the code midpoints to ~1e-7 (its literals were
    // computed in float): check that, then x > threshold: on it -> lower code,
    // one ulp above -> upper code, a quarter of the way -> the nearer code.
    const float mid = t[i];
    EXPECT_NEAR(mid, 0.5f * (c[i] + c[i + 1]), 1e-6f) << i;
    EXPECT_EQ(quantize_nf4_value(mid), i) << i;
    EXPECT_EQ(quantize_nf4_value(std::nextafter(mid, 2.0f)), i + 1) << i;
    EXPECT_EQ(quantize_nf4_value(c[i] + 0.25f * (c[i + 1] - c[i])), i) << i;
    EXPECT_EQ(quantize_nf4_value(c[i] + 0.75f * (c[i + 1] - c[i])), i + 1) << i;
  }
}

TEST(QuantFormat, Fp4CodesAtAndBetweenMidpoints) {
  const auto& c = code_4bit("fp4");
  for (int i = 0; i < 16; ++i)
    if (i != 8) EXPECT_EQ(quantize_fp4_value(c[i]), i) << i;
  // Positive magnitudes in order: codes 0(0), 1(0.0625/12), 6(2/12), 7(3/12), 4, 5, 2, 3(12/12).
  const int order[8] = {0, 1, 6, 7, 4, 5, 2, 3};
  for (int k = 0; k + 1 < 8; ++k) {
    float lo = c[order[k]], hi = c[order[k + 1]];
    EXPECT_EQ(quantize_fp4_value(lo + 0.25f * (hi - lo)), order[k]) << k;
    EXPECT_EQ(quantize_fp4_value(lo + 0.75f * (hi - lo)), order[k + 1]) << k;
    EXPECT_EQ(quantize_fp4_value(-(lo + 0.75f * (hi - lo))), order[k + 1] + 8) << k;
  }
}

TEST(QuantFormat, PackedBlockHighNibbleFirst) {
  // One block of 64: [1, -1, c2, c3, ..., c15] then zeros; absmax 1 so x·(1/1) = x.
  const auto& c = code_4bit("nf4");
  std::vector<float> v(64, 0.0f);
  v[0] = 1.0f;
  v[1] = -1.0f;
  for (int i = 2; i < 16; ++i) v[i] = c[i];
  QuantState4 st;
  at::Tensor p = quantize_4bit(floats(v), "nf4", 64, false, st);
  ASSERT_EQ(p.sizes().vec(), (std::vector<std::int64_t>{32, 1}));
  const std::uint8_t* b = p.data_ptr<std::uint8_t>();
  EXPECT_EQ(b[0], (15 << 4) | 0);   // 1.0 -> 15 in the high nibble, -1.0 -> 0 low
  EXPECT_EQ(b[1], (2 << 4) | 3);
  EXPECT_EQ(b[31], (7 << 4) | 7);   // zeros -> code 7 (0.0)
  EXPECT_EQ(st.absmax.item<float>(), 1.0f);
  EXPECT_EQ(st.shape, (std::vector<std::int64_t>{64}));
  // Scaling: the same block times 4 gives the same codes and absmax 4.
  QuantState4 st4;
  at::Tensor p4 = quantize_4bit(floats(v) * 4.0, "nf4", 64, false, st4);
  EXPECT_TRUE(p4.equal(p));
  EXPECT_EQ(st4.absmax.item<float>(), 4.0f);
}

TEST(QuantFormat, ZeroBlockAndPartialLastBlock) {
  // 64 zeros, then a partial block of 5 values: n = 69, blocks = ceil(69/64) = 2,
  // bytes = ceil(69/2) = 35.
  std::vector<float> v(69, 0.0f);
  const float tail[5] = {0.5f, -2.0f, 1.0f, 0.25f, -0.1f};
  for (int i = 0; i < 5; ++i) v[64 + i] = tail[i];
  for (const char* type : {"nf4", "fp4"}) {
    QuantState4 st;
    at::Tensor p = quantize_4bit(floats(v), type, 64, false, st);
    ASSERT_EQ(p.size(0), 35);
    ASSERT_EQ(st.absmax.numel(), 2);
    // All-zero block: absmax 0, 1/0 = inf, 0·inf = NaN fails every '>' of the
    // kernel's tree, so every code is 0; it dequantises to code[0]·0 = ±0.
    EXPECT_EQ(st.absmax[0].item<float>(), 0.0f);
    for (int j = 0; j < 32; ++j) EXPECT_EQ(p[j][0].item<int>(), 0) << type << j;
    // The partial block has its own absmax: max |tail| = 2.
    EXPECT_EQ(st.absmax[1].item<float>(), 2.0f);
    auto codes = codes_of(p, 70);
    auto q = std::string(type) == "nf4" ? &quantize_nf4_value : &quantize_fp4_value;
    for (int i = 0; i < 5; ++i) EXPECT_EQ(codes[64 + i], q(tail[i] * (1.0f / 2.0f))) << type << i;
    // The odd last value pairs with a 0.0 pad, quantised like any value.
    EXPECT_EQ(codes[69], q(0.0f)) << type;
    at::Tensor dq = dequantize_4bit(p, st, at::kFloat);
    for (int i = 0; i < 64; ++i) EXPECT_EQ(dq[i].item<float>(), 0.0f);
    const auto& c = code_4bit(type);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(dq[64 + i].item<float>(), c[codes[64 + i]] * 2.0f) << type << i;
  }
}

TEST(QuantFormat, RoundTripBound4bit) {
  at::Tensor w = at::randn({48, 96});  // 4608 values = 72 blocks
  for (const char* type : {"nf4", "fp4"})
    for (bool dq2 : {false, true}) {
      QuantState4 st;
      at::Tensor p = quantize_4bit(w, type, 64, dq2, st);
      at::Tensor back = dequantize_4bit(p, st, at::kFloat).view(-1);
      at::Tensor am = absmax_float(st);
      // Each value lands on the nearest code of x/absmax, so |x - x̂| ≤
      // half the widest code gap × absmax (NF4: (1 - 0.7229568)/2 ≈ 0.139;
      // FP4: (8-6)/12/2 ≈ 0.0833 ... (12-8)/12/2 ≈ 0.167). With double quant
      // the absmax used is itself off by ≤ da (bound below), which scales the
      // code value (|code| ≤ 1) by at most da.
      const auto& c = code_4bit(type);
      std::vector<float> sorted(c.begin(), c.end());
      std::sort(sorted.begin(), sorted.end());
      const float g = max_half_gap(sorted.data(), 16);
      at::Tensor true_am = std::get<0>(at::abs(w.view({-1, 64})).max(1));
      at::Tensor flat = w.view(-1);
      for (std::int64_t i = 0; i < flat.numel(); ++i) {
        float a = true_am[i / 64].item<float>(), ah = am[i / 64].item<float>();
        float bound = g * a + std::fabs(ah - a) + 1e-6f * a;
        ASSERT_LE(std::fabs(flat[i].item<float>() - back[i].item<float>()), bound) << type << dq2 << i;
      }
      if (dq2) {
        // absmax - offset is quantised with the dynamic map in blocks of 256:
        // error ≤ half the widest gap of that map × the block's max |absmax - offset|.
        const auto& m = dynamic_map();
        const float g2 = max_half_gap(m.data(), 256);
        float a2 = st.nested_absmax[0].item<float>();
        for (std::int64_t b = 0; b < am.numel(); ++b)
          EXPECT_LE(std::fabs(am[b].item<float>() - true_am[b].item<float>()), g2 * a2 + 1e-6f);
        EXPECT_EQ(st.absmax.scalar_type(), at::kByte);
        EXPECT_EQ(st.nested_absmax.numel(), 1);  // 72 blocks fit one block of 256
      }
    }
}

TEST(QuantFormat, Int8RowsRoundHalfToEven) {
  // absmax 127 -> scale 127/127 = 1: CB = rint(x) with ties to even.
  at::Tensor w = floats({127.f, -63.5f, 63.5f, 62.5f, 0.4f, -127.f, 2.5f, 0.f}).view({1, 8});
  Int8Weight q = quantize_int8_rows(w);
  std::vector<int> expect = {127, -64, 64, 62, 0, -127, 2, 0};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(q.CB[0][i].item<int>(), expect[i]) << i;
  EXPECT_EQ(q.SCB[0].item<float>(), 127.f);
  // A zero row stays zero (0·(127/0) is NaN, stored as 0).
  Int8Weight z = quantize_int8_rows(at::zeros({2, 4}));
  EXPECT_EQ(z.CB.abs().sum().item<int>(), 0);
  // Round trip: |W - CB·SCB/127| ≤ SCB/127/2 per row (half a quantisation step).
  at::Tensor r = at::randn({16, 40});
  Int8Weight rq = quantize_int8_rows(r);
  at::Tensor back = dequantize_int8_rows(rq.CB, rq.SCB);
  at::Tensor err = std::get<0>((r - back).abs().max(1));
  for (int i = 0; i < 16; ++i) EXPECT_LE(err[i].item<float>(), rq.SCB[i].item<float>() / 254.f * (1 + 1e-5f));
}

TEST(QuantFormat, QuantStateJsonAsJsonDumps) {
  QuantState4 st;
  st.quant_type = "nf4";
  st.blocksize = 64;
  st.dtype = "float16";
  st.shape = {4, 32};
  // json.dumps({...}) with the default ", " / ": " separators, keys in insertion order.
  EXPECT_EQ(quant_state_json(st), "{\"quant_type\": \"nf4\", \"blocksize\": 64, \"dtype\": \"float16\", \"shape\": [4, 32]}");
  st.nested = true;
  st.offset = 0.5f;
  EXPECT_EQ(quant_state_json(st),
            "{\"quant_type\": \"nf4\", \"blocksize\": 64, \"dtype\": \"float16\", \"shape\": [4, 32], "
            "\"nested_blocksize\": 256, \"nested_dtype\": \"float32\", \"nested_offset\": 0.5}");
  QuantState4 back;
  unpack_quant_state(pack_quant_state(st), "k", back);
  EXPECT_EQ(back.shape, st.shape);
  EXPECT_TRUE(back.nested);
  EXPECT_EQ(back.offset, 0.5f);
  EXPECT_EQ(quant_state_key("fp4"), "quant_state.bitsandbytes__fp4");
  at::Tensor bad = at::empty({3}, at::kByte).fill_(65);
  EXPECT_THROW(unpack_quant_state(bad, "k", back), lathe::Error);
  st.blocksize = 48;
  EXPECT_THROW(unpack_quant_state(pack_quant_state(st), "k", back), lathe::Error);
}
