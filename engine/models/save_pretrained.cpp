#include "models/save_pretrained.h"

#include "runtime/torch_errors.h"
#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "io/checkpoint_io.h"
#include "io/folder_transaction.h"
#include "io/safetensors_io.h"
#include "io/torch_bin_io.h"
#include "io/torch_dtype.h"

#include <algorithm>
#include <regex>
#include <set>
#include <unordered_map>

namespace lathe::models {
namespace {

// transformers' global generation defaults (_get_global_generation_defaults):
// config attributes that differ from these belong in generation_config.json.
const std::vector<std::pair<const char*, nlohmann::ordered_json>>& generation_defaults() {
  static const std::vector<std::pair<const char*, nlohmann::ordered_json>> d = {
      {"max_length", 20}, {"min_length", 0}, {"do_sample", false}, {"early_stopping", false}, {"num_beams", 1},
      {"num_beam_groups", 1}, {"diversity_penalty", 0.0}, {"temperature", 1.0}, {"top_k", 50}, {"top_p", 1.0},
      {"typical_p", 1.0}, {"repetition_penalty", 1.0}, {"length_penalty", 1.0}, {"no_repeat_ngram_size", 0},
      {"encoder_no_repeat_ngram_size", 0}, {"bad_words_ids", nullptr}, {"num_return_sequences", 1},
      {"output_scores", false}, {"return_dict_in_generate", false}, {"forced_bos_token_id", nullptr},
      {"forced_eos_token_id", nullptr}, {"remove_invalid_values", false},
      {"exponential_decay_length_penalty", nullptr}, {"suppress_tokens", nullptr}, {"begin_suppress_tokens", nullptr}};
  return d;
}

// GenerationConfig.from_model_config(config) written with use_diff=True.
std::string derived_generation_config(const ModelConfig& cfg, const nlohmann::ordered_json& moved) {
  nlohmann::ordered_json g = nlohmann::ordered_json::object();
  g["_from_model_config"] = true;
  for (const char* k : {"bos_token_id", "eos_token_id", "pad_token_id", "decoder_start_token_id"}) {
    auto it = cfg.json().find(k);
    if (it != cfg.json().end() && !it->is_null()) g[k] = *it;
  }
  for (auto it = moved.begin(); it != moved.end(); ++it) g[it.key()] = it.value();
  if (auto v = cfg.json().find("transformers_version"); v != cfg.json().end()) g["transformers_version"] = *v;
  return dump_python_json(g);
}

struct Prepared {
  StateDict sd;
  std::vector<std::string> dropped;
  ModelConfig config;
  std::string generation;  ///< "" = no generation_config.json
};

Prepared prepare(PreTrainedModel& m, const SavePretrainedOptions& opts) {
  Prepared p;
  for (const auto& [name, t] : m.state_dict()) {
    if (t.is_meta()) throw Error(ErrorCode::InvalidArgument, "cannot save a skeleton (tensor has no data)", name);
    p.sd.insert(name, t);
  }
  if (opts.safe_serialization) {
    // Tied duplicates: among names sharing one tensor, sorted, those matching
    // _tied_weights_keys are dropped until one name is left.
    std::unordered_map<const void*, std::vector<std::string>> groups;
    std::vector<const void*> order;
    for (const auto& [name, t] : p.sd.items()) {
      const void* key = t.storage().unsafeGetStorageImpl();
      auto [it, fresh] = groups.try_emplace(key);
      if (fresh) order.push_back(key);
      it->second.push_back(name);
    }
    std::vector<std::regex> pats;
    for (const auto& k : m.tied_weights_keys()) pats.emplace_back(k);
    for (const void* key : order) {
      auto names = groups[key];
      if (names.size() < 2) continue;
      std::sort(names.begin(), names.end());
      std::size_t found = 0;
      std::vector<std::string> kept;
      for (const auto& n : names) {
        bool match = std::any_of(pats.begin(), pats.end(), [&](const std::regex& r) { return std::regex_search(n, r); });
        if (match && ++found < names.size()) p.dropped.push_back(n);
        else kept.push_back(n);
      }
      if (kept.size() > 1)
        throw Error(ErrorCode::InvalidArgument,
                    "tensors " + kept[0] + " and " + kept[1] +
                        " share memory but are not declared tied; save with safe_serialization=false (.bin)");
    }
    for (const auto& n : p.dropped) p.sd.erase(n);
  }
  p.config = m.config;
  p.config.set_string("torch_dtype", dtype_torch_name(from_scalar_type(m.dtype())));
  p.config.set_string_list("architectures", {m.type_name()});
  nlohmann::ordered_json moved = nlohmann::ordered_json::object();
  if (m.can_generate()) {
    for (const auto& [k, dflt] : generation_defaults()) {
      auto it = p.config.json().find(k);
      if (it != p.config.json().end() && *it != dflt) {
        moved[k] = *it;
        p.config.json().erase(k);
      }
    }
    p.generation = m.generation_config_text.empty() ? derived_generation_config(m.config, moved) : m.generation_config_text;
  }
  return p;
}

WriteWeightsOptions weights_options(const SavePretrainedOptions& o) { return {!o.safe_serialization, o.max_shard_size, o.variant}; }

}  // namespace

SavePlan plan_save(PreTrainedModel& model, const std::string& dir, const SavePretrainedOptions& opts) {
  Prepared p = prepare(model, opts);
  SavePlan plan;
  plan.dropped_tied = p.dropped;
  std::string weights = add_variant(opts.safe_serialization ? "model.safetensors" : "pytorch_model.bin", opts.variant);
  plan.shards = plan_shards(shard_inputs(p.sd), opts.max_shard_size, weights);
  plan.files = {"config.json"};
  if (!p.generation.empty()) plan.files.push_back("generation_config.json");
  for (const auto& [name, src] : model.carried_files) plan.files.push_back(name);
  plan.files.insert(plan.files.end(), plan.shards.filenames.begin(), plan.shards.filenames.end());
  if (plan.shards.sharded())
    plan.files.push_back(add_variant(opts.safe_serialization ? "model.safetensors.index.json" : "pytorch_model.bin.index.json", opts.variant));
  if (is_directory(dir)) plan.deleted = stale_shard_files(dir, weights, plan.shards.filenames);
  return plan;
}

namespace {
SavePlan save_model(PreTrainedModel& model, const std::string& dir, const SavePretrainedOptions& opts,
                         ProgressSink* progress) {
  SavePlan plan = plan_save(model, dir, opts);
  Prepared p = prepare(model, opts);
  FolderTransaction tx(dir);
  write_text_file_atomic(tx.file("config.json"), p.config.to_json_string());
  if (!p.generation.empty()) write_text_file_atomic(tx.file("generation_config.json"), p.generation);
  for (const auto& [name, src] : model.carried_files) write_text_file_atomic(tx.file(name), read_text_file(src));
  ShardPlan shards = write_weights(p.sd, tx, weights_options(opts), progress);
  finish_save(tx, shards, weights_options(opts));
  model.config = p.config;  // transformers updates the live config too
  return plan;
}
}  // namespace

SavePlan save_pretrained(PreTrainedModel& model, const std::string& dir, const SavePretrainedOptions& opts,
                         ProgressSink* progress) {
  return guarded("saving the model", dir, [&] { return save_model(model, dir, opts, progress); });
}

std::pair<std::vector<std::string>, std::vector<std::string>> load_sharded_checkpoint(PreTrainedModel& model,
                                                                                     const std::string& folder,
                                                                                     bool strict, bool prefer_safe) {
  const std::string bin_index = path_join(folder, "pytorch_model.bin.index.json");
  const std::string safe_index = path_join(folder, "model.safetensors.index.json");
  const bool has_bin = path_exists(bin_index), has_safe = path_exists(safe_index);
  if (!has_bin && !has_safe)
    throw Error(ErrorCode::NotFound, "Can't find a checkpoint index (pytorch_model.bin.index.json or model.safetensors.index.json)", folder);
  const bool load_safe = has_safe && (prefer_safe || !has_bin);
  ResolveOptions ro;
  ro.use_safetensors = load_safe;
  CheckpointFiles files = resolve_checkpoint(path_join(folder, load_safe ? "model.safetensors.index.json" : "pytorch_model.bin.index.json"), ro);
  auto index = parse_json(read_text_file(path_join(folder, files.index_file)), files.index_file,
                          static_cast<int>(ErrorCode::CorruptFile));
  std::set<std::string> loaded;
  for (auto it = index["weight_map"].begin(); it != index["weight_map"].end(); ++it) loaded.insert(it.key());
  std::vector<std::string> model_keys;
  for (const auto& [k, t] : model.state_dict()) model_keys.push_back(k);
  std::vector<std::string> missing, unexpected;
  for (const auto& k : model_keys)
    if (!loaded.count(k)) missing.push_back(k);
  std::set<std::string> mk(model_keys.begin(), model_keys.end());
  for (const auto& k : loaded)
    if (!mk.count(k)) unexpected.push_back(k);
  if (strict && (!missing.empty() || !unexpected.empty())) {
    std::string msg = "Error(s) in loading state_dict for " + model.type_name();
    auto quoted = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& k : v) s += (s.empty() ? "" : ",") + ("\"" + k + "\"");
      return s;
    };
    if (!missing.empty()) msg += "\nMissing key(s): " + quoted(missing) + ".";
    if (!unexpected.empty()) msg += "\nMissing key(s): " + quoted(unexpected) + ".";
    throw Error(ErrorCode::MissingTensor, msg, folder);
  }
  for (const auto& f : files.weight_files) {
    std::string full = path_join(files.dir, f);
    StateDict part = load_safe ? load_safetensors(full) : load_torch_bin(full);
    for (auto& [k, t] : part.items())
      if (at::Tensor* slot = model.find_tensor(k)) {
        if (slot->sizes() != t.sizes())
          throw Error(ErrorCode::ShapeMismatch, "size mismatch for " + k, full);
        slot->copy_(t);
      }
  }
  return {missing, unexpected};
}

}  // namespace lathe::models
