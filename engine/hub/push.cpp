// HubClient::push: create the repo if needed, preupload (the server decides
// regular vs LFS), LFS batch + basic or multipart uploads, one NDJSON commit.
#include "core/error.h"
#include "core/file_util.h"
#include "core/sha256.h"
#include "hub/hub_client.h"
#include "hub/hub_util.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace lathe::hub {

using json = nlohmann::json;

namespace {

struct LocalFile {
  std::string path, abs;
  std::uint64_t size = 0;
  bool lfs = false;
  std::string sha256, git_oid;
};

std::vector<LocalFile> collect(const std::string& dir) {
  std::vector<LocalFile> out;
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw Error(ErrorCode::NotFound, "not a folder", dir);
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.' && name != ".gitattributes") {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    LocalFile f;
    f.path = fs::relative(it->path(), dir).generic_string();
    f.abs = it->path().string();
    f.size = static_cast<std::uint64_t>(it->file_size());
    if (!valid_repo_path(f.path)) throw Error(ErrorCode::InvalidArgument, "unsafe file name refused", f.path);
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const LocalFile& a, const LocalFile& b) { return a.path < b.path; });
  return out;
}

std::string head_bytes(const std::string& path, std::size_t n) {
  ReadFile rf(path);
  std::string s(std::min<std::uint64_t>(n, rf.size()), '\0');
  if (!s.empty()) rf.read_exact(0, s.data(), s.size());
  return s;
}

}  // namespace

void HubClient::upload_multipart(const std::string& path, const std::string& abs, std::uint64_t size,
                                 const std::string& oid, const json& up) {
  const json& header = up["header"];
  std::uint64_t chunk = 0;
  const json& cs = header["chunk_size"];
  if (cs.is_number_unsigned()) chunk = cs.get<std::uint64_t>();
  else if (cs.is_string()) chunk = std::stoull(cs.get<std::string>());
  if (chunk == 0) throw Error(ErrorCode::Network, "LFS multipart answer without a chunk size", path);
  const std::uint64_t n = (size + chunk - 1) / chunk;
  std::size_t urls = 0;
  for (auto it = header.begin(); it != header.end(); ++it)
    if (it.key() != "chunk_size" && it.key().find_first_not_of("0123456789") == std::string::npos) ++urls;
  if (urls != n)
    throw Error(ErrorCode::Network, "LFS multipart answer has " + std::to_string(urls) + " part URLs, expected " +
                                        std::to_string(n), path);
  ReadFile rf(abs);
  json parts = json::array();
  std::string buf;
  for (std::uint64_t i = 1; i <= n; ++i) {
    std::string key = std::to_string(i);
    if (!header.contains(key) || !header[key].is_string())
      throw Error(ErrorCode::Network, "LFS multipart answer lacks part " + key, path);
    std::uint64_t off = (i - 1) * chunk;
    buf.resize(static_cast<std::size_t>(std::min(chunk, size - off)));
    rf.read_exact(off, buf.data(), buf.size());
    HttpRequest put;
    put.method = "PUT";
    put.url = header[key].get<std::string>();
    put.body = buf;
    put.send_auth = false;
    put.headers = {"Content-Type: application/octet-stream"};
    HttpResponse r = http_.send(put);
    check_hub_status(r, "LFS upload of part " + key + " of " + path);
    std::string etag = r.header("etag");
    if (etag.empty()) throw Error(ErrorCode::Network, "LFS part upload answered no ETag", path);
    parts.push_back({{"partNumber", i}, {"etag", etag}});
  }
  HttpRequest done;
  done.method = "POST";
  done.url = up.value("href", "");
  done.body = json{{"oid", oid}, {"parts", parts}}.dump();
  done.send_auth = false;
  done.headers = {"Content-Type: application/vnd.git-lfs+json", "Accept: application/vnd.git-lfs+json"};
  check_hub_status(http_.send(done), "LFS multipart completion of " + path);
}

