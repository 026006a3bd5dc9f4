// Locating weight files and reading shard indexes (torch-free).
#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "io/checkpoint.h"
#include "io/sharding.h"

#include <algorithm>
#include <functional>
#include <set>

namespace lathe {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// transformers reads shard names as sorted(set(weight_map.values())).
std::vector<std::string> read_index_shards(const std::string& index_path) {
  auto j = parse_json_unordered(read_text_file(index_path), index_path, static_cast<int>(ErrorCode::CorruptFile));
  if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
    throw Error(ErrorCode::CorruptFile, "index has no \"weight_map\" object", index_path);
  std::set<std::string> files;
  for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
    if (!it->is_string())
      throw Error(ErrorCode::CorruptFile, "weight_map entry '" + it.key() + "' is not a file name",
                  index_path);
    const auto& f = it->get_ref<const std::string&>();
    if (!is_safe_relative_path(f))
      throw Error(ErrorCode::CorruptFile,
                  "shard name '" + f + "' points outside the checkpoint folder", index_path);
    files.insert(f);
  }
  if (files.empty()) throw Error(ErrorCode::CorruptFile, "index lists no shards", index_path);
  return {files.begin(), files.end()};
}

using Exists = std::function<bool(const std::string&)>;

CheckpointFiles from_index(const std::string& dir, const std::string& index_name, WeightFormat fmt,
                           const Exists& exists) {
  CheckpointFiles c;
  c.dir = dir;
  c.format = fmt;
  c.index_file = index_name;
  c.weight_files = read_index_shards(path_join(dir, index_name));
  for (const auto& f : c.weight_files)
    if (!exists(f))
      throw Error(ErrorCode::NotFound, "shard '" + f + "' named by " + index_name + " is missing",
                  dir);
  return c;
}

void attach_config(CheckpointFiles& c) {
  std::string cfg = path_join(c.dir, "config.json");
  c.config_file = path_exists(cfg) ? cfg : "";
}

}  // namespace

CheckpointFiles resolve_checkpoint(const std::string& path_in, const ResolveOptions& opts) {
  std::string path = path_in;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (!opts.subfolder.empty()) {
    if (!is_safe_relative_path(opts.subfolder))
      throw Error(ErrorCode::InvalidArgument, "subfolder must be a relative path inside the model",
                  opts.subfolder);
    path = path_join(path, opts.subfolder);
  }
  if (!path_exists(path)) throw Error(ErrorCode::NotFound, "no such file or folder", path);

  CheckpointFiles c;
  if (!is_directory(path)) {
    c.dir = path_dirname(path);
    std::string name = path_basename(path);
    if (ends_with(name, ".index.json") || (ends_with(name, ".json") && name.find(".index.") != std::string::npos)) {
      const std::string dir = c.dir;
      c = from_index(dir, name, name.find(".safetensors") != std::string::npos
                                    ? WeightFormat::Safetensors
                                    : WeightFormat::TorchBin,
                     [&](const std::string& f) { return path_exists(path_join(dir, f)); });
    } else if (ends_with(name, ".safetensors")) {
      c.format = WeightFormat::Safetensors;
      c.weight_files = {name};
    } else if (ends_with(name, ".bin") || ends_with(name, ".pt") || ends_with(name, ".pth")) {
      c.format = WeightFormat::TorchBin;
      c.weight_files = {name};
    } else {
      throw Error(ErrorCode::InvalidArgument,
                  "not a checkpoint file (expected .safetensors, .bin or an .index.json)", path);
    }
    attach_config(c);
    return c;
  }
  return resolve_checkpoint_listed(path, opts, [&](const std::string& f) { return path_exists(path_join(path, f)); });
}

CheckpointFiles resolve_checkpoint_listed(const std::string& path, const ResolveOptions& opts,
                                          const std::function<bool(const std::string&)>& exists) {
  CheckpointFiles c;
  // transformers' local order: model.safetensors, its index, pytorch_model.bin, its index.
  struct Candidate { const char* single; const char* index; WeightFormat format; bool enabled; };
  const Candidate candidates[] = {
      {"model.safetensors", "model.safetensors.index.json", WeightFormat::Safetensors,
       opts.use_safetensors.value_or(true)},
      {"pytorch_model.bin", "pytorch_model.bin.index.json", WeightFormat::TorchBin,
       !opts.use_safetensors.has_value() || !*opts.use_safetensors},
  };
  std::vector<std::string> looked_for;
  for (const auto& cand : candidates) {
    if (!cand.enabled) continue;
    std::string single = add_variant(cand.single, opts.variant);
    std::string index = add_variant(cand.index, opts.variant);
    looked_for.insert(looked_for.end(), {single, index});
    if (exists(single)) {
      c.dir = path;
      c.format = cand.format;
      c.weight_files = {single};
      attach_config(c);
      return c;
    }
    if (exists(index)) {
      c = from_index(path, index, cand.format, exists);
      attach_config(c);
      return c;
    }
  }
  std::string list;
  for (const auto& f : looked_for) list += (list.empty() ? "" : ", ") + f;
  std::string hint;
  if (exists("tf_model.h5") || exists("flax_model.msgpack"))
    hint = " (TensorFlow/Flax weights are present: Lathe reads PyTorch formats only)";
  throw Error(ErrorCode::NotFound, "no weights found; looked for " + list + hint, path);
}

}  // namespace lathe
