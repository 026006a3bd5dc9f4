// Element types as checkpoints name them, independent of LibTorch.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace lathe {

/// Declared in the order of safetensors' Rust `Dtype` enum: its writer sorts
/// tensors by this order, descending, then by name. Keep it that way.
enum class DType {
  Bool, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64,
};

/// Bytes per element.
std::size_t dtype_size(DType d);
/// Safetensors code: "F32", "BF16", "I64", ...
const char* dtype_code(DType d);
/// torch name as written in config.json torch_dtype: "float32", "bfloat16", ...
const char* dtype_torch_name(DType d);
bool dtype_is_floating(DType d);

/// Parse a safetensors code ("F32"). nullopt for an unknown code.
std::optional<DType> dtype_from_code(std::string_view code);
/// Parse a user/config dtype name: "float32", "fp32", "torch.float32", "bf16", "F32", ...
/// Throws Error(InvalidArgument) for an unknown name.
DType parse_dtype_name(std::string_view name);

}  // namespace lathe
