#include "io/zip_writer.h"

#include "core/error.h"

#include <zlib.h>

namespace lathe {
namespace {

constexpr std::uint32_t kSat32 = 0xffffffffu;
constexpr std::uint16_t kVersionPlain = 20;
constexpr std::uint16_t kVersionZip64 = 45;
// Flag bit 11: names are UTF-8 (tensor names may be).
constexpr std::uint16_t kFlags = 0x0800;
// A fixed timestamp (1980-01-01 00:00) keeps the output reproducible.
constexpr std::uint16_t kDosTime = 0;
constexpr std::uint16_t kDosDate = (1 << 5) | 1;
// PyTorch names its padding field "FB" and fills it with 'Z'; any reader skips
// unknown extra fields, so we do the same.
constexpr std::uint16_t kPaddingFieldId = 0x4246;

void put16(std::string& s, std::uint64_t v) {
  s.push_back(static_cast<char>(v & 0xff));
  s.push_back(static_cast<char>((v >> 8) & 0xff));
}
void put32(std::string& s, std::uint64_t v) {
  put16(s, v & 0xffff);
  put16(s, (v >> 16) & 0xffff);
}
void put64(std::string& s, std::uint64_t v) {
  put32(s, v & 0xffffffffu);
  put32(s, v >> 32);
}

std::uint32_t crc_of(const void* data, std::uint64_t size) {
  uLong crc = crc32_z(0L, nullptr, 0);
  const auto* p = static_cast<const Bytef*>(data);
  constexpr std::uint64_t kChunk = 1u << 30;  // crc32_z takes size_t, chunking keeps it portable
  while (size > 0) {
    std::uint64_t n = size < kChunk ? size : kChunk;
    crc = crc32_z(crc, p, static_cast<z_size_t>(n));
    p += n;
    size -= n;
  }
  return static_cast<std::uint32_t>(crc);
}

}  // namespace

ZipWriter::ZipWriter(const std::string& path, ZipWriterOptions options)
    : file_(path), options_(options) {}

void ZipWriter::add(const std::string& name, const void* data, std::uint64_t size) {
  if (finished_) throw Error(ErrorCode::Internal, "zip: add() after finish()", file_.target());
  if (name.empty() || name.size() > 0xffff)
    throw Error(ErrorCode::InvalidArgument, "zip: bad entry name length", name);
  if (!names_.insert(name).second)
    throw Error(ErrorCode::InvalidArgument, "zip: duplicate entry name", name);

  const std::uint64_t offset = file_.written();
  const std::uint32_t crc = crc_of(data, size);
  const bool zip64 = options_.force_zip64 || size >= kSat32 || offset >= kSat32;

  std::string extra;
  if (zip64) {  // a local ZIP64 field must hold both sizes
    put16(extra, 0x0001);
    put16(extra, 16);
    put64(extra, size);
    put64(extra, size);
  }
  std::uint64_t data_start = offset + 30 + name.size() + extra.size() + 4;
  std::uint64_t pad = (kAlignment - data_start % kAlignment) % kAlignment;
  put16(extra, kPaddingFieldId);
  put16(extra, pad);
  extra.append(static_cast<std::size_t>(pad), 'Z');

  std::string h;
  put32(h, 0x04034b50);
  put16(h, zip64 ? kVersionZip64 : kVersionPlain);
  put16(h, kFlags);
  put16(h, 0);  // stored
  put16(h, kDosTime);
  put16(h, kDosDate);
  put32(h, crc);
  put32(h, zip64 ? kSat32 : size);
  put32(h, zip64 ? kSat32 : size);
  put16(h, name.size());
  put16(h, extra.size());
  h += name;
  h += extra;
  file_.write(h);
  if (size > 0) file_.write(data, static_cast<std::size_t>(size));
  records_.push_back({name, crc, size, offset});
}

void ZipWriter::finish() {
  if (finished_) return;
  const std::uint64_t cd_offset = file_.written();
  bool any_zip64 = options_.force_zip64 || records_.size() >= 0xffff;
  std::string cd;
  for (const Record& r : records_) {
    const bool big_size = options_.force_zip64 || r.size >= kSat32;
    const bool big_offset = options_.force_zip64 || r.header_offset >= kSat32;
    std::string extra;
    if (big_size || big_offset) {
      any_zip64 = true;
      put16(extra, 0x0001);
      put16(extra, (big_size ? 16u : 0u) + (big_offset ? 8u : 0u));
      if (big_size) {
        put64(extra, r.size);
        put64(extra, r.size);
      }
      if (big_offset) put64(extra, r.header_offset);
    }
    put32(cd, 0x02014b50);
    put16(cd, extra.empty() ? kVersionPlain : kVersionZip64);  // made by (MS-DOS attributes)
    put16(cd, extra.empty() ? kVersionPlain : kVersionZip64);
    put16(cd, kFlags);
    put16(cd, 0);
    put16(cd, kDosTime);
    put16(cd, kDosDate);
    put32(cd, r.crc32);
    put32(cd, big_size ? kSat32 : r.size);
    put32(cd, big_size ? kSat32 : r.size);
    put16(cd, r.name.size());
    put16(cd, extra.size());
    put16(cd, 0);  // comment
    put16(cd, 0);  // disk
    put16(cd, 0);  // internal attributes
    put32(cd, 0);  // external attributes
    put32(cd, big_offset ? kSat32 : r.header_offset);
    cd += r.name;
    cd += extra;
  }
  const std::uint64_t cd_size = cd.size();
  const std::uint64_t count = records_.size();
  any_zip64 = any_zip64 || cd_offset >= kSat32 || cd_size >= kSat32;

  std::string tail;
  if (any_zip64) {
    const std::uint64_t z64_offset = cd_offset + cd_size;
    put32(tail, 0x06064b50);
    put64(tail, 44);  // size of the rest of this record
    put16(tail, kVersionZip64);
    put16(tail, kVersionZip64);
    put32(tail, 0);
    put32(tail, 0);
    put64(tail, count);
    put64(tail, count);
    put64(tail, cd_size);
    put64(tail, cd_offset);
    put32(tail, 0x07064b50);  // locator
    put32(tail, 0);
    put64(tail, z64_offset);
    put32(tail, 1);
  }
  put32(tail, 0x06054b50);
  put16(tail, 0);
  put16(tail, 0);
  put16(tail, any_zip64 ? 0xffff : count);
  put16(tail, any_zip64 ? 0xffff : count);
  put32(tail, any_zip64 ? kSat32 : cd_size);
  put32(tail, any_zip64 ? kSat32 : cd_offset);
  put16(tail, 0);
  file_.write(cd);
  file_.write(tail);
  file_.commit();
  finished_ = true;
}

}  // namespace lathe
