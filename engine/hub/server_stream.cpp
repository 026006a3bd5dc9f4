// Streaming LFS uploads of the local hub. Basic PUTs and multipart parts are
// read from the socket in pieces into a temp file on disk while being hashed
// (memory stays bounded whatever the size); a blob is published (fsync +
// rename, AtomicFile) only when its sha256 equals the oid, a part only when
// complete, so a crash or a dropped connection mid-upload leaves at most a temp
// file, never a corrupt blob. The multipart completion concatenates the parts
// the same way.
#include "core/error.h"
#include "core/file_util.h"
#include "hub/hub_util.h"
#include "hub/pipelined_hash.h"
#include "hub/server_routes.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <vector>

namespace lathe::hub {

using json = nlohmann::json;

namespace {

/// Reads the request body while hashing it, into `out` when given. False when
/// the client went away before the end (a temp file is then dropped by ~AtomicFile).
bool receive(Ctx& c, AtomicFile* out, PipelinedSha256& hash, std::string* io_error) {
  c.body_started = true;
  bool ok = (*c.reader)([&](const char* p, std::size_t n) {
    if (out) {
      try {
        out->write(p, n);
      } catch (const Error&) {
        *io_error = "the server could not store the upload";
        return false;
      }
    }
    hash.update(p, n);
    return true;
  });
  c.body_complete = ok;
  return ok && io_error->empty();
}

/// The repository an upload URL was signed for, when the signature of `what` holds.
std::optional<std::string> signed_repo(Ctx& c, const std::string& what) {
  std::string repo = c.query("repo");
  std::string want = c.sign(repo + "\n" + what), got = c.query("sig");
  if (repo.empty() || got.size() != want.size()) return std::nullopt;
  unsigned char diff = 0;  // constant time
  for (std::size_t i = 0; i < want.size(); ++i) diff |= static_cast<unsigned char>(want[i] ^ got[i]);
  if (diff != 0) return std::nullopt;
  return repo;
}

/// Per repository and object, so two repositories uploading one object never mix parts.
std::string upload_dir(const ServerState& srv, const std::string& repo, const std::string& oid) {
  return srv.options.dir + "/uploads/" + sha1_hex(repo).substr(0, 16) + "-" + oid;
}

void put_blob(Ctx& c, const std::string& oid) {
  auto repo = valid_lfs_oid(oid) ? signed_repo(c, oid) : std::nullopt;
  if (!repo) return send_json(c, {{"message", "invalid signature"}}, 403);
  if (!c.reader) return send_json(c, {{"message", "the upload has no body"}}, 400);
  // An object already on disk (this or another repository) is still received
  // and hashed: only its bytes make it part of this repository.
  const bool stored = c.srv.storage.has_blob(oid);
  std::optional<AtomicFile> out;
  if (!stored) out.emplace(c.srv.storage.blob_path(oid));
  PipelinedSha256 hash;
  std::string io_error;
  if (!receive(c, out ? &*out : nullptr, hash, &io_error))
    return send_json(c, {{"message", io_error.empty() ? "upload interrupted" : io_error}}, io_error.empty() ? 400 : 500);
  if (hash.hex_digest() != oid) return send_json(c, {{"message", "sha256 of the content does not match the oid"}}, 400);
  if (out) out->commit();
  c.srv.storage.add_repo_lfs(*repo, oid);
  c.res.set_header("ETag", "\"" + oid + "\"");
  send_json(c, json::object());
}

void put_part(Ctx& c, const std::string& oid, const std::string& part) {
  if (!valid_lfs_oid(oid) || part.empty() || part.size() > 6 || part.find_first_not_of("0123456789") != std::string::npos)
    return send_json(c, {{"message", "bad part"}}, 400);
  auto repo = signed_repo(c, oid + "/" + part);
  if (!repo) return send_json(c, {{"message", "invalid signature"}}, 403);
  if (!c.reader) return send_json(c, {{"message", "the upload has no body"}}, 400);
  const std::string dir = upload_dir(c.srv, *repo, oid);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + part;
  AtomicFile out(path);
  PipelinedSha256 hash;
  std::string io_error;
  if (!receive(c, &out, hash, &io_error))
    return send_json(c, {{"message", io_error.empty() ? "upload interrupted" : io_error}}, io_error.empty() ? 400 : 500);
  // The part's ETag (opaque to clients) is its sha256, kept beside it for the completion.
  std::string etag = "\"" + hash.hex_digest() + "\"";
  out.commit();
  write_text_file_atomic(path + ".etag", etag);
  c.res.set_header("ETag", etag);
  c.res.status = 200;
}

}  // namespace

bool valid_lfs_oid(const std::string& oid) {
  return oid.size() == 64 && oid.find_first_not_of("0123456789abcdef") == std::string::npos;
}

void handle_lfs_stream(Ctx& c) {
  try {
    if (c.segs.size() == 2 && c.segs[0] == "lfs-upload") return put_blob(c, c.segs[1]);
    if (c.segs.size() == 3 && c.segs[0] == "lfs-part") return put_part(c, c.segs[1], c.segs[2]);
    send_error(c, 404, "", "Not found: PUT /" + join_segs(c.segs));
  } catch (const std::exception&) {
    send_error(c, 500, "", "upload failed");
  }
}

void handle_lfs_complete(Ctx& c, const std::string& oid) {
  if (!valid_lfs_oid(oid)) return send_json(c, {{"message", "bad oid"}}, 400);
  auto repo = signed_repo(c, oid + "/complete");
  if (!repo) return send_json(c, {{"message", "invalid signature"}}, 403);
  const wire::LfsCompleteRequest body = wire::parse_lfs_complete(c.body());
  if (body.oid != oid) return send_json(c, {{"message", "oid mismatch"}}, 400);
  const std::string dir = upload_dir(c.srv, *repo, oid);
  std::vector<std::string> parts;
  int expect = 1;
  for (const auto& p : body.parts) {
    if (p.number != expect++) return send_json(c, {{"message", "parts must be numbered 1..N in order"}}, 400);
    std::string path = dir + "/" + std::to_string(p.number);
    if (!path_exists(path) || !path_exists(path + ".etag"))
      return send_json(c, {{"message", "part " + std::to_string(p.number) + " not uploaded"}}, 400);
    if (p.etag != read_text_file(path + ".etag"))
      return send_json(c, {{"message", "etag mismatch for part " + std::to_string(p.number)}}, 400);
    parts.push_back(path);
  }
  // As for basic uploads: the parts are hashed even when the object is on disk already.
  const bool stored = c.srv.storage.has_blob(oid);
  std::optional<AtomicFile> out;
  if (!stored) out.emplace(c.srv.storage.blob_path(oid));
  PipelinedSha256 hash;
  std::vector<char> buf(1 << 20);
  for (const auto& path : parts) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(ErrorCode::Io, "cannot read an uploaded part", path);
    for (ssize_t n; (n = ::read(fd, buf.data(), buf.size())) > 0;) {
      if (out) out->write(buf.data(), static_cast<std::size_t>(n));
      hash.update(buf.data(), static_cast<std::size_t>(n));
    }
    ::close(fd);
  }
  bool ok = hash.hex_digest() == oid;
  if (ok && out) out->commit();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (!ok) return send_json(c, {{"message", "sha256 of the content does not match the oid"}}, 400);
  c.srv.storage.add_repo_lfs(*repo, oid);
  send_json(c, json::object());
}

}  // namespace lathe::hub
