// HubClient: the browse side (whoami, search/list, info, tree) and create_repo.
#include "hub/hub_client.h"

#include "core/error.h"
#include "core/json_util.h"
#include "hub/hub_util.h"

#include <functional>
#include <set>

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

HttpLimits limits_of(const HubConfig& c) {
  HttpLimits l;
  l.etag_timeout_s = c.etag_timeout_s;
  l.download_timeout_s = c.download_timeout_s;
  return l;
}

TreeEntry parse_tree_entry(const json& e, const std::string& url) {
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::Network, "unexpected tree answer: " + why, url);
  };
  if (!e.is_object()) throw bad("an entry is not an object");
  auto str = [&](const char* key, const char* fallback) -> std::string {
    if (!e.contains(key)) return fallback;
    if (!e[key].is_string()) throw bad(std::string("\"") + key + "\" is not a string");
    return e[key].get<std::string>();
  };
  TreeEntry t;
  t.type = str("type", "file");
  t.path = str("path", "");
  t.oid = str("oid", "");
  if (e.contains("size")) {
    if (!e["size"].is_number_unsigned()) throw bad("size of " + printable(t.path, 200) + " is not a whole number >= 0");
    t.size = e["size"].get<std::uint64_t>();
  }
  if (e.contains("lfs") && e["lfs"].is_object() && e["lfs"].contains("oid")) {
    if (!e["lfs"]["oid"].is_string()) throw bad("lfs.oid is not a string");
    t.lfs_sha256 = e["lfs"]["oid"].get<std::string>();
  }
  return t;
}

void check_model_entry(const json& m, const std::string& url) {
  bool ok = m.is_object() && (!m.contains("id") || m["id"].is_string()) &&
            (!m.contains("lastModified") || m["lastModified"].is_string());
  for (const char* k : {"downloads", "likes"}) ok = ok && (!m.contains(k) || m[k].is_number());
  if (!ok) throw Error(ErrorCode::Network, "unexpected /api/models answer: an entry has the wrong shape", url);
}

/// Follows a paginated listing from `url` through rel="next" Link headers; `on_item`
/// returns false to stop early. A next URL seen before, more than cfg.max_list_pages
/// pages or more than cfg.max_list_entries entries is Error(Network).
void for_each_listed(HubClient& c, std::string url, const std::string& what,
                     const std::function<bool(json&)>& on_item) {
  const HubConfig& cfg = c.config();
  std::set<std::string> seen;
  std::size_t entries = 0;
  for (int pages = 0; !url.empty(); ++pages) {
    if (pages >= cfg.max_list_pages)
      throw Error(ErrorCode::Network, "more than " + std::to_string(cfg.max_list_pages) + " pages of " + what +
                                          " (a rel=\"next\" link that never ends?); refused", url);
    if (!seen.insert(url).second)
      throw Error(ErrorCode::Network, "the rel=\"next\" link of " + what + " repeats an earlier page (a loop); refused",
                  url);
    HttpResponse raw;
    json page = c.api("GET", url, {}, {}, &raw);
    if (!page.is_array()) throw Error(ErrorCode::Network, "unexpected " + what + " answer (not a list)", url);
    entries += page.size();
    if (entries > cfg.max_list_entries)
      throw Error(ErrorCode::Network, "more than " + std::to_string(cfg.max_list_entries) + " entries in " + what +
                                          "; refused", url);
    for (auto& item : page)
      if (!on_item(item)) return;
    url = next_link(raw.header("link"));  // a path resolves against the endpoint (api())
  }
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
    : cfg_(std::move(config)), http_(cfg_.endpoint, cfg_.token, cfg_.user_agent.empty() ? lathe_user_agent() : cfg_.user_agent, cfg_.offline,
            limits_of(cfg_)) {}

json HubClient::api(const std::string& method, const std::string& path, const std::string& body,
                    const std::vector<std::string>& headers, HttpResponse* raw) {
  HttpRequest req;
  req.method = method;
  req.url = path.rfind("http", 0) == 0 ? path : cfg_.endpoint + path;
  req.body = body;
  req.headers = headers;
  req.kind = method == "GET" || method == "HEAD" ? HttpKind::Metadata : HttpKind::Upload;
  if (method != "GET" && method != "HEAD" && headers.empty()) req.headers.push_back("Content-Type: application/json");
  HttpResponse r = http_.send(req);
  if (raw) *raw = r;
  check_hub_status(r, method + " " + path);
  if (r.body.empty()) return json();
  // A hostile answer of a million '[' must not reach the parser.
  if (json_nesting_depth(r.body, 128) > 128)
    throw Error(ErrorCode::Network, "the Hub answered with JSON nested deeper than 128 levels; refused", req.url);
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
  for_each_listed(*this, url, "the model search", [&](json& m) {
    check_model_entry(m, url);
    out.push_back(std::move(m));
    return q.limit <= 0 || static_cast<int>(out.size()) < q.limit;
  });
  return out;
}

std::string commit_of(const json& info) {
  return info.is_object() && info.contains("sha") && info["sha"].is_string() ? info["sha"].get<std::string>() : "";
}

json HubClient::model_info(const std::string& repo, const std::string& revision) {
  return api("GET", repo_api(repo) + "/revision/" + url_encode(revision, false));
}

std::vector<TreeEntry> HubClient::list_files(const std::string& repo, const std::string& revision,
                                             bool recursive) {
  std::string url = repo_api(repo) + "/tree/" + url_encode(revision, false) +
                    (recursive ? "?recursive=true" : "?recursive=false") + "&expand=false";
  std::vector<TreeEntry> out;
  for_each_listed(*this, url, "the file list of " + repo, [&](json& e) {
    out.push_back(parse_tree_entry(e, url));
    return true;
  });
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
