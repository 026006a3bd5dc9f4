// What a checkpoint says about one tensor, read from headers alone (no torch).
#pragma once

#include "core/dtype.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lathe {

struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::uint64_t nbytes = 0;  ///< numel × itemsize
  std::string file;          ///< file name relative to the checkpoint folder
  /// safetensors: [begin, end) within the data section.
  /// .bin: byte offset of the tensor's first element within its storage record.
  std::uint64_t data_begin = 0;
  std::uint64_t data_end = 0;
  /// .bin only: storage key ("0", "12", ...); tensors with the same key share storage.
  std::string storage;

  std::int64_t numel() const {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
  }
};

}  // namespace lathe
