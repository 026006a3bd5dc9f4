#include "quant/bnb_kernels.h"

#include "core/error.h"

#include <ATen/Parallel.h>
#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/addmm.h>
#include <ATen/ops/amax.h>
#include <ATen/ops/any.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/ge.h>
#include <ATen/ops/index_select.h>
#include <ATen/ops/mm.h>
#include <ATen/ops/nonzero.h>

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <vector>

namespace lathe::quant {

namespace {

bool have_avx2() {
  static const bool v = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return v;
}

constexpr std::int64_t kGemvMaxRows = 4;  // x rows up to this: fused decode + dot

// ---- 4-bit ---------------------------------------------------------------

// Decodes 64 codes (32 bytes) into floats (code values, absmax not applied).
void decode64_scalar(const std::uint8_t* p, const float* code, float* dst) {
  for (int j = 0; j < 32; ++j) {
    dst[2 * j] = code[p[j] >> 4];
    dst[2 * j + 1] = code[p[j] & 0xF];
  }
}

__attribute__((target("avx2,fma"))) inline __m256 lut16(__m256i idx, __m256 lo, __m256 hi) {
  __m256 a = _mm256_permutevar8x32_ps(lo, idx), b = _mm256_permutevar8x32_ps(hi, idx);
  return _mm256_blendv_ps(a, b, _mm256_castsi256_ps(_mm256_slli_epi32(idx, 28)));
}

// 16 bytes -> 32 codes in order (high nibble first), as four vectors of 8 floats.
__attribute__((target("avx2,fma"))) inline void decode32_avx2(const std::uint8_t* p, __m256 lo, __m256 hi,
                                                             __m256 out[4]) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i m = _mm_set1_epi8(0x0F);
  __m128i h = _mm_and_si128(_mm_srli_epi16(v, 4), m), l = _mm_and_si128(v, m);
  __m128i i0 = _mm_unpacklo_epi8(h, l), i1 = _mm_unpackhi_epi8(h, l);
  out[0] = lut16(_mm256_cvtepu8_epi32(i0), lo, hi);
  out[1] = lut16(_mm256_cvtepu8_epi32(_mm_srli_si128(i0, 8)), lo, hi);
  out[2] = lut16(_mm256_cvtepu8_epi32(i1), lo, hi);
  out[3] = lut16(_mm256_cvtepu8_epi32(_mm_srli_si128(i1, 8)), lo, hi);
}

__attribute__((target("avx2,fma"))) inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// y[m][n] = Σ_k W[n][k]·x[m][k] for rows n in [n0, n1); K % blocksize == 0.
__attribute__((target("avx2,fma"))) void gemv4_avx2(const Weight4bit& w, const float* x, std::int64_t M,
                                                   float* y, std::int64_t n0, std::int64_t n1) {
  const std::int64_t K = w.in, bs = w.blocksize, bpr = K / bs;
  const std::uint8_t* P = w.packed.data_ptr<std::uint8_t>();
  const float* A = w.absmax.data_ptr<float>();
  const __m256 lo = _mm256_loadu_ps(w.code.data()), hi = _mm256_loadu_ps(w.code.data() + 8);
  for (std::int64_t n = n0; n < n1; ++n) {
    float total[kGemvMaxRows] = {0, 0, 0, 0};
    const std::uint8_t* row = P + n * K / 2;
    for (std::int64_t b = 0; b < bpr; ++b) {
      __m256 acc[kGemvMaxRows] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
      for (std::int64_t k = 0; k < bs; k += 32) {
        __m256 v[4];
        decode32_avx2(row + (b * bs + k) / 2, lo, hi, v);
        for (std::int64_t m = 0; m < M; ++m) {
          const float* xk = x + m * K + b * bs + k;
          for (int q = 0; q < 4; ++q) acc[m] = _mm256_fmadd_ps(v[q], _mm256_loadu_ps(xk + 8 * q), acc[m]);
        }
      }
      const float a = A[n * bpr + b];
      for (std::int64_t m = 0; m < M; ++m) total[m] += a * hsum(acc[m]);
    }
    for (std::int64_t m = 0; m < M; ++m) y[m * w.out + n] = total[m];
  }
}

void gemv4_scalar(const Weight4bit& w, const float* x, std::int64_t M, float* y, std::int64_t n0, std::int64_t n1) {
  std::vector<float> row(static_cast<std::size_t>(w.in));
  for (std::int64_t n = n0; n < n1; ++n) {
    decode_4bit_rows(w, n, n + 1, row.data());
    for (std::int64_t m = 0; m < M; ++m) {
      float s = 0;
      for (std::int64_t k = 0; k < w.in; ++k) s += row[k] * x[m * w.in + k];
      y[m * w.out + n] = s;
    }
  }
}

// ---- int8 -----------------------------------------------------------------

__attribute__((target("avx2,fma"))) std::int32_t dot_i8_avx2(const std::int8_t* a, const std::int8_t* b,
                                                            std::int64_t K) {
  __m256i acc = _mm256_setzero_si256();
  std::int64_t k = 0;
  for (; k + 16 <= K; k += 16) {
    __m256i va = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + k)));
    __m256i vb = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + k)));
    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(va, vb));
  }
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  std::int32_t r = _mm_cvtsi128_si32(s);
  for (; k < K; ++k) r += std::int32_t(a[k]) * std::int32_t(b[k]);
  return r;
}

