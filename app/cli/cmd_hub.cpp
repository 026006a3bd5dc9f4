// lathe-cli hub: serve | search | info | files | download | push (docs/cli.md).
#include "commands.h"
#include "output.h"

#include "core/error.h"
#include "core/file_util.h"
#include "hub/hub_client.h"
#include "hub/server.h"
#include "hub/server_parse.h"

#include <sys/stat.h>

#include <iostream>
#include <sstream>

namespace lathe::cli {
namespace {

using json = nlohmann::ordered_json;

const char* kHubUsage =
    "usage: lathe-cli hub <serve|search|info|files|download|push> ...\n"
    "  hub serve DIR [--host 127.0.0.1] [--port P] [--token USER=TOKEN]... [--token-file FILE] [--threads N]\n"
    "      tokens must start with hf_ for JS clients; --token-file reads `user=token` lines from a file\n"
    "      only its owner may read (mode 0600 or stricter), so tokens stay out of `ps`\n"
    "  hub search QUERY [--author A] [--filter TAG]... [--sort downloads|likes|lastModified] [--limit N]\n"
    "  hub info REPO[@REV]      hub files REPO[@REV]\n"
    "  hub download REPO[@REV] [FILE...]\n"
    "  hub push DIR REPO [--message M] [--description D] [--private] [--create-pr] [--revision R]\n"
    "The server counts a download (the `downloads` field) for every GET or HEAD of a top-level\n"
    "config.json, config.yaml, hyperparams.yaml or meta.yaml, as the Hub's default query files.\n";

/// An integer option in [lo, hi]; anything else (letters, overflow, out of range) is a usage error.
long long int_option(const Args& args, const std::string& flag, long long fallback, long long lo, long long hi) {
  auto v = args.value(flag);
  if (!v) return fallback;
  long long n = 0;
  bool ok = !v->empty() && v->size() <= 18 && v->find_first_not_of("0123456789") == std::string::npos;
  if (ok) n = std::stoll(*v);
  if (!ok || n < lo || n > hi)
    throw UsageError(flag + " wants a whole number " + std::to_string(lo) + ".." + std::to_string(hi) + ", not '" + *v + "'");
  return n;
}

/// `user=token` lines from a file only its owner can read (group/other bits refused).
void read_token_file(const std::string& path, std::map<std::string, std::string>& tokens) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw Error(ErrorCode::NotFound, "cannot read the tokens file", path);
  if (st.st_mode & 077)
    throw Error(ErrorCode::InvalidArgument,
                "the tokens file may be read by other users (chmod 600 it): " + path, {});
  for (const auto& [token, user] : hub::wire::parse_token_file(read_text_file(path))) tokens[token] = user;
}

int hub_serve(const Argv& argv) {
  Args args(argv, {"--host", "--port", "--token", "--token-file", "--threads", "--test-multipart-chunk"}, {"--test-truncate-once", "--test-429-once", "--test-ignore-range-once"});
  args.expect_positional(1, 1, "hub serve DIR [--host H] [--port P] [--token USER=TOKEN]... [--token-file FILE] [--threads N]");
  hub::ServerOptions o;
  o.dir = args.positional()[0];
  o.host = args.value("--host").value_or("127.0.0.1");
  o.port = static_cast<int>(int_option(args, "--port", 0, 0, 65535));
  o.threads = static_cast<int>(int_option(args, "--threads", o.threads, 2, 1024));
  for (const auto& f : args.values("--token-file")) read_token_file(f, o.tokens);
  for (const auto& t : args.values("--token")) {
    auto eq = t.find('=');
    if (eq == std::string::npos) {  // a bare token: the user is "local"
      o.tokens[t] = "local";
      continue;
    }
    if (eq == 0 || eq + 1 == t.size()) throw UsageError("--token wants USER=TOKEN (or a bare TOKEN)");
    o.tokens[t.substr(eq + 1)] = t.substr(0, eq);
  }
  o.test_truncate_once = args.has("--test-truncate-once");
  o.test_429_once = args.has("--test-429-once");
  o.test_ignore_range_once = args.has("--test-ignore-range-once");
  o.test_multipart_chunk = static_cast<std::uint64_t>(int_option(args, "--test-multipart-chunk", 0, 0, 1LL << 40));
  hub::HubServer server(o);
  int port = server.bind();
  std::string url = "http://" + o.host + ":" + std::to_string(port);
  if (args.json()) print_json(json{{"url", url}, {"port", port}});
  else std::cout << "serving " << o.dir << " on " << url << std::endl;
  std::cout.flush();
  server.listen();
  return 0;
}

int hub_search(const Argv& argv) {
  Args args(argv, {"--author", "--filter", "--sort", "--limit"}, {});
  args.expect_positional(0, 1, "hub search [QUERY] [--author A] [--filter TAG] [--sort S] [--limit N]");
  hub::SearchQuery q;
  if (!args.positional().empty()) q.search = args.positional()[0];
  q.author = args.value("--author").value_or("");
  q.filters = args.values("--filter");
  q.sort = args.value("--sort").value_or("");
  q.limit = std::stoi(args.value("--limit").value_or("0"));
  hub::HubClient client;
  auto models = client.list_models(q);
  if (args.json()) {
    json out = json::array();
    for (const auto& m : models)
      out.push_back({{"id", m.value("id", "")}, {"downloads", m.value("downloads", 0)},
                     {"likes", m.value("likes", 0)}, {"tags", m.value("tags", nlohmann::json::array())},
                     {"lastModified", m.value("lastModified", "")}});
    print_json(out);
    return 0;
  }
  Table t({"id", "downloads", "likes", "lastModified"}, {false, true, true, false});
  for (const auto& m : models)
    t.add({m.value("id", ""), std::to_string(m.value("downloads", 0)), std::to_string(m.value("likes", 0)),
           m.value("lastModified", "")});
  t.print(std::cout);
  return 0;
}

int hub_info(const Argv& argv) {
  Args args(argv, {}, {});
  args.expect_positional(1, 1, "hub info REPO[@REV]");
  auto [repo, rev] = hub::parse_repo_ref(args.positional()[0]);
  hub::HubClient client;
  auto info = client.model_info(repo, rev);
  if (args.json()) {
    print_json(json::parse(info.dump()));
    return 0;
  }
  std::cout << "id:           " << info.value("id", "") << "\n"
            << "sha:          " << info.value("sha", "") << "\n"
            << "lastModified: " << info.value("lastModified", "") << "\n"
            << "private:      " << (info.value("private", false) ? "yes" : "no") << "\n"
            << "pipeline_tag: " << info.value("pipeline_tag", "") << "\n"
            << "library_name: " << info.value("library_name", "") << "\n"
            << "files:        " << info.value("siblings", nlohmann::json::array()).size() << "\n";
  return 0;
}

int hub_files(const Argv& argv) {
  Args args(argv, {}, {});
  args.expect_positional(1, 1, "hub files REPO[@REV]");
  auto [repo, rev] = hub::parse_repo_ref(args.positional()[0]);
  hub::HubClient client;
  auto entries = client.list_files(repo, rev, true);
  if (args.json()) {
    json out = json::array();
    for (const auto& e : entries) {
      json j = {{"type", e.type}, {"path", e.path}, {"size", e.size}, {"oid", e.oid}};
      if (!e.lfs_sha256.empty()) j["lfs_sha256"] = e.lfs_sha256;
      out.push_back(j);
    }
    print_json(out);
    return 0;
  }
  Table t({"path", "size", "lfs sha256"}, {false, true, false});
  for (const auto& e : entries)
    if (e.type == "file") t.add({e.path, std::to_string(e.size), e.lfs_sha256});
  t.print(std::cout);
  return 0;
}

int hub_download(const Argv& argv) {
  Args args(argv, {}, {});
  if (args.positional().empty()) throw UsageError("hub download REPO[@REV] [FILE...]");
  auto [repo, rev] = hub::parse_repo_ref(args.positional()[0]);
  std::vector<std::string> files(args.positional().begin() + 1, args.positional().end());
  hub::HubClient client;
  StderrProgress progress;
  auto r = client.download(repo, rev, files, &progress);
  if (args.json()) print_json(json{{"snapshot", r.snapshot}, {"commit", r.commit}, {"files", r.files}});
  else std::cout << r.snapshot << "\n";
  return 0;
}

int hub_push(const Argv& argv) {
  Args args(argv, {"--message", "--description", "--revision"}, {"--private", "--create-pr"});
  args.expect_positional(2, 2, "hub push DIR REPO [--message M] [--private] [--create-pr] [--revision R]");
  hub::PushOptions o;
  o.message = args.value("--message").value_or(o.message);
  o.description = args.value("--description").value_or("");
  o.revision = args.value("--revision").value_or("main");
  o.is_private = args.has("--private");
  o.create_pr = args.has("--create-pr");
  hub::HubClient client;
  StderrProgress progress;
  auto r = client.push(args.positional()[0], args.positional()[1], o, &progress);
  if (args.json()) {
    json out = {{"commit_url", r.commit_url}, {"commit_oid", r.commit_oid},
                {"pull_request_url", r.pull_request_url.empty() ? json(nullptr) : json(r.pull_request_url)}};
    print_json(out);
  } else if (r.commit_oid.empty()) {
    std::cout << "nothing to commit: every file is already up to date\n";
  } else {
    std::cout << r.commit_url << "\n";
    if (!r.pull_request_url.empty()) std::cout << r.pull_request_url << "\n";
  }
  return 0;
}

}  // namespace

int cmd_hub(const Argv& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kHubUsage;
    return args.empty() ? 2 : 0;
  }
  Argv rest(args.begin() + 1, args.end());
  const std::string& sub = args[0];
  if (sub == "serve") return hub_serve(rest);
  if (sub == "search") return hub_search(rest);
  if (sub == "info") return hub_info(rest);
  if (sub == "files") return hub_files(rest);
  if (sub == "download") return hub_download(rest);
  if (sub == "push") return hub_push(rest);
  throw UsageError("unknown hub command '" + sub + "'\n" + kHubUsage);
}

}  // namespace lathe::cli
