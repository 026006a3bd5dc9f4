// Fuzz target: parse_safetensors_header.
//
// Input layout: 8 bytes little-endian D (the size of the data section the
// header must describe), then the header JSON bytes (what follows the 8-byte
// length in a .safetensors file). The file size passed to the parser is
// 8 + len(header) + D, so a fixture's header with its real D parses.
#include "fuzz_common.h"

#include "core/error.h"
#include "io/safetensors.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  const std::uint64_t data_size = lathe::fuzz::read_u64_le(data);
  const std::uint8_t* header = data + 8;
  const std::size_t n = size - 8;
  std::uint64_t file_size = 0;
  if (__builtin_add_overflow(data_size, 8 + static_cast<std::uint64_t>(n), &file_size))
    file_size = UINT64_MAX;
  try {
    lathe::SafetensorsHeader h =
        lathe::parse_safetensors_header(header, n, file_size, "fuzz.safetensors", "fuzz.safetensors");
    // What a successful parse promises: tensors tile [0, D) in order, each
    // holding exactly numel × itemsize bytes.
    LATHE_FUZZ_CHECK(h.header_len == n);
    std::uint64_t pos = 0;
    for (const auto& t : h.tensors) {
      LATHE_FUZZ_CHECK(t.data_begin == pos);
      LATHE_FUZZ_CHECK(t.data_end >= t.data_begin);
      LATHE_FUZZ_CHECK(t.data_end - t.data_begin == t.nbytes);
      std::uint64_t numel = 1;
      for (auto d : t.shape) {
        LATHE_FUZZ_CHECK(d >= 0);
        LATHE_FUZZ_CHECK(!__builtin_mul_overflow(numel, static_cast<std::uint64_t>(d), &numel));
      }
      std::uint64_t bytes = 0;
      LATHE_FUZZ_CHECK(!__builtin_mul_overflow(numel, lathe::dtype_size(t.dtype), &bytes));
      LATHE_FUZZ_CHECK(bytes == t.nbytes);
      LATHE_FUZZ_CHECK(t.name != "__metadata__");
      pos = t.data_end;
    }
    LATHE_FUZZ_CHECK(pos == data_size);
  } catch (const lathe::Error&) {
    // A clean refusal.
  }
  return 0;
}
