// Internal to the hub server: request context and the route handlers.
#pragma once

#include "hub/server.h"
#include "hub/server_parse.h"
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
  int port = 0;  ///< the bound port
};

/// Thrown by Ctx::body(): the body is larger than allowed (413) or was cut short (400).
struct BodyRefused {
  int status;
  std::string message;
};

struct Ctx {
  ServerState& srv;
  const httplib::Request& req;
  httplib::Response& res;
  std::string user;               ///< empty: anonymous
  std::vector<std::string> segs;  ///< raw (still percent-encoded) path segments
  std::string base_url;           ///< "http://host:port"
  /// Reads the request body from the socket; null when the request has none.
  /// Nothing is read until a handler asks (after it has checked the caller).
  const httplib::ContentReader* reader = nullptr;
  bool body_started = false;   ///< some of the body may have been read
  bool body_complete = false;  ///< all of it has been read
  std::string body_;

  /// The whole body, read now if not yet (at most `limit` bytes, else BodyRefused 413).
  const std::string& body(std::uint64_t limit = wire::kMaxJsonBody);

  std::string query(const std::string& key) const;
  bool can_read(const std::string& repo) const;
  /// Sends 401/404 RepoNotFound and returns false when the repo is not visible.
  bool require_read(const std::string& repo);
  /// Sends 401/403/404 and returns false unless the caller owns the repo.
  bool require_write(const std::string& repo);
  /// Sends 404 RevisionNotFound when `rev` does not resolve.
  std::optional<StoredCommit> resolve_commit(const std::string& repo, const std::string& rev);
  /// Signature of an upload URL for `what` ("<repo>\n<oid>[/part]").
  std::string sign(const std::string& what) const;
};

/// "a/b/c" from path segments.
std::string join_segs(const std::vector<std::string>& segs);
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
/// Streamed LFS PUTs (server_stream.cpp): basic PUT /lfs-upload/<oid>?repo=&sig= and
/// multipart parts PUT /lfs-part/<oid>/<n>?repo=&sig=. The signature binds the
/// repository: a verified upload makes the object part of that repository only.
void handle_lfs_stream(Ctx& c);
/// Multipart completion: POST /lfs-complete/<oid>?repo=&sig= with the parts' ETags.
void handle_lfs_complete(Ctx& c, const std::string& oid);
bool valid_lfs_oid(const std::string& oid);
void handle_commit(Ctx& c, const std::string& repo, const std::string& rev);

}  // namespace lathe::hub
