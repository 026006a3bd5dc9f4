// HubClient::push: create the repo if needed, preupload (the server decides
// regular vs LFS), LFS batch + basic or multipart uploads, one NDJSON commit.
#include "core/error.h"
#include "core/file_util.h"
#include "core/sha256.h"
#include "hub/hub_client.h"
#include "hub/hub_util.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

namespace lathe::hub {

using json = nlohmann::json;

namespace {

constexpr std::uint64_t kMaxInlineFile = 10u << 20;

}  // namespace

struct PushFile {
  std::string path, abs;
  std::uint64_t size = 0;
  bool lfs = false;
  std::string sha256, git_oid;
};

namespace {

namespace fs = std::filesystem;

/// Walks `dir` as `rel`. Symlinks are followed as a user expects (a downloaded
/// cache snapshot is all links into ../../blobs/): a link to a file uploads the
/// target's bytes under the link's name, a link to a folder is walked. Dangling
/// links, links to devices/FIFOs/sockets and folder loops are refused.
void walk(const fs::path& dir, const std::string& rel, std::vector<std::pair<dev_t, ino_t>>& ancestors,
          std::vector<PushFile>& out) {
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
  if (ec) throw Error(ErrorCode::Io, "cannot list folder: " + ec.message(), dir.string());
  for (const auto& entry : entries) {
    std::string name = entry.path().filename().string();
    if (!name.empty() && name[0] == '.' && name != ".gitattributes") continue;  // hidden files and folders
    const std::string path = rel.empty() ? name : rel + "/" + name;  // lexical: never the link's target
    const std::string abs = entry.path().string();
    bool link = entry.is_symlink(ec);
    struct stat st {};
    if (::stat(abs.c_str(), &st) != 0) {
      if (link) {
        std::string target = fs::read_symlink(entry.path(), ec).string();
        throw Error(ErrorCode::NotFound, "dangling symlink to '" + target + "' (its target does not exist); refused",
                    abs);
      }
      throw Error(ErrorCode::Io, std::string("cannot stat: ") + std::strerror(errno), abs);
    }
    if (S_ISDIR(st.st_mode)) {
      std::pair<dev_t, ino_t> id{st.st_dev, st.st_ino};
      if (std::find(ancestors.begin(), ancestors.end(), id) != ancestors.end())
        throw Error(ErrorCode::InvalidArgument, "symlink loop: this folder contains itself; refused", abs);
      ancestors.push_back(id);
      walk(entry.path(), path, ancestors, out);
      ancestors.pop_back();
      continue;
    }
    if (!S_ISREG(st.st_mode))
      throw Error(ErrorCode::InvalidArgument,
                  std::string(link ? "symlink to " : "") + "not a regular file (device, FIFO or socket); refused", abs);
    PushFile f;
    f.path = path;
    f.abs = abs;
    f.size = static_cast<std::uint64_t>(st.st_size);
    if (!valid_repo_path(f.path)) throw Error(ErrorCode::InvalidArgument, "unsafe file name refused", f.path);
    out.push_back(std::move(f));
  }
}

std::vector<PushFile> collect(const std::string& dir) {
  std::vector<PushFile> out;
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) throw Error(ErrorCode::NotFound, "not a folder", dir);
  std::vector<std::pair<dev_t, ino_t>> ancestors{{st.st_dev, st.st_ino}};
  walk(dir, "", ancestors, out);
  std::sort(out.begin(), out.end(), [](const PushFile& a, const PushFile& b) { return a.path < b.path; });
  return out;
}

/// An upload URL a server handed us: http(s) only (never file:// or another scheme).
std::string upload_url(const json& v, const std::string& path) {
  std::string url = v.is_string() ? v.get<std::string>() : std::string();
  std::string lower = to_lower(url.substr(0, 8));
  if (lower.rfind("http://", 0) != 0 && lower.rfind("https://", 0) != 0)
    throw Error(ErrorCode::Network, "the server gave a non-HTTP upload URL '" + printable(url, 100) + "'; refused", path);
  return url;
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
  else if (cs.is_string() && !cs.get<std::string>().empty() && cs.get<std::string>().size() < 20 &&
           cs.get<std::string>().find_first_not_of("0123456789") == std::string::npos)
    chunk = std::stoull(cs.get<std::string>());
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
    put.url = upload_url(header[key], path);
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
  done.kind = HttpKind::Upload;
  done.url = upload_url(up.contains("href") ? up["href"] : json(), path);
  done.body = json{{"oid", oid}, {"parts", parts}}.dump();
  done.send_auth = false;
  done.headers = {"Content-Type: application/vnd.git-lfs+json", "Accept: application/vnd.git-lfs+json"};
  check_hub_status(http_.send(done), "LFS multipart completion of " + path);
}

PushResult HubClient::push(const std::string& dir, const std::string& repo, const PushOptions& opts,
                           ProgressSink* progress) {
  try {
    return push_files(collect(dir), repo, opts, progress);
  } catch (const json::exception& e) {  // an answer of the wrong shape: one clean error
    throw Error(ErrorCode::Network, std::string("unexpected answer from the Hub during the push: ") + printable(e.what()),
                cfg_.endpoint);
  }
}

PushResult HubClient::push_files(std::vector<PushFile> files, const std::string& repo, const PushOptions& opts,
                                 ProgressSink* progress) {
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
  // Whatever the server says, a big file never travels base64-encoded inside the
  // commit body (the Hub itself sends everything over 10 MB through LFS).
  for (auto& f : files)
    if (f.size > kMaxInlineFile) f.lfs = true;
  // Local ids; unchanged files are dropped.
  std::vector<PushFile> changed;
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
      const PushFile* f = nullptr;
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
      put.kind = HttpKind::Upload;
      put.url = upload_url(up.contains("href") ? up["href"] : json(), f->path);
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
