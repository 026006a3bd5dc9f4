// inspect_checkpoint: headers only (torch-free).
#include "config/model_config.h"
#include "core/error.h"
#include "core/file_util.h"
#include "io/checkpoint.h"
#include "io/safetensors.h"
#include "io/torch_bin.h"

#include <iterator>
#include <unordered_map>

namespace lathe {

CheckpointInfo inspect_checkpoint(const std::string& path, const ResolveOptions& opts) {
  CheckpointInfo info;
  info.files = resolve_checkpoint(path, opts);
  const auto& files = info.files;
  bool first = true;
  for (const auto& f : files.weight_files) {
    std::string full = path_join(files.dir, f);
    if (files.format == WeightFormat::Safetensors) {
      SafetensorsHeader h = read_safetensors_header(full);
      if (first) info.metadata = h.metadata;
      for (auto& t : h.tensors) {
        t.file = f;
        info.total_bytes += t.nbytes;
        info.total_elements += static_cast<std::uint64_t>(t.numel());
      }
      if (info.tensors.empty()) {
        info.tensors = std::move(h.tensors);  // one file (or the first shard): no copy
      } else {
        info.tensors.insert(info.tensors.end(), std::make_move_iterator(h.tensors.begin()),
                            std::make_move_iterator(h.tensors.end()));
      }
    } else {
      // Tensors sharing a storage are one set of bytes on disk: count each
      // storage once and report the groups (tied weights).
      std::unordered_map<std::string, std::size_t> group_of;
      std::vector<std::vector<std::string>> groups;
      for (auto& t : inspect_torch_bin(full)) {
        t.file = f;
        auto [it, fresh] = group_of.emplace(t.storage, groups.size());
        if (fresh) {
          groups.push_back({t.name});
          info.total_bytes += t.nbytes;
          info.total_elements += static_cast<std::uint64_t>(t.numel());
        } else {
          groups[it->second].push_back(t.name);
        }
        info.tensors.push_back(std::move(t));
      }
      for (auto& g : groups)
        if (g.size() > 1) info.shared_storage.push_back(std::move(g));
    }
    first = false;
  }
  if (!files.config_file.empty()) {
    ModelConfig cfg = ModelConfig::from_file(files.config_file);
    info.model_type = cfg.model_type();
    info.architectures = cfg.architectures();
  }
  return info;
}

}  // namespace lathe
