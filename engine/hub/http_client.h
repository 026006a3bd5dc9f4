// libcurl wrapper for the Hub client: retries 408/429/5xx with backoff
// honouring Retry-After, follows redirects itself and sends Authorization
// only to the endpoint's own host.
//
// Hardened against a hostile or broken server: http/https only (never file://
// or other schemes, whatever a redirect or an LFS "href" says), at most
// `max_redirects` redirects, response headers capped, buffered answers capped
// (`max_body`), a stall timeout per request kind (huggingface_hub's
// HF_HUB_ETAG_TIMEOUT / HF_HUB_DOWNLOAD_TIMEOUT), bounded retry waits. Every
// failure is one lathe::Error(Network) line naming the URL.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace lathe::hub {

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  ///< lower-case names
  std::string body;                            ///< not filled for streamed 2xx answers
  std::string url;                             ///< final URL
  std::string header(const std::string& lower_name) const;
};

/// Which timeout governs a request (as huggingface_hub maps them).
enum class HttpKind {
  Metadata,  ///< API calls, HEAD: HF_HUB_ETAG_TIMEOUT (connect, and no byte for that long)
  Download,  ///< file bodies: HF_HUB_DOWNLOAD_TIMEOUT (connect, and no byte for that long)
  Upload,    ///< commits, LFS uploads: connect HF_HUB_ETAG_TIMEOUT; the server may think
             ///< for up to max(60 s, HF_HUB_DOWNLOAD_TIMEOUT) before it answers
};

struct HttpLimits {
  long etag_timeout_s = 10;      ///< HF_HUB_ETAG_TIMEOUT
  long download_timeout_s = 10;  ///< HF_HUB_DOWNLOAD_TIMEOUT
  int max_redirects = 10;
  std::size_t max_header_bytes = 256 * 1024;          ///< all header lines of one request
  std::uint64_t max_answer_bytes = 64ull << 20;       ///< a buffered 2xx answer (API JSON)
  std::size_t max_error_body = 64 * 1024;             ///< kept of a non-2xx body; the rest is not read
  double max_retry_wait_s = 30, max_total_retry_wait_s = 60;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  ///< "Name: value"
  std::string body;
  std::string upload_file;           ///< PUT the contents of this file instead of `body`
  bool send_auth = true;
  int max_retries = 5;
  /// 2xx body bytes go here (with the status: 200 or 206) instead of `body`;
  /// return false to abort.
  std::function<bool(long status, const char*, std::size_t)> on_data;
  HttpKind kind = HttpKind::Metadata;
  std::uint64_t max_body = 0;        ///< buffered 2xx answer cap; 0: HttpLimits::max_answer_bytes
  /// Called once the headers of a 2xx answer are in, before any body byte: a
  /// non-empty return aborts the transfer with that message (Error(Network)).
  std::function<std::string(const HttpResponse&)> check_headers = nullptr;
};

class HttpClient {
 public:
  HttpClient(std::string endpoint, std::string token, std::string user_agent, bool offline,
             HttpLimits limits = {});
  /// Throws Error(Network) on transport failure, stall, oversize answer, too many
  /// redirects, or in offline mode; any status is returned.
  HttpResponse send(const HttpRequest& req) const;
  const std::string& endpoint() const { return endpoint_; }
  const HttpLimits& limits() const { return limits_; }

 private:
  HttpResponse send_once(const HttpRequest& req, const std::string& url) const;
  std::string endpoint_, endpoint_host_, token_, user_agent_;
  bool offline_;
  HttpLimits limits_;
};

/// "http://h:1/x" -> "h:1"
std::string url_host(const std::string& url);
/// Throws lathe::Error for a non-2xx Hub answer: NotFound (404, 401 RepoNotFound),
/// Auth (401 invalid credentials, 403), Network otherwise. The X-Error-Code is in the
/// message (server text is cut short and stripped of control characters: one line).
void check_hub_status(const HttpResponse& r, const std::string& what);
/// Server-supplied text made safe for a one-line message: control characters
/// (newlines, ESC) become spaces, at most `max` bytes.
std::string printable(const std::string& s, std::size_t max = 300);

}  // namespace lathe::hub
