// bitsandbytes' quantizers, exactly as its kernels compute them (internal: ATen).
//
// 4-bit (Linear4bit / Params4bit): the weight is read as one flat row-major
// array, cut into blocks of `blocksize` (the last block may be partial and has
// its own absmax). Each value is multiplied by 1/absmax (as the CUDA kernel
// does: a reciprocal, then a multiply) and mapped to a code with bitsandbytes'
// comparison trees (dQuantizeNF4 / dQuantizeFP4: strict '>' against the
// midpoints, so a value exactly on a midpoint takes the lower code). Two codes
// per byte, the first in the high nibble; storage [ceil(n/2), 1] uint8.
//
// Double quantisation (compress_statistics): offset = mean(absmax) and
// absmax - offset is quantised with the signed 8-bit dynamic map in blocks of
// 256 (dQuantize's binary search).
//
// LLM.int8 (Linear8bitLt / Int8Params): row-wise CB = rint(W·(127/absmax_row))
// as int8, SCB = absmax_row (float32).
#pragma once

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace lathe::quant {

/// bitsandbytes' get_4bit_type("nf4"|"fp4"): the 16 float32 code values.
const std::array<float, 16>& code_4bit(const std::string& quant_type);
/// create_dynamic_map(signed=True): the 256 float32 values of the 8-bit map
/// that double quantisation uses (computed with ATen exactly as bitsandbytes).
const std::array<float, 256>& dynamic_map();

/// dQuantizeNF4's 15 decision thresholds (near the midpoints of adjacent codes).
const std::array<float, 15>& nf4_thresholds();
/// dQuantizeNF4 / dQuantizeFP4 of one value already scaled into [-1, 1].
std::uint8_t quantize_nf4_value(float x);
std::uint8_t quantize_fp4_value(float x);
/// dQuantize<0> (8-bit, nearest through midpoints by binary search) against a sorted 256-entry code.
std::uint8_t quantize_dynamic_value(const std::array<float, 256>& code, float x);

/// What bitsandbytes' QuantState holds for one 4-bit weight.
struct QuantState4 {
  std::string quant_type = "nf4";          ///< "nf4" | "fp4"
  std::int64_t blocksize = 64;
  std::string dtype = "float32";           ///< the weight's dtype before quantisation
  std::vector<std::int64_t> shape;         ///< [out, in]
  at::Tensor absmax;                       ///< float32 [blocks], or uint8 [blocks] when nested
  at::Tensor quant_map;                    ///< float32 [16]
  bool nested = false;
  at::Tensor nested_absmax;                ///< float32 [ceil(blocks/256)]
  at::Tensor nested_quant_map;             ///< float32 [256]
  std::int64_t nested_blocksize = 256;
  std::string nested_dtype = "float32";
  float offset = 0.f;                      ///< nested_offset
  std::int64_t numel() const;
};

/// quantize_4bit(W, blocksize, compress_statistics, quant_type). W: any
/// floating dtype, any shape (flattened row-major). Returns the packed
/// [ceil(n/2), 1] uint8 tensor; fills `state` (shape = W's shape).
at::Tensor quantize_4bit(const at::Tensor& w, const std::string& quant_type, std::int64_t blocksize,
                         bool double_quant, QuantState4& state);
/// The float32 per-block absmax (de-nests double quantisation:
/// code[q]·absmax2[i/256] + offset).
at::Tensor absmax_float(const QuantState4& state);
/// dequantize_4bit: code[q]·absmax[i/blocksize] in float32, cast to `dtype`, shaped state.shape.
at::Tensor dequantize_4bit(const at::Tensor& packed, const QuantState4& state, c10::ScalarType dtype);

/// Int8Params: CB (int8 [out, in]) and SCB (float32 [out]).
struct Int8Weight {
  at::Tensor CB, SCB;
};
Int8Weight quantize_int8_rows(const at::Tensor& w);
/// int8_vectorwise_dequant: CB·SCB·(1/127) (7.874015718698502e-3), float32.
at::Tensor dequantize_int8_rows(const at::Tensor& CB, const at::Tensor& SCB);

/// The packed quant_state JSON (json.dumps of quant_type, blocksize, dtype,
/// shape and, nested, nested_blocksize, nested_dtype, nested_offset) as
/// bitsandbytes' pack_dict_to_tensor writes it: the UTF-8 bytes as uint8 [len].
std::string quant_state_json(const QuantState4& state);
at::Tensor pack_quant_state(const QuantState4& state);
/// Reads the non-tensor fields back from the packed tensor (Error
/// CorruptFile naming `key` on bad JSON or missing fields).
void unpack_quant_state(const at::Tensor& packed, const std::string& key, QuantState4& state);
/// "quant_state.bitsandbytes__nf4" etc.
std::string quant_state_key(const std::string& quant_type);

}  // namespace lathe::quant
