// Small helpers shared by the hub client and server: SHA-1 (git object ids),
// base64, percent-encoding, time stamps, repo-id and path validation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lathe::hub {

/// Lower-case hex SHA-1 of `data`.
std::string sha1_hex(std::string_view data);
/// Git blob id: sha1("blob " + size + "\0" + bytes).
std::string git_blob_oid(std::string_view content);
/// The git-lfs pointer file text for a sha256/size.
std::string lfs_pointer(const std::string& sha256, std::uint64_t size);

std::string base64_encode(std::string_view data);
/// Throws Error(InvalidArgument) on bad input.
std::string base64_decode(std::string_view text);

/// Percent-encodes everything but unreserved characters; `keep_slash` keeps '/'.
std::string url_encode(std::string_view s, bool keep_slash);
std::string url_decode(std::string_view s, bool plus_is_space);

/// "2026-11-23T17:43:46.000Z"
std::string iso_now();

/// "org/name" with 1-96 chars of [A-Za-z0-9._-] each, no "..", no leading '.' or '-'.
bool valid_repo_id(std::string_view id);
/// valid_repo_id, or a bare canonical model name ("gpt2") as the Hub still resolves.
bool valid_model_id(std::string_view id);
/// A repo file path: relative, '/'-separated, no "." / ".." / empty parts, no
/// backslash/control chars, not under ".git/", at most 1024 bytes.
bool valid_repo_path(std::string_view path);
/// A branch name ("main", "dev-1") or "refs/pr/N".
bool valid_revision_name(std::string_view rev);
bool is_commit_id(std::string_view s);  ///< 40 lower-case hex

/// Streaming SHA-256 for LFS content: OpenSSL's (hardware-accelerated) when the
/// build has it, else core/sha256. Lower-case hex digest.
class FastSha256 {
 public:
  FastSha256();
  ~FastSha256();
  FastSha256(const FastSha256&) = delete;
  FastSha256& operator=(const FastSha256&) = delete;
  void update(const void* data, std::size_t n);
  std::string hex_digest();  ///< once; no update() afterwards

 private:
  void* impl_;
};
/// FastSha256 of a whole file. Throws NotFound/Io.
std::string fast_sha256_file(const std::string& path);

std::vector<std::string> split(std::string_view s, char sep);
std::string to_lower(std::string s);

}  // namespace lathe::hub
