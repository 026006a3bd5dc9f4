#include "hub/server_parse.h"

#include "core/error.h"
#include "core/json_util.h"
#include "hub/hub_util.h"

namespace lathe::hub::wire {

using json = nlohmann::json;

namespace {

[[noreturn]] void bad(const std::string& message) { throw Error(ErrorCode::InvalidArgument, message); }

bool is_hex64(std::string_view s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool clean_text(std::string_view s) {
  if (!valid_utf8(s)) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

const json& object_of(const json& j, const char* what) {
  if (!j.is_object()) bad(std::string(what) + " must be a JSON object");
  return j;
}

std::string str(const json& o, const char* key, const std::string& fallback = "") {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return fallback;
  if (!it->is_string()) bad(std::string("field '") + key + "' must be a string");
  return it->get<std::string>();
}

bool boolean(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return false;
  if (!it->is_boolean()) bad(std::string("field '") + key + "' must be true or false");
  return it->get<bool>();
}

/// A size: a JSON integer >= 0 (never a float, a string or a negative number,
/// which would wrap to 2^64-1). `present` says whether the key was there.
std::uint64_t size_of(const json& o, const char* key, bool* present = nullptr) {
  auto it = o.find(key);
  if (present) *present = it != o.end();
  if (it == o.end()) return 0;
  if (it->is_number_unsigned()) return it->get<std::uint64_t>();
  if (it->is_number_integer() && it->get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(it->get<std::int64_t>());
  bad(std::string("field '") + key + "' must be a non-negative integer");
}

const json& array_of(const json& o, const char* key) {
  static const json empty = json::array();
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return empty;
  if (!it->is_array()) bad(std::string("field '") + key + "' must be an array");
  if (it->size() > kMaxListEntries) bad(std::string("too many entries in '") + key + "'");
  return *it;
}

std::string checked_path(std::string path, bool folder) {
  if (folder)
    while (!path.empty() && path.back() == '/') path.pop_back();
  if (!valid_repo_path(path) || !clean_text(path)) bad("Invalid path: " + (valid_utf8(path) ? path : "(not UTF-8)"));
  return path;
}

}  // namespace

bool valid_utf8(std::string_view s) {
  std::size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
    else return false;
    if (n - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

json parse_json(std::string_view text, std::size_t max_depth) {
  if (json_nesting_depth(text, max_depth) > max_depth)
    bad("JSON nested deeper than " + std::to_string(max_depth) + " levels");
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) bad("the body is not valid JSON (or not UTF-8)");
  return j;
}

std::vector<std::string> split_target(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (path.empty() || path.front() != '/') bad("the request target must start with '/'");
  std::vector<std::string> segs = split(path.size() > 1 ? path.substr(1) : std::string_view(), '/');
  for (const auto& s : segs)
    if (!clean_text(url_decode(s, false))) bad("invalid UTF-8 or control character in the request path");
  return segs;
}

std::string bearer_token(std::string_view authorization) {
  std::string_view t = authorization;
  if (t.size() >= 7 && (t.substr(0, 7) == "Bearer " || t.substr(0, 7) == "bearer ")) t.remove_prefix(7);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  return std::string(t);
}

std::uint64_t parse_content_length(std::string_view value) {
  if (value.empty() || value.size() > 19 || value.find_first_not_of("0123456789") != std::string_view::npos)
    bad("invalid Content-Length");
  std::uint64_t n = 0;
  for (char c : value) n = n * 10 + static_cast<std::uint64_t>(c - '0');
  return n;
}

bool HeaderScanner::feed(char c) {
  if (done_) return false;
  ++size_;
  if (c == '\n') {
    bool blank = line_len_ == 1 && prev_ == '\r';
    if (blank && lines_ > 0) done_ = true;
    ++lines_;
    line_len_ = 0;
  } else {
    ++line_len_;
  }
  prev_ = c;
  return done_;
}

CommitRequest parse_commit(std::string_view body) {
  CommitRequest out;
  bool have_header = false;
  for (const auto& line : split(body, '\n')) {
    if (line.find_first_not_of(" \r\t") == std::string::npos) continue;
    if (out.ops.size() >= kMaxListEntries) bad("too many operations in one commit");
    json j = parse_json(line);
    object_of(j, "each commit line");
    std::string key = str(j, "key");
    auto vit = j.find("value");
    if (vit == j.end() || !vit->is_object()) bad("commit line '" + key + "' needs an object 'value'");
    const json& v = *vit;
    if (key == "header") {
      if (have_header) bad("Bad request for commit endpoint: two header lines");
      have_header = true;
      out.summary = str(v, "summary");
      out.description = str(v, "description");
      out.parent_commit = str(v, "parentCommit");
      continue;
    }
    CommitOp op;
    if (key == "file") {
      op.kind = CommitOp::Kind::File;
      op.path = checked_path(str(v, "path"), false);
      std::string content = str(v, "content");
      op.content = str(v, "encoding", "base64") == "base64" ? base64_decode(content) : content;
    } else if (key == "lfsFile") {
      op.kind = CommitOp::Kind::LfsFile;
      op.path = checked_path(str(v, "path"), false);
      op.oid = str(v, "oid");
      if (!is_hex64(op.oid)) bad("lfsFile " + op.path + ": 'oid' must be a sha256 (64 lower-case hex digits)");
      bool has_size = false;
      op.size = size_of(v, "size", &has_size);
      if (!has_size) bad("lfsFile " + op.path + ": 'size' is required");
    } else if (key == "deletedFile") {
      op.kind = CommitOp::Kind::DeletedFile;
      op.path = checked_path(str(v, "path"), false);
    } else if (key == "deletedFolder") {
      op.kind = CommitOp::Kind::DeletedFolder;
      op.path = checked_path(str(v, "path"), true);
    } else {
      bad("Bad request for commit endpoint: unknown key " + key);
    }
    out.ops.push_back(std::move(op));
  }
  if (!have_header) bad("Bad request for commit endpoint: no header line");
  return out;
}

PathsInfoRequest parse_paths_info(std::string_view body, bool is_json) {
  PathsInfoRequest out;
  if (is_json) {
    json j = parse_json(body);
    object_of(j, "the paths-info body");
    for (const auto& p : array_of(j, "paths")) {
      if (!p.is_string()) bad("'paths' must hold strings");
      out.paths.push_back(p.get<std::string>());
    }
    out.expand = boolean(j, "expand");
    return out;
  }
  for (const auto& kv : split(body, '&')) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    std::string k = url_decode(kv.substr(0, eq), true), v = url_decode(kv.substr(eq + 1), true);
    if (!valid_utf8(k) || !valid_utf8(v)) bad("the form body is not UTF-8");
    if (k == "paths") {
      if (out.paths.size() >= kMaxListEntries) bad("too many entries in 'paths'");
      out.paths.push_back(v);
    }
    if (k == "expand") out.expand = v == "true" || v == "True" || v == "1";
  }
  return out;
}

std::vector<PreuploadFile> parse_preupload(std::string_view body) {
  json j = parse_json(body);
  object_of(j, "the preupload body");
  std::vector<PreuploadFile> out;
  for (const auto& f : array_of(j, "files")) {
    object_of(f, "each preupload file");
    PreuploadFile p;
    p.path = checked_path(str(f, "path"), false);
    p.size = size_of(f, "size");
    p.sample = base64_decode(str(f, "sample"));
    out.push_back(std::move(p));
  }
  return out;
}

LfsBatchRequest parse_lfs_batch(std::string_view body) {
  json j = parse_json(body);
  object_of(j, "the LFS batch body");
  LfsBatchRequest out;
  out.operation = str(j, "operation");
  for (const auto& o : array_of(j, "objects")) {
    object_of(o, "each LFS object");
    LfsObject obj;
    auto oid = o.find("oid");
    if (oid != o.end() && oid->is_string()) obj.oid = oid->get<std::string>();
    obj.valid = is_hex64(obj.oid);
    auto size = o.find("size");
    if (size != o.end()) {
      if (size->is_number_unsigned()) obj.size = size->get<std::uint64_t>();
      else if (size->is_number_integer() && size->get<std::int64_t>() >= 0) obj.size = static_cast<std::uint64_t>(size->get<std::int64_t>());
      else obj.valid = false;
    }
    if (!obj.valid && !valid_utf8(obj.oid)) obj.oid.clear();
    out.objects.push_back(std::move(obj));
  }
  return out;
}

RepoRequest parse_repo_request(std::string_view body) {
  json j = parse_json(body);
  object_of(j, "the repository body");
  RepoRequest r;
  r.name = str(j, "name");
  r.organization = str(j, "organization");
  r.type = str(j, "type", "model");
  r.visibility = str(j, "visibility");
  r.is_private = boolean(j, "private") || r.visibility == "private";
  return r;
}

LfsCompleteRequest parse_lfs_complete(std::string_view body) {
  json j = parse_json(body);
  object_of(j, "the completion body");
  LfsCompleteRequest r;
  r.oid = str(j, "oid");
  for (const auto& p : array_of(j, "parts")) {
    object_of(p, "each part");
    auto n = p.find("partNumber");
    if (n == p.end() || !n->is_number_integer() || n->get<std::int64_t>() < 1 || n->get<std::int64_t>() > 100000)
      bad("'partNumber' must be an integer 1..100000");
    r.parts.push_back({static_cast<int>(n->get<std::int64_t>()), str(p, "etag")});
  }
  return r;
}

std::map<std::string, std::string> parse_token_file(std::string_view text) {
  std::map<std::string, std::string> out;
  std::size_t n = 0;
  for (auto line : split(text, '\n')) {
    ++n;
    auto trim = [](std::string& s) {
      while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
      while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
    };
    trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    std::string user = line.substr(0, eq == std::string::npos ? 0 : eq);
    std::string token = eq == std::string::npos ? std::string() : line.substr(eq + 1);
    trim(user);
    trim(token);
    bool ok = !user.empty() && !token.empty() && clean_text(user) && clean_text(token) &&
              token.find_first_of(" \t") == std::string::npos;
    if (!ok) bad("tokens file line " + std::to_string(n) + ": want user=token");
    if (!out.emplace(token, user).second) bad("tokens file line " + std::to_string(n) + ": the token is given twice");
  }
  return out;
}

}  // namespace lathe::hub::wire
