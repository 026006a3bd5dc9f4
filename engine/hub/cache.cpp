#include "hub/cache.h"

#include "core/error.h"
#include "core/file_util.h"
#include "hub/hub_util.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace lathe::hub {

std::string repo_cache_dir(const std::string& cache_dir, const std::string& repo) {
  std::string name = "models";
  for (const auto& part : split(repo, '/')) name += "--" + part;
  return cache_dir + "/" + name;
}

void make_dirs(const std::string& path) {
  std::string cur;
  for (const auto& part : split(path, '/')) {
    cur += part;
    if (!cur.empty() && ::mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST)
      throw Error(ErrorCode::Io, std::string("cannot create folder: ") + std::strerror(errno), cur);
    cur += '/';
  }
}

void ensure_cachedir_tag(const std::string& cache_dir) {
  make_dirs(cache_dir);
  std::string tag = cache_dir + "/CACHEDIR.TAG";
  if (!path_exists(tag))
    write_text_file_atomic(tag,
                           "Signature: 8a477f597d28d172789f06886806bc55\n"
                           "# This file is a cache directory tag created by huggingface_hub.\n"
                           "# For information about cache directory tags, see:\n"
                           "#\thttps://bford.info/cachedir/\n");
}

void write_ref(const std::string& repo_dir, const std::string& rev, const std::string& commit) {
  if (!valid_revision_name(rev)) throw Error(ErrorCode::InvalidArgument, "unsafe revision name", rev);
  std::string path = repo_dir + "/refs/" + rev;
  make_dirs(path_dirname(path));
  if (path_exists(path) && read_text_file(path) == commit) return;
  write_text_file_atomic(path, commit);
}

std::optional<std::string> read_ref(const std::string& repo_dir, const std::string& rev) {
  if (!valid_revision_name(rev)) return std::nullopt;
  std::string path = repo_dir + "/refs/" + rev;
  if (!path_exists(path)) return std::nullopt;
  std::string c = read_text_file(path);
  while (!c.empty() && (c.back() == '\n' || c.back() == ' ')) c.pop_back();
  return is_commit_id(c) ? std::optional<std::string>(c) : std::nullopt;
}

void link_snapshot(const std::string& repo_dir, const std::string& commit, const std::string& path,
                   const std::string& blob) {
  if (!valid_repo_path(path)) throw Error(ErrorCode::InvalidArgument, "unsafe file name", path);
  std::string link = repo_dir + "/snapshots/" + commit + "/" + path;
  make_dirs(path_dirname(link));
  std::string target = "../../blobs/" + blob;
  for (char c : path)
    if (c == '/') target = "../" + target;
  static std::atomic<unsigned> counter{0};
  std::string tmp = link + ".lathe-link-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  ::unlink(tmp.c_str());
  if (::symlink(target.c_str(), tmp.c_str()) != 0 || ::rename(tmp.c_str(), link.c_str()) != 0)
    throw Error(ErrorCode::Io, std::string("cannot create symlink: ") + std::strerror(errno), link);
}

void mark_no_exist(const std::string& repo_dir, const std::string& commit, const std::string& path) {
  if (!valid_repo_path(path) || !is_commit_id(commit)) return;
  std::string marker = repo_dir + "/.no_exist/" + commit + "/" + path;
  make_dirs(path_dirname(marker));
  int fd = ::open(marker.c_str(), O_CREAT | O_WRONLY, 0644);
  if (fd >= 0) ::close(fd);
}

CacheLock::CacheLock(const std::string& cache_dir, const std::string& repo, const std::string& blob) {
  std::string dir = cache_dir + "/.locks/" + path_basename(repo_cache_dir(cache_dir, repo));
  make_dirs(dir);
  std::string path = dir + "/" + blob + ".lock";
  fd_ = ::open(path.c_str(), O_CREAT | O_RDWR, 0664);
  if (fd_ < 0) throw Error(ErrorCode::Io, std::string("cannot open lock: ") + std::strerror(errno), path);
  while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
  }
}

CacheLock::~CacheLock() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

}  // namespace lathe::hub
