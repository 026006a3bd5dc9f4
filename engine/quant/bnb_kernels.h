// CPU matmuls over bitsandbytes-quantised weights (internal: ATen). Neither
// materialises a whole dequantised weight: 4-bit weights are decoded per row
// (GEMV, fused with the dot products) or per tile of rows (GEMM, then a BLAS
// matmul in the compute dtype); int8 runs LLM.int8's decomposition.
// Threaded with at::parallel_for (the count init_threads set); AVX2 + FMA
// when the CPU has them, scalar code otherwise.
#pragma once

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>

namespace lathe::quant {

struct Weight4bit {
  at::Tensor packed;             ///< uint8 [ceil(out·in/2), 1], first value in the high nibble
  at::Tensor absmax;             ///< float32 [blocks] (double quantisation already undone)
  std::array<float, 16> code{};  ///< the NF4/FP4 table
  std::int64_t out = 0, in = 0, blocksize = 64;
};

/// y = x·Wᵀ + bias computed in `compute` (float32 or bfloat16); y has x's
/// dtype (as Linear4bit: out.to(inp_dtype)). x: [..., in].
at::Tensor linear_4bit(const at::Tensor& x, const Weight4bit& w, const at::Tensor& bias, c10::ScalarType compute);

/// Rows of W decoded to float32 (rows [r0, r1)), for tiles and tests.
void decode_4bit_rows(const Weight4bit& w, std::int64_t r0, std::int64_t r1, float* dst);

/// LLM.int8: input columns holding any |x| ≥ threshold (threshold > 0) are
/// outliers: zeroed before the row-wise int8 quantisation of x
/// (CA = rint(x·127/rowmax)), computed in float against the dequantised weight
/// columns (CB·SCB/127) and added back. The int32 accumulator is scaled by
/// rowA·SCB·6.200124e-05 (1/127²). y has x's dtype.
at::Tensor linear_int8(const at::Tensor& x, const at::Tensor& CB, const at::Tensor& SCB, double threshold,
                       const at::Tensor& bias);

/// Number of outlier columns LLM.int8 would split out of x (for reports).
std::int64_t count_outlier_columns(const at::Tensor& x, double threshold);

}  // namespace lathe::quant
