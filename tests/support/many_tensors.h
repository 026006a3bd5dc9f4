// A valid safetensors file with n tiny tensors, for the inspect scaling test
// and `lathe-cli bench inspect` (header-only, torch-free).
#pragma once

#include "core/error.h"
#include "io/safetensors.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace lathe::test {

/// The header bytes (as the reference writer lays them out) of n one-element
/// F32 tensors "layers.<i>.w". 1,000,000 tensors take ~73 MB, inside the
/// 100 MB header limit of the reference reader.
inline std::string many_tensors_header(std::size_t n) {
  std::vector<SafetensorsEntry> entries;
  entries.reserve(n);
  for (std::size_t i = 0; i < n; ++i) entries.push_back({"layers." + std::to_string(i) + ".w", DType::F32, {1}, 4});
  return build_safetensors_header(entries, {{"format", "pt"}}, nullptr);
}

/// Writes the whole file (8-byte length, header, n × 4 zero bytes); returns the header size.
inline std::size_t write_many_tensors_file(const std::string& path, std::size_t n) {
  const std::string header = many_tensors_header(n);
  if (header.size() > kSafetensorsMaxHeader)
    throw Error(ErrorCode::InvalidArgument, "too many tensors for a 100 MB header", path);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw Error(ErrorCode::Io, "cannot create", path);
  std::uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(header.size()) >> (8 * i));
  const std::string data(n * 4, '\0');
  bool ok = std::fwrite(len, 1, 8, f) == 8 && std::fwrite(header.data(), 1, header.size(), f) == header.size() &&
            std::fwrite(data.data(), 1, data.size(), f) == data.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) throw Error(ErrorCode::Io, "cannot write", path);
  return header.size();
}

}  // namespace lathe::test
