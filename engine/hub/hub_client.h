// lathe::hub::HubClient — browse, download (into the standard HF cache,
// byte-compatible with Python's huggingface_hub) and push.
#pragma once

#include "core/progress.h"
#include "hub/hub_env.h"
#include "hub/http_client.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace lathe::hub {

struct SearchQuery {  // pages followed up to HubConfig::max_list_pages / max_list_entries
  std::string search, author, sort;
  std::vector<std::string> filters;
  int limit = 0;  ///< 0: everything (pages followed through Link)
};

struct TreeEntry {
  std::string type;  ///< "file" | "directory"
  std::string path, oid;
  std::uint64_t size = 0;
  std::string lfs_sha256;  ///< empty for regular files
  /// The cache blob name: lfs sha256, else the git blob id.
  const std::string& blob_name() const { return lfs_sha256.empty() ? oid : lfs_sha256; }
};

struct DownloadResult {
  std::string snapshot;  ///< $HF_HUB_CACHE/models--ns--name/snapshots/<commit>
  std::string commit;
  std::vector<std::string> files;
  bool from_cache_only = false;  ///< offline, or the Hub was unreachable
};

struct PushOptions {
  std::string message = "Upload with Lathe", description, revision = "main";
  bool is_private = false, create_pr = false;
};

struct PushResult {
  std::string commit_url, commit_oid, pull_request_url;
  std::vector<std::string> uploaded;  ///< paths in the commit (unchanged ones skipped)
};

struct PushFile;  // push.cpp

/// "org/name[@rev]" -> (repo, rev or "main"). Throws InvalidArgument.
std::pair<std::string, std::string> parse_repo_ref(const std::string& text);

/// The "sha" of a model_info answer when it is a string, else "" (a hostile
/// answer of the wrong shape never throws a JSON type error).
std::string commit_of(const nlohmann::json& info);

class HubClient {
 public:
  explicit HubClient(HubConfig config = HubConfig::from_environment());
  const HubConfig& config() const { return cfg_; }

  nlohmann::json whoami();
  std::vector<nlohmann::json> list_models(const SearchQuery& q);
  nlohmann::json model_info(const std::string& repo, const std::string& revision = "main");
  std::vector<TreeEntry> list_files(const std::string& repo, const std::string& revision = "main",
                                    bool recursive = true);
  /// `files` empty: the whole snapshot. Returns where it is in the cache.
  DownloadResult download(const std::string& repo, const std::string& revision,
                          const std::vector<std::string>& files = {}, ProgressSink* progress = nullptr);
  /// False when it already existed (and exist_ok).
  bool create_repo(const std::string& repo, bool is_private, bool exist_ok);
  /// Uploads every file under `dir` (hidden entries skipped) as one commit. Symlinks
  /// are followed (a cache snapshot pushes its blobs' bytes); dangling ones, ones to
  /// devices/FIFOs/sockets and folder loops are Error.
  PushResult push(const std::string& dir, const std::string& repo, const PushOptions& opts,
                  ProgressSink* progress = nullptr);

  /// Bytes [offset, offset + length) of a repo file by an HTTP Range request
  /// (remote_inspect.cpp). A 206 with exactly those bytes is required: a 200, a
  /// short or long body, or a Content-Range naming another range or total size
  /// (`file_size`) is Error(Network). Transport failures are retried twice.
  std::string read_range(const std::string& repo, const std::string& revision, const std::string& path,
                         std::uint64_t offset, std::uint64_t length, std::uint64_t file_size);

  /// GET/POST an API path ("/api/..."), status checked, JSON parsed.
  nlohmann::json api(const std::string& method, const std::string& path, const std::string& body = {},
                     const std::vector<std::string>& headers = {}, HttpResponse* raw = nullptr);

 private:
  DownloadResult download_offline(const std::string& repo, const std::string& revision,
                                  const std::vector<std::string>& files, const std::string& why);
  void fetch_blob(const std::string& repo, const std::string& commit, const TreeEntry& e,
                  const std::string& repo_dir, ProgressSink* progress);
  PushResult push_files(std::vector<PushFile> files, const std::string& repo, const PushOptions& opts,
                        ProgressSink* progress);
  /// PUTs each part of a multipart LFS answer (`up` = actions.upload), then POSTs the completion.
  void upload_multipart(const std::string& path, const std::string& abs, std::uint64_t size,
                        const std::string& oid, const nlohmann::json& up);
  HubConfig cfg_;
  HttpClient http_;
};

}  // namespace lathe::hub
