#include "hub/http_client.h"

#include "core/error.h"
#include "hub/hub_util.h"

#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

namespace lathe::hub {
namespace {

struct Transfer {
  const HttpRequest* req;
  HttpResponse* res;
  CURL* curl;
  bool aborted = false;
};

std::size_t on_header(char* p, std::size_t size, std::size_t n, void* ud) {
  auto* t = static_cast<Transfer*>(ud);
  std::string line(p, size * n);
  if (line.rfind("HTTP/", 0) == 0) t->res->headers.clear();
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
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (t->req->on_data && status >= 200 && status < 300) {
    if (!t->req->on_data(status, p, size * n)) {
      t->aborted = true;
      return 0;
    }
  } else {
    t->res->body.append(p, size * n);
  }
  return size * n;
}

std::once_flag g_curl_init;

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

HttpClient::HttpClient(std::string endpoint, std::string token, std::string user_agent, bool offline)
    : endpoint_(std::move(endpoint)), token_(std::move(token)), user_agent_(std::move(user_agent)),
      offline_(offline) {
  endpoint_host_ = url_host(endpoint_);
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpResponse HttpClient::send_once(const HttpRequest& req, const std::string& url) const {
  HttpResponse res;
  res.url = url;
  CURL* curl = curl_easy_init();
  if (!curl) throw Error(ErrorCode::Network, "curl_easy_init failed", url);
  Transfer t{&req, &res, curl};
  curl_slist* hdrs = nullptr;
  for (const auto& h : req.headers) hdrs = curl_slist_append(hdrs, h.c_str());
  // Authorization only to the endpoint's own host, never to redirect targets elsewhere.
  if (req.send_auth && !token_.empty() && url_host(url) == endpoint_host_)
    hdrs = curl_slist_append(hdrs, ("Authorization: Bearer " + token_).c_str());
  hdrs = curl_slist_append(hdrs, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
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
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &res.status);
  if (upload) std::fclose(upload);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(curl);
  if (t.aborted) throw Error(ErrorCode::Network, "transfer aborted by the caller", url);
  if (rc != CURLE_OK)
    throw Error(ErrorCode::Network, std::string("HTTP request failed: ") + curl_easy_strerror(rc), url);
  return res;
}

HttpResponse HttpClient::send(const HttpRequest& req) const {
  if (offline_)
    throw Error(ErrorCode::Network, "offline mode (HF_HUB_OFFLINE): no HTTP requests", req.url);
  std::string url = req.url;
  int redirects = 0;
  for (int attempt = 0;; ++attempt) {
    HttpResponse r = send_once(req, url);
    std::string location = r.header("location");
    if ((r.status == 301 || r.status == 302 || r.status == 303 || r.status == 307 || r.status == 308) &&
        !location.empty() && redirects < 10) {
      ++redirects;
      if (location.rfind("http://", 0) != 0 && location.rfind("https://", 0) != 0) {
        auto s = url.find("://");
        auto e = url.find('/', s + 3);
        std::string origin = url.substr(0, e);
        location = location[0] == '/' ? origin + location : url.substr(0, url.rfind('/') + 1) + location;
      }
      url = location;
      --attempt;
      continue;
    }
    // 5xx is retried only for reads: a write (commit, create) may have been applied.
    bool idempotent = req.method == "GET" || req.method == "HEAD" || req.method == "PUT";
    bool retryable = r.status == 408 || r.status == 429 ||
                     (idempotent && (r.status == 500 || r.status == 502 || r.status == 503 || r.status == 504));
    if (!retryable || attempt >= req.max_retries) return r;
    double wait = std::min(8.0, double(1 << attempt));
    std::string ra = r.header("retry-after");
    if (!ra.empty() && std::isdigit(static_cast<unsigned char>(ra[0]))) wait = std::min(60.0, std::atof(ra.c_str()));
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(wait * 1000)));
  }
}

void check_hub_status(const HttpResponse& r, const std::string& what) {
  if (r.status >= 200 && r.status < 300) return;
  std::string code = r.header("x-error-code"), msg = r.header("x-error-message");
  if (msg.empty()) msg = r.body.substr(0, 300);
  std::string text = what + ": HTTP " + std::to_string(r.status) + (code.empty() ? "" : " " + code) +
                     (msg.empty() ? "" : " (" + msg + ")");
  if (r.status == 401 && msg.find("Invalid credentials") == std::string::npos && code == "RepoNotFound")
    throw Error(ErrorCode::NotFound, text + "; if the repository is private, pass a token", r.url);
  if (r.status == 401 || r.status == 403) throw Error(ErrorCode::Auth, text, r.url);
  if (r.status == 404) throw Error(ErrorCode::NotFound, text, r.url);
  throw Error(ErrorCode::Network, text, r.url);
}

}  // namespace lathe::hub
