#include "hub/http_client.h"

#include "core/error.h"
#include "hub/hub_util.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace lathe::hub {
namespace {

using Clock = std::chrono::steady_clock;

enum class Stop { None, Caller, Stall, BodyTooLarge, HeadersTooLarge, HeaderCheck, ErrorBodyCut };

struct Transfer {
  const HttpRequest* req = nullptr;
  HttpResponse* res = nullptr;
  CURL* curl = nullptr;
  const HttpLimits* limits = nullptr;
  long stall_s = 10;
  std::uint64_t max_body = 0;
  std::size_t header_bytes = 0;
  Stop stop = Stop::None;
  std::string stop_message;
  bool connected = false;
  curl_off_t last_dl = 0, last_ul = 0;
  Clock::time_point last_progress;
};

long response_code(CURL* curl) {
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

std::string mib(std::uint64_t n) { return std::to_string(n >> 20) + " MiB"; }

/// The end of one response's headers: checks what can be checked before the body.
bool headers_complete(Transfer* t) {
  long status = response_code(t->curl);
  t->res->status = status;
  if (status < 200 || status >= 300) return true;
  if (!t->req->on_data && t->req->method != "HEAD") {
    std::string cl = t->res->header("content-length");
    char* end = nullptr;
    unsigned long long n = cl.empty() ? 0 : std::strtoull(cl.c_str(), &end, 10);
    if (!cl.empty() && end && *end == '\0' && n > t->max_body) {
      t->stop = Stop::BodyTooLarge;
      return false;
    }
  }
  if (t->req->check_headers) {
    t->stop_message = t->req->check_headers(*t->res);
    if (!t->stop_message.empty()) {
      t->stop = Stop::HeaderCheck;
      return false;
    }
  }
  return true;
}

std::size_t on_header(char* p, std::size_t size, std::size_t n, void* ud) {
  auto* t = static_cast<Transfer*>(ud);
  t->header_bytes += size * n;
  if (t->header_bytes > t->limits->max_header_bytes) {
    t->stop = Stop::HeadersTooLarge;
    return 0;
  }
  std::string line(p, size * n);
  if (line.rfind("HTTP/", 0) == 0) t->res->headers.clear();
  if (line == "\r\n" || line == "\n") return headers_complete(t) ? size * n : 0;
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string v = line.substr(colon + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(0, 1);
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.pop_back();
    t->res->headers[to_lower(line.substr(0, colon))] = v;
  }
  return size * n;
}

std::size_t on_body(char* p, std::size_t size, std::size_t n, void* ud) {
  auto* t = static_cast<Transfer*>(ud);
  long status = response_code(t->curl);
  bool ok = status >= 200 && status < 300;
  if (t->req->on_data && ok) {
    if (!t->req->on_data(status, p, size * n)) {
      t->stop = Stop::Caller;
      return 0;
    }
    return size * n;
  }
  std::uint64_t limit = ok ? t->max_body : t->limits->max_error_body;
  if (t->res->body.size() + size * n > limit) {
    if (ok) {
      t->stop = Stop::BodyTooLarge;
    } else {  // keep the start of an error page; its status is what matters
      t->res->body.append(p, static_cast<std::size_t>(limit - t->res->body.size()));
      t->stop = Stop::ErrorBodyCut;
    }
    return 0;
  }
  t->res->body.append(p, size * n);
  return size * n;
}

// Called once the connection is up: the stall clock starts there (connecting has
// its own CURLOPT_CONNECTTIMEOUT).
int on_connected(void* ud, char*, char*, int, int) {
  auto* t = static_cast<Transfer*>(ud);
  t->connected = true;
  t->last_progress = Clock::now();
  return 0;  // CURL_PREREQFUNC_OK
}

// No body byte in either direction for stall_s seconds: abort (headers do not
// count, so a server trickling headers stalls too).
int on_progress(void* ud, curl_off_t, curl_off_t dlnow, curl_off_t, curl_off_t ulnow) {
  auto* t = static_cast<Transfer*>(ud);
  if (!t->connected) return 0;
  auto now = Clock::now();
  if (dlnow != t->last_dl || ulnow != t->last_ul) {
    t->last_dl = dlnow;
    t->last_ul = ulnow;
    t->last_progress = now;
    return 0;
  }
  if (now - t->last_progress >= std::chrono::seconds(t->stall_s)) {
    t->stop = Stop::Stall;
    return 1;
  }
  return 0;
}

std::once_flag g_curl_init;

const char* timeout_var(HttpKind k) {
  return k == HttpKind::Download ? "HF_HUB_DOWNLOAD_TIMEOUT" : "HF_HUB_ETAG_TIMEOUT";
}

bool is_redirect(long s) { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308; }

/// `location` (absolute, scheme-relative, absolute-path or relative) against `url`.
std::string resolve_location(const std::string& url, const std::string& location) {
  auto lower = to_lower(location.substr(0, 8));
  if (lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0) return location;
  auto s = url.find("://");
  if (location.rfind("//", 0) == 0) return url.substr(0, s + 1) + location;
  auto colon = location.find(':'), slash = location.find('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon < slash))
    throw Error(ErrorCode::Network, "redirect to a non-HTTP URL refused: " + printable(location, 200), url);
  auto e = url.find('/', s + 3);
  std::string origin = url.substr(0, e);
  if (location[0] == '/') return origin + location;
  std::string base = e == std::string::npos ? origin + "/" : url.substr(0, url.find_first_of("?#", e));
  return base.substr(0, base.rfind('/') + 1) + location;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string url_host(const std::string& url) {
  auto s = url.find("://");
  if (s == std::string::npos) return {};
  s += 3;
  auto e = url.find_first_of("/?#", s);
  return to_lower(url.substr(s, e == std::string::npos ? std::string::npos : e - s));
}

std::string printable(const std::string& s, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && out.size() < max; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) {  // U+0080..U+009F (C1)
      out += ' ';
      ++i;
    } else {
      out += (c < 0x20 || c == 0x7F) ? ' ' : s[i];
    }
  }
  return out;
}

HttpClient::HttpClient(std::string endpoint, std::string token, std::string user_agent, bool offline,
                       HttpLimits limits)
    : endpoint_(std::move(endpoint)), token_(std::move(token)), user_agent_(std::move(user_agent)),
      offline_(offline), limits_(limits) {
  endpoint_host_ = url_host(endpoint_);
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpResponse HttpClient::send_once(const HttpRequest& req, const std::string& url) const {
  HttpResponse res;
  res.url = url;
  CURL* curl = curl_easy_init();
  if (!curl) throw Error(ErrorCode::Network, "curl_easy_init failed", url);
  const long connect_s = std::max(1L, req.kind == HttpKind::Download ? limits_.download_timeout_s
                                                                      : limits_.etag_timeout_s);
  const long stall_s = req.kind == HttpKind::Upload ? std::max(60L, limits_.download_timeout_s) : connect_s;
  Transfer t;
  t.req = &req;
  t.res = &res;
  t.curl = curl;
  t.limits = &limits_;
  t.stall_s = stall_s;
  t.max_body = req.max_body ? req.max_body : limits_.max_answer_bytes;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_slist* hdrs = nullptr;
  for (const auto& h : req.headers) hdrs = curl_slist_append(hdrs, h.c_str());
  // Authorization only to the endpoint's own host, never to redirect targets elsewhere.
  if (req.send_auth && !token_.empty() && url_host(url) == endpoint_host_)
    hdrs = curl_slist_append(hdrs, ("Authorization: Bearer " + token_).c_str());
  hdrs = curl_slist_append(hdrs, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, connect_s);
#if LIBCURL_VERSION_NUM >= 0x075000
  curl_easy_setopt(curl, CURLOPT_PREREQFUNCTION, on_connected);
  curl_easy_setopt(curl, CURLOPT_PREREQDATA, &t);
#else
  on_connected(&t, nullptr, nullptr, 0, 0);  // the stall clock then includes connecting
#endif
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 512L * 1024);  // fewer, larger writes for big files
  FILE* upload = nullptr;
  if (req.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (!req.upload_file.empty()) {
    upload = std::fopen(req.upload_file.c_str(), "rb");
    if (!upload) {
      curl_slist_free_all(hdrs);
      curl_easy_cleanup(curl);
      throw Error(ErrorCode::Io, "cannot open", req.upload_file);
    }
    std::fseek(upload, 0, SEEK_END);
    curl_off_t size = std::ftell(upload);
    std::fseek(upload, 0, SEEK_SET);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READDATA, upload);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, size);
    if (req.method != "PUT") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else if (req.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  CURLcode rc = curl_easy_perform(curl);
  res.status = response_code(curl);
  if (upload) std::fclose(upload);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(curl);
  const std::string var = timeout_var(req.kind);
  switch (t.stop) {
    case Stop::None: break;
    case Stop::ErrorBodyCut: return res;  // the status is the answer
    case Stop::Caller: throw Error(ErrorCode::Network, "transfer aborted by the caller", url);
    case Stop::HeaderCheck: throw Error(ErrorCode::Network, t.stop_message, url);
    case Stop::BodyTooLarge:
      throw Error(ErrorCode::Network, "the answer is larger than the " + mib(t.max_body) + " accepted; refused", url);
    case Stop::HeadersTooLarge:
      throw Error(ErrorCode::Network, "the server sent more than " + std::to_string(limits_.max_header_bytes >> 10) +
                                          " KiB of response headers; refused", url);
    case Stop::Stall:
      if (req.kind == HttpKind::Upload)
        throw Error(ErrorCode::Network, "no progress and no answer from the server for " + std::to_string(stall_s) + " s",
                    url);
      throw Error(ErrorCode::Network, "no data from the server for " + std::to_string(stall_s) + " s (" + var + "=" +
                                          std::to_string(stall_s) + "; raise it for a slow connection)", url);
  }
  if (rc == CURLE_OPERATION_TIMEDOUT && !t.connected)
    throw Error(ErrorCode::Network, "could not connect within " + std::to_string(connect_s) + " s (" + var + "=" +
                                        std::to_string(connect_s) + ")", url);
  if (rc != CURLE_OK)
    throw Error(ErrorCode::Network, std::string("HTTP request failed: ") +
                                        printable(errbuf[0] ? errbuf : curl_easy_strerror(rc), 200), url);
  return res;
}

HttpResponse HttpClient::send(const HttpRequest& req) const {
  if (offline_)
    throw Error(ErrorCode::Network, "offline mode (HF_HUB_OFFLINE): no HTTP requests", req.url);
  std::string url = req.url;
  int redirects = 0;
  double waited = 0;
  for (int attempt = 0;;) {
    HttpResponse r = send_once(req, url);
    std::string location = r.header("location");
    if (is_redirect(r.status) && !location.empty()) {
      if (++redirects > limits_.max_redirects)
        throw Error(ErrorCode::Network, "more than " + std::to_string(limits_.max_redirects) +
                                            " redirects (a redirect loop?); last to " + printable(location, 200), req.url);
      url = resolve_location(url, location);
      continue;
    }
    // 5xx is retried only for reads: a write (commit, create) may have been applied.
    bool idempotent = req.method == "GET" || req.method == "HEAD" || req.method == "PUT";
    bool retryable = r.status == 408 || r.status == 429 ||
                     (idempotent && (r.status == 500 || r.status == 502 || r.status == 503 || r.status == 504));
    if (!retryable || attempt >= req.max_retries) return r;
    double wait = std::min(8.0, double(1 << attempt));
    std::string ra = r.header("retry-after");
    if (!ra.empty() && std::isdigit(static_cast<unsigned char>(ra[0]))) wait = std::atof(ra.c_str());
    wait = std::min(wait, limits_.max_retry_wait_s);
    if (waited + wait > limits_.max_total_retry_wait_s) return r;  // a server that never stops asking to wait
    waited += wait;
    ++attempt;
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(wait * 1000)));
  }
}

void check_hub_status(const HttpResponse& r, const std::string& what) {
  if (r.status >= 200 && r.status < 300) return;
  std::string code = printable(r.header("x-error-code"), 100), msg = printable(r.header("x-error-message"));
  if (msg.empty()) msg = printable(r.body);
  std::string text = what + ": HTTP " + std::to_string(r.status) + (code.empty() ? "" : " " + code) +
                     (msg.empty() ? "" : " (" + msg + ")");
  if (r.status == 401 && msg.find("Invalid credentials") == std::string::npos && code == "RepoNotFound")
    throw Error(ErrorCode::NotFound, text + "; if the repository is private, pass a token", r.url);
  if (r.status == 401 || r.status == 403) throw Error(ErrorCode::Auth, text, r.url);
  if (r.status == 404) throw Error(ErrorCode::NotFound, text, r.url);
  throw Error(ErrorCode::Network, text, r.url);
}

}  // namespace lathe::hub
