// Files: read-only mappings shared by zero-copy tensors, atomic writes, paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace lathe {

/// A whole file mapped MAP_PRIVATE with PROT_READ|PROT_WRITE: tensors viewing it
/// may be modified in place (copy-on-write) without touching the file. Owned
/// through shared_ptr; the mapping is released with the last owner.
class MappedFile {
 public:
  /// Throws Error(NotFound/Io). populate: prefault every page now (fast eager read).
  static std::shared_ptr<MappedFile> open(const std::string& path, bool populate = false);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::uint8_t* data() const { return data_; }
  std::uint8_t* mutable_data() const { return data_; }
  std::uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  MappedFile() = default;
  std::uint8_t* data_ = nullptr;
  std::uint64_t size_ = 0;
  std::string path_;
};

/// An open file descriptor read with pread (for header-only access).
class ReadFile {
 public:
  explicit ReadFile(const std::string& path);  ///< throws NotFound/Io
  ~ReadFile();
  ReadFile(const ReadFile&) = delete;
  ReadFile& operator=(const ReadFile&) = delete;
  std::uint64_t size() const { return size_; }
  /// Reads exactly n bytes at offset or throws Error(CorruptFile, "truncated").
  void read_exact(std::uint64_t offset, void* out, std::size_t n) const;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::string path_;
};

/// Writes a file atomically: data goes to a hidden temp file in the target's
/// folder; commit() fsyncs it, renames it over the target and fsyncs the folder.
/// Destroyed without commit() (an exception, a crash) the target is untouched.
class AtomicFile {
 public:
  explicit AtomicFile(std::string target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t n);
  void write(std::string_view s) { write(s.data(), s.size()); }
  std::uint64_t written() const { return written_; }
  void commit();
  const std::string& target() const { return target_; }

 private:
  void flush_buffer();
  std::string target_;
  std::string temp_;
  int fd_ = -1;
  std::uint64_t written_ = 0;
  std::unique_ptr<char[]> buf_;
  std::size_t buf_used_ = 0;
  bool committed_ = false;
};

/// Whole-file read into a string. Throws NotFound/Io.
std::string read_text_file(const std::string& path);
/// Atomic whole-file write.
void write_text_file_atomic(const std::string& path, std::string_view content);

bool path_exists(const std::string& path);
bool is_directory(const std::string& path);
std::string path_join(const std::string& a, const std::string& b);
std::string path_dirname(const std::string& p);
std::string path_basename(const std::string& p);
/// fsync a directory (after renames into it).
void fsync_dir(const std::string& dir);
/// True when `name` is a plain relative path with no "..", no absolute prefix,
/// no backslash or NUL: safe to join under a folder we own.
bool is_safe_relative_path(std::string_view name);

}  // namespace lathe
