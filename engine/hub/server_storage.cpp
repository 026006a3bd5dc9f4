#include "hub/server_storage.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/sha256.h"
#include "hub/hub_util.h"

#include <nlohmann/json.hpp>

#include <dirent.h>
#include <sys/stat.h>

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <filesystem>

namespace lathe::hub {
namespace {

void mkdirs(const std::string& path) {
  std::string cur;
  for (const auto& part : split(path, '/')) {
    cur += part;
    if (!cur.empty()) ::mkdir(cur.c_str(), 0755);
    cur += '/';
  }
}

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (auto* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != ".." && n[0] != '.') out.push_back(n);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

void write_atomic(const std::string& path, const std::string& data) {
  mkdirs(path_dirname(path));
  write_text_file_atomic(path, data);
}

const char* kGitattributes =
    "*.bin filter=lfs diff=lfs merge=lfs -text\n"
    "*.safetensors filter=lfs diff=lfs merge=lfs -text\n"
    "*.gguf filter=lfs diff=lfs merge=lfs -text\n"
    "*.pt filter=lfs diff=lfs merge=lfs -text\n"
    "*.pth filter=lfs diff=lfs merge=lfs -text\n"
    "*.onnx filter=lfs diff=lfs merge=lfs -text\n"
    "*.h5 filter=lfs diff=lfs merge=lfs -text\n"
    "*.msgpack filter=lfs diff=lfs merge=lfs -text\n"
    "*.zip filter=lfs diff=lfs merge=lfs -text\n";

}  // namespace

std::string StoredFile::git_oid() const {
  if (lfs) return git_blob_oid(lfs_pointer(sha256, size));
  return oid_cache_;
}

Storage::Storage(std::string root) : root_(std::move(root)) {
  mkdirs(root_ + "/blobs");
  mkdirs(root_ + "/repos");
}

std::string Storage::repo_dir(const std::string& id) const {
  if (!valid_repo_id(id)) throw Error(ErrorCode::InvalidArgument, "invalid repo id", id);
  return root_ + "/repos/" + id;
}

std::string Storage::ref_path(const std::string& id, const std::string& rev) const {
  if (!valid_revision_name(rev)) return {};
  if (rev.rfind("refs/pr/", 0) == 0) return repo_dir(id) + "/" + rev;
  return repo_dir(id) + "/refs/heads/" + rev;
}

bool Storage::repo_exists(const std::string& id) const {
  return valid_repo_id(id) && path_exists(repo_dir(id) + "/repo.json");
}

RepoMeta Storage::meta(const std::string& id) const {
  if (!repo_exists(id)) throw Error(ErrorCode::NotFound, "repository not found", id);
  auto j = nlohmann::json::parse(read_text_file(repo_dir(id) + "/repo.json"));
  RepoMeta m;
  m.id = id;
  m.owner = j.value("owner", "");
  m.created_at = j.value("createdAt", "");
  m.is_private = j.value("private", false);
  return m;
}

bool Storage::create_repo(const std::string& id, const std::string& owner, bool is_private) {
  std::lock_guard<std::mutex> g(repo_lock(id));
  if (repo_exists(id)) return false;
  StoredCommit c;
  c.summary = "initial commit";
  c.date = iso_now();
  std::string ga = kGitattributes;
  StoredFile f;
  f.sha256 = put_blob(ga);
  f.size = ga.size();
  c.files[".gitattributes"] = f;
  std::string cid = write_commit(id, c);
  set_ref(id, "main", cid);
  write_atomic(repo_dir(id) + "/lfs/.indexed", "");  // a new repo has no LFS objects yet
  nlohmann::json j = {{"owner", owner}, {"private", is_private}, {"createdAt", c.date}};
  write_atomic(repo_dir(id) + "/repo.json", j.dump());  // last: the repo exists once complete
  return true;
}

bool Storage::delete_repo(const std::string& id) {
  std::lock_guard<std::mutex> g(repo_lock(id));
  if (!repo_exists(id)) return false;
  {
    std::lock_guard<std::mutex> d(downloads_mutex_);
    downloads_.erase(id);
  }
  // Unpublish first (one rename), then remove the files.
  std::string trash = root_ + "/repos/.deleted-" + sha1_hex(id + iso_now() + std::to_string(::getpid()));
  if (::rename(repo_dir(id).c_str(), trash.c_str()) != 0)
    throw Error(ErrorCode::Io, "cannot delete repository", id);
  std::error_code ec;
  std::filesystem::remove_all(trash, ec);
  return true;
}

std::vector<std::string> Storage::list_repos() const {
  std::vector<std::string> out;
  for (const auto& ns : list_dir(root_ + "/repos"))
    for (const auto& name : list_dir(root_ + "/repos/" + ns))
      if (repo_exists(ns + "/" + name)) out.push_back(ns + "/" + name);
  return out;
}

std::optional<std::string> Storage::resolve(const std::string& id, const std::string& rev) const {
  if (is_commit_id(rev)) {
    if (path_exists(repo_dir(id) + "/commits/" + rev + ".json")) return rev;
    return std::nullopt;
  }
  std::string p = ref_path(id, rev);
  if (p.empty() || !path_exists(p)) return std::nullopt;
  return read_text_file(p);
}

StoredCommit Storage::load_commit(const std::string& id, const std::string& commit) const {
  if (!is_commit_id(commit)) throw Error(ErrorCode::NotFound, "bad commit id", commit);
  auto j = nlohmann::json::parse(read_text_file(repo_dir(id) + "/commits/" + commit + ".json"));
  StoredCommit c;
  c.id = commit;
  c.parent = j.value("parent", "");
  c.summary = j.value("summary", "");
  c.description = j.value("description", "");
  c.date = j.value("date", "");
  for (auto& [path, v] : j["files"].items()) {
    StoredFile f;
    f.sha256 = v["sha256"];
    f.size = v["size"];
    f.lfs = v.value("lfs", false);
    f.oid_cache_ = v.value("oid", "");
    c.files[path] = f;
  }
  return c;
}

std::string Storage::write_commit(const std::string& id, StoredCommit& c) {
  nlohmann::json files = nlohmann::json::object();
  for (auto& [path, f] : c.files) {
    if (!f.lfs && f.oid_cache_.empty()) f.oid_cache_ = git_blob_oid(read_text_file(blob_path(f.sha256)));
    files[path] = {{"sha256", f.sha256}, {"size", f.size}, {"lfs", f.lfs}, {"oid", f.git_oid()}};
  }
  nlohmann::json j = {{"parent", c.parent}, {"summary", c.summary}, {"description", c.description},
                      {"date", c.date}, {"files", files}};
  std::string text = j.dump();
  c.id = sha1_hex("commit " + text);
  write_atomic(repo_dir(id) + "/commits/" + c.id + ".json", text);
  return c.id;
}

void Storage::set_ref(const std::string& id, const std::string& rev, const std::string& commit) {
  std::string p = ref_path(id, rev);
  if (p.empty()) throw Error(ErrorCode::InvalidArgument, "invalid revision", rev);
  write_atomic(p, commit);
}

int Storage::next_pr_number(const std::string& id) const {
  int n = 0;
  for (const auto& e : list_dir(repo_dir(id) + "/refs/pr")) n = std::max(n, std::atoi(e.c_str()));
  return n + 1;
}

std::string Storage::blob_path(const std::string& sha256) const { return root_ + "/blobs/" + sha256; }

bool Storage::has_blob(const std::string& sha256) const {
  return sha256.size() == 64 && path_exists(blob_path(sha256));
}

std::string Storage::put_blob(const std::string& bytes) {
  Sha256 h;
  h.update(bytes.data(), bytes.size());
  std::string hex = h.hex_digest();
  if (!has_blob(hex)) write_atomic(blob_path(hex), bytes);
  return hex;
}

bool Storage::put_blob_checked(const std::string& bytes, const std::string& expected) {
  Sha256 h;
  h.update(bytes.data(), bytes.size());
  if (h.hex_digest() != expected) return false;
  if (!has_blob(expected)) write_atomic(blob_path(expected), bytes);
  return true;
}

bool Storage::repo_has_lfs(const std::string& id, const std::string& oid) const {
  return oid.size() == 64 && oid.find_first_not_of("0123456789abcdef") == std::string::npos &&
         path_exists(repo_dir(id) + "/lfs/" + oid);
}

void Storage::add_repo_lfs(const std::string& id, const std::string& oid) {
  if (!repo_exists(id) || oid.size() != 64 || oid.find_first_not_of("0123456789abcdef") != std::string::npos) return;
  std::string path = repo_dir(id) + "/lfs/" + oid;
  if (path_exists(path)) return;
  write_atomic(path, "");
}

void Storage::index_lfs() {
  for (const auto& id : list_repos()) {
    std::string marker = repo_dir(id) + "/lfs/.indexed";
    if (path_exists(marker)) continue;
    for (const auto& name : list_dir(repo_dir(id) + "/commits")) {
      if (name.size() != 45 || name.substr(40) != ".json") continue;
      try {
        for (const auto& [path, f] : load_commit(id, name.substr(0, 40)).files)
          if (f.lfs) add_repo_lfs(id, f.sha256);
      } catch (const std::exception&) {
        // a damaged commit file: its objects stay unreachable through new commits
      }
    }
    write_atomic(marker, "");
  }
}

std::optional<std::uint64_t> Storage::blob_size(const std::string& sha256) const {
  struct stat st {};
  if (!has_blob(sha256) || ::stat(blob_path(sha256).c_str(), &st) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(st.st_size);
}

void Storage::remove_leftovers() {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto stale_temp = [](const std::string& name) {
    auto at = name.find(".tmp.");
    if (name.empty() || name[0] != '.' || at == std::string::npos) return false;
    long pid = std::atol(name.c_str() + at + 5);
    return pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH);
  };
  std::vector<fs::path> doomed;
  for (const char* sub : {"/blobs", "/repos"})
    for (fs::recursive_directory_iterator it(root_ + sub, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (it.depth() == 0 && name.rfind(".deleted-", 0) == 0 && std::string(sub) == "/repos") {
        doomed.push_back(it->path());
        it.disable_recursion_pending();
      } else if (stale_temp(name) && it->is_regular_file(ec)) {
        doomed.push_back(it->path());
      }
    }
  for (const auto& p : doomed) fs::remove_all(p, ec);
  fs::remove_all(root_ + "/uploads", ec);
}

std::uint64_t& Storage::downloads_locked(const std::string& id) {
  auto it = downloads_.find(id);
  if (it != downloads_.end()) return it->second;
  std::uint64_t n = 0;
  std::string path = repo_dir(id) + "/downloads";
  if (path_exists(path)) {
    try {
      n = std::stoull(read_text_file(path));
    } catch (const std::exception&) {
      n = 0;  // a damaged counter restarts rather than failing every request
    }
  }
  return downloads_[id] = n;
}

std::uint64_t Storage::downloads(const std::string& id) {
  std::lock_guard<std::mutex> g(downloads_mutex_);
  return downloads_locked(id);
}

void Storage::count_download(const std::string& id) {
  std::lock_guard<std::mutex> g(downloads_mutex_);
  std::uint64_t n = ++downloads_locked(id);
  write_atomic(repo_dir(id) + "/downloads", std::to_string(n));
}

std::mutex& Storage::repo_lock(const std::string& id) {
  std::lock_guard<std::mutex> g(locks_mutex_);
  auto& m = locks_[id];
  if (!m) m = std::make_unique<std::mutex>();
  return *m;
}

}  // namespace lathe::hub
