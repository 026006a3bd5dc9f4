// HubClient::download: resolve the revision, list the tree, fetch blobs into the
// HF cache (resumable .incomplete files, size + hash checked before a blob is
// published), link snapshots; offline fallback to refs/ + snapshots/.
#include "core/error.h"
#include "core/file_util.h"
#include "core/sha256.h"
#include "hub/cache.h"
#include "hub/hub_client.h"
#include "hub/hub_util.h"
#include "hub/pipelined_hash.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

namespace lathe::hub {

namespace {

std::vector<std::string> walk_files(const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory()) continue;
    out.push_back(std::filesystem::relative(it->path(), root).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::uint64_t file_size_or_zero(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

/// Before any body byte of a 2xx answer: what the server declares (Content-Length,
/// Content-Range, X-Linked-Size) must agree with the size the listing declared.
/// Returns why not, or "".
std::string check_declared_size(const HttpResponse& h, std::uint64_t size, std::uint64_t offset,
                                const std::string& path) {
  const std::uint64_t start = h.status == 206 ? offset : 0;
  auto number = [](const std::string& v, std::uint64_t* out) {
    if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos) return false;
    *out = std::stoull(v);
    return true;
  };
  std::uint64_t n = 0;
  std::string cl = h.header("content-length");
  if (!cl.empty() && (!number(cl, &n) || n != size - start))
    return "the server declares Content-Length " + printable(cl, 40) + " for " + path + ", expected " +
           std::to_string(size - start) + " (of " + std::to_string(size) + " bytes listed); refused";
  std::string linked = h.header("x-linked-size");
  if (!linked.empty() && (!number(linked, &n) || n != size))
    return "the server declares X-Linked-Size " + printable(linked, 40) + " for " + path + ", the listing " +
           std::to_string(size) + " bytes; refused";
  if (h.status == 206) {
    std::string want = "bytes " + std::to_string(offset) + "-" + std::to_string(size - 1) + "/" + std::to_string(size);
    if (h.header("content-range") != want)
      return "the server answered Content-Range '" + printable(h.header("content-range"), 80) + "' for " + path +
             ", expected '" + want + "'; refused";
  }
  return {};
}

bool is_hex_name(const std::string& s) {
  return (s.size() == 40 || s.size() == 64) && is_commit_id(s.substr(0, 40)) &&
         s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

DownloadResult HubClient::download_offline(const std::string& repo, const std::string& revision,
                                           const std::vector<std::string>& files, const std::string& why) {
  std::string repo_dir = repo_cache_dir(cfg_.cache_dir, repo);
  std::optional<std::string> commit = is_commit_id(revision) ? revision : read_ref(repo_dir, revision);
  std::string snap = commit ? repo_dir + "/snapshots/" + *commit : std::string();
  if (!commit || !is_directory(snap))
    throw Error(ErrorCode::Network, why + "; and " + repo + "@" + revision + " is not in the cache", repo);
  DownloadResult r{snap, *commit, files.empty() ? walk_files(snap) : files, true};
  for (const auto& f : r.files) {
    if (path_exists(snap + "/" + f)) continue;
    if (path_exists(repo_dir + "/.no_exist/" + *commit + "/" + f))
      throw Error(ErrorCode::NotFound, "EntryNotFound: " + f + " does not exist at " + *commit, f);
    throw Error(ErrorCode::Network, why + "; and " + f + " is not in the cache", f);
  }
  return r;
}

DownloadResult HubClient::download(const std::string& repo, const std::string& revision,
                                   const std::vector<std::string>& files, ProgressSink* progress) {
  if (!valid_model_id(repo)) throw Error(ErrorCode::InvalidArgument, "invalid repo id (want org/name)", repo);
  if (!valid_revision_name(revision) && !is_commit_id(revision))
    throw Error(ErrorCode::InvalidArgument, "invalid revision", revision);
  for (const auto& f : files)
    if (!valid_repo_path(f)) throw Error(ErrorCode::InvalidArgument, "unsafe file name refused", f);
  if (cfg_.offline) return download_offline(repo, revision, files, "offline mode (HF_HUB_OFFLINE)");
  std::string repo_dir = repo_cache_dir(cfg_.cache_dir, repo);
  if (is_commit_id(revision) && !files.empty()) {  // pinned and present: no request at all
    bool all = true;
    for (const auto& f : files) all = all && path_exists(repo_dir + "/snapshots/" + revision + "/" + f);
    if (all) return {repo_dir + "/snapshots/" + revision, revision, files, true};
  }
  std::string commit;
  std::vector<TreeEntry> tree;
  try {
    commit = commit_of(model_info(repo, revision));
    if (!is_commit_id(commit)) throw Error(ErrorCode::Network, "the Hub gave no commit id", repo);
    tree = list_files(repo, commit, true);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::Network) return download_offline(repo, revision, files, e.what());
    throw;
  }
  ensure_cachedir_tag(cfg_.cache_dir);
  make_dirs(repo_dir + "/blobs");
  if (revision != commit) write_ref(repo_dir, revision, commit);
  std::map<std::string, TreeEntry> by_path;
  for (auto& e : tree) {
    if (e.type != "file") continue;
    if (!valid_repo_path(e.path)) throw Error(ErrorCode::CorruptFile, "the Hub listed an unsafe file name", e.path);
    if (!is_hex_name(e.blob_name())) throw Error(ErrorCode::CorruptFile, "the Hub listed an invalid blob id", e.path);
    by_path[e.path] = e;
  }
  DownloadResult result{repo_dir + "/snapshots/" + commit, commit, {}, false};
  std::vector<std::string> wanted = files;
  if (wanted.empty())
    for (const auto& [p, e] : by_path) wanted.push_back(p);
  for (const auto& path : wanted) {
    auto it = by_path.find(path);
    if (it == by_path.end()) {
      HttpRequest head;
      head.method = "HEAD";
      head.url = cfg_.endpoint + "/" + repo + "/resolve/" + commit + "/" + url_encode(path, true);
      HttpResponse r = http_.send(head);
      std::string rc = r.header("x-repo-commit");
      if (r.status == 404 && r.header("x-error-code") == "EntryNotFound" && is_commit_id(rc))
        mark_no_exist(repo_dir, rc, path);
      check_hub_status(r, "download " + repo + "/" + path);
      throw Error(ErrorCode::NotFound, "EntryNotFound: " + path + " is not in the tree", path);
    }
    fetch_blob(repo, commit, it->second, repo_dir, progress);
    link_snapshot(repo_dir, commit, path, it->second.blob_name());
    result.files.push_back(path);
  }
  return result;
}

void HubClient::fetch_blob(const std::string& repo, const std::string& commit, const TreeEntry& e,
                           const std::string& repo_dir, ProgressSink* progress) {
  const std::string blob = e.blob_name();
  const std::string final_path = repo_dir + "/blobs/" + blob;
  CacheLock lock(cfg_.cache_dir, repo, blob);
  if (path_exists(final_path)) return;
  const std::string part = final_path + ".incomplete";
  const std::string stage = "downloading " + e.path;
  const std::string url = cfg_.endpoint + "/" + repo + "/resolve/" + commit + "/" + url_encode(e.path, true);
  check_progress(progress, stage, 0, e.size);
  // LFS blobs are hashed while they arrive (no second pass), on a helper thread so
  // the receiving thread never waits for SHA-256, when the stream covers the whole
  // file; a resume of an older .incomplete falls back to hashing the file.
  std::unique_ptr<PipelinedSha256> hasher;
  if (!e.lfs_sha256.empty()) hasher = std::make_unique<PipelinedSha256>();
  std::uint64_t hashed = 0;
  bool hash_valid = !e.lfs_sha256.empty();
  std::uint64_t furthest = file_size_or_zero(part);
  for (int attempt = 0;; ++attempt) {
    std::uint64_t offset = file_size_or_zero(part);
    if (offset != hashed) hash_valid = false;
    int fd = ::open(part.c_str(), O_WRONLY | O_CREAT, 0644);
    if (fd < 0) throw Error(ErrorCode::Io, std::string("cannot write: ") + std::strerror(errno), part);
    if (offset > e.size) {
      if (::ftruncate(fd, 0) != 0) {}
      offset = 0;
      hash_valid = false;
    }
    if (offset == e.size && e.size > 0) {
      ::close(fd);
      break;
    }
    ::lseek(fd, static_cast<off_t>(offset), SEEK_SET);
    std::uint64_t pos = offset;
    bool first = true, cancelled = false, write_failed = false;
    std::string refused;  // the server broke the declared size: no retry, nothing kept
    HttpRequest req;
    req.url = url;
    req.kind = HttpKind::Download;
    if (offset > 0) req.headers.push_back("Range: bytes=" + std::to_string(offset) + "-");
    req.headers.push_back("Accept-Encoding: identity");
    req.check_headers = [&](const HttpResponse& h) {
      refused = check_declared_size(h, e.size, offset, e.path);
      return refused;
    };
    req.on_data = [&](long status, const char* p, std::size_t n) {
      if (first) {
        first = false;
        if (status == 200 && pos > 0) {  // the server ignored Range: restart from zero
          if (::ftruncate(fd, 0) != 0) {}
          ::lseek(fd, 0, SEEK_SET);
          pos = 0;
          if (hasher) hasher->reset();
          hashed = 0;
          hash_valid = !e.lfs_sha256.empty();
        }
      }
      if (n > e.size - pos) {  // more than declared: stop before writing a byte of it
        refused = "the server sent more than the " + std::to_string(e.size) + " bytes declared for " + e.path +
                  "; refused";
        return false;
      }
      if (hash_valid) {
        hasher->update(p, n);
        hashed += n;
      }
      for (std::size_t done = 0; done < n;) {
        ssize_t w = ::write(fd, p + done, n - done);
        if (w <= 0) {
          write_failed = true;
          return false;
        }
        done += static_cast<std::size_t>(w);
      }
      pos += n;
      if (progress && !progress->report(stage, pos, e.size)) {
        cancelled = true;
        return false;
      }
      return true;
    };
    HttpResponse r;
    try {
      r = http_.send(req);
    } catch (const Error& err) {
      ::close(fd);
      if (cancelled) throw Cancelled();
      if (write_failed) throw Error(ErrorCode::Io, "cannot write the download", part);
      if (!refused.empty()) {
        ::unlink(part.c_str());  // what arrived was not the declared file: never resumed, never trusted
        throw Error(ErrorCode::Network, refused, url);
      }
      // Resume with Range only after an attempt that got further than any before: a
      // server that stalls (or stalls again at the same byte) fails now, with its error.
      if (err.code() == ErrorCode::Network && attempt < 5 && pos > furthest) {
        furthest = pos;
        continue;
      }
      throw;
    }
    ::close(fd);
    if (r.status == 416 && attempt < 5) {
      if (::truncate(part.c_str(), 0) != 0) {}
      continue;
    }
    check_hub_status(r, "download " + repo + "/" + e.path);
    break;
  }
  std::uint64_t got = file_size_or_zero(part);
  if (got != e.size) {
    ::unlink(part.c_str());
    throw Error(ErrorCode::Network,
                "consistency check failed: expected " + std::to_string(e.size) + " bytes, got " + std::to_string(got),
                e.path);
  }
  std::string actual = !e.lfs_sha256.empty() && hash_valid && hashed == got ? hasher->hex_digest()
                       : e.lfs_sha256.empty() ? git_blob_oid(read_text_file(part)) : fast_sha256_file(part);
  if (actual != blob) {
    ::unlink(part.c_str());
    throw Error(ErrorCode::CorruptFile, "checksum mismatch: expected " + blob + ", got " + actual, e.path);
  }
  ::chmod(part.c_str(), 0644);
  if (::rename(part.c_str(), final_path.c_str()) != 0)
    throw Error(ErrorCode::Io, std::string("cannot publish blob: ") + std::strerror(errno), final_path);
  fsync_dir(repo_dir + "/blobs");
}

}  // namespace lathe::hub
