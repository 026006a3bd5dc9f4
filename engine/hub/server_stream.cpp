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
#include <vector>

namespace lathe::hub {

using json = nlohmann::json;

namespace {

void drain(const httplib::ContentReader& reader) {
  reader([](const char*, std::size_t) { return true; });
}

/// Reads the request body into `out` while hashing it. False when the client
/// went away before the end (the temp file is then dropped by ~AtomicFile).
bool receive(const httplib::ContentReader& reader, AtomicFile& out, PipelinedSha256& hash, std::string* io_error) {
  bool ok = reader([&](const char* p, std::size_t n) {
    try {
      out.write(p, n);
    } catch (const Error& e) {
      *io_error = e.what();
      return false;
    }
    hash.update(p, n);
    return true;
  });
  return ok && io_error->empty();
}

std::string part_path(const ServerState& srv, const std::string& oid, const std::string& part) {
  return srv.options.dir + "/uploads/" + oid + "/" + part;
}

void put_blob(Ctx& c, const std::string& oid, const httplib::ContentReader& reader) {
  if (!valid_lfs_oid(oid) || c.query("sig") != c.sign(oid)) {
    drain(reader);
    return send_json(c, {{"message", "invalid signature"}}, 403);
  }
  if (c.srv.storage.has_blob(oid)) {
    drain(reader);
  } else {
    AtomicFile out(c.srv.storage.blob_path(oid));
    PipelinedSha256 hash;
    std::string io_error;
    if (!receive(reader, out, hash, &io_error))
      return send_json(c, {{"message", io_error.empty() ? "upload interrupted" : io_error}}, io_error.empty() ? 400 : 500);
    if (hash.hex_digest() != oid) return send_json(c, {{"message", "sha256 of the content does not match the oid"}}, 400);
    out.commit();
  }
  c.res.set_header("ETag", "\"" + oid + "\"");
  send_json(c, json::object());
}

void put_part(Ctx& c, const std::string& oid, const std::string& part, const httplib::ContentReader& reader) {
  if (!valid_lfs_oid(oid) || part.empty() || part.size() > 6 || part.find_first_not_of("0123456789") != std::string::npos) {
    drain(reader);
    return send_json(c, {{"message", "bad part"}}, 400);
  }
  if (c.query("sig") != c.sign(oid + "/" + part)) {
    drain(reader);
    return send_json(c, {{"message", "invalid signature"}}, 403);
  }
  std::filesystem::create_directories(c.srv.options.dir + "/uploads/" + oid);
  const std::string path = part_path(c.srv, oid, part);
  AtomicFile out(path);
  PipelinedSha256 hash;
  std::string io_error;
  if (!receive(reader, out, hash, &io_error))
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

void handle_lfs_stream(ServerState& srv, const httplib::Request& req, httplib::Response& res,
                       const httplib::ContentReader& reader) {
  Ctx c{srv, req, res, {}, split(req.path.size() > 1 ? req.path.substr(1) : "", '/'), {}};
  try {
    if (c.segs.size() == 2 && c.segs[0] == "lfs-upload") return put_blob(c, c.segs[1], reader);
    if (c.segs.size() == 3 && c.segs[0] == "lfs-part") return put_part(c, c.segs[1], c.segs[2], reader);
    drain(reader);
    send_error(c, 404, "", "Not found: PUT " + req.path);
  } catch (const std::exception& e) {
    send_error(c, 500, "", std::string("upload failed: ") + e.what());
  }
}

void handle_lfs_complete(Ctx& c, const std::string& oid) {
  if (!valid_lfs_oid(oid)) return send_json(c, {{"message", "bad oid"}}, 400);
  if (c.query("sig") != c.sign(oid + "/complete")) return send_json(c, {{"message", "invalid signature"}}, 403);
  json body = json::parse(c.req.body);
  if (body.value("oid", "") != oid) return send_json(c, {{"message", "oid mismatch"}}, 400);
  std::vector<std::string> parts;
  int expect = 1;
  for (const auto& p : body.value("parts", json::array())) {
    int n = p.value("partNumber", 0);
    if (n != expect++) return send_json(c, {{"message", "parts must be numbered 1..N in order"}}, 400);
    std::string path = part_path(c.srv, oid, std::to_string(n));
    if (!path_exists(path) || !path_exists(path + ".etag"))
      return send_json(c, {{"message", "part " + std::to_string(n) + " not uploaded"}}, 400);
    if (p.value("etag", "") != read_text_file(path + ".etag"))
      return send_json(c, {{"message", "etag mismatch for part " + std::to_string(n)}}, 400);
    parts.push_back(path);
  }
  bool ok = c.srv.storage.has_blob(oid);
  if (!ok) {
    AtomicFile out(c.srv.storage.blob_path(oid));
    PipelinedSha256 hash;
    std::vector<char> buf(1 << 20);
    for (const auto& path : parts) {
      int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) throw Error(ErrorCode::Io, "cannot read an uploaded part", path);
      for (ssize_t n; (n = ::read(fd, buf.data(), buf.size())) > 0;) {
        out.write(buf.data(), static_cast<std::size_t>(n));
        hash.update(buf.data(), static_cast<std::size_t>(n));
      }
      ::close(fd);
    }
    ok = hash.hex_digest() == oid;
    if (ok) out.commit();
  }
  std::error_code ec;
  std::filesystem::remove_all(c.srv.options.dir + "/uploads/" + oid, ec);
  if (!ok) return send_json(c, {{"message", "sha256 of the content does not match the oid"}}, 400);
  send_json(c, json::object());
}

}  // namespace lathe::hub
