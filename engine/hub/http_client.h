// libcurl wrapper for the Hub client: retries 408/429/5xx with backoff
// honouring Retry-After, follows redirects itself and sends Authorization
// only to the endpoint's own host.
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
};

class HttpClient {
 public:
  HttpClient(std::string endpoint, std::string token, std::string user_agent, bool offline);
  /// Throws Error(Network) on transport failure or in offline mode; any status is returned.
  HttpResponse send(const HttpRequest& req) const;
  const std::string& endpoint() const { return endpoint_; }

 private:
  HttpResponse send_once(const HttpRequest& req, const std::string& url) const;
  std::string endpoint_, endpoint_host_, token_, user_agent_;
  bool offline_;
};

/// "http://h:1/x" -> "h:1"
std::string url_host(const std::string& url);
/// Throws lathe::Error for a non-2xx Hub answer: NotFound (404, 401 RepoNotFound),
/// Auth (401 invalid credentials, 403), Network otherwise. The X-Error-Code is in the message.
void check_hub_status(const HttpResponse& r, const std::string& what);

}  // namespace lathe::hub
