// resolve_model: local path or Hub repo id -> a folder from_pretrained can read.
#include "hub/model_source.h"

#include "core/error.h"
#include "core/file_util.h"
#include "hub/cache.h"
#include "hub/hub_client.h"
#include "hub/hub_util.h"

#include <nlohmann/json.hpp>

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
      "merges.txt",            "tokenizer.model",        "preprocessor_config.json"};
  return kNames.count(p) > 0 || (p.find('/') == std::string::npos && ends_with(p, ".index.json"));
}

std::pair<std::string, std::string> split_ref(const std::string& arg) {
  auto at = arg.find('@');
  return {arg.substr(0, at), at == std::string::npos ? "main" : arg.substr(at + 1)};
}

/// Shards named by an index json in the cache snapshot ("" when unreadable).
std::vector<std::string> index_shards(const std::string& index_path) {
  std::vector<std::string> out;
  try {
    auto j = nlohmann::json::parse(read_text_file(index_path));
    std::set<std::string> seen;
    for (const auto& [k, v] : j.at("weight_map").items())
      if (v.is_string() && seen.insert(v.get<std::string>()).second) out.push_back(v.get<std::string>());
  } catch (const std::exception&) {
    throw Error(ErrorCode::CorruptFile, "index json without a readable weight_map", index_path);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// hf_hub_download's cache fallback: the snapshot of refs/<rev> (or <rev> itself).
std::string cached_snapshot(const HubConfig& cfg, const std::string& repo, const std::string& rev,
                            ModelNeed need, const std::string& why) {
  std::string repo_dir = repo_cache_dir(cfg.cache_dir, repo);
  auto commit = is_commit_id(rev) ? std::optional<std::string>(rev) : read_ref(repo_dir, rev);
  std::string snap = commit ? repo_dir + "/snapshots/" + *commit : std::string();
  if (!commit || !is_directory(snap))
    throw Error(ErrorCode::Network, why + "; and " + repo + "@" + rev + " is not in the cache (" + cfg.cache_dir + ")",
                repo);
  if (need == ModelNeed::Weights) {
    bool any = false;
    for (const char* f : {"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                          "pytorch_model.bin.index.json"})
      any = any || path_exists(snap + "/" + f);
    if (!any)
      throw Error(ErrorCode::Network, why + "; and the cached " + repo + "@" + rev + " has no weights", snap);
  }
  return snap;
}

}  // namespace

bool looks_like_repo_id(const std::string& arg) {
  if (arg.empty() || path_exists(arg)) return false;
  auto [repo, rev] = split_ref(arg);
  if (!valid_model_id(repo) || !(valid_revision_name(rev) || is_commit_id(rev))) return false;
  for (const char* ext : {".safetensors", ".bin", ".json", ".pt", ".pth", ".ckpt", ".gguf", ".h5", ".msgpack"})
    if (ends_with(repo, ext)) return false;
  return true;
}

std::vector<std::string> files_for_need(const std::vector<std::string>& listing, ModelNeed need,
                                        const std::vector<std::string>& shards) {
  std::set<std::string> have(listing.begin(), listing.end());
  std::vector<std::string> out;
  for (const auto& p : listing)
    if (is_config_file(p)) out.push_back(p);
  if (need == ModelNeed::Config) return out;
  // from_pretrained's order without a variant: model.safetensors, its index,
  // pytorch_model.bin, its index. Shards come from the index once it is fetched.
  std::vector<std::string> weights;
  if (have.count("model.safetensors")) {
    weights = {"model.safetensors"};
  } else if (have.count("model.safetensors.index.json") || have.count("pytorch_model.bin.index.json")) {
    weights = shards;
  } else if (have.count("pytorch_model.bin")) {
    weights = {"pytorch_model.bin"};
  } else {  // variant-only or unusual names: every top-level weight file of one format
    for (const char* ext : {".safetensors", ".bin"}) {
      for (const auto& p : listing)
        if (p.find('/') == std::string::npos && ends_with(p, ext)) weights.push_back(p);
      if (!weights.empty()) break;
    }
  }
  for (const auto& w : weights)
    if (have.count(w) && std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
  return out;
}

std::string resolve_model(HubClient& client, const std::string& arg, ModelNeed need, ProgressSink* progress) {
  if (path_exists(arg)) return arg;
  if (!looks_like_repo_id(arg))
    throw Error(ErrorCode::NotFound, "no such file or folder (and not a Hub repo id org/name[@revision])", arg);
  auto [repo, rev] = split_ref(arg);
  const HubConfig& cfg = client.config();
  if (cfg.offline) return cached_snapshot(cfg, repo, rev, need, "offline mode (HF_HUB_OFFLINE)");
  std::vector<std::string> listing;
  try {
    std::string commit = client.model_info(repo, rev).value("sha", "");
    if (!is_commit_id(commit)) throw Error(ErrorCode::Network, "the Hub gave no commit id", repo);
    for (const auto& e : client.list_files(repo, commit, true))
      if (e.type == "file") listing.push_back(e.path);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::Network) return cached_snapshot(cfg, repo, rev, need, e.what());
    if (e.code() == ErrorCode::NotFound)
      throw Error(ErrorCode::NotFound,
                  "'" + arg + "' is not a local path, and " + cfg.endpoint + " says: " + e.what(), arg);
    throw;
  }
  // Phase 1: the config set (with index files); phase 2 (Weights): the shards they name.
  std::vector<std::string> files = files_for_need(listing, ModelNeed::Config);
  std::string repo_dir = repo_cache_dir(cfg.cache_dir, repo);
  DownloadResult r;
  if (files.empty()) {
    // Nothing to fetch yet: still pin refs/<rev> and create the snapshot folder.
    r = client.download(repo, rev, {"config.json"}, progress);  // throws EntryNotFound
  } else {
    r = client.download(repo, rev, files, progress);
  }
  if (need == ModelNeed::Config) return r.snapshot;
  std::vector<std::string> shards;
  for (const char* idx : {"model.safetensors.index.json", "pytorch_model.bin.index.json"}) {
    if (std::find(listing.begin(), listing.end(), idx) == listing.end()) continue;
    shards = index_shards(r.snapshot + "/" + idx);
    for (const auto& s : shards)
      if (!valid_repo_path(s)) throw Error(ErrorCode::CorruptFile, "index names an unsafe shard", s);
    break;
  }
  std::vector<std::string> all = files_for_need(listing, ModelNeed::Weights, shards);
  r = client.download(repo, r.commit, all, progress);
  return r.snapshot;
}

std::string resolve_model(const std::string& arg, ModelNeed need, ProgressSink* progress) {
  if (path_exists(arg)) return arg;
  HubClient client;
  return resolve_model(client, arg, need, progress);
}

}  // namespace lathe::hub