std::int32_t dot_i8(const std::int8_t* a, const std::int8_t* b, std::int64_t K) {
  if (have_avx2()) return dot_i8_avx2(a, b, K);
  std::int32_t r = 0;
  for (std::int64_t k = 0; k < K; ++k) r += std::int32_t(a[k]) * std::int32_t(b[k]);
  return r;
}

at::Tensor finish(at::Tensor y2d, const at::Tensor& x, std::int64_t out_features) {
  auto shape = x.sizes().vec();
  shape.back() = out_features;
  return y2d.view(shape).to(x.scalar_type());
}

at::Tensor outlier_columns(const at::Tensor& x2, double threshold) {
  if (threshold <= 0) return at::Tensor();
  at::Tensor cols = at::nonzero(at::any(at::ge(at::abs(x2), threshold), 0)).view(-1);
  return cols.numel() ? cols : at::Tensor();
}

}  // namespace

namespace {

__attribute__((target("avx2,fma"))) void decode_rows_avx2(const Weight4bit& w, std::int64_t r0, std::int64_t r1,
                                                         float* dst) {
  const std::uint8_t* P = w.packed.data_ptr<std::uint8_t>();
  const float* A = w.absmax.data_ptr<float>();
  const std::int64_t K = w.in, bs = w.blocksize;
  const __m256 lo = _mm256_loadu_ps(w.code.data()), hi = _mm256_loadu_ps(w.code.data() + 8);
  for (std::int64_t r = r0; r < r1; ++r)
    for (std::int64_t k = 0; k < K; k += 32) {
      const std::int64_t i = r * K + k;
      __m256 v[4];
      decode32_avx2(P + i / 2, lo, hi, v);
      const __m256 a = _mm256_set1_ps(A[i / bs]);
      float* d = dst + (r - r0) * K + k;
      for (int q = 0; q < 4; ++q) _mm256_storeu_ps(d + 8 * q, _mm256_mul_ps(v[q], a));
    }
}

// y = x·Wᵀ with W decoded tile by tile (`decode(r0, r1, dst)` writes rows
// [r0, r1) as float32): rows decoded in parallel, then a BLAS matmul in x's
// dtype. A tile is ~1M values (4 MB): the whole weight is never materialised.
at::Tensor tiled_matmul(const at::Tensor& xc, std::int64_t N, std::int64_t K,
                        const std::function<void(std::int64_t, std::int64_t, float*)>& decode) {
  const std::int64_t M = xc.size(0);
  at::Tensor y = at::empty({M, N}, xc.options());
  const std::int64_t tile = std::max<std::int64_t>(16, std::min<std::int64_t>(N, (1 << 20) / std::max<std::int64_t>(K, 1)));
  at::Tensor buf = at::empty({tile, K}, at::kFloat);
  float* bp = buf.data_ptr<float>();
  for (std::int64_t n0 = 0; n0 < N; n0 += tile) {
    const std::int64_t n1 = std::min(N, n0 + tile), rows = n1 - n0;
    at::parallel_for(n0, n1, 4, [&](std::int64_t a, std::int64_t b) { decode(a, b, bp + (a - n0) * K); });
    at::Tensor wt = buf.narrow(0, 0, rows);
    if (xc.scalar_type() != at::kFloat) wt = wt.to(xc.scalar_type());
    y.narrow(1, n0, rows).copy_(at::mm(xc, wt.t()));
  }
  return y;
}

}  // namespace

