// Zip archives as PyTorch writes them: the central directory (incl. ZIP64) of
// a file held in memory, with every offset checked against the buffer.
//
// Torch-free and a pure function of the bytes, so it can be fuzzed. Only the
// directory is parsed; entry data is read in place (stored entries only),
// which is what lets `.bin` tensors be mapped zero-copy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lathe {

struct ZipEntry {
  std::string name;
  std::uint16_t method = 0;  ///< 0 = stored, 8 = deflate, ...
  std::uint16_t flags = 0;   ///< general purpose bits (bit 0 = encrypted)
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint64_t header_offset = 0;  ///< local file header
  std::uint64_t data_offset = 0;    ///< first data byte (after the local header's name and extra)
};

/// The directory of a zip archive held in memory. Does not own the bytes: the
/// caller keeps them alive (typically a MappedFile) for as long as data() is used.
class ZipArchive {
 public:
  /// Parses the end-of-central-directory record (ZIP64 when present), the
  /// central directory and every local header. Rejects truncated archives,
  /// offsets or sizes past the end, entry counts the directory cannot hold,
  /// overlapping or duplicate entries and multi-disk archives with
  /// Error(CorruptFile, ..., path).
  ZipArchive(const std::uint8_t* data, std::uint64_t size, std::string path);

  const std::vector<ZipEntry>& entries() const { return entries_; }
  /// The entry with exactly this name, or nullptr.
  const ZipEntry* find(std::string_view name) const;
  /// The bytes of a stored (method 0, unencrypted) entry, in place.
  /// Throws Error(CorruptFile) for compressed or encrypted entries.
  std::string_view stored_data(const ZipEntry& e) const;
  /// Compares the entry's CRC-32 with its stored bytes; throws Error(CorruptFile) on mismatch.
  void verify_crc(const ZipEntry& e) const;
  const std::string& path() const { return path_; }

 private:
  void parse();
  const std::uint8_t* data_;
  std::uint64_t size_;
  std::string path_;
  std::vector<ZipEntry> entries_;
  std::unordered_map<std::string, std::size_t> index_;
};

/// True when the bytes start like a zip archive (local header signature), as
/// torch.load decides between the zip and the legacy format.
bool looks_like_zip(const std::uint8_t* data, std::uint64_t size);

}  // namespace lathe
