// Checkpoint conversion and weight writing (torch translation unit).
#include "io/checkpoint_io.h"

#include "config/model_config.h"
#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "io/safetensors_io.h"
#include "io/torch_bin_io.h"
#include "io/torch_dtype.h"
#include "text/auto_tokenizer.h"

#include <ATen/core/Tensor.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <unordered_map>

namespace lathe {

StateDict load_checkpoint_tensors(const CheckpointFiles& files, ProgressSink* progress) {
  StateDict all;
  std::uint64_t k = 0;
  for (const auto& f : files.weight_files) {
    check_progress(progress, "reading " + f, k++, files.weight_files.size());
    std::string full = path_join(files.dir, f);
    StateDict part = files.format == WeightFormat::Safetensors ? load_safetensors(full)
                                                               : load_torch_bin(full, progress);
    for (auto& [name, t] : part.items()) {
      if (all.contains(name))
        throw Error(ErrorCode::CorruptFile, "tensor '" + name + "' appears in two shards", full);
      all.insert(name, t);
      if (const DType* tag = part.file_dtype(name)) all.set_file_dtype(name, *tag);
    }
  }
  return all;
}

namespace {

const void* storage_key(const at::Tensor& t) { return t.storage().unsafeGetStorageImpl(); }

bool same_view(const at::Tensor& a, const at::Tensor& b) {
  return a.storage_offset() == b.storage_offset() && a.sizes() == b.sizes() &&
         a.strides() == b.strides() && a.scalar_type() == b.scalar_type();
}

bool same_view_shape(const at::Tensor& a, const at::Tensor& b) {
  return a.sizes() == b.sizes() && a.strides() == b.strides();
}

std::pair<std::uintptr_t, std::uintptr_t> span(const at::Tensor& t) {
  auto b = reinterpret_cast<std::uintptr_t>(t.data_ptr());
  return {b, b + static_cast<std::uintptr_t>(t.numel() * t.element_size())};
}

}  // namespace

std::vector<std::string> drop_shared_duplicates(StateDict& sd) {
  std::unordered_map<const void*, std::vector<std::string>> by_storage;
  std::vector<const void*> order;
  for (const auto& [name, t] : sd.items()) {
    if (!t.defined() || t.numel() == 0) continue;
    auto [it, fresh] = by_storage.try_emplace(storage_key(t));
    if (fresh) order.push_back(it->first);
    it->second.push_back(name);
  }
  std::vector<std::string> removed;
  for (const void* key : order) {
    const auto& names = by_storage[key];
    if (names.size() < 2) continue;
    std::vector<std::string> kept{names[0]};
    for (std::size_t i = 1; i < names.size(); ++i) {
      const at::Tensor& t = *sd.find(names[i]);
      bool duplicate = false;
      for (const auto& k : kept)
        if (same_view(*sd.find(k), t)) duplicate = true;
      if (duplicate) {
        removed.push_back(names[i]);
        continue;
      }
      kept.push_back(names[i]);
    }
    // Distinct views of one storage: allowed only when they do not overlap;
    // each then gets its own copy.
    for (std::size_t i = 0; i < kept.size(); ++i)
      for (std::size_t j = i + 1; j < kept.size(); ++j) {
        auto a = span(*sd.find(kept[i])), b = span(*sd.find(kept[j]));
        if (a.first < b.second && b.first < a.second)
          throw Error(ErrorCode::InvalidArgument,
                      "tensors '" + kept[i] + "' and '" + kept[j] +
                          "' share memory with mismatching views; cannot save them as safetensors");
      }
    if (kept.size() > 1)
      for (const auto& k : kept) sd.insert(k, sd.find(k)->clone());
  }
  for (const auto& r : removed) sd.erase(r);
  return removed;
}

std::vector<ShardInput> shard_inputs(const StateDict& sd) {
  std::vector<ShardInput> out;
  out.reserve(sd.size());
  for (const auto& [name, t] : sd.items()) {
    ShardInput s;
    s.name = name;
    s.storage_bytes = t.storage().nbytes();
    char id[32];
    std::snprintf(id, sizeof id, "%p", storage_key(t));
    s.storage_id = id;
    out.push_back(std::move(s));
  }
  return out;
}

namespace {
std::string weights_name_of(const WriteWeightsOptions& opts) {
  return add_variant(opts.to_bin ? "pytorch_model.bin" : "model.safetensors", opts.variant);
}
}  // namespace

ShardPlan write_weights(const StateDict& sd, FolderTransaction& tx, const WriteWeightsOptions& opts,
                        ProgressSink* progress) {
  ShardPlan plan = plan_shards(shard_inputs(sd), opts.max_shard_size, weights_name_of(opts));
  for (std::size_t i = 0; i < plan.filenames.size(); ++i) {
    StateDict shard;
    for (const auto& name : plan.shards[i]) {
      shard.insert(name, *sd.find(name));
      if (const DType* tag = sd.file_dtype(name)) shard.set_file_dtype(name, *tag);
    }
    std::string target = tx.file(plan.filenames[i]);
    if (opts.to_bin) save_torch_bin(shard, target, progress);
    else save_safetensors(shard, target, {{"format", "pt"}}, progress);
  }
  std::string index_name = add_variant(opts.to_bin ? "pytorch_model.bin.index.json" : "model.safetensors.index.json",
                                       opts.variant);
  if (plan.sharded()) write_text_file_atomic(tx.file(index_name), shard_index_json(plan));
  return plan;
}

void finish_save(FolderTransaction& tx, const ShardPlan& plan, const WriteWeightsOptions& opts) {
  std::vector<std::string> stale;
  if (is_directory(tx.target())) stale = stale_shard_files(tx.target(), weights_name_of(opts), plan.filenames);
  tx.carry_over([&](const std::string& name) { return std::find(stale.begin(), stale.end(), name) == stale.end(); });
  tx.commit();
}

void convert_checkpoint(const std::string& in, const std::string& out_dir, const ConvertOptions& opts,
                        ProgressSink* progress) {
  CheckpointFiles files = resolve_checkpoint(in);
  // Everything is read and checked before the target is touched: a bad
  // config.json fails here, and the target changes only in tx.commit().
  std::optional<ModelConfig> config;
  if (std::string src = path_join(files.dir, "config.json"); path_exists(src)) config = ModelConfig::from_file(src);
  std::string generation_config;
  if (std::string src = path_join(files.dir, "generation_config.json"); path_exists(src)) {
    generation_config = read_text_file(src);
    parse_json(generation_config, src, static_cast<int>(ErrorCode::ConfigInvalid));
  }
  StateDict sd = load_checkpoint_tensors(files, progress);
  if (!opts.to_bin) drop_shared_duplicates(sd);
  if (opts.dtype) {
    if (!dtype_is_floating(*opts.dtype) || *opts.dtype == DType::F8_E4M3 || *opts.dtype == DType::F8_E5M2)
      throw Error(ErrorCode::InvalidArgument,
                  std::string("cannot cast weights to ") + dtype_torch_name(*opts.dtype) +
                      " (float32, float16, bfloat16 or float64 only)");
    // Cast each distinct view once so tensors that shared storage (ties)
    // still share it afterwards.
    auto target = to_scalar_type(*opts.dtype);
    std::map<std::pair<const void*, std::int64_t>, at::Tensor> cast;
    for (auto& [name, t] : sd.items()) {
      if (sd.file_dtype(name) || !at::isFloatingType(t.scalar_type()) || t.scalar_type() == target) continue;
      auto key = std::make_pair(storage_key(t), t.storage_offset());
      auto it = cast.find(key);
      if (it != cast.end() && same_view_shape(it->second, t)) {
        t = it->second;
        continue;
      }
      t = t.to(target);
      cast[key] = t;
    }
  }
  FolderTransaction tx(out_dir);
  WriteWeightsOptions wo{opts.to_bin, opts.max_shard_size, opts.variant};
  ShardPlan plan = write_weights(sd, tx, wo, progress);
  if (config && opts.dtype) {
    // As save_pretrained records the model's dtype: torch_dtype="auto" then
    // loads the converted weights at their new precision.
    config->set_string("torch_dtype", dtype_torch_name(*opts.dtype));
    if (config->json().contains("dtype")) config->set_string("dtype", dtype_torch_name(*opts.dtype));
    config->save(tx.file("config.json"));
  } else if (config) {
    write_text_file_atomic(tx.file("config.json"), read_text_file(path_join(files.dir, "config.json")));
  }
  if (!generation_config.empty()) write_text_file_atomic(tx.file("generation_config.json"), generation_config);
  for (const auto& name : tokenizer_file_names())  // the tokenizer travels with the weights
    if (std::string src = path_join(files.dir, name); path_exists(src)) write_text_file_atomic(tx.file(name), read_text_file(src));
  finish_save(tx, plan, wo);
}

}  // namespace lathe
