// lathe::DType <-> at::ScalarType (internal: includes c10).
#pragma once

#include "core/dtype.h"
#include "core/error.h"

#include <c10/core/ScalarType.h>

namespace lathe {

/// The ScalarType a tensor of file dtype `d` is held in. For dtypes LibTorch 1.13
/// lacks (F8_*, U16, U32, U64) this is the signed/byte type of the same width and
/// *raw is set: the bits are kept, not converted.
inline c10::ScalarType to_scalar_type(DType d, bool* raw = nullptr) {
  if (raw) *raw = false;
  switch (d) {
    case DType::Bool: return c10::ScalarType::Bool;
    case DType::U8: return c10::ScalarType::Byte;
    case DType::I8: return c10::ScalarType::Char;
    case DType::I16: return c10::ScalarType::Short;
    case DType::F16: return c10::ScalarType::Half;
    case DType::BF16: return c10::ScalarType::BFloat16;
    case DType::I32: return c10::ScalarType::Int;
    case DType::F32: return c10::ScalarType::Float;
    case DType::F64: return c10::ScalarType::Double;
    case DType::I64: return c10::ScalarType::Long;
    case DType::F8_E5M2:
    case DType::F8_E4M3:
      if (raw) *raw = true;
      return c10::ScalarType::Byte;
    case DType::U16:
      if (raw) *raw = true;
      return c10::ScalarType::Short;
    case DType::U32:
      if (raw) *raw = true;
      return c10::ScalarType::Int;
    case DType::U64:
      if (raw) *raw = true;
      return c10::ScalarType::Long;
  }
  return c10::ScalarType::Float;
}

inline DType from_scalar_type(c10::ScalarType s) {
  switch (s) {
    case c10::ScalarType::Bool: return DType::Bool;
    case c10::ScalarType::Byte: return DType::U8;
    case c10::ScalarType::Char: return DType::I8;
    case c10::ScalarType::Short: return DType::I16;
    case c10::ScalarType::Half: return DType::F16;
    case c10::ScalarType::BFloat16: return DType::BF16;
    case c10::ScalarType::Int: return DType::I32;
    case c10::ScalarType::Float: return DType::F32;
    case c10::ScalarType::Double: return DType::F64;
    case c10::ScalarType::Long: return DType::I64;
    default:
      throw Error(ErrorCode::Unsupported,
                  std::string("tensor dtype ") + c10::toString(s) + " has no checkpoint code");
  }
}

}  // namespace lathe
