// Stored-only zip writer laid out as PyTorch's own: every record's data starts
// at a 64-byte aligned offset (padded through the local header's extra field),
// so a reader can map tensors in place. Torch-free.
#pragma once

#include "core/file_util.h"

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace lathe {

struct ZipWriterOptions {
  /// Write ZIP64 sizes, offsets and end records even for a small archive
  /// (otherwise only when a size or offset reaches 4 GiB or there are 65535+
  /// entries). Lets tests reach the ZIP64 path without writing 4 GiB.
  bool force_zip64 = false;
};

/// Writes a zip archive atomically (lathe::AtomicFile): nothing appears at
/// the target until finish() succeeds.
class ZipWriter {
 public:
  /// Throws Error(Io/NotFound) when the temp file cannot be created.
  explicit ZipWriter(const std::string& path, ZipWriterOptions options = ZipWriterOptions());
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  /// Appends one stored (uncompressed) entry; its data starts at a multiple of 64.
  /// Throws Error(InvalidArgument) for a duplicate or over-long name, Error(Io) on write failure.
  void add(const std::string& name, const void* data, std::uint64_t size);
  /// Writes the central directory and end records, then commits the file.
  void finish();
  /// Bytes written so far (for progress).
  std::uint64_t bytes_written() const { return file_.written(); }

  static constexpr std::uint64_t kAlignment = 64;

 private:
  struct Record {
    std::string name;
    std::uint32_t crc32;
    std::uint64_t size;
    std::uint64_t header_offset;
  };
  AtomicFile file_;
  ZipWriterOptions options_;
  std::vector<Record> records_;
  std::unordered_set<std::string> names_;
  bool finished_ = false;
};

}  // namespace lathe
