// Write-side routes of the local hub: repos/create, preupload, LFS batch and
// upload, NDJSON commit (branches and refs/pr/N).
#include "core/error.h"
#include "core/file_util.h"
#include "hub/hub_util.h"
#include "hub/server_routes.h"

#include <filesystem>
#include <mutex>

namespace lathe::hub {

using json = nlohmann::json;

namespace {

bool lfs_by_name(const std::string& path) {
  static const char* exts[] = {".bin", ".safetensors", ".gguf", ".pt", ".pth", ".onnx",
                               ".h5", ".msgpack", ".zip", ".ckpt", ".npy", ".npz"};
  for (const char* e : exts) {
    std::string ext = e;
    if (path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0)
      return true;
  }
  return false;
}

bool truthy(const std::string& v) { return v == "1" || v == "true" || v == "True"; }

/// The repo a create/delete body names: "name" ("ns/name" or "name" with an
/// "organization", else the caller's namespace). Returns {namespace, id}.
std::pair<std::string, std::string> repo_of_body(const json& body, const std::string& user) {
  std::string name = body.value("name", "");
  std::string ns = body.contains("organization") && body["organization"].is_string()
                       ? body["organization"].get<std::string>() : user;
  if (name.find('/') != std::string::npos) {
    ns = name.substr(0, name.find('/'));
    name = name.substr(name.find('/') + 1);
  }
  return {ns, ns + "/" + name};
}

}  // namespace

void handle_create_repo(Ctx& c) {
  if (c.user.empty()) return send_error(c, 401, "", "A token is required to create a repository");
  json body = json::parse(c.req.body);
  const auto [ns, id] = repo_of_body(body, c.user);
  std::string type = body.contains("type") && body["type"].is_string() ? body["type"].get<std::string>() : "model";
  if (type != "model") return send_error(c, 400, "", "Only model repositories are supported");
  if (!valid_repo_id(id)) return send_error(c, 400, "", "Invalid repository id: " + id);
  if (ns != c.user) return send_error(c, 403, "", "You can only create repositories in your own namespace");
  bool priv = body.value("private", false) || body.value("visibility", "") == "private";
  std::string url = c.base_url + "/" + id;
  if (!c.srv.storage.create_repo(id, c.user, priv))
    return send_json(c, {{"error", "You already created this model repo"}, {"url", url}}, 409);
  send_json(c, {{"url", url}, {"name", id}, {"id", sha1_hex("repo " + id).substr(0, 24)}});
}

void handle_delete_repo(Ctx& c) {
  const std::string id = repo_of_body(json::parse(c.req.body), c.user).second;
  if (!c.require_write(id)) return;
  c.srv.storage.delete_repo(id);
  send_json(c, json::object());
}

void handle_preupload(Ctx& c, const std::string& repo, const std::string& rev) {
  if (!c.require_write(repo)) return;
  json body = json::parse(c.req.body);
  auto head_id = c.srv.storage.resolve(repo, rev);
  if (!head_id) head_id = c.srv.storage.resolve(repo, "main");
  StoredCommit head;
  if (head_id) head = c.srv.storage.load_commit(repo, *head_id);
  json files = json::array();
  for (const auto& f : body.value("files", json::array())) {
    std::string path = f.value("path", "");
    if (!valid_repo_path(path)) return send_error(c, 400, "", "Invalid file path: " + path);
    std::uint64_t size = f.value("size", std::uint64_t{0});
    std::string sample = base64_decode(f.value("sample", ""));
    bool lfs = size > 0 && (size > 10u * 1024 * 1024 || lfs_by_name(path) ||
                            sample.find('\0') != std::string::npos);
    json e = {{"path", path}, {"uploadMode", lfs ? "lfs" : "regular"}, {"shouldIgnore", false}};
    auto it = head.files.find(path);
    if (it != head.files.end()) e["oid"] = it->second.lfs ? it->second.sha256 : it->second.git_oid();
    files.push_back(e);
  }
  send_json(c, {{"files", files}, {"commitOid", head.id}});
}

void handle_lfs_batch(Ctx& c, const std::string& repo) {
  if (!c.require_write(repo)) return;
  json body = json::parse(c.req.body);
  if (body.value("operation", "") != "upload")
    return send_json(c, {{"message", "only uploads are supported"}}, 422);
  json objects = json::array();
  const std::uint64_t chunk = c.srv.options.test_multipart_chunk;
  bool multipart = false;
  for (const auto& o : body.value("objects", json::array())) {
    std::string oid = o.value("oid", "");
    std::uint64_t size = o.value("size", std::uint64_t{0});
    json e = {{"oid", oid}, {"size", size}, {"authenticated", true}};
    if (oid.size() != 64 || oid.find_first_not_of("0123456789abcdef") != std::string::npos) {
      e["error"] = {{"code", 422}, {"message", "invalid oid"}};
    } else if (!c.srv.storage.has_blob(oid) && chunk > 0 && size > chunk) {
      json header = {{"chunk_size", std::to_string(chunk)}};
      std::uint64_t n = (size + chunk - 1) / chunk;
      for (std::uint64_t i = 1; i <= n; ++i) {
        std::string part = std::to_string(i);
        header[part] = c.base_url + "/lfs-part/" + oid + "/" + part + "?sig=" + c.sign(oid + "/" + part);
      }
      e["actions"] = {{"upload", {{"href", c.base_url + "/lfs-complete/" + oid + "?sig=" + c.sign(oid + "/complete")},
                                  {"header", header}, {"expires_in", 3600}}}};
      multipart = true;
    } else if (!c.srv.storage.has_blob(oid)) {
      e["actions"] = {{"upload", {{"href", c.base_url + "/lfs-upload/" + oid + "?sig=" + c.sign(oid)},
                                  {"expires_in", 3600}}}};
    }
    objects.push_back(e);
  }
  c.res.status = 200;
  c.res.set_content(json{{"transfer", multipart ? "multipart" : "basic"}, {"objects", objects}, {"hash_algo", "sha256"}}.dump(),
                    "application/vnd.git-lfs+json");
}

void handle_commit(Ctx& c, const std::string& repo, const std::string& rev) {
  if (!c.require_write(repo)) return;
  bool create_pr = truthy(c.query("create_pr"));
  json header;
  std::vector<json> ops;
  for (const auto& line : split(c.req.body, '\n')) {
    if (line.find_first_not_of(" \r\t") == std::string::npos) continue;
    json j = json::parse(line);
    if (j.value("key", "") == "header") header = j["value"];
    else ops.push_back(j);
  }
  if (!header.is_object()) return send_error(c, 400, "", "Bad request for commit endpoint: no header line");
  std::lock_guard<std::mutex> lock(c.srv.storage.repo_lock(repo));
  auto& st = c.srv.storage;
  std::string parent_req = header.value("parentCommit", "");
  auto head_id = st.resolve(repo, rev);
  if (!head_id) return send_error(c, 404, "RevisionNotFound", "Invalid rev id: " + rev);
  std::string base = *head_id;
  if (!parent_req.empty()) {
    if (!st.resolve(repo, parent_req)) return send_error(c, 404, "RevisionNotFound", "Unknown parent commit");
    if (create_pr) base = parent_req;
    else if (parent_req != *head_id)
      return send_error(c, 412, "", "A commit has happened since. Please refresh and try again.");
  }
  StoredCommit commit = st.load_commit(repo, base);
  commit.parent = base;
  commit.summary = header.value("summary", "");
  commit.description = header.value("description", "");
  commit.date = iso_now();
  for (const auto& op : ops) {
    std::string key = op.value("key", "");
    const json& v = op.contains("value") ? op["value"] : json::object();
    std::string path = v.value("path", "");
    if (key == "deletedFolder") {
      while (!path.empty() && path.back() == '/') path.pop_back();
      if (!valid_repo_path(path)) return send_error(c, 400, "", "Invalid path: " + path);
      for (auto it = commit.files.begin(); it != commit.files.end();)
        it = it->first.rfind(path + "/", 0) == 0 ? commit.files.erase(it) : std::next(it);
      continue;
    }
    if (!valid_repo_path(path)) return send_error(c, 400, "", "Invalid path: " + path);
    if (key == "file") {
      std::string enc = v.value("encoding", "base64");
      std::string data = enc == "base64" ? base64_decode(v.value("content", "")) : v.value("content", "");
      StoredFile f;
      f.sha256 = st.put_blob(data);
      f.size = data.size();
      f.oid_cache_ = git_blob_oid(data);
      commit.files[path] = f;
    } else if (key == "lfsFile") {
      StoredFile f;
      f.sha256 = v.value("oid", "");
      f.size = v.value("size", std::uint64_t{0});
      f.lfs = true;
      if (!st.has_blob(f.sha256)) return send_error(c, 400, "", "LFS object not uploaded: " + f.sha256);
      commit.files[path] = f;
    } else if (key == "deletedFile") {
      if (!commit.files.erase(path))
        return send_error(c, 404, "EntryNotFound", "A file with this name doesn't exist: " + path);
    } else {
      return send_error(c, 400, "", "Bad request for commit endpoint: unknown key " + key);
    }
  }
  std::string cid = st.write_commit(repo, commit);
  json out = {{"commitUrl", c.base_url + "/" + repo + "/commit/" + cid}, {"commitOid", cid}};
  if (create_pr) {
    int n = st.next_pr_number(repo);
    st.set_ref(repo, "refs/pr/" + std::to_string(n), cid);
    out["pullRequestUrl"] = c.base_url + "/" + repo + "/discussions/" + std::to_string(n);
  } else {
    st.set_ref(repo, rev, cid);
  }
  send_json(c, out);
}

}  // namespace lathe::hub
