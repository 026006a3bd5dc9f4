#include "core/dtype.h"

#include "core/error.h"

#include <array>

namespace lathe {
namespace {

struct DTypeInfo {
  DType dtype;
  const char* code;
  const char* torch_name;
  std::size_t size;
  bool floating;
};

constexpr std::array<DTypeInfo, 15> kTable{{
    {DType::Bool, "BOOL", "bool", 1, false},
    {DType::U8, "U8", "uint8", 1, false},
    {DType::I8, "I8", "int8", 1, false},
    {DType::F8_E5M2, "F8_E5M2", "float8_e5m2", 1, true},
    {DType::F8_E4M3, "F8_E4M3", "float8_e4m3fn", 1, true},
    {DType::I16, "I16", "int16", 2, false},
    {DType::U16, "U16", "uint16", 2, false},
    {DType::F16, "F16", "float16", 2, true},
    {DType::BF16, "BF16", "bfloat16", 2, true},
    {DType::I32, "I32", "int32", 4, false},
    {DType::U32, "U32", "uint32", 4, false},
    {DType::F32, "F32", "float32", 4, true},
    {DType::F64, "F64", "float64", 8, true},
    {DType::I64, "I64", "int64", 8, false},
    {DType::U64, "U64", "uint64", 8, false},
}};

const DTypeInfo& info(DType d) { return kTable[static_cast<std::size_t>(d)]; }

}  // namespace

std::size_t dtype_size(DType d) { return info(d).size; }
const char* dtype_code(DType d) { return info(d).code; }
const char* dtype_torch_name(DType d) { return info(d).torch_name; }
bool dtype_is_floating(DType d) { return info(d).floating; }

std::optional<DType> dtype_from_code(std::string_view code) {
  for (const auto& i : kTable)
    if (code == i.code) return i.dtype;
  return std::nullopt;
}

DType parse_dtype_name(std::string_view name) {
  std::string_view n = name;
  if (n.rfind("torch.", 0) == 0) n.remove_prefix(6);
  for (const auto& i : kTable)
    if (n == i.torch_name || n == i.code) return i.dtype;
  struct Alias { const char* name; DType d; };
  static const Alias aliases[] = {
      {"fp32", DType::F32}, {"float", DType::F32}, {"f32", DType::F32},
      {"fp16", DType::F16}, {"half", DType::F16}, {"f16", DType::F16},
      {"bf16", DType::BF16}, {"fp64", DType::F64}, {"double", DType::F64},
      {"long", DType::I64}, {"int", DType::I32}, {"short", DType::I16},
      {"float8_e4m3", DType::F8_E4M3},
  };
  for (const auto& a : aliases)
    if (n == a.name) return a.d;
  throw Error(ErrorCode::InvalidArgument, "unknown dtype '" + std::string(name) + "'");
}

}  // namespace lathe
