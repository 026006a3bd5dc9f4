// safetensors headers (public, torch-free).
//
// Layout: u64 little-endian header length N, N bytes of UTF-8 JSON
// {name: {dtype, shape, data_offsets}, "__metadata__": {str: str}}, then the
// data section. Validation follows the reference library and goes further:
// header ≤ 100 MB, a JSON object, no duplicate names, known dtypes, shapes of
// non-negative integers whose byte size does not overflow, offsets contiguous
// from 0 in file order (so no overlaps or gaps), each size = numel × itemsize,
// and the last offset exactly at the end of the file.
#pragma once

#include "io/tensor_info.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lathe {

constexpr std::uint64_t kSafetensorsMaxHeader = 100000000;  // as the reference reader

struct SafetensorsHeader {
  std::uint64_t header_len = 0;                  ///< N
  std::map<std::string, std::string> metadata;   ///< __metadata__
  std::vector<TensorInfo> tensors;               ///< in data-offset (file) order
  std::uint64_t data_start() const { return 8 + header_len; }
};

/// Parses and validates a header. `header` holds the N JSON bytes, `file_size`
/// is the whole file's size (for the end-of-data check). Pure function of its
/// inputs (the fuzz target). Throws Error(CorruptFile, ..., context).
SafetensorsHeader parse_safetensors_header(const std::uint8_t* header, std::size_t n,
                                           std::uint64_t file_size, const std::string& context,
                                           const std::string& file_name = {});

/// Reads the 8-byte length and the header of a file with pread (no mapping,
/// no tensor data touched) and validates it.
SafetensorsHeader read_safetensors_header(const std::string& path);

/// One tensor to be written: what the header needs.
struct SafetensorsEntry {
  std::string name;
  DType dtype;
  std::vector<std::int64_t> shape;
  std::uint64_t nbytes;
};

/// The header bytes (without the 8-byte length) the reference writer produces
/// for these tensors: sorted by dtype descending in safetensors' enum order then
/// by name, `__metadata__` first, compact JSON, space-padded to a multiple of 8.
/// `order` receives the indices of `entries` in write order.
std::string build_safetensors_header(const std::vector<SafetensorsEntry>& entries,
                                     const std::map<std::string, std::string>& metadata,
                                     std::vector<std::size_t>* order);

}  // namespace lathe
