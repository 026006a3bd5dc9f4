// HubClient: the browse side (whoami, search/list, info, tree) and create_repo.
#include "hub/hub_client.h"

#include "core/error.h"
#include "hub/hub_util.h"

namespace lathe::hub {

using json = nlohmann::json;

namespace {

/// The rel="next" URL of a Link header, or "".
std::string next_link(const std::string& link) {
  std::size_t pos = 0;
  while ((pos = link.find('<', pos)) != std::string::npos) {
    auto end = link.find('>', pos);
    if (end == std::string::npos) break;
    auto next_part = link.find(',', end);
    std::string params = link.substr(end + 1, next_part == std::string::npos ? std::string::npos : next_part - end - 1);
    if (params.find("rel=\"next\"") != std::string::npos || params.find("rel=next") != std::string::npos)
      return link.substr(pos + 1, end - pos - 1);
    pos = end;
  }
  return {};
}

std::string repo_api(const std::string& repo) {
  if (!valid_model_id(repo)) throw Error(ErrorCode::InvalidArgument, "invalid repo id (want org/name)", repo);
  return "/api/models/" + repo;
}

}  // namespace

std::pair<std::string, std::string> parse_repo_ref(const std::string& text) {
  auto at = text.find('@');
  std::string repo = text.substr(0, at);
  std::string rev = at == std::string::npos ? "main" : text.substr(at + 1);
  if (!valid_repo_id(repo)) throw Error(ErrorCode::InvalidArgument, "invalid repo id (want org/name)", repo);
  if (!valid_revision_name(rev) && !is_commit_id(rev))
    throw Error(ErrorCode::InvalidArgument, "invalid revision", rev);
  return {repo, rev};
}

HubClient::HubClient(HubConfig config)
    : cfg_(std::move(config)), http_(cfg_.endpoint, cfg_.token, cfg_.user_agent.empty() ? lathe_user_agent() : cfg_.user_agent, cfg_.offline) {}

json HubClient::api(const std::string& method, const std::string& path, const std::string& body,
                    const std::vector<std::string>& headers, HttpResponse* raw) {
  HttpRequest req;
  req.method = method;
  req.url = path.rfind("http", 0) == 0 ? path : cfg_.endpoint + path;
  req.body = body;
  req.headers = headers;
  if (method != "GET" && method != "HEAD" && headers.empty()) req.headers.push_back("Content-Type: application/json");
  HttpResponse r = http_.send(req);
  if (raw) *raw = r;
  check_hub_status(r, method + " " + path);
  if (r.body.empty()) return json();
  try {
    return json::parse(r.body);
  } catch (const std::exception&) {
    throw Error(ErrorCode::Network, "the Hub answered with invalid JSON", req.url);
  }
}

json HubClient::whoami() { return api("GET", "/api/whoami-v2"); }

std::vector<json> HubClient::list_models(const SearchQuery& q) {
  std::string url = "/api/models?";
  auto add = [&](const std::string& k, const std::string& v) {
    if (!v.empty()) url += k + "=" + url_encode(v, false) + "&";
  };
  add("search", q.search);
  add("author", q.author);
  for (const auto& f : q.filters) add("filter", f);
  add("sort", q.sort);
  if (q.limit > 0) add("limit", std::to_string(std::min(q.limit, 1000)));
  url.pop_back();
  std::vector<json> out;
  while (!url.empty()) {
    HttpResponse raw;
    json page = api("GET", url, {}, {}, &raw);
    if (!page.is_array()) throw Error(ErrorCode::Network, "unexpected /api/models answer", url);
    for (auto& m : page) {
      out.push_back(std::move(m));
      if (q.limit > 0 && static_cast<int>(out.size()) >= q.limit) return out;
    }
    url = next_link(raw.header("link"));
  }
  return out;
}

json HubClient::model_info(const std::string& repo, const std::string& revision) {
  return api("GET", repo_api(repo) + "/revision/" + url_encode(revision, false));
}

std::vector<TreeEntry> HubClient::list_files(const std::string& repo, const std::string& revision,
                                             bool recursive) {
  std::string url = repo_api(repo) + "/tree/" + url_encode(revision, false) +
                    (recursive ? "?recursive=true" : "?recursive=false") + "&expand=false";
  std::vector<TreeEntry> out;
  while (!url.empty()) {
    HttpResponse raw;
    json page = api("GET", url, {}, {}, &raw);
    if (!page.is_array()) throw Error(ErrorCode::Network, "unexpected tree answer", url);
    for (const auto& e : page) {
      TreeEntry t;
      t.type = e.value("type", "file");
      t.path = e.value("path", "");
      t.oid = e.value("oid", "");
      t.size = e.value("size", std::uint64_t{0});
      if (e.contains("lfs") && e["lfs"].is_object()) t.lfs_sha256 = e["lfs"].value("oid", "");
      out.push_back(std::move(t));
    }
    url = next_link(raw.header("link"));
  }
  return out;
}

bool HubClient::create_repo(const std::string& repo, bool is_private, bool exist_ok) {
  if (!valid_repo_id(repo)) throw Error(ErrorCode::InvalidArgument, "invalid repo id (want org/name)", repo);
  auto slash = repo.find('/');
  json body = {{"name", repo.substr(slash + 1)}, {"organization", repo.substr(0, slash)},
               {"private", is_private}, {"visibility", is_private ? "private" : "public"}};
  HttpRequest req;
  req.method = "POST";
  req.url = cfg_.endpoint + "/api/repos/create";
  req.body = body.dump();
  req.headers = {"Content-Type: application/json"};
  HttpResponse r = http_.send(req);
  if (r.status == 409) {
    if (exist_ok) return false;
    throw Error(ErrorCode::InvalidArgument, "repository already exists", repo);
  }
  check_hub_status(r, "create repo " + repo);
  return true;
}

}  // namespace lathe::hub
