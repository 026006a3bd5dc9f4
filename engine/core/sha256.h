// SHA-256 (FIPS 180-4), incremental. Used to verify downloads and in tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace lathe {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t n);
  /// Lower-case hex digest; the object must not be updated afterwards.
  std::string hex_digest();

 private:
  void block(const std::uint8_t* p);
  std::uint32_t h_[8];
  std::uint8_t buf_[64];
  std::size_t buf_len_ = 0;
  std::uint64_t total_ = 0;
};

/// sha256 of a whole file, streamed. Throws NotFound/Io.
std::string sha256_file(const std::string& path);

}  // namespace lathe
