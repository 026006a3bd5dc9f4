#include "io/folder_transaction.h"

#include "core/error.h"
#include "core/file_util.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace lathe {
namespace {

const char* kStagingTag = ".lathe-staging-";

// Staging folders of processes that no longer exist (a crash mid-save).
void remove_orphans(const std::string& parent, const std::string& base) {
  std::error_code ec;
  const std::string prefix = "." + base + kStagingTag;
  for (auto& e : fs::directory_iterator(parent, ec)) {
    std::string n = e.path().filename().string();
    if (n.rfind(prefix, 0) != 0) continue;
    long pid = std::strtol(n.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
      fs::remove_all(e.path(), ec);
  }
}

void link_or_copy(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (fs::is_directory(from, ec)) {
    fs::create_directories(to, ec);
    for (auto& e : fs::directory_iterator(from, ec)) link_or_copy(e.path(), to / e.path().filename());
    return;
  }
  if (fs::exists(to, ec)) return;
  if (::link(from.c_str(), to.c_str()) == 0) return;
  fs::copy(from, to, fs::copy_options::copy_symlinks, ec);
  if (ec) throw Error(ErrorCode::Io, "cannot carry over " + from.string() + ": " + ec.message(), to.string());
}

}  // namespace

FolderTransaction::FolderTransaction(std::string target) : target_(std::move(target)) {
  while (target_.size() > 1 && target_.back() == '/') target_.pop_back();
  fs::path t = fs::absolute(target_);
  std::string parent = t.parent_path().string(), base = t.filename().string();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw Error(ErrorCode::Io, "cannot create folder: " + ec.message(), parent);
  if (fs::exists(t, ec) && !fs::is_directory(t, ec)) throw Error(ErrorCode::Io, "exists and is not a folder", target_);
  remove_orphans(parent, base);
  std::random_device rd;
  staging_ = parent + "/." + base + kStagingTag + std::to_string(::getpid()) + "-" + std::to_string(rd());
  if (!fs::create_directory(staging_, ec)) throw Error(ErrorCode::Io, "cannot create staging folder: " + ec.message(), staging_);
}

FolderTransaction::~FolderTransaction() {
  std::error_code ec;
  fs::remove_all(staging_, ec);  // after commit this holds the old contents
}

std::string FolderTransaction::file(const std::string& name) const { return path_join(staging_, name); }

void FolderTransaction::carry_over(const std::function<bool(const std::string&)>& keep) {
  std::error_code ec;
  if (!fs::is_directory(target_, ec)) return;
  for (auto& e : fs::directory_iterator(target_, ec)) {
    std::string n = e.path().filename().string();
    if (!keep(n)) continue;
    link_or_copy(e.path(), fs::path(staging_) / n);
  }
}

void FolderTransaction::commit() {
  if (committed_) return;
  // Everything written into staging reaches the disk before the swap.
  for (auto& e : fs::recursive_directory_iterator(staging_)) {
    if (!e.is_regular_file()) continue;
    int fd = ::open(e.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }
  fsync_dir(staging_);
  std::error_code ec;
  if (!fs::exists(target_, ec)) {
    if (::rename(staging_.c_str(), target_.c_str()) != 0)
      throw Error(ErrorCode::Io, std::string("cannot move the saved folder into place: ") + std::strerror(errno), target_);
    committed_ = true;
    fsync_dir(path_dirname(fs::absolute(target_).string()));
    return;
  }
  if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) != 0) {
    if (errno != EINVAL && errno != ENOSYS)
      throw Error(ErrorCode::Io, std::string("cannot swap the saved folder into place: ") + std::strerror(errno), target_);
    // Filesystems without RENAME_EXCHANGE: two renames. A crash between them
    // leaves the old folder at "<target>.lathe-old", complete and loadable.
    std::string old = target_ + ".lathe-old";
    fs::remove_all(old, ec);
    if (::rename(target_.c_str(), old.c_str()) != 0 || ::rename(staging_.c_str(), target_.c_str()) != 0)
      throw Error(ErrorCode::Io, std::string("cannot move the saved folder into place: ") + std::strerror(errno), target_);
    staging_ = old;
  }
  committed_ = true;
  fsync_dir(path_dirname(fs::absolute(target_).string()));
}

}  // namespace lathe
