#include "core/file_util.h"

#include "core/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lathe {
namespace {

[[noreturn]] void throw_errno(const std::string& what, const std::string& path) {
  int e = errno;
  ErrorCode code = (e == ENOENT || e == ENOTDIR) ? ErrorCode::NotFound : ErrorCode::Io;
  throw Error(code, what + ": " + std::strerror(e), path);
}

constexpr std::size_t kWriteBuffer = 8u << 20;

}  // namespace

std::shared_ptr<MappedFile> MappedFile::open(const std::string& path, bool populate) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw_errno("cannot open", path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    throw_errno("cannot stat", path);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(ErrorCode::Io, "not a regular file", path);
  }
  std::shared_ptr<MappedFile> m(new MappedFile());
  m->path_ = path;
  m->size_ = static_cast<std::uint64_t>(st.st_size);
  if (m->size_ > 0) {
    void* p = ::mmap(nullptr, m->size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      ::close(fd);
      throw_errno("cannot map", path);
    }
    m->data_ = static_cast<std::uint8_t*>(p);
    if (populate) {
      // MAP_POPULATE on a private writable mapping copies every page up front;
      // MADV_POPULATE_READ maps the page-cache pages read-only instead (copied
      // only if written). Kernels before 5.14 lack it: touch one byte per page.
      constexpr int kPopulateRead = 22;  // MADV_POPULATE_READ
      if (::madvise(p, m->size_, kPopulateRead) != 0) {
        ::madvise(p, m->size_, MADV_WILLNEED);
        const long page = ::sysconf(_SC_PAGESIZE);
        volatile std::uint8_t sink = 0;
        for (std::uint64_t off = 0; off < m->size_; off += static_cast<std::uint64_t>(page)) sink = sink + m->data_[off];
        (void)sink;
      }
    }
  }
  ::close(fd);
  return m;
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(data_, size_);
}

ReadFile::ReadFile(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd_ < 0) throw_errno("cannot open", path);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) throw_errno("cannot stat", path);
  if (!S_ISREG(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw Error(ErrorCode::Io, "not a regular file", path);
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

ReadFile::~ReadFile() {
  if (fd_ >= 0) ::close(fd_);
}

void ReadFile::read_exact(std::uint64_t offset, void* out, std::size_t n) const {
  if (offset > size_ || n > size_ - offset)
    throw Error(ErrorCode::CorruptFile, "file is truncated (wanted " + std::to_string(n) +
                                            " bytes at offset " + std::to_string(offset) + ")",
                path_);
  auto* dst = static_cast<char*>(out);
  while (n > 0) {
    ssize_t r = ::pread(fd_, dst, n, static_cast<off_t>(offset));
    if (r < 0) {
      if (errno == EINTR) continue;
      throw_errno("read failed", path_);
    }
    if (r == 0) throw Error(ErrorCode::CorruptFile, "file is truncated", path_);
    dst += r;
    n -= static_cast<std::size_t>(r);
    offset += static_cast<std::uint64_t>(r);
  }
}

AtomicFile::AtomicFile(std::string target) : target_(std::move(target)) {
  std::random_device rd;
  std::string dir = path_dirname(target_);
  temp_ = path_join(dir, "." + path_basename(target_) + ".tmp." + std::to_string(::getpid()) +
                             "." + std::to_string(rd()));
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_errno("cannot create", temp_);
  buf_.reset(new char[kWriteBuffer]);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

void AtomicFile::flush_buffer() {
  const char* p = buf_.get();
  std::size_t n = buf_used_;
  while (n > 0) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw_errno("write failed", temp_);
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  buf_used_ = 0;
}

void AtomicFile::write(const void* data, std::size_t n) {
  const char* p = static_cast<const char*>(data);
  written_ += n;
  if (buf_used_ + n <= kWriteBuffer) {
    std::memcpy(buf_.get() + buf_used_, p, n);
    buf_used_ += n;
    return;
  }
  flush_buffer();
  if (n >= kWriteBuffer) {  // large blocks go straight to the kernel
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        throw_errno("write failed", temp_);
      }
      p += w;
      n -= static_cast<std::size_t>(w);
    }
    return;
  }
  std::memcpy(buf_.get(), p, n);
  buf_used_ = n;
}

void AtomicFile::commit() {
  flush_buffer();
  if (::fsync(fd_) != 0) throw_errno("fsync failed", temp_);
  if (::close(fd_) != 0) {
    fd_ = -1;
    throw_errno("close failed", temp_);
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), target_.c_str()) != 0) throw_errno("rename failed", target_);
  committed_ = true;
  fsync_dir(path_dirname(target_));
}

std::string read_text_file(const std::string& path) {
  ReadFile f(path);
  std::string s(static_cast<std::size_t>(f.size()), '\0');
  if (!s.empty()) f.read_exact(0, s.data(), s.size());
  return s;
}

void write_text_file_atomic(const std::string& path, std::string_view content) {
  AtomicFile f(path);
  f.write(content);
  f.commit();
}

bool path_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string path_join(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (a.back() == '/') return a + b;
  return a + "/" + b;
}

std::string path_dirname(const std::string& p) {
  auto pos = p.find_last_of('/');
  if (pos == std::string::npos) return ".";
  if (pos == 0) return "/";
  return p.substr(0, pos);
}

std::string path_basename(const std::string& p) {
  auto pos = p.find_last_of('/');
  return pos == std::string::npos ? p : p.substr(pos + 1);
}

void fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: some filesystems refuse
  ::fsync(fd);
  ::close(fd);
}

bool is_safe_relative_path(std::string_view name) {
  if (name.empty() || name.front() == '/') return false;
  if (name.find('\\') != std::string_view::npos) return false;
  if (name.find('\0') != std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace lathe
