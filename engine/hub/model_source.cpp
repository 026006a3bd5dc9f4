// resolve_model: local path or Hub repo id -> a folder from_pretrained can read.
#include "hub/model_source.h"

#include "core/error.h"
#include "core/file_util.h"
#include "hub/cache.h"
#include "hub/hub_util.h"

#include <algorithm>
#include <set>

namespace lathe::hub {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_config_file(const std::string& p) {
  static const std::set<std::string> kNames = {
      "config.json",           "generation_config.json", "tokenizer.json",     "tokenizer_config.json",
      "special_tokens_map.json", "added_tokens.json",    "vocab.json",         "vocab.txt",
      "merges.txt",            "tokenizer.model",        "preprocessor_config.json", "spiece.model",
      "sentencepiece.bpe.model", "chat_template.jinja", "chat_template.json"};
  return kNames.count(p) > 0 ||
         (p.find('/') == std::string::npos && ends_with(p, ".json") && p.find(".index.") != std::string::npos);
}

/// hf_hub_download's cache fallback: the snapshot of refs/<rev> (or <rev> itself).
std::string cached_snapshot(const HubConfig& cfg, const std::string& repo, const std::string& rev,
                            ModelNeed need, const ResolveOptions& weights, const std::string& why) {
  std::string repo_dir = repo_cache_dir(cfg.cache_dir, repo);
  auto commit = is_commit_id(rev) ? std::optional<std::string>(rev) : read_ref(repo_dir, rev);
  std::string snap = commit ? repo_dir + "/snapshots/" + *commit : std::string();
  if (!commit || !is_directory(snap))
    throw Error(ErrorCode::Network, why + "; and " + repo + "@" + rev + " is not in the cache (" + cfg.cache_dir + ")",
                repo);
  if (need == ModelNeed::Weights) {
    try {
      resolve_checkpoint(snap, weights);
    } catch (const Error& e) {
      throw Error(ErrorCode::Network, why + "; and the cached " + repo + "@" + rev + " lacks weights: " + e.what(), snap);
    }
  }
  return snap;
}

}  // namespace

std::pair<std::string, std::string> split_model_ref(const std::string& arg) {
  auto at = arg.find('@');
  return {arg.substr(0, at), at == std::string::npos ? "main" : arg.substr(at + 1)};
}

bool looks_like_repo_id(const std::string& arg) {
  if (arg.empty() || path_exists(arg)) return false;
  auto [repo, rev] = split_model_ref(arg);
  if (!valid_model_id(repo) || !(valid_revision_name(rev) || is_commit_id(rev))) return false;
  for (const char* ext : {".safetensors", ".bin", ".json", ".pt", ".pth", ".ckpt", ".gguf", ".h5", ".msgpack"})
    if (ends_with(repo, ext)) return false;
  return true;
}

std::vector<std::string> config_files_of(const std::vector<std::string>& listing) {
  std::vector<std::string> out;
  for (const auto& p : listing)
    if (is_config_file(p)) out.push_back(p);
  return out;
}

bool RemoteSnapshot::has(const std::string& path) const { return find(path) != nullptr; }

const TreeEntry* RemoteSnapshot::find(const std::string& path) const {
  for (const auto& e : files)
    if (e.path == path) return &e;
  return nullptr;
}

RemoteSnapshot fetch_remote(HubClient& client, const std::string& repo, const std::string& revision,
                            const std::function<bool(const std::string&)>& want, ProgressSink* progress) {
  RemoteSnapshot s;
  s.repo = repo;
  s.revision = revision;
  s.commit = commit_of(client.model_info(repo, revision));
  if (!is_commit_id(s.commit)) throw Error(ErrorCode::Network, "the Hub gave no commit id", repo);
  std::vector<std::string> wanted;
  for (auto& e : client.list_files(repo, s.commit, true)) {
    if (e.type != "file") continue;
    if (want(e.path)) wanted.push_back(e.path);
    s.files.push_back(std::move(e));
  }
  const HubConfig& cfg = client.config();
  std::string repo_dir = repo_cache_dir(cfg.cache_dir, repo);
  s.snapshot = repo_dir + "/snapshots/" + s.commit;
  if (!wanted.empty()) {
    client.download(repo, s.commit, wanted, progress);
  } else {
    ensure_cachedir_tag(cfg.cache_dir);
    make_dirs(s.snapshot);
  }
  if (revision != s.commit) write_ref(repo_dir, revision, s.commit);
  return s;
}

std::string resolve_model(HubClient& client, const std::string& arg, ModelNeed need, ProgressSink* progress,
                          const ResolveOptions& weights) {
  if (path_exists(arg)) return arg;
  if (!looks_like_repo_id(arg))
    throw Error(ErrorCode::NotFound, "no such file or folder (and not a Hub repo id org/name[@revision])", arg);
  auto [repo, rev] = split_model_ref(arg);
  const HubConfig& cfg = client.config();
  if (cfg.offline) return cached_snapshot(cfg, repo, rev, need, weights, "offline mode (HF_HUB_OFFLINE)");
  RemoteSnapshot s;
  try {
    // Phase 1: the config set, with index files (they name the shards).
    s = fetch_remote(client, repo, rev, is_config_file, progress);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::Network)
      return cached_snapshot(cfg, repo, rev, need, weights, std::string("not a local path, and ") + e.what());
    if (e.code() == ErrorCode::NotFound)
      throw Error(ErrorCode::NotFound, "'" + arg + "' is not a local path, and " + cfg.endpoint + " says: " + e.what(),
                  arg);
    throw;
  }
  if (need == ModelNeed::Config) return s.snapshot;
  // Phase 2: the weight files from_pretrained would pick, decided on the listing.
  std::string base = weights.subfolder.empty() ? std::string() : weights.subfolder + "/";
  ResolveOptions o = weights;
  o.subfolder.clear();
  if (!base.empty() && !valid_repo_path(weights.subfolder))
    throw Error(ErrorCode::InvalidArgument, "subfolder must be a relative path inside the model", weights.subfolder);
  if (!base.empty() && !is_directory(s.snapshot + "/" + weights.subfolder)) make_dirs(s.snapshot + "/" + weights.subfolder);
  CheckpointFiles files = resolve_checkpoint_listed(s.snapshot + "/" + base, o,
                                                    [&](const std::string& f) { return s.has(base + f); });
  std::vector<std::string> all;
  for (const auto& f : files.weight_files) all.push_back(base + f);
  if (s.has(base + "config.json") && !path_exists(s.snapshot + "/" + base + "config.json"))
    all.push_back(base + "config.json");
  client.download(repo, s.commit, all, progress);
  return s.snapshot;
}

std::string resolve_model(const std::string& arg, ModelNeed need, ProgressSink* progress,
                          const ResolveOptions& weights) {
  if (path_exists(arg)) return arg;
  HubClient client;
  return resolve_model(client, arg, need, progress, weights);
}

}  // namespace lathe::hub