void decode_4bit_rows(const Weight4bit& w, std::int64_t r0, std::int64_t r1, float* dst) {
  const std::uint8_t* P = w.packed.data_ptr<std::uint8_t>();
  const float* A = w.absmax.data_ptr<float>();
  const std::int64_t K = w.in, bs = w.blocksize;
  if (K % bs == 0 && K % 64 == 0 && have_avx2()) return decode_rows_avx2(w, r0, r1, dst);
  if (K % bs == 0 && K % 64 == 0) {
    float buf[64];
    for (std::int64_t r = r0; r < r1; ++r)
      for (std::int64_t k = 0; k < K; k += 64) {
        const std::int64_t i = r * K + k;
        decode64_scalar(P + i / 2, w.code.data(), buf);
        const float a = A[i / bs];
        float* d = dst + (r - r0) * K + k;
        for (int j = 0; j < 64; ++j) d[j] = buf[j] * a;
      }
    return;
  }
  for (std::int64_t i = r0 * K, e = r1 * K; i < e; ++i) {  // blocks straddle rows
    const std::uint8_t byte = P[i / 2];
    dst[i - r0 * K] = w.code[i % 2 == 0 ? byte >> 4 : byte & 0xF] * A[i / bs];
  }
}

at::Tensor linear_4bit(const at::Tensor& x, const Weight4bit& w, const at::Tensor& bias, c10::ScalarType compute) {
  if (x.size(-1) != w.in)
    throw Error(ErrorCode::ShapeMismatch, "input has " + std::to_string(x.size(-1)) + " features, the 4-bit layer expects " +
                                              std::to_string(w.in));
  at::Tensor x2 = x.reshape({-1, w.in});
  const std::int64_t M = x2.size(0), N = w.out, K = w.in;
  // Fused path (blocks aligned with rows: K a multiple of 64 and of the
  // blocksize): each thread takes a range of output rows and, for every 4 rows
  // of x, decodes a block into registers and runs the dot products there. For
  // many rows of x this re-decodes W per 4 rows, which still beats decoding
  // tiles for a BLAS that is slow on narrow matrices (bench quant).
  if (K % w.blocksize == 0 && K % 64 == 0 && (M <= kGemvMaxRows || have_avx2())) {
    at::Tensor xf = x2.to(compute).to(at::kFloat).contiguous();
    at::Tensor y = at::empty({M, N}, at::kFloat);
    const float* xp = xf.data_ptr<float>();
    float* yp = y.data_ptr<float>();
    const bool avx = have_avx2();
    at::parallel_for(0, N, 16, [&](std::int64_t n0, std::int64_t n1) {
      for (std::int64_t m0 = 0; m0 < M; m0 += kGemvMaxRows) {
        const std::int64_t mm = std::min(kGemvMaxRows, M - m0);
        if (avx) gemv4_avx2(w, xp + m0 * K, mm, yp + m0 * N, n0, n1);
        else gemv4_scalar(w, xp + m0 * K, mm, yp + m0 * N, n0, n1);
      }
    });
    at::Tensor yc = y.to(compute);
    if (bias.defined()) yc = yc + bias.to(compute);
    return finish(yc, x, N);
  }
  at::Tensor y = tiled_matmul(x2.to(compute).contiguous(), N, K,
                              [&](std::int64_t a, std::int64_t b, float* d) { decode_4bit_rows(w, a, b, d); });
  if (bias.defined()) y = y + bias.to(compute);
  return finish(y, x, N);
}

std::int64_t count_outlier_columns(const at::Tensor& x, double threshold) {
  at::Tensor c = outlier_columns(x.reshape({-1, x.size(-1)}).to(at::kFloat), threshold);
  return c.defined() ? c.numel() : 0;
}

