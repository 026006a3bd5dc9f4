// The local hub server's storage: git-like and durable.
//
//   DIR/blobs/<sha256>                      content-addressed file contents
//   DIR/repos/<ns>/<name>/repo.json         {"private", "owner", "createdAt"}
//   DIR/repos/<ns>/<name>/commits/<id>.json one object per commit (parent, files)
//   DIR/repos/<ns>/<name>/refs/heads/<br>   commit id of a branch
//   DIR/repos/<ns>/<name>/refs/pr/<N>       commit id of a pull request
// Every write is temp file + rename (core/file_util.h AtomicFile).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace lathe::hub {

struct StoredFile {
  std::string sha256;
  std::uint64_t size = 0;
  bool lfs = false;
  std::string oid_cache_;       ///< git blob id of a regular file (computed on write)
  std::string git_oid() const;  ///< blob sha1 of the content, or of the LFS pointer  ///< blob sha1 of the content, or of the LFS pointer
};

struct StoredCommit {
  std::string id, parent, summary, description, date;
  std::map<std::string, StoredFile> files;
};

struct RepoMeta {
  std::string id, owner, created_at;
  bool is_private = false;
};

class Storage {
 public:
  explicit Storage(std::string root);

  bool repo_exists(const std::string& id) const;
  RepoMeta meta(const std::string& id) const;  ///< throws NotFound
  /// False when it already exists. Writes the initial commit (.gitattributes).
  bool create_repo(const std::string& id, const std::string& owner, bool is_private);
  std::vector<std::string> list_repos() const;
  /// Removes the repo (its blobs stay: they may be shared). False when absent.
  bool delete_repo(const std::string& id);

  /// Branch name, "refs/pr/N", or a (full) commit id -> commit id.
  std::optional<std::string> resolve(const std::string& id, const std::string& rev) const;
  StoredCommit load_commit(const std::string& id, const std::string& commit) const;
  /// Stores the commit (its id is computed and set), returns the id.
  std::string write_commit(const std::string& id, StoredCommit& c);
  void set_ref(const std::string& id, const std::string& rev, const std::string& commit);
  int next_pr_number(const std::string& id) const;

  std::string blob_path(const std::string& sha256) const;
  bool has_blob(const std::string& sha256) const;
  /// Stores bytes; returns their sha256.
  std::string put_blob(const std::string& bytes);
  /// Stores bytes only if their sha256 is `expected`; false otherwise.
  bool put_blob_checked(const std::string& bytes, const std::string& expected);

  /// Per-repository LFS membership (repos/<id>/lfs/<oid>): the objects a commit
  /// of the repo may reference — uploaded to it, or in one of its commits. The
  /// blobs are shared on disk, but never across repositories through the API.
  bool repo_has_lfs(const std::string& id, const std::string& oid) const;
  void add_repo_lfs(const std::string& id, const std::string& oid);
  /// Records the LFS objects of all commits of every repo not indexed yet
  /// (folders written before membership existed); once per repo.
  void index_lfs();
  /// The size of a stored blob; nullopt when absent.
  std::optional<std::uint64_t> blob_size(const std::string& sha256) const;
  /// Start-up clean-up: temp files of killed writes (".<name>.tmp.<pid>.<n>" of
  /// processes that are gone), uploads/ (parts whose signed URLs died with the
  /// previous process) and half-deleted repos (repos/.deleted-*).
  void remove_leftovers();

  /// The per-repo commit lock.
  std::mutex& repo_lock(const std::string& id);

  /// The repo's download count (persisted in repos/<id>/downloads).
  std::uint64_t downloads(const std::string& id);
  void count_download(const std::string& id);

 private:
  std::string repo_dir(const std::string& id) const;
  std::string ref_path(const std::string& id, const std::string& rev) const;
  std::uint64_t& downloads_locked(const std::string& id);  ///< downloads_mutex_ held
  std::string root_;
  std::mutex locks_mutex_;
  std::map<std::string, std::unique_ptr<std::mutex>> locks_;
  std::mutex downloads_mutex_;
  std::map<std::string, std::uint64_t> downloads_;  ///< loaded lazily from disk
};

}  // namespace lathe::hub
