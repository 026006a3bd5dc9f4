#include "session/session_impl.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "io/safetensors_io.h"
#include "io/torch_dtype.h"
#include "models/generate.h"
#include "models/save_pretrained.h"
#include "models/registry.h"
#include "quant/quantize_model.h"
#include "runtime/torch_errors.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/full.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/max.h>
#include <ATen/ops/min.h>

#include <unordered_map>

namespace lathe {

namespace {

models::FromPretrainedOptions to_internal(const LoadOptions& o) {
  models::FromPretrainedOptions f;
  f.torch_dtype = o.torch_dtype;
  f.resolve.variant = o.variant;
  f.resolve.subfolder = o.subfolder;
  f.resolve.use_safetensors = o.use_safetensors;
  f.ignore_mismatched_sizes = o.ignore_mismatched_sizes;
  f.model_class = o.model_class;
  f.dispatch = {o.device_map, o.max_memory, o.offload_folder, o.offload_buffers};
  return f;
}

at::Tensor ids_from_json(const nlohmann::ordered_json& j, const char* key, const std::string& path) {
  if (!j.is_array() || j.empty() || !j[0].is_array())
    throw Error(ErrorCode::InvalidArgument, std::string("'") + key + "' must be a non-empty list of lists of integers", path);
  const auto rows = static_cast<std::int64_t>(j.size()), cols = static_cast<std::int64_t>(j[0].size());
  at::Tensor t = at::empty({rows, cols}, at::TensorOptions().dtype(c10::kLong));
  auto* p = t.data_ptr<std::int64_t>();
  for (const auto& row : j) {
    if (!row.is_array() || static_cast<std::int64_t>(row.size()) != cols)
      throw Error(ErrorCode::InvalidArgument, std::string("rows of '") + key + "' must all have the same length", path);
    for (const auto& v : row) {
      if (!v.is_number_integer()) throw Error(ErrorCode::InvalidArgument, std::string("'") + key + "' holds a non-integer", path);
      *p++ = v.get<std::int64_t>();
    }
  }
  return t;
}

}  // namespace

models::ForwardInputs read_forward_inputs(const ForwardRequest& req) {
  const std::string& path = req.inputs_path;
  const std::string& prefix = req.inputs_prefix;
  models::ForwardInputs in;
  if (req.batch) {
    const std::string where = "the token batch";
    const auto& b = *req.batch;
    in.input_ids = ids_from_json(nlohmann::ordered_json(b.input_ids), "input_ids", where);
    if (!b.attention_mask.empty()) in.attention_mask = ids_from_json(nlohmann::ordered_json(b.attention_mask), "attention_mask", where);
    if (!b.token_type_ids.empty()) in.token_type_ids = ids_from_json(nlohmann::ordered_json(b.token_type_ids), "token_type_ids", where);
  } else if (path.size() > 12 && path.substr(path.size() - 12) == ".safetensors") {
    StateDict sd = load_safetensors(path);
    auto get = [&](const char* n) {
      const at::Tensor* t = sd.find(prefix + n);
      return t ? t->to(c10::kLong) : at::Tensor();
    };
    in.input_ids = get("input_ids");
    in.attention_mask = get("attention_mask");
    in.token_type_ids = get("token_type_ids");
  } else {
    auto j = parse_json(read_text_file(path), path, static_cast<int>(ErrorCode::InvalidArgument));
    if (!j.is_object()) throw Error(ErrorCode::InvalidArgument, "inputs must be a JSON object", path);
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key() != "input_ids" && it.key() != "attention_mask" && it.key() != "token_type_ids")
        throw Error(ErrorCode::InvalidArgument, "unknown input '" + it.key() + "'", path);
    if (j.contains("input_ids")) in.input_ids = ids_from_json(j["input_ids"], "input_ids", path);
    if (j.contains("attention_mask")) in.attention_mask = ids_from_json(j["attention_mask"], "attention_mask", path);
    if (j.contains("token_type_ids")) in.token_type_ids = ids_from_json(j["token_type_ids"], "token_type_ids", path);
  }
  if (!in.input_ids.defined()) throw Error(ErrorCode::InvalidArgument, "no " + prefix + "input_ids in the inputs", path);
  if (in.input_ids.dim() != 2) throw Error(ErrorCode::InvalidArgument, "input_ids must be [batch, length]", path);
  for (const at::Tensor* t : {&in.attention_mask, &in.token_type_ids})
    if (t->defined() && t->sizes() != in.input_ids.sizes())
      throw Error(ErrorCode::InvalidArgument, "attention_mask/token_type_ids must have the shape of input_ids", path);
  return in;
}

