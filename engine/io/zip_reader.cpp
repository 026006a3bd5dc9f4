#include "io/zip_reader.h"

#include "core/error.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace lathe {
namespace {

constexpr std::uint32_t kLocalSig = 0x04034b50;
constexpr std::uint32_t kCentralSig = 0x02014b50;
constexpr std::uint32_t kEocdSig = 0x06054b50;
constexpr std::uint32_t kZip64EocdSig = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSig = 0x07064b50;
constexpr std::uint64_t kLocalHeaderSize = 30;
constexpr std::uint64_t kCentralHeaderSize = 46;
constexpr std::uint64_t kEocdSize = 22;
constexpr std::uint64_t kZip64EocdSize = 56;
constexpr std::uint64_t kZip64LocatorSize = 20;
constexpr std::uint64_t kMaxCommentSize = 0xffff;

std::uint16_t rd16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t rd32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint64_t rd64(const std::uint8_t* p) {
  return static_cast<std::uint64_t>(rd32(p)) | (static_cast<std::uint64_t>(rd32(p + 4)) << 32);
}

/// [off, off + len) lies within [0, limit), without overflowing.
bool fits(std::uint64_t off, std::uint64_t len, std::uint64_t limit) {
  return off <= limit && len <= limit - off;
}

}  // namespace

bool looks_like_zip(const std::uint8_t* data, std::uint64_t size) {
  return size >= 4 && rd32(data) == kLocalSig;
}

ZipArchive::ZipArchive(const std::uint8_t* data, std::uint64_t size, std::string path)
    : data_(data), size_(size), path_(std::move(path)) {
  parse();
}

