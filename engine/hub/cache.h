// The huggingface_hub cache layout (byte-compatible with Python):
//   models--{ns}--{name}/{blobs,refs,snapshots,.no_exist}, .locks/...
#pragma once

#include <optional>
#include <string>

namespace lathe::hub {

/// $cache/models--ns--name
std::string repo_cache_dir(const std::string& cache_dir, const std::string& repo);
void make_dirs(const std::string& path);
/// CACHEDIR.TAG, as huggingface_hub writes it.
void ensure_cachedir_tag(const std::string& cache_dir);
/// refs/<rev>: the commit id, no trailing newline, written atomically.
void write_ref(const std::string& repo_dir, const std::string& rev, const std::string& commit);
std::optional<std::string> read_ref(const std::string& repo_dir, const std::string& rev);
/// snapshots/<commit>/<path> -> relative symlink to ../../blobs/<blob> (+ "../" per subfolder).
void link_snapshot(const std::string& repo_dir, const std::string& commit, const std::string& path,
                   const std::string& blob);
/// .no_exist/<commit>/<path>: empty marker.
void mark_no_exist(const std::string& repo_dir, const std::string& commit, const std::string& path);

/// An exclusive flock() on $cache/.locks/models--ns--name/<blob>.lock, released on destruction.
class CacheLock {
 public:
  CacheLock(const std::string& cache_dir, const std::string& repo, const std::string& blob);
  ~CacheLock();
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace lathe::hub