ModelSummary summarize(models::PreTrainedModel& m) {
  ModelSummary s;
  s.class_name = m.type_name();
  s.model_type = m.config.model_type();
  s.dtype = dtype_torch_name(from_scalar_type(m.dtype()));
  s.num_parameters = m.num_parameters(false, false);
  s.num_parameters_trainable = m.num_parameters(true, false);
  s.num_parameters_exclude_embeddings = m.num_parameters(false, true);
  s.num_parameters_trainable_exclude_embeddings = m.num_parameters(true, true);
  s.memory_footprint_with_buffers = m.get_memory_footprint(true);
  s.memory_footprint_without_buffers = m.get_memory_footprint(false);
  std::unordered_map<const nn::ParamSlot*, std::size_t> group;
  std::vector<std::vector<std::string>> groups;
  for (const auto& [name, p] : m.named_parameters(false)) {
    auto [it, fresh] = group.try_emplace(p.get(), groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(name);
  }
  for (auto& g : groups)
    if (g.size() > 1) s.tied.push_back(std::move(g));
  s.no_split_modules = m.no_split_modules();
  s.can_generate = m.can_generate();
  return s;
}

ModelSummary summarize_model(const std::string& path, const LoadOptions& opts) {
  CheckpointFiles files = resolve_checkpoint(path, {opts.variant, opts.use_safetensors, opts.subfolder});
  if (files.config_file.empty()) throw Error(ErrorCode::ConfigInvalid, "no config.json next to the weights", files.dir);
  ModelConfig config = ModelConfig::from_file(files.config_file);
  auto dtype = models::resolve_load_dtype(opts.torch_dtype, config, files);
  auto skeleton = models::build_skeleton(config, opts.model_class, dtype);
  quant::prepare_prequantized(*skeleton, files);  // bitsandbytes checkpoints: packed sizes
  // Buffers are created on meta with their real shapes: footprint counts them.
  return summarize(*skeleton);
}

ModelSummary summarize_model(const CheckpointInfo& info, const LoadOptions& opts) {
  if (info.files.config_file.empty()) throw Error(ErrorCode::ConfigInvalid, "no config.json next to the weights", info.files.dir);
  ModelConfig config = ModelConfig::from_file(info.files.config_file);
  auto cfg_dtype = config.torch_dtype();
  c10::ScalarType dtype = c10::kFloat;
  if (opts.torch_dtype == "auto" && !(cfg_dtype && *cfg_dtype != "auto")) {
    // from_pretrained's "auto": the first floating (non-fp8) tensor of the first weight file.
    for (const auto& t : info.tensors) {
      if (info.files.weight_files.empty() || t.file != info.files.weight_files.front()) continue;
      if (dtype_is_floating(t.dtype) && t.dtype != DType::F8_E4M3 && t.dtype != DType::F8_E5M2) {
        dtype = to_scalar_type(t.dtype);
        break;
      }
    }
  } else {
    dtype = models::resolve_load_dtype(opts.torch_dtype, config, info.files);
  }
  auto skeleton = models::build_skeleton(config, opts.model_class, dtype);
  std::vector<std::pair<std::string, std::pair<std::vector<std::int64_t>, c10::ScalarType>>> hs;
  for (const auto& t : info.tensors) hs.push_back({t.name, {t.shape, to_scalar_type(t.dtype)}});
  quant::prepare_prequantized(*skeleton, hs);  // bitsandbytes checkpoints: packed sizes
  return summarize(*skeleton);
}

std::vector<std::string> supported_model_types() { return models::Registry::instance().model_types(); }

Session::Session() : impl_(std::make_unique<Impl>()) {}
Session::~Session() = default;

LoadReport Session::load(const std::string& path, const LoadOptions& opts, ProgressSink* progress) {
  impl_->hooks.reset();
  impl_->loaded = models::from_pretrained(path, to_internal(opts), progress);
  if (opts.quantization) quant::quantize_model(*impl_->loaded.model, *opts.quantization);
  LoadReport r;
  r.missing_keys = impl_->loaded.info.missing_keys;
  r.unexpected_keys = impl_->loaded.info.unexpected_keys;
  for (const auto& m : impl_->loaded.info.mismatched_keys) r.mismatched_keys.push_back({m.key, m.checkpoint_shape, m.model_shape});
  const models::DispatchInfo& d = impl_->loaded.dispatch;
  r.device_map = d.device_map;
  r.device_map_warnings = d.warnings;
  r.resident_bytes = d.resident_bytes;
  r.offloaded_bytes = d.offloaded_bytes;
  r.offloaded_tensors = d.offloaded_tensors;
  return r;
}

bool Session::loaded() const { return impl_->loaded.model != nullptr; }

void Session::unload() {
  impl_->hooks.reset();  // hooks hold the modules they watch
  impl_->loaded = models::LoadedModel{};
}

ModelSummary Session::summary() const {
  if (!loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  return summarize(*impl_->loaded.model);
}

ForwardResult Session::run(const ForwardRequest& req) {
  if (!loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  auto& m = *impl_->loaded.model;
  models::ForwardInputs in = read_forward_inputs(req);
  in.output_hidden_states = req.hidden_states;
  m.check_forward_inputs(in);  // before the padding warning reads the ids
  ForwardResult r;
  if (auto w = m.warn_if_padding_and_no_attention_mask(in.input_ids, in.attention_mask)) r.warnings.push_back(*w);
  models::ForwardOutputs out = m.forward(in);
  r.estimate_tokens = m.estimate_tokens(in);
  r.floating_point_ops = m.floating_point_ops(in);
  r.dtype = dtype_torch_name(from_scalar_type(m.dtype()));
  StateDict sd;
  auto add = [&](const std::string& name, const at::Tensor& t) {
    if (!t.defined()) return;
    // Outputs may alias (last_hidden_state is the last hidden state): own copies.
    sd.insert(name, t.to(c10::kFloat).contiguous().clone());
    r.outputs.push_back({name, t.sizes().vec()});
  };
  add("logits", out.logits);
  add("last_hidden_state", out.last_hidden_state);
  add("pooler_output", out.pooler_output);
  for (std::size_t i = 0; i < out.hidden_states.size(); ++i) add("hidden_states." + std::to_string(i), out.hidden_states[i]);
  if (!req.out_path.empty()) save_safetensors(sd, req.out_path, {{"format", "pt"}});
  return r;
}

MemoryReport Session::memory(const ForwardRequest& req) {
  if (!loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  auto& m = *impl_->loaded.model;
  models::ForwardInputs in = read_forward_inputs(req);
  if (!impl_->hooks) impl_->hooks = std::make_unique<MemoryHooks>(m);
  impl_->hooks->run([&] { m.forward(in); });
  return impl_->hooks->report();
}

void Session::quantize(const BnbConfig& cfg) {
  if (!loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  impl_->hooks.reset();
  quant::quantize_model(*impl_->loaded.model, cfg);
}

std::vector<QuantizedModuleInfo> Session::quantized_modules() {
  if (!loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  return quant::quantized_modules(*impl_->loaded.model);
}

void Session::dequantize() {
  if (!loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  guarded("dequantizing", impl_->loaded.model->type_name(), [&] { quant::dequantize_model(*impl_->loaded.model); });
}

void Session::reset_memory_hooks() {
  if (impl_->hooks) impl_->hooks->reset();
}

void Session::prune_heads(const std::map<int, std::vector<int>>& heads) {
  if (!loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  if (models::is_dispatched(*impl_->loaded.model))
    throw Error(ErrorCode::Unsupported, "the model was loaded with disk offload; reload it without a device map for this");
  impl_->hooks.reset();
  auto& m = *impl_->loaded.model;
  guarded("pruning heads", m.type_name(), [&] { m.prune_heads(heads); });
}

std::int64_t Session::resize_token_embeddings(std::optional<std::int64_t> n, std::optional<std::int64_t> pad,
                                              bool mean_resizing, std::uint64_t seed) {
  if (!loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  if (models::is_dispatched(*impl_->loaded.model))
    throw Error(ErrorCode::Unsupported, "the model was loaded with disk offload; reload it without a device map for this");
  impl_->hooks.reset();
  auto& m = *impl_->loaded.model;
  return guarded("resizing the vocabulary", m.type_name(),
                 [&] { return m.resize_token_embeddings(n, pad, mean_resizing, seed)->num_embeddings; });
}

namespace {
models::SavePretrainedOptions save_options(const SaveOptions& o) {
  models::SavePretrainedOptions s;
  s.max_shard_size = o.max_shard_size;
  s.safe_serialization = !o.bin;
  s.variant = o.variant;
  return s;
}
SaveReport report_of(const models::SavePlan& p) {
  SaveReport r;
  r.files = p.files;
  r.shards = p.shards.shards;
  r.deleted = p.deleted;
  r.dropped_tied = p.dropped_tied;
  r.total_size = p.shards.total_size;
  return r;
}
}  // namespace

SaveReport Session::save(const std::string& dir, const SaveOptions& opts, ProgressSink* progress) {
  if (!loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  if (models::is_dispatched(*impl_->loaded.model))
    throw Error(ErrorCode::Unsupported, "the model was loaded with disk offload; reload it without a device map for this");
  auto& m = *impl_->loaded.model;
  if (!opts.dtype.empty())
    guarded("casting the model", m.type_name(), [&] { m.to_dtype(to_scalar_type(parse_dtype_name(opts.dtype))); });
  return report_of(models::save_pretrained(m, dir, save_options(opts), progress));
}

void Session::set_carried_file(const std::string& name, const std::string& path) {
  if (!loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  if (!is_safe_relative_path(name) || name.find('/') != std::string::npos)
    throw Error(ErrorCode::InvalidArgument, "not a file name", name);
  if (path.empty()) impl_->loaded.model->carried_files.erase(name);
  else impl_->loaded.model->carried_files[name] = path;
}

SaveReport Session::preview_save(const std::string& dir, const SaveOptions& opts) {
  if (!loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  return report_of(models::plan_save(*impl_->loaded.model, dir, save_options(opts)));
}

std::vector<std::vector<std::int64_t>> Session::generate(const GenerateRequest& req, ProgressSink* progress) {
  if (!loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  if (req.prompts.empty()) throw Error(ErrorCode::InvalidArgument, "no prompt given");
  auto& m = *impl_->loaded.model;
  std::size_t longest = 0;
  for (const auto& p : req.prompts) longest = std::max(longest, p.size());
  if (longest == 0) throw Error(ErrorCode::InvalidArgument, "prompts must not be empty");
  const auto B = static_cast<std::int64_t>(req.prompts.size()), L = static_cast<std::int64_t>(longest);
  auto lo = at::TensorOptions().dtype(c10::kLong);
  at::Tensor ids = at::full({B, L}, 0, lo), mask = at::full({B, L}, 0, lo);
  for (std::int64_t b = 0; b < B; ++b) {
    const auto& p = req.prompts[static_cast<std::size_t>(b)];
    const auto off = L - static_cast<std::int64_t>(p.size());  // left padding
    for (std::size_t i = 0; i < p.size(); ++i) {
      ids[b][off + static_cast<std::int64_t>(i)] = p[i];
      mask[b][off + static_cast<std::int64_t>(i)] = 1;
    }
  }
  models::GenerationOptions o;
  o.max_new_tokens = req.max_new_tokens;
  o.do_sample = req.do_sample;
  o.temperature = req.temperature;
  o.top_k = req.top_k;
  o.top_p = req.top_p;
  o.seed = req.seed;
  at::Tensor out = models::generate(m, ids, mask, o, progress);
  std::vector<std::vector<std::int64_t>> result;
  for (std::int64_t b = 0; b < B; ++b) {
    const auto off = L - static_cast<std::int64_t>(req.prompts[static_cast<std::size_t>(b)].size());
    std::vector<std::int64_t> row;
    for (std::int64_t i = off; i < out.size(1); ++i) row.push_back(out[b][i].item<std::int64_t>());
    result.push_back(std::move(row));
  }
  return result;
}

}  // namespace lathe
