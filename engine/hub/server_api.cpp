// Read-side routes of the local hub: whoami, models list/info, tree, paths-info, resolve.
#include "core/error.h"
#include "core/file_util.h"
#include "hub/hub_util.h"
#include "hub/server_json.h"
#include "hub/server_routes.h"

#include <algorithm>
#include <fstream>
#include <set>

namespace lathe::hub {

using json = nlohmann::json;

bool route(Ctx& c) {
  const auto& s = c.segs;
  const std::string& m = c.req.method;
  bool get = m == "GET" || m == "HEAD";
  if (s.size() >= 2 && s[0] == "api") {
    if (get && s.size() == 2 && s[1] == "whoami-v2") return handle_whoami(c), true;
    if (m == "POST" && s.size() == 3 && s[1] == "repos" && s[2] == "create")
      return handle_create_repo(c), true;
    if (m == "DELETE" && s.size() == 3 && s[1] == "repos" && s[2] == "delete")
      return handle_delete_repo(c), true;
    if (m == "POST" && s.size() == 2 && s[1] == "validate-yaml")  // Python pre-checks README commits
      return send_json(c, {{"errors", nlohmann::json::array()}, {"warnings", nlohmann::json::array()}}), true;
    if (s[1] != "models") return false;
    if (get && s.size() == 2) return handle_list_models(c), true;
    if (s.size() < 4) return false;
    std::string repo = url_decode(s[2], false) + "/" + url_decode(s[3], false);
    if (get && s.size() == 4) return handle_model_info(c, repo, "main"), true;
    if (s.size() < 6) return false;
    const std::string& op = s[4];
    auto [rev, path] = split_rev_path(s, 5);
    if (get && op == "revision") {
      std::string full = rev + (path.empty() ? "" : "/" + path);
      return handle_model_info(c, repo, full == "HEAD" ? "main" : full), true;
    }
    if (get && op == "tree") return handle_tree(c, repo, rev, path), true;
    if (m == "POST" && op == "paths-info") return handle_paths_info(c, repo, rev), true;
    if (m == "POST" && op == "preupload") return handle_preupload(c, repo, rev), true;
    if (m == "POST" && op == "commit") return handle_commit(c, repo, rev), true;
    return false;
  }
  if (m == "POST" && s.size() == 2 && s[0] == "lfs-complete") return handle_lfs_complete(c, s[1]), true;
  if (m == "POST" && s.size() == 6 && s[2] == "info" && s[3] == "lfs" && s[4] == "objects" &&
      s[5] == "batch" && s[1].size() > 4 && s[1].substr(s[1].size() - 4) == ".git") {
    return handle_lfs_batch(c, url_decode(s[0], false) + "/" + url_decode(s[1].substr(0, s[1].size() - 4), false)), true;
  }
  if (get && s.size() >= 5 && s[2] == "resolve") {
    auto [rev, path] = split_rev_path(s, 3);
    return handle_resolve(c, url_decode(s[0], false) + "/" + url_decode(s[1], false), rev, path), true;
  }
  return false;
}

void handle_whoami(Ctx& c) {
  if (c.user.empty()) return send_error(c, 401, "", "Invalid credentials in Authorization header");
  send_json(c, {{"type", "user"},
                {"id", sha1_hex("user " + c.user).substr(0, 24)},
                {"name", c.user},
                {"fullname", c.user},
                {"email", nullptr},
                {"emailVerified", false},
                {"isPro", false},
                {"canPay", false},
                {"avatarUrl", ""},
                {"orgs", json::array()},
                {"auth",
                 {{"type", "access_token"},
                  {"accessToken", {{"displayName", "lathe-local"}, {"role", "write"}, {"createdAt", "2026-01-01T00:00:00.000Z"}}}}}});
}

namespace {

/// Link: <absolute next URL>; rel="next" — the query with `cursor` replaced.
void set_next_link(Ctx& c, std::size_t next_offset) {
  std::string url = c.base_url + c.req.path + "?";
  for (const auto& [k, v] : c.req.params)
    if (k != "cursor") url += url_encode(k, false) + "=" + url_encode(v, false) + "&";
  url += "cursor=" + std::to_string(next_offset);
  c.res.set_header("Link", "<" + url + ">; rel=\"next\"");
}

std::size_t page_limit(Ctx& c) {
  std::string l = c.query("limit");
  long v = l.empty() ? 1000 : std::atol(l.c_str());
  return static_cast<std::size_t>(std::clamp(v, 1L, 1000L));
}

std::size_t cursor(Ctx& c) { return static_cast<std::size_t>(std::max(0L, std::atol(c.query("cursor").c_str()))); }

}  // namespace

void handle_list_models(Ctx& c) {
  std::string search = to_lower(c.query("search")), author = c.query("author");
  std::vector<std::string> filters;
  auto n = c.req.get_param_value_count("filter");
  for (std::size_t i = 0; i < n; ++i) filters.push_back(c.req.get_param_value("filter", i));
  bool full = c.query("full") == "true" || c.query("full") == "1";
  std::vector<json> items;
  for (const auto& id : c.srv.storage.list_repos()) {
    if (!c.can_read(id)) continue;
    if (!search.empty() && to_lower(id).find(search) == std::string::npos) continue;
    if (!author.empty() && id.substr(0, id.find('/')) != author) continue;
    RepoMeta meta = c.srv.storage.meta(id);
    auto head_id = c.srv.storage.resolve(id, "main");
    if (!head_id) continue;
    json j = model_json(c.srv.storage, meta, c.srv.storage.load_commit(id, *head_id), full, false);
    bool keep = true;
    for (const auto& f : filters) {
      bool hit = j.value("pipeline_tag", "") == f || j.value("library_name", "") == f;
      for (const auto& t : j["tags"]) hit = hit || t == f;
      keep = keep && hit;
    }
    if (keep) items.push_back(std::move(j));
  }
  std::string sort = c.query("sort");
  bool asc = c.query("direction") == "1";
  std::stable_sort(items.begin(), items.end(), [&](const json& a, const json& b) {
    if (sort == "lastModified" || sort == "createdAt") {
      std::string x = a.value(sort, ""), y = b.value(sort, "");
      return asc ? x < y : x > y;
    }
    if (sort == "downloads" || sort == "likes" || sort == "trendingScore") {
      long x = a.value(sort, 0L), y = b.value(sort, 0L);
      return asc ? x < y : x > y;
    }
    return a["id"].get<std::string>() < b["id"].get<std::string>();
  });
  std::size_t off = cursor(c), lim = page_limit(c);
  json page = json::array();
  for (std::size_t i = off; i < items.size() && i < off + lim; ++i) page.push_back(items[i]);
  if (off + lim < items.size()) set_next_link(c, off + lim);
  send_json(c, page);
}

void handle_model_info(Ctx& c, const std::string& repo, const std::string& rev) {
  if (!c.require_read(repo)) return;
  auto head = c.resolve_commit(repo, rev);
  if (!head) return;
  send_json(c, model_json(c.srv.storage, c.srv.storage.meta(repo), *head, true,
                          c.query("blobs") == "true" || c.query("blobs") == "1"));
}

namespace {

/// Tree entries under `dir` ("" = root): immediate children or everything below.
std::vector<json> list_entries(Ctx& c, const std::string& repo, const StoredCommit& head,
                               const std::string& dir, bool recursive, bool expand) {
  std::set<std::string> dirs;
  std::vector<json> out;
  std::string prefix = dir.empty() ? "" : dir + "/";
  for (const auto& [path, f] : head.files) {
    if (path.compare(0, prefix.size(), prefix) != 0) continue;
    std::string rest = path.substr(prefix.size());
    auto slash = rest.find('/');
    if (slash != std::string::npos && !recursive) {
      dirs.insert(prefix + rest.substr(0, slash));
      continue;
    }
    for (auto p = rest.find('/'); p != std::string::npos; p = rest.find('/', p + 1))
      dirs.insert(prefix + rest.substr(0, p));
    json e = file_entry_json(path, f);
    if (expand) e["lastCommit"] = last_commit_json(c.srv.storage, repo, head, path);
    out.push_back(std::move(e));
  }
  for (const auto& d : dirs) {
    json e = dir_entry_json(d, head);
    if (expand) e["lastCommit"] = {{"id", head.id}, {"title", head.summary}, {"date", head.date}};
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return a["path"].get<std::string>() < b["path"].get<std::string>();
  });
  return out;
}

bool is_dir(const StoredCommit& head, const std::string& path) {
  std::string prefix = path + "/";
  auto it = head.files.lower_bound(prefix);
  return it != head.files.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

void handle_tree(Ctx& c, const std::string& repo, const std::string& rev, const std::string& path) {
  if (!c.require_read(repo)) return;
  auto head = c.resolve_commit(repo, rev);
  if (!head) return;
  std::string dir = path;
  while (!dir.empty() && dir.back() == '/') dir.pop_back();
  if (!dir.empty() && !is_dir(*head, dir))
    return send_error(c, 404, "EntryNotFound", "Entry not found: " + dir);
  bool expand = c.query("expand") == "true" || c.query("expand") == "1";
  auto entries = list_entries(c, repo, *head, dir, c.query("recursive") == "true" || c.query("recursive") == "1", expand);
  std::size_t off = cursor(c), lim = page_limit(c);
  json page = json::array();
  for (std::size_t i = off; i < entries.size() && i < off + lim; ++i) page.push_back(entries[i]);
  if (off + lim < entries.size()) set_next_link(c, off + lim);
  send_json(c, page);
}

void handle_paths_info(Ctx& c, const std::string& repo, const std::string& rev) {
  if (!c.require_read(repo)) return;
  auto head = c.resolve_commit(repo, rev);
  if (!head) return;
  const wire::PathsInfoRequest body = wire::parse_paths_info(
      c.body(), c.req.get_header_value("Content-Type").find("json") != std::string::npos);
  const bool expand = body.expand;
  json out = json::array();
  for (auto p : body.paths) {
    while (!p.empty() && p.back() == '/') p.pop_back();
    auto it = head->files.find(p);
    json e;
    if (it != head->files.end()) {
      e = file_entry_json(p, it->second);
      if (expand) e["lastCommit"] = last_commit_json(c.srv.storage, repo, *head, p);
    } else if (!p.empty() && is_dir(*head, p)) {
      e = dir_entry_json(p, *head);
      if (expand) e["lastCommit"] = {{"id", head->id}, {"title", head->summary}, {"date", head->date}};
    } else {
      continue;
    }
    out.push_back(std::move(e));
  }
  send_json(c, out);
}

void handle_resolve(Ctx& c, const std::string& repo, const std::string& rev, const std::string& path) {
  if (c.srv.throttle_armed.exchange(false)) {
    c.res.set_header("Retry-After", "1");
    return send_error(c, 429, "", "Too many requests (test)");
  }
  if (!c.require_read(repo)) return;
  auto head = c.resolve_commit(repo, rev);
  if (!head) return;
  c.res.set_header("X-Repo-Commit", head->id);
  auto it = head->files.find(path);
  if (it == head->files.end()) return send_error(c, 404, "EntryNotFound", "Entry not found: " + path);
  // Download counting as the Hub's default query files: every GET or HEAD (ranged
  // or not) of a top-level config.json, config.yaml, hyperparams.yaml or meta.yaml.
  if (path == "config.json" || path == "config.yaml" || path == "hyperparams.yaml" || path == "meta.yaml")
    c.srv.storage.count_download(repo);
  const StoredFile f = it->second;
  std::string etag = f.lfs ? f.sha256 : f.git_oid();
  c.res.set_header("ETag", "\"" + etag + "\"");
  if (f.lfs) {
    c.res.set_header("X-Linked-Etag", "\"" + f.sha256 + "\"");
    c.res.set_header("X-Linked-Size", std::to_string(f.size));
  }
  c.res.set_header("Accept-Ranges", "bytes");
  std::string blob = c.srv.storage.blob_path(f.sha256);
  bool truncate = c.req.method == "GET" && f.size >= 2 && c.srv.truncate_armed.exchange(false);
  if (c.req.method == "GET" && !c.req.ranges.empty() && c.srv.ignore_range_armed.exchange(false))
    const_cast<httplib::Request&>(c.req).ranges.clear();  // test only: answer 200 to a Range request
  std::uint64_t total = f.size;
  // Status left unset: httplib answers 200, or 206 + Content-Range for a Range request.
  c.res.set_content_provider(
      f.size, "application/octet-stream",
      [blob, truncate, total](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        std::ifstream in(blob, std::ios::binary);
        if (!in) return false;
        in.seekg(static_cast<std::streamoff>(offset));
        std::size_t stop = offset + length;
        if (truncate) stop = std::min<std::size_t>(stop, offset + std::max<std::size_t>(1, (total - offset) / 2));
        std::vector<char> buf(1 << 16);
        for (std::size_t pos = offset; pos < stop;) {
          std::size_t n = std::min(buf.size(), stop - pos);
          if (!in.read(buf.data(), static_cast<std::streamsize>(n))) return false;
          if (!sink.write(buf.data(), n)) return false;
          pos += n;
        }
        return !truncate;
      });
}

}  // namespace lathe::hub
