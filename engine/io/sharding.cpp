#include "io/sharding.h"

#include "core/json_util.h"

#include <algorithm>
#include <cstdio>
#include <dirent.h>
#include <regex>
#include <sys/stat.h>
#include <unordered_map>

namespace lathe {
namespace {

std::string shard_name(const std::string& weights_name, std::size_t k, std::size_t n) {
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "-%05zu-of-%05zu", k, n);
  // filename_pattern = name.replace(".bin", "{suffix}.bin").replace(".safetensors", "{suffix}.safetensors")
  std::string out = weights_name;
  for (const char* ext : {".bin", ".safetensors"}) {
    std::string e(ext);
    std::string repl = std::string(suffix) + e;
    std::size_t pos = 0;
    while ((pos = out.find(e, pos)) != std::string::npos) {
      out.replace(pos, e.size(), repl);
      pos += repl.size();
    }
  }
  return out;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  std::size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

}  // namespace

ShardPlan plan_shards(const std::vector<ShardInput>& tensors, std::uint64_t max_shard_size,
                      const std::string& weights_name) {
  std::vector<std::vector<std::string>> shards;
  std::vector<std::string> current;
  std::uint64_t current_size = 0;
  ShardPlan plan;
  // storage id → names sharing it, in order; the first decides the shard.
  std::unordered_map<std::string, std::vector<std::string>> shared;
  std::vector<std::string> shared_order;
  for (const auto& t : tensors) {
    if (!t.storage_id.empty()) {
      auto it = shared.find(t.storage_id);
      if (it != shared.end()) {
        it->second.push_back(t.name);
        continue;
      }
      shared[t.storage_id] = {t.name};
      shared_order.push_back(t.storage_id);
    }
    if (t.storage_bytes > max_shard_size) {
      plan.total_size += t.storage_bytes;
      shards.push_back({t.name});
      continue;
    }
    if (current_size + t.storage_bytes > max_shard_size) {
      shards.push_back(std::move(current));
      current.clear();
      current_size = 0;
    }
    current.push_back(t.name);
    current_size += t.storage_bytes;
    plan.total_size += t.storage_bytes;
  }
  if (!current.empty()) shards.push_back(std::move(current));

  // Followers of a shared storage join the shard of its first tensor.
  for (const auto& id : shared_order) {
    const auto& names = shared[id];
    if (names.size() < 2) continue;
    for (auto& shard : shards) {
      if (std::find(shard.begin(), shard.end(), names[0]) != shard.end()) {
        shard.insert(shard.end(), names.begin() + 1, names.end());
        break;
      }
    }
  }

  if (shards.size() <= 1) {
    // One shard holds every key, in state-dict order.
    std::vector<std::string> all;
    for (const auto& t : tensors) all.push_back(t.name);
    plan.filenames = {weights_name};
    plan.shards = {all};
    for (const auto& n : all) plan.weight_map[n] = weights_name;
    return plan;
  }
  for (std::size_t i = 0; i < shards.size(); ++i) {
    std::string fn = shard_name(weights_name, i + 1, shards.size());
    plan.filenames.push_back(fn);
    for (const auto& n : shards[i]) plan.weight_map[n] = fn;
  }
  plan.shards = std::move(shards);
  return plan;
}

std::string add_variant(const std::string& weights_name, const std::string& variant) {
  if (variant.empty()) return weights_name;
  auto pos = weights_name.rfind('.');
  if (pos == std::string::npos) return weights_name + "." + variant;
  return weights_name.substr(0, pos) + "." + variant + weights_name.substr(pos);
}

std::string shard_index_json(const ShardPlan& plan) {
  nlohmann::ordered_json j;
  j["metadata"]["total_size"] = plan.total_size;
  auto& wm = j["weight_map"];
  wm = nlohmann::ordered_json::object();
  for (const auto& [k, v] : plan.weight_map) wm[k] = v;
  return dump_python_json(j);
}

std::vector<std::string> stale_shard_files(const std::string& dir, const std::string& weights_name,
                                           const std::vector<std::string>& new_files) {
  std::string stem = weights_name;
  replace_all(stem, ".bin", "");
  replace_all(stem, ".safetensors", "");
  static const std::regex shard_re(R"((.*?)-\d{5}-of-\d{5})");
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::stat((dir + "/" + name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (name.rfind(stem, 0) != 0) continue;
    if (std::find(new_files.begin(), new_files.end(), name) != new_files.end()) continue;
    std::string no_suffix = name;
    replace_all(no_suffix, ".bin", "");
    replace_all(no_suffix, ".safetensors", "");
    if (std::regex_match(no_suffix, shard_re)) out.push_back(name);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace lathe