PushResult HubClient::push(const std::string& dir, const std::string& repo, const PushOptions& opts,
                           ProgressSink* progress) {
  auto files = collect(dir);
  create_repo(repo, opts.is_private, true);
  const std::string rev = url_encode(opts.revision, false);
  const std::string pr = opts.create_pr ? "?create_pr=1" : "";
  // 1. preupload: which files go through LFS, and what is already there.
  std::map<std::string, std::string> remote_oid;
  for (std::size_t start = 0; start < files.size(); start += 256) {
    json batch = json::array();
    for (std::size_t i = start; i < files.size() && i < start + 256; ++i)
      batch.push_back({{"path", files[i].path}, {"size", files[i].size},
                       {"sample", base64_encode(head_bytes(files[i].abs, 512))}});
    json answer = api("POST", "/api/models/" + repo + "/preupload/" + rev + pr, json{{"files", batch}}.dump());
    for (const auto& a : answer.value("files", json::array())) {
      std::string p = a.value("path", "");
      for (auto& f : files)
        if (f.path == p) f.lfs = a.value("uploadMode", "regular") == "lfs";
      if (a.contains("oid") && a["oid"].is_string()) remote_oid[p] = a["oid"];
    }
  }
  // Local ids; unchanged files are dropped.
  std::vector<LocalFile> changed;
  std::uint64_t total = 0, done = 0;
  for (auto& f : files) {
    check_progress(progress, "hashing " + f.path, 0, f.size);
    if (f.lfs) f.sha256 = fast_sha256_file(f.abs);
    else f.git_oid = git_blob_oid(read_text_file(f.abs));
    auto it = remote_oid.find(f.path);
    if (it != remote_oid.end() && it->second == (f.lfs ? f.sha256 : f.git_oid)) continue;
    total += f.size;
    changed.push_back(f);
  }
  PushResult result;
  if (changed.empty()) return result;
  // 2. LFS batch + basic uploads (no Authorization on the upload URLs).
  json objects = json::array();
  for (const auto& f : changed)
    if (f.lfs) objects.push_back({{"oid", f.sha256}, {"size", f.size}});
  if (!objects.empty()) {
    json body = {{"operation", "upload"}, {"transfers", {"basic", "multipart"}}, {"objects", objects}, {"hash_algo", "sha256"}};
    if (!opts.create_pr) body["ref"] = {{"name", opts.revision}};
    json answer = api("POST", "/" + repo + ".git/info/lfs/objects/batch", body.dump(),
                      {"Accept: application/vnd.git-lfs+json", "Content-Type: application/vnd.git-lfs+json"});
    for (const auto& o : answer.value("objects", json::array())) {
      if (o.contains("error"))
        throw Error(ErrorCode::Network, "LFS batch refused an object: " + o["error"].dump(), o.value("oid", ""));
      if (!o.contains("actions") || !o["actions"].contains("upload")) continue;
      std::string oid = o.value("oid", "");
      const LocalFile* f = nullptr;
      for (const auto& c : changed)
        if (c.lfs && c.sha256 == oid) f = &c;
      if (!f) continue;
      check_progress(progress, "uploading " + f->path, done, total);
      const json& up = o["actions"]["upload"];
      if (up.contains("header") && up["header"].is_object() && up["header"].contains("chunk_size")) {
        upload_multipart(f->path, f->abs, f->size, f->sha256, up);
        done += f->size;
        continue;
      }
      HttpRequest put;
      put.method = "PUT";
      put.url = o["actions"]["upload"].value("href", "");
      put.upload_file = f->abs;
      put.send_auth = false;
      put.headers = {"Content-Type: application/octet-stream", "Expect:"};  // no 100-continue round trip
      check_hub_status(http_.send(put), "LFS upload of " + f->path);
      done += f->size;
    }
  }
  // 3. the commit.
  std::string ndjson = json{{"key", "header"}, {"value", {{"summary", opts.message}, {"description", opts.description}}}}.dump() + "\n";
  for (const auto& f : changed) {
    json line;
    if (f.lfs)
      line = {{"key", "lfsFile"}, {"value", {{"path", f.path}, {"algo", "sha256"}, {"oid", f.sha256}, {"size", f.size}}}};
    else
      line = {{"key", "file"}, {"value", {{"path", f.path}, {"encoding", "base64"}, {"content", base64_encode(read_text_file(f.abs))}}}};
    ndjson += line.dump() + "\n";
    result.uploaded.push_back(f.path);
  }
  check_progress(progress, "committing", total, total);
  json answer = api("POST", "/api/models/" + repo + "/commit/" + rev + pr, ndjson, {"Content-Type: application/x-ndjson"});
  result.commit_url = answer.value("commitUrl", "");
  result.commit_oid = answer.value("commitOid", "");
  if (answer.contains("pullRequestUrl") && answer["pullRequestUrl"].is_string())
    result.pull_request_url = answer["pullRequestUrl"];
  return result;
}

}  // namespace lathe::hub
