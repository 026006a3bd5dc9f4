// HTTP routes of the local hub server. One catch-all handler per method parses
// the raw request target itself, so encoded revisions ("refs%2Fpr%2F1") and raw
// or %2F-encoded file paths are both accepted.
#include "hub/server.h"

#include "core/error.h"
#include "core/sha256.h"
#include "hub/hub_util.h"
#include "hub/server_conn.h"
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

namespace {

/// Printable ASCII only (header values must never carry CR/LF or raw bytes).
std::string header_safe(const std::string& s) {
  std::string out;
  for (unsigned char ch : s.substr(0, 300)) out += (ch >= 0x20 && ch < 0x7f) ? static_cast<char>(ch) : '?';
  return out;
}

}  // namespace

void send_error(Ctx& c, int status, const std::string& code, const std::string& message) {
  c.res.status = status;
  if (!code.empty()) c.res.set_header("X-Error-Code", code);
  c.res.set_header("X-Error-Message", header_safe(message));
  c.res.set_content(json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void send_json(Ctx& c, const json& j, int status) {
  c.res.status = status;
  c.res.set_content(j.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

const std::string& Ctx::body(std::uint64_t limit) {
  if (body_started || !reader) {
    if (!reader) body_complete = true;
    return body_;
  }
  body_started = true;
  const std::string too_big = "Request body too large: the limit is " + std::to_string(limit) + " bytes";
  std::string length = req.get_header_value("Content-Length");
  if (!length.empty()) {
    std::uint64_t n = wire::parse_content_length(length);
    if (n > limit) throw BodyRefused{413, too_big};
    body_.reserve(static_cast<std::size_t>(n));
  }
  bool over = false;
  bool ok = (*reader)([&](const char* p, std::size_t n) {
    if (body_.size() + n > limit) {
      over = true;
      return false;
    }
    body_.append(p, n);
    return true;
  });
  if (over) throw BodyRefused{413, too_big};
  if (!ok) throw BodyRefused{400, "The request body was cut short"};
  body_complete = true;
  return body_;
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

std::string Ctx::sign(const std::string& what) const {
  Sha256 h;
  std::string s = srv.secret + what;
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

bool is_upload_path(const std::vector<std::string>& segs) {
  return !segs.empty() && (segs[0] == "lfs-upload" || segs[0] == "lfs-part" || segs[0] == "lfs-complete");
}

/// "http://<Host>" when the Host header is a plain host[:port], else our own address.
std::string base_url_of(const ServerState& srv, const httplib::Request& req) {
  std::string host = req.get_header_value("Host");
  bool ok = !host.empty() && host.size() <= 255 &&
            host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:[]") ==
                std::string::npos;
  return "http://" + (ok ? host : srv.options.host + ":" + std::to_string(srv.port));
}

/// After a handler: a body nobody read stays in the socket. Small ones are
/// skipped; otherwise the connection closes after the response.
void finish_body(Ctx& c) {
  if (!c.reader || c.body_complete) return;
  if (!c.body_started) {
    std::string length = c.req.get_header_value("Content-Length");
    if (length == "0") return;
    if (!length.empty()) {
      try {
        if (wire::parse_content_length(length) <= (64u << 10)) {
          c.body(64u << 10);  // read and dropped: the connection stays usable
          return;
        }
      } catch (...) {
      }
    }
  }
  c.res.set_header("Connection", "close");
  close_connection_after_response();
}

void handle(ServerState& srv, const httplib::Request& req, httplib::Response& res,
            const httplib::ContentReader* reader) {
  Ctx c{srv, req, res, {}, {}, {}, nullptr, false, false, {}};
  c.reader = reader;
  try {
    c.segs = wire::split_target(req.target.empty() ? req.path : req.target);
    for (const auto& [k, v] : req.params)
      if (!wire::valid_utf8(k) || !wire::valid_utf8(v))
        throw Error(ErrorCode::InvalidArgument, "invalid UTF-8 in the query string");
    c.base_url = base_url_of(srv, req);
    if (req.method == "PUT" && is_upload_path(c.segs)) {
      handle_lfs_stream(c);  // authorised by the URL's signature
    } else {
      std::string auth = req.get_header_value("Authorization");
      if (!auth.empty() && !is_upload_path(c.segs)) {
        auto it = srv.options.tokens.find(wire::bearer_token(auth));
        if (it == srv.options.tokens.end()) {
          send_error(c, 401, "", "Invalid credentials in Authorization header");
          return finish_body(c);
        }
        c.user = it->second;
      }
      if (!route(c)) send_error(c, 404, "", "Not found: " + req.method + " /" + join_segs(c.segs));
    }
  } catch (const BodyRefused& b) {
    send_error(c, b.status, "", b.message);
  } catch (const Error& e) {
    // Only our own messages about the request go back; never a server path or library text.
    if (e.code() == ErrorCode::InvalidArgument) send_error(c, 400, "", one_line_message(e.what()));
    else if (e.code() == ErrorCode::NotFound) send_error(c, 404, "", "Not found");
    else send_error(c, 500, "", "Internal server error");
  } catch (const nlohmann::json::exception&) {
    send_error(c, 400, "", "Bad request: the body does not have the expected fields");
  } catch (...) {
    send_error(c, 500, "", "Internal server error");
  }
  finish_body(c);
}

/// `Expect: 100-continue`: what the handler would refuse before reading the
/// body (a bad token, a body over every cap) is answered at once, so the
/// client never sends it; anything else is invited and decided by the handler.
int expect_continue(ServerState& srv, const httplib::Request& req, httplib::Response& res) {
  std::vector<std::string> segs;
  try {
    segs = wire::split_target(req.target.empty() ? req.path : req.target);
  } catch (const Error&) {
    return 100;  // the handler answers 400
  }
  if (is_upload_path(segs)) return 100;
  int status = 100;
  std::string message;
  std::string auth = req.get_header_value("Authorization"), length = req.get_header_value("Content-Length");
  if (!auth.empty() && !srv.options.tokens.count(wire::bearer_token(auth))) {
    status = 401;
    message = "Invalid credentials in Authorization header";
  } else {
    try {
      if (!length.empty() && wire::parse_content_length(length) > wire::kMaxCommitBody) {
        status = 413;
        message = "Request body too large: the limit is " + std::to_string(wire::kMaxCommitBody) + " bytes";
      }
    } catch (const Error&) {
      status = 400;
      message = "invalid Content-Length";
    }
  }
  if (status == 100) return 100;
  res.status = status;
  res.set_header("X-Error-Message", message);
  res.set_header("Connection", "close");
  res.set_content(json{{"error", message}}.dump(), "application/json");
  close_connection_after_response();
  return status;
}

ConnLimits limits_of(const ServerOptions& o) {
  ConnLimits l;
  l.workers = std::max(2, o.threads);
  l.active_per_ip = o.max_active_per_ip > 0 ? o.max_active_per_ip : std::max(1, l.workers / 2);
  l.connections_per_ip = std::max(1, o.max_connections_per_ip);
  l.header_timeout_ms = std::max(1, o.header_timeout_ms);
  l.idle_timeout_ms = std::max(1, o.idle_timeout_ms);
  l.io_timeout_ms = std::max(1, o.io_timeout_ms);
  return l;
}

}  // namespace

std::string join_segs(const std::vector<std::string>& segs) {
  std::string out;
  for (const auto& s : segs) out += (out.empty() ? "" : "/") + s;
  return out;
}

struct HubServer::Impl {
  ServerState state;
  GuardedServer svr;
  int port = 0;
  explicit Impl(ServerOptions o) : state(std::move(o)), svr(limits_of(state.options)) {}
};

ServerState::ServerState(ServerOptions o) : options(std::move(o)), storage(options.dir) {
  storage.remove_leftovers();  // temp files of killed uploads, half-deleted repos
  storage.index_lfs();         // per-repo LFS membership of repos written before it existed
  std::random_device rd;
  for (int i = 0; i < 4; ++i) secret += std::to_string(rd());
  truncate_armed = options.test_truncate_once;
  throttle_armed = options.test_429_once;
  ignore_range_armed = options.test_ignore_range_once;
}

HubServer::HubServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  auto& st = impl_->state;
  // Every body is read by the handlers themselves (content-reader overloads),
  // after the caller is authenticated and authorised: httplib never buffers one.
  auto plain = [&st](const httplib::Request& req, httplib::Response& res) { handle(st, req, res, nullptr); };
  auto with_body = [&st](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    handle(st, req, res, &reader);
  };
  auto& svr = impl_->svr;
  svr.Post(".*", with_body);
  svr.Put(".*", with_body);
  svr.Delete(".*", with_body);
  svr.Get(".*", plain);
  svr.Post(".*", plain);
  svr.Put(".*", plain);
  svr.Delete(".*", plain);
  svr.set_expect_100_continue_handler(
      [&st](const httplib::Request& req, httplib::Response& res) { return expect_continue(st, req, res); });
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;  // never the exception's text (httplib's default puts it in a header)
    res.set_content("{\"error\": \"Internal server error\"}", "application/json");
  });
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
  impl_->svr.widen_backlog();
  impl_->state.port = impl_->port;
  return impl_->port;
}

void HubServer::listen() { impl_->svr.listen_after_bind(); }

bool HubServer::running() const { return impl_ && impl_->svr.is_running(); }

void HubServer::stop() {
  if (impl_) impl_->svr.stop();
}

}  // namespace lathe::hub