at::Tensor linear_int8(const at::Tensor& x, const at::Tensor& CB, const at::Tensor& SCB, double threshold,
                       const at::Tensor& bias) {
  const std::int64_t N = CB.size(0), K = CB.size(1);
  if (x.size(-1) != K)
    throw Error(ErrorCode::ShapeMismatch, "input has " + std::to_string(x.size(-1)) + " features, the 8-bit layer expects " +
                                              std::to_string(K));
  at::Tensor x2 = x.reshape({-1, K}).to(at::kFloat).contiguous();
  const std::int64_t M = x2.size(0);
  at::Tensor cols = outlier_columns(x2, threshold);
  // int8_vectorwise_quant: outliers (|x| ≥ threshold) zeroed before the row
  // absmax, CA = rint(x·(127/rowmax)), outlier columns zeroed in CA.
  at::Tensor a = x2.clone();
  if (cols.defined()) a.masked_fill_(at::ge(at::abs(x2), threshold), 0.0);
  at::Tensor row_stats = at::amax(at::abs(a), {1}).contiguous();
  at::Tensor CA = at::empty({M, K}, at::kChar);
  {
    const float* ap = a.data_ptr<float>();
    const float* rs = row_stats.data_ptr<float>();
    std::int8_t* cp = CA.data_ptr<std::int8_t>();
    for (std::int64_t m = 0; m < M; ++m) {
      const float scale = 127.0f / rs[m];
      for (std::int64_t k = 0; k < K; ++k) {
        float v = std::nearbyint(ap[m * K + k] * scale);
        cp[m * K + k] = std::isfinite(v) ? static_cast<std::int8_t>(v) : 0;
      }
    }
    if (cols.defined()) {
      const std::int64_t* c = cols.data_ptr<std::int64_t>();
      for (std::int64_t m = 0; m < M; ++m)
        for (std::int64_t j = 0; j < cols.numel(); ++j) cp[m * K + c[j]] = 0;
    }
  }
  at::Tensor cb = CB.contiguous();
  at::Tensor scb = SCB.to(at::kFloat).contiguous();
  at::Tensor y = at::empty({M, N}, at::kFloat);
  float* yp = y.data_ptr<float>();
  const float* rs = row_stats.data_ptr<float>();
  const float* sp = scb.data_ptr<float>();
  const float kDequant = 6.200124e-05f;  // bitsandbytes' 1/127² constant
  if (M <= kGemvMaxRows) {
    const std::int8_t* bp = cb.data_ptr<std::int8_t>();
    const std::int8_t* cp = CA.data_ptr<std::int8_t>();
    at::parallel_for(0, N, 16, [&](std::int64_t n0, std::int64_t n1) {
      for (std::int64_t n = n0; n < n1; ++n)
        for (std::int64_t m = 0; m < M; ++m) {
          const std::int32_t acc = dot_i8(cp + m * K, bp + n * K, K);
          yp[m * N + n] = static_cast<float>(acc) * (rs[m] * sp[n]) * kDequant;
        }
    });
  } else {
    // As bitsandbytes' default CPU backend: the int8 product through a float
    // matmul (CB converted tile by tile).
    const std::int8_t* bp = cb.data_ptr<std::int8_t>();
    at::Tensor acc = tiled_matmul(CA.to(at::kFloat), N, K, [&](std::int64_t a, std::int64_t b, float* d) {
      for (std::int64_t i = a * K, e = b * K; i < e; ++i) d[i - a * K] = bp[i];
    });
    y = acc * (row_stats.view({-1, 1}) * scb.view({1, -1})) * kDequant;
  }
  if (bias.defined()) y = y + bias.to(at::kFloat);
  if (cols.defined()) {
    at::Tensor subA = at::index_select(x2, 1, cols);
    at::Tensor subB = at::index_select(cb, 1, cols).to(at::kFloat) * scb.view({-1, 1}) * 7.874015718698502e-3;
    y = at::addmm(y, subA, subB.t());
  }
  return finish(y, x, N);
}

}  // namespace lathe::quant