void ZipArchive::parse() {
  auto corrupt = [&](const std::string& what) {
    return Error(ErrorCode::CorruptFile, "zip: " + what, path_);
  };
  if (size_ < kEocdSize) throw corrupt("too small to be a zip archive");

  // The EOCD record ends the file, possibly followed by a comment of up to 64 KiB;
  // scanning backwards finds the real one before any look-alike inside the comment.
  std::uint64_t eocd = 0;
  bool found = false;
  std::uint64_t lowest = size_ - kEocdSize > kMaxCommentSize ? size_ - kEocdSize - kMaxCommentSize : 0;
  for (std::uint64_t pos = size_ - kEocdSize + 1; pos-- > lowest;) {
    if (rd32(data_ + pos) == kEocdSig && pos + kEocdSize + rd16(data_ + pos + 20) <= size_) {
      eocd = pos;
      found = true;
      break;
    }
  }
  if (!found) throw corrupt("no end of central directory (truncated file?)");

  const std::uint8_t* e = data_ + eocd;
  if (rd16(e + 4) != 0 || rd16(e + 6) != 0) throw corrupt("multi-disk archives are not supported");
  std::uint64_t count = rd16(e + 10);
  std::uint64_t cd_size = rd32(e + 12);
  std::uint64_t cd_offset = rd32(e + 16);
  std::uint64_t cd_limit = eocd;  // the directory must end before the records that describe it

  if (eocd >= kZip64LocatorSize && rd32(data_ + eocd - kZip64LocatorSize) == kZip64LocatorSig) {
    const std::uint8_t* loc = data_ + eocd - kZip64LocatorSize;
    std::uint64_t z64 = rd64(loc + 8);
    if (rd32(loc + 4) != 0 || rd32(loc + 16) > 1) throw corrupt("multi-disk archives are not supported");
    if (!fits(z64, kZip64EocdSize, eocd - kZip64LocatorSize))
      throw corrupt("ZIP64 end of central directory out of bounds");
    const std::uint8_t* z = data_ + z64;
    if (rd32(z) != kZip64EocdSig) throw corrupt("bad ZIP64 end of central directory signature");
    if (rd32(z + 16) != 0 || rd32(z + 20) != 0) throw corrupt("multi-disk archives are not supported");
    count = rd64(z + 32);
    cd_size = rd64(z + 40);
    cd_offset = rd64(z + 48);
    cd_limit = z64;
  }
  if (!fits(cd_offset, cd_size, cd_limit)) throw corrupt("central directory out of bounds");
  // Every central header takes at least 46 bytes: a count the directory cannot
  // hold is a lie meant to make us allocate.
  if (count > cd_size / kCentralHeaderSize) throw corrupt("entry count larger than the directory");

  entries_.reserve(static_cast<std::size_t>(count));
  std::uint64_t pos = cd_offset;
  const std::uint64_t cd_end = cd_offset + cd_size;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (!fits(pos, kCentralHeaderSize, cd_end)) throw corrupt("central directory truncated");
    const std::uint8_t* c = data_ + pos;
    if (rd32(c) != kCentralSig) throw corrupt("bad central directory signature");
    ZipEntry ze;
    ze.flags = rd16(c + 8);
    ze.method = rd16(c + 10);
    ze.crc32 = rd32(c + 16);
    ze.compressed_size = rd32(c + 20);
    ze.uncompressed_size = rd32(c + 24);
    std::uint64_t name_len = rd16(c + 28), extra_len = rd16(c + 30), comment_len = rd16(c + 32);
    std::uint32_t disk = rd16(c + 34);
    ze.header_offset = rd32(c + 42);
    std::uint64_t var_len = name_len + extra_len + comment_len;
    if (!fits(pos + kCentralHeaderSize, var_len, cd_end)) throw corrupt("central directory truncated");
    ze.name.assign(reinterpret_cast<const char*>(c + kCentralHeaderSize), name_len);

    // ZIP64 extra: 64-bit values appear only for the fields saturated at 0xffffffff, in this order.
    const std::uint8_t* x = c + kCentralHeaderSize + name_len;
    const std::uint8_t* x_end = x + extra_len;
    while (x_end - x >= 4) {
      std::uint16_t id = rd16(x), len = rd16(x + 2);
      if (len > x_end - x - 4) throw corrupt("extra field truncated in '" + ze.name + "'");
      if (id == 0x0001) {
        const std::uint8_t* f = x + 4;
        const std::uint8_t* f_end = f + len;
        auto take64 = [&](std::uint64_t& field) {
          if (f_end - f < 8) throw corrupt("ZIP64 extra field truncated in '" + ze.name + "'");
          field = rd64(f);
          f += 8;
        };
        if (ze.uncompressed_size == 0xffffffffu) take64(ze.uncompressed_size);
        if (ze.compressed_size == 0xffffffffu) take64(ze.compressed_size);
        if (ze.header_offset == 0xffffffffu) take64(ze.header_offset);
        if (disk == 0xffff) {
          if (f_end - f < 4) throw corrupt("ZIP64 extra field truncated in '" + ze.name + "'");
          disk = rd32(f);
        }
      }
      x += 4 + len;
    }
    if (disk != 0) throw corrupt("multi-disk archives are not supported");

    // The local header may carry a different extra field (PyTorch pads there to
    // align the data), so the data start is only known after reading it.
    if (!fits(ze.header_offset, kLocalHeaderSize, cd_offset))
      throw corrupt("local header of '" + ze.name + "' out of bounds");
    const std::uint8_t* l = data_ + ze.header_offset;
    if (rd32(l) != kLocalSig) throw corrupt("bad local header signature for '" + ze.name + "'");
    std::uint64_t l_name = rd16(l + 26), l_extra = rd16(l + 28);
    if (!fits(ze.header_offset + kLocalHeaderSize, l_name + l_extra, cd_offset))
      throw corrupt("local header of '" + ze.name + "' out of bounds");
    if (l_name != name_len || std::memcmp(l + kLocalHeaderSize, ze.name.data(), name_len) != 0)
      throw corrupt("local and central names differ for '" + ze.name + "'");
    ze.data_offset = ze.header_offset + kLocalHeaderSize + l_name + l_extra;
    if (!fits(ze.data_offset, ze.compressed_size, cd_offset))
      throw corrupt("data of '" + ze.name + "' runs past its bounds");

    if (!index_.emplace(ze.name, entries_.size()).second)
      throw corrupt("duplicate entry '" + ze.name + "'");
    entries_.push_back(std::move(ze));
    pos += kCentralHeaderSize + var_len;
  }

  // Entries sharing bytes would let one record alias another's data.
  std::vector<const ZipEntry*> by_offset;
  by_offset.reserve(entries_.size());
  for (const auto& ze : entries_) by_offset.push_back(&ze);
  std::sort(by_offset.begin(), by_offset.end(),
            [](const ZipEntry* a, const ZipEntry* b) { return a->header_offset < b->header_offset; });
  for (std::size_t i = 1; i < by_offset.size(); ++i) {
    const ZipEntry* prev = by_offset[i - 1];
    if (prev->data_offset + prev->compressed_size > by_offset[i]->header_offset)
      throw corrupt("entries '" + prev->name + "' and '" + by_offset[i]->name + "' overlap");
  }
}

const ZipEntry* ZipArchive::find(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? nullptr : &entries_[it->second];
}

std::string_view ZipArchive::stored_data(const ZipEntry& e) const {
  if (e.flags & 1u) throw Error(ErrorCode::CorruptFile, "zip: entry '" + e.name + "' is encrypted", path_);
  if (e.method != 0 || e.compressed_size != e.uncompressed_size)
    throw Error(ErrorCode::CorruptFile,
                "zip: entry '" + e.name + "' is compressed (only stored entries are supported)", path_);
  return {reinterpret_cast<const char*>(data_ + e.data_offset), static_cast<std::size_t>(e.compressed_size)};
}

void ZipArchive::verify_crc(const ZipEntry& e) const {
  std::string_view d = stored_data(e);
  uLong crc = crc32_z(0L, reinterpret_cast<const Bytef*>(d.data()), d.size());
  if (static_cast<std::uint32_t>(crc) != e.crc32)
    throw Error(ErrorCode::CorruptFile, "zip: CRC mismatch in '" + e.name + "'", path_);
}

}  // namespace lathe
