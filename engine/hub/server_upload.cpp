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
std::pair<std::string, std::string> repo_of_body(const wire::RepoRequest& body, const std::string& user) {
  std::string name = body.name;
  std::string ns = body.organization.empty() ? user : body.organization;
  if (name.find('/') != std::string::npos) {
    ns = name.substr(0, name.find('/'));
    name = name.substr(name.find('/') + 1);
  }
  return {ns, ns + "/" + name};
}

/// Query string naming the repo an upload URL is for, and its signature.
std::string upload_query(Ctx& c, const std::string& repo, const std::string& what) {
  return "?repo=" + url_encode(repo, false) + "&sig=" + c.sign(repo + "\n" + what);
}

}  // namespace

void handle_create_repo(Ctx& c) {
  if (c.user.empty()) return send_error(c, 401, "", "A token is required to create a repository");
  const wire::RepoRequest body = wire::parse_repo_request(c.body());
  const auto [ns, id] = repo_of_body(body, c.user);
  if (body.type != "model") return send_error(c, 400, "", "Only model repositories are supported");
  if (!valid_repo_id(id)) return send_error(c, 400, "", "Invalid repository id: " + id);
  if (ns != c.user) return send_error(c, 403, "", "You can only create repositories in your own namespace");
  std::string url = c.base_url + "/" + id;
  if (!c.srv.storage.create_repo(id, c.user, body.is_private))
    return send_json(c, {{"error", "You already created this model repo"}, {"url", url}}, 409);
  send_json(c, {{"url", url}, {"name", id}, {"id", sha1_hex("repo " + id).substr(0, 24)}});
}

void handle_delete_repo(Ctx& c) {
  if (c.user.empty()) return send_error(c, 401, "", "A token with write access is required");
  const std::string id = repo_of_body(wire::parse_repo_request(c.body()), c.user).second;
  if (!c.require_write(id)) return;
  c.srv.storage.delete_repo(id);
  send_json(c, json::object());
}

void handle_preupload(Ctx& c, const std::string& repo, const std::string& rev) {
  if (!c.require_write(repo)) return;
  const auto files_in = wire::parse_preupload(c.body());
  auto head_id = c.srv.storage.resolve(repo, rev);
  if (!head_id) head_id = c.srv.storage.resolve(repo, "main");
  StoredCommit head;
  if (head_id) head = c.srv.storage.load_commit(repo, *head_id);
  json files = json::array();
  for (const auto& f : files_in) {
    bool lfs = f.size > 0 && (f.size > 10u * 1024 * 1024 || lfs_by_name(f.path) ||
                              f.sample.find('\0') != std::string::npos);
    json e = {{"path", f.path}, {"uploadMode", lfs ? "lfs" : "regular"}, {"shouldIgnore", false}};
    auto it = head.files.find(f.path);
    if (it != head.files.end()) e["oid"] = it->second.lfs ? it->second.sha256 : it->second.git_oid();
    files.push_back(e);
  }
  send_json(c, {{"files", files}, {"commitOid", head.id}});
}

void handle_lfs_batch(Ctx& c, const std::string& repo) {
  if (!c.require_write(repo)) return;
  const wire::LfsBatchRequest body = wire::parse_lfs_batch(c.body());
  if (body.operation != "upload") return send_json(c, {{"message", "only uploads are supported"}}, 422);
  json objects = json::array();
  const std::uint64_t chunk = c.srv.options.test_multipart_chunk;
  bool multipart = false;
  for (const auto& o : body.objects) {
    json e = {{"oid", o.oid}, {"size", o.size}, {"authenticated", true}};
    // Answered for this repository alone: an object elsewhere on the server is
    // uploaded again (and hashed) before a commit here may name it.
    if (!o.valid) {
      e["error"] = {{"code", 422}, {"message", "invalid oid or size"}};
    } else if (c.srv.storage.repo_has_lfs(repo, o.oid)) {
      // already part of this repository: nothing to upload
    } else if (chunk > 0 && o.size > chunk) {
      json header = {{"chunk_size", std::to_string(chunk)}};
      std::uint64_t n = (o.size + chunk - 1) / chunk;
      for (std::uint64_t i = 1; i <= n; ++i) {
        std::string part = std::to_string(i);
        header[part] = c.base_url + "/lfs-part/" + o.oid + "/" + part + upload_query(c, repo, o.oid + "/" + part);
      }
      e["actions"] = {{"upload", {{"href", c.base_url + "/lfs-complete/" + o.oid + upload_query(c, repo, o.oid + "/complete")},
                                  {"header", header}, {"expires_in", 3600}}}};
      multipart = true;
    } else {
      e["actions"] = {{"upload", {{"href", c.base_url + "/lfs-upload/" + o.oid + upload_query(c, repo, o.oid)},
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
  const wire::CommitRequest req = wire::parse_commit(c.body(wire::kMaxCommitBody));
  std::lock_guard<std::mutex> lock(c.srv.storage.repo_lock(repo));
  auto& st = c.srv.storage;
  auto head_id = st.resolve(repo, rev);
  if (!head_id) return send_error(c, 404, "RevisionNotFound", "Invalid rev id: " + rev);
  std::string base = *head_id;
  if (!req.parent_commit.empty()) {
    if (!st.resolve(repo, req.parent_commit)) return send_error(c, 404, "RevisionNotFound", "Unknown parent commit");
    if (create_pr) base = req.parent_commit;
    else if (req.parent_commit != *head_id)
      return send_error(c, 412, "", "A commit has happened since. Please refresh and try again.");
  }
  StoredCommit commit = st.load_commit(repo, base);
  commit.parent = base;
  commit.summary = req.summary;
  commit.description = req.description;
  commit.date = iso_now();
  using Kind = wire::CommitOp::Kind;
  for (const auto& op : req.ops) {
    if (op.kind == Kind::DeletedFolder) {
      for (auto it = commit.files.begin(); it != commit.files.end();)
        it = it->first.rfind(op.path + "/", 0) == 0 ? commit.files.erase(it) : std::next(it);
    } else if (op.kind == Kind::File) {
      StoredFile f;
      f.sha256 = st.put_blob(op.content);
      f.size = op.content.size();
      f.oid_cache_ = git_blob_oid(op.content);
      commit.files[op.path] = f;
    } else if (op.kind == Kind::LfsFile) {
      // Only objects of this repository (the same answer whether or not the
      // hash exists elsewhere), and only with their true size.
      auto size = st.repo_has_lfs(repo, op.oid) ? st.blob_size(op.oid) : std::nullopt;
      if (!size)
        return send_error(c, 400, "", "LFS object " + op.oid + " (" + op.path + ") was not uploaded to " + repo);
      if (*size != op.size)
        return send_error(c, 400, "", "LFS object " + op.oid + " (" + op.path + ") has " + std::to_string(*size) +
                                          " bytes, the commit declares " + std::to_string(op.size));
      StoredFile f;
      f.sha256 = op.oid;
      f.size = op.size;
      f.lfs = true;
      commit.files[op.path] = f;
    } else if (!commit.files.erase(op.path)) {
      return send_error(c, 404, "EntryNotFound", "A file with this name doesn't exist: " + op.path);
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
