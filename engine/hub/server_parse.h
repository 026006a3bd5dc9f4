// Request parsing of the local hub server, kept free of httplib and torch so the
// libFuzzer target tests/fuzz/fuzz_hub_request.cpp runs exactly what the server
// runs. Every function here either returns a fully validated value or throws
// lathe::Error(InvalidArgument) with a message fit for a client (no exception
// text of a library, only valid UTF-8): the server answers it with a 400.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace lathe::hub::wire {

/// Deepest array/object nesting a request body may have (the Hub's bodies need 4).
constexpr std::size_t kMaxJsonDepth = 64;
/// Largest JSON body (paths-info, preupload, LFS batch, repos/create, ...) read.
constexpr std::uint64_t kMaxJsonBody = 4u << 20;
/// Largest NDJSON commit body: regular (non-LFS) files travel inline, base64.
constexpr std::uint64_t kMaxCommitBody = 64u << 20;
/// Most operations one commit may carry, and most entries of a list body.
constexpr std::size_t kMaxListEntries = 100000;

bool valid_utf8(std::string_view s);

/// JSON with a nesting limit (checked by a scan before anything is built, so a
/// 600 KB `[[[[…` costs no recursion and no memory) and valid UTF-8.
nlohmann::json parse_json(std::string_view text, std::size_t max_depth = kMaxJsonDepth);

/// The request target's path split into raw (still percent-encoded) segments:
/// "/api/models/a/b?x=1" -> {"api","models","a","b"}. Throws when a segment
/// decodes to invalid UTF-8 or a control character.
std::vector<std::string> split_target(std::string_view target);
/// "Bearer hf_x" -> "hf_x"; a bare value is the token itself; "" when absent.
std::string bearer_token(std::string_view authorization);
/// A Content-Length value: decimal digits only, no overflow; throws otherwise.
std::uint64_t parse_content_length(std::string_view value);

/// Tracks where a request's header block ends (the first empty CRLF line after
/// the request line), byte by byte, as httplib reads it, and how long it is.
class HeaderScanner {
 public:
  /// Feeds one byte; returns true when it ended the header block.
  bool feed(char c);
  bool done() const { return done_; }
  std::size_t size() const { return size_; }
  void reset() { *this = HeaderScanner(); }

 private:
  std::size_t size_ = 0, line_len_ = 0, lines_ = 0;
  char prev_ = 0;
  bool done_ = false;
};

struct CommitOp {
  enum class Kind { File, LfsFile, DeletedFile, DeletedFolder };
  Kind kind = Kind::File;
  std::string path;     ///< validated repo path (folders: no trailing '/')
  std::string content;  ///< File: the decoded bytes
  std::string oid;      ///< LfsFile: 64 lower-case hex
  std::uint64_t size = 0;  ///< LfsFile: the declared size (a non-negative integer)
};

struct CommitRequest {
  std::string summary, description, parent_commit;
  std::vector<CommitOp> ops;
};

/// The NDJSON commit body: a "header" line and operation lines.
CommitRequest parse_commit(std::string_view body);

struct PathsInfoRequest {
  std::vector<std::string> paths;
  bool expand = false;
};
/// JSON ({"paths": [...], "expand": bool}) or form-encoded (paths=..&expand=..).
PathsInfoRequest parse_paths_info(std::string_view body, bool is_json);

struct PreuploadFile {
  std::string path;
  std::uint64_t size = 0;
  std::string sample;  ///< decoded
};
std::vector<PreuploadFile> parse_preupload(std::string_view body);

struct LfsObject {
  std::string oid;    ///< as sent (validity is reported per object)
  std::uint64_t size = 0;
  bool valid = false;  ///< oid is 64 lower-case hex and size a non-negative integer
};
struct LfsBatchRequest {
  std::string operation;
  std::vector<LfsObject> objects;
};
LfsBatchRequest parse_lfs_batch(std::string_view body);

struct RepoRequest {
  std::string name, organization, type = "model", visibility;
  bool is_private = false;
};
RepoRequest parse_repo_request(std::string_view body);

struct CompletePart {
  int number = 0;
  std::string etag;
};
struct LfsCompleteRequest {
  std::string oid;
  std::vector<CompletePart> parts;
};
LfsCompleteRequest parse_lfs_complete(std::string_view body);

/// A tokens file: one `user=token` per line; blank lines and `#` comments skipped.
/// Returns token -> user.
std::map<std::string, std::string> parse_token_file(std::string_view text);

}  // namespace lathe::hub::wire
