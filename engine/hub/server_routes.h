// Internal to the hub server: request context and the route handlers.
#pragma once

#include "hub/server.h"
#include "hub/server_storage.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace lathe::hub {

struct ServerState {
  explicit ServerState(ServerOptions o);
  ServerOptions options;
  Storage storage;
  std::string secret;  ///< signs LFS upload URLs
  std::atomic<bool> truncate_armed{false};
  std::atomic<bool> throttle_armed{false};
  std::atomic<bool> ignore_range_armed{false};
};

struct Ctx {
  ServerState& srv;
  const httplib::Request& req;
  httplib::Response& res;
  std::string user;               ///< empty: anonymous
  std::vector<std::string> segs;  ///< raw (still percent-encoded) path segments
  std::string base_url;           ///< "http://host:port"

  std::string query(const std::string& key) const;
  bool can_read(const std::string& repo) const;
  /// Sends 401/404 RepoNotFound and returns false when the repo is not visible.
  bool require_read(const std::string& repo);
  /// Sends 401/403/404 and returns false unless the caller owns the repo.
  bool require_write(const std::string& repo);
  /// Sends 404 RevisionNotFound when `rev` does not resolve.
  std::optional<StoredCommit> resolve_commit(const std::string& repo, const std::string& rev);
  std::string sign(const std::string& oid) const;
};

void send_error(Ctx& c, int status, const std::string& code, const std::string& message);
void send_json(Ctx& c, const nlohmann::json& j, int status = 200);
std::pair<std::string, std::string> split_rev_path(const std::vector<std::string>& segs,
                                                   std::size_t from);

/// Dispatches; false when no route matched.
bool route(Ctx& c);
// Handlers (server_api.cpp, server_upload.cpp).
void handle_whoami(Ctx& c);
void handle_list_models(Ctx& c);
void handle_model_info(Ctx& c, const std::string& repo, const std::string& rev);
void handle_tree(Ctx& c, const std::string& repo, const std::string& rev, const std::string& path);
void handle_paths_info(Ctx& c, const std::string& repo, const std::string& rev);
void handle_resolve(Ctx& c, const std::string& repo, const std::string& rev, const std::string& path);
void handle_create_repo(Ctx& c);
void handle_delete_repo(Ctx& c);
void handle_preupload(Ctx& c, const std::string& repo, const std::string& rev);
void handle_lfs_batch(Ctx& c, const std::string& repo);
/// Streamed LFS PUTs (server_stream.cpp; registered ahead of the catch-all PUT):
/// basic PUT /lfs-upload/<oid>?sig= and multipart parts PUT /lfs-part/<oid>/<n>?sig=.
void handle_lfs_stream(ServerState& srv, const httplib::Request& req, httplib::Response& res,
                       const httplib::ContentReader& reader);
/// Multipart completion: POST /lfs-complete/<oid>?sig= with the parts' ETags.
void handle_lfs_complete(Ctx& c, const std::string& oid);
bool valid_lfs_oid(const std::string& oid);
void handle_commit(Ctx& c, const std::string& repo, const std::string& rev);

}  // namespace lathe::hub
