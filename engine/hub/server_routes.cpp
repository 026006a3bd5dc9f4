// HTTP routes of the local hub server. One catch-all handler per method parses
// the raw request target itself, so encoded revisions ("refs%2Fpr%2F1") and raw
// or %2F-encoded file paths are both accepted.
#include "hub/server.h"

#include "core/error.h"
#include "core/sha256.h"
#include "hub/hub_util.h"
#include "hub/server_json.h"
#include "hub/server_routes.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <random>
#include <set>

namespace lathe::hub {

using json = nlohmann::json;

void send_error(Ctx& c, int status, const std::string& code, const std::string& message) {
  c.res.status = status;
  if (!code.empty()) c.res.set_header("X-Error-Code", code);
  c.res.set_header("X-Error-Message", message);
  c.res.set_content(json{{"error", message}}.dump(), "application/json");
}

void send_json(Ctx& c, const json& j, int status) {
  c.res.status = status;
  c.res.set_content(j.dump(), "application/json");
}

std::string Ctx::query(const std::string& key) const {
  return req.has_param(key.c_str()) ? req.get_param_value(key.c_str()) : std::string();
}

bool Ctx::can_read(const std::string& repo) const {
  if (!srv.storage.repo_exists(repo)) return false;
  RepoMeta m = srv.storage.meta(repo);
  return !m.is_private || (!user.empty() && user == m.owner);
}

bool Ctx::require_read(const std::string& repo) {
  if (valid_repo_id(repo) && can_read(repo)) return true;
  if (user.empty())
    send_error(*this, 401, "RepoNotFound", "Repository not found (or private: a token is required)");
  else
    send_error(*this, 404, "RepoNotFound", "Repository not found");
  return false;
}

bool Ctx::require_write(const std::string& repo) {
  if (user.empty()) {
    send_error(*this, 401, "", "A token with write access is required");
    return false;
  }
  if (!valid_repo_id(repo)) {
    send_error(*this, 400, "", "Invalid repository id");
    return false;
  }
  if (!require_read(repo)) return false;
  if (srv.storage.meta(repo).owner != user) {
    send_error(*this, 403, "", "You don't have write access to this repository");
    return false;
  }
  return true;
}

std::optional<StoredCommit> Ctx::resolve_commit(const std::string& repo, const std::string& rev) {
  auto id = srv.storage.resolve(repo, rev);
  if (!id) {
    send_error(*this, 404, "RevisionNotFound", "Invalid rev id: " + rev);
    return std::nullopt;
  }
  return srv.storage.load_commit(repo, *id);
}

std::string Ctx::sign(const std::string& oid) const {
  Sha256 h;
  std::string s = srv.secret + oid;
  h.update(s.data(), s.size());
  return h.hex_digest().substr(0, 32);
}

/// Splits segments [from..] into (revision, path): "refs/pr/N" spans three segments.
std::pair<std::string, std::string> split_rev_path(const std::vector<std::string>& segs, std::size_t from) {
  if (from >= segs.size()) return {"", ""};
  std::string rev = url_decode(segs[from], false);
  std::size_t next = from + 1;
  if (rev == "refs" && segs.size() > from + 2 && segs[from + 1] == "pr") {
    rev = "refs/pr/" + url_decode(segs[from + 2], false);
    next = from + 3;
  }
  std::string path;
  for (std::size_t i = next; i < segs.size(); ++i) {
    if (!path.empty()) path += '/';
    path += segs[i];
  }
  return {rev, url_decode(path, false)};
}

namespace {

void handle(ServerState& srv, const httplib::Request& req, httplib::Response& res) {
  Ctx c{srv, req, res, {}, {}, {}};
  std::string target = req.target.empty() ? req.path : req.target;
  std::string raw_path = target.substr(0, target.find('?'));
  c.segs = split(raw_path.size() > 1 ? raw_path.substr(1) : "", '/');
  c.base_url = "http://" + req.get_header_value("Host");
  std::string auth = req.get_header_value("Authorization");
  bool is_lfs_put = !c.segs.empty() &&
                    (c.segs[0] == "lfs-upload" || c.segs[0] == "lfs-part" || c.segs[0] == "lfs-complete");
  if (!auth.empty() && !is_lfs_put) {
    std::string token = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : auth;
    auto it = srv.options.tokens.find(token);
    if (it == srv.options.tokens.end()) {
      send_error(c, 401, "", "Invalid credentials in Authorization header");
      return;
    }
    c.user = it->second;
  }
  try {
    if (!route(c)) send_error(c, 404, "", "Not found: " + req.method + " " + raw_path);
  } catch (const Error& e) {
    int status = e.code() == ErrorCode::InvalidArgument ? 400 : e.code() == ErrorCode::NotFound ? 404 : 500;
    send_error(c, status, "", e.what());
  } catch (const std::exception& e) {
    send_error(c, 400, "", std::string("Bad request: ") + e.what());
  }
}

}  // namespace

struct HubServer::Impl {
  ServerState state;
  httplib::Server svr;
  int port = 0;
  explicit Impl(ServerOptions o) : state(std::move(o)) {}
};

ServerState::ServerState(ServerOptions o) : options(std::move(o)), storage(options.dir) {
  std::random_device rd;
  for (int i = 0; i < 4; ++i) secret += std::to_string(rd());
  truncate_armed = options.test_truncate_once;
  throttle_armed = options.test_429_once;
  ignore_range_armed = options.test_ignore_range_once;
}

HubServer::HubServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  auto& st = impl_->state;
  auto h = [&st](const httplib::Request& req, httplib::Response& res) { handle(st, req, res); };
  // LFS uploads are streamed to disk (httplib tries content-reader handlers first).
  impl_->svr.Put(R"(/lfs-(upload|part)/.*)", [&st](const httplib::Request& req, httplib::Response& res,
                                                   const httplib::ContentReader& reader) {
    handle_lfs_stream(st, req, res, reader);
  });
  impl_->svr.Get(".*", h);
  impl_->svr.Post(".*", h);
  impl_->svr.Put(".*", h);
  impl_->svr.Delete(".*", h);
  int threads = std::max(2, st.options.threads);
  impl_->svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
}

HubServer::~HubServer() { stop(); }

int HubServer::bind() {
  auto& o = impl_->state.options;
  if (o.port == 0)
    impl_->port = impl_->svr.bind_to_any_port(o.host.c_str());
  else
    impl_->port = impl_->svr.bind_to_port(o.host.c_str(), o.port) ? o.port : -1;
  if (impl_->port <= 0)
    throw Error(ErrorCode::Io, "cannot listen on " + o.host + ":" + std::to_string(o.port));
  return impl_->port;
}

void HubServer::listen() { impl_->svr.listen_after_bind(); }

bool HubServer::running() const { return impl_ && impl_->svr.is_running(); }

void HubServer::stop() {
  if (impl_) impl_->svr.stop();
}

}  // namespace lathe::hub
