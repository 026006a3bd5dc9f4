#include "models/from_pretrained.h"

#include "runtime/torch_errors.h"
#include "core/error.h"
#include "core/file_util.h"
#include "io/safetensors.h"
#include "io/safetensors_io.h"
#include "io/torch_bin.h"
#include "io/torch_bin_io.h"
#include "io/torch_dtype.h"
#include "models/registry.h"
#include "quant/quantize_model.h"
#include "text/auto_tokenizer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>

#include <set>
#include <unordered_map>
#include <unordered_set>

namespace lathe::models {
namespace {

c10::ScalarType float_dtype(const std::string& name, const std::string& context) {
  DType d = parse_dtype_name(name);
  if (!dtype_is_floating(d) || d == DType::F8_E4M3 || d == DType::F8_E5M2)
    throw Error(ErrorCode::InvalidArgument,
                "torch_dtype must be a floating type (float32, float16, bfloat16), got '" + name + "'", context);
  return to_scalar_type(d);
}

std::vector<TensorInfo> headers_of(const CheckpointFiles& files, const std::string& file) {
  std::string full = path_join(files.dir, file);
  if (files.format == WeightFormat::Safetensors) return read_safetensors_header(full).tensors;
  return inspect_torch_bin(full);
}

}  // namespace

c10::ScalarType resolve_load_dtype(const std::string& torch_dtype, const ModelConfig& config,
                                   const CheckpointFiles& files) {
  if (torch_dtype.empty()) return c10::kFloat;
  if (torch_dtype != "auto") return float_dtype(torch_dtype, "torch_dtype");
  if (auto cfg = config.torch_dtype(); cfg && *cfg != "auto") return float_dtype(*cfg, "config.json torch_dtype");
  for (const auto& t : headers_of(files, files.weight_files.front()))
    if (dtype_is_floating(t.dtype) && t.dtype != DType::F8_E4M3 && t.dtype != DType::F8_E5M2)
      return to_scalar_type(t.dtype);
  return c10::kFloat;
}

std::unique_ptr<PreTrainedModel> build_skeleton(const ModelConfig& config, const std::string& model_class,
                                                c10::ScalarType dtype) {
  const ArchClass& arch = resolve_class(config, model_class);
  auto model = arch.create(config, nn::meta_options(dtype));
  model->tie_weights();
  return model;
}

namespace {

// Groups of state-dict names that share one parameter slot (tied weights).
std::vector<std::vector<std::string>> tied_groups(PreTrainedModel& m) {
  std::unordered_map<const nn::ParamSlot*, std::vector<std::string>> by_slot;
  std::vector<const nn::ParamSlot*> order;
  for (const auto& [name, p] : m.named_parameters(false)) {
    auto [it, fresh] = by_slot.try_emplace(p.get());
    if (fresh) order.push_back(p.get());
    it->second.push_back(name);
  }
  std::vector<std::vector<std::string>> out;
  for (auto* s : order)
    if (by_slot[s].size() > 1) out.push_back(by_slot[s]);
  return out;
}

at::Tensor to_model_dtype(const at::Tensor& t, c10::ScalarType dtype) {
  if (at::isFloatingType(t.scalar_type()) && t.scalar_type() != dtype) return t.to(dtype);
  return t;
}

// Initialises modules that own an uninitialised tensor, as _init_weights would,
// without touching tensors that were loaded: those are swapped out for scratch
// copies while the module's init runs.
void init_uninitialized(PreTrainedModel& model, const std::unordered_set<const void*>& uninit, std::uint64_t seed) {
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  model.named_modules([&](const std::string& name, nn::Module& m) {
    bool needs = false;
    for (const auto& [n, p] : m.own_params()) needs |= p && uninit.count(p.get());
    if (!needs) return;
    std::vector<std::pair<nn::Param, at::Tensor>> saved;
    auto protect = [&](nn::Module& owner) {
      for (const auto& [n, p] : owner.own_params())
        if (p && !uninit.count(p.get())) {
          saved.emplace_back(p, p->value);
          p->value = at::empty_like(p->value);
        }
    };
    protect(m);
    for (const auto& [n, c] : m.children()) protect(*c);
    model.init_module_weights(name, m, gen);
    for (auto& [p, v] : saved) p->value = v;
  });
}

}  // namespace

std::unique_ptr<PreTrainedModel> init_random(const ModelConfig& config, const std::string& model_class,
                                             c10::ScalarType dtype, std::uint64_t seed) {
  auto model = build_skeleton(config, model_class, dtype);
  std::unordered_set<const void*> all;
  for (auto& [name, p] : model->named_parameters(false)) {
    if (p->value.is_meta()) p->value = at::empty(p->value.sizes(), at::TensorOptions().dtype(p->value.scalar_type()));
    all.insert(p.get());
  }
  init_uninitialized(*model, all, seed);
  model->create_buffers();
  model->tie_weights();
  model->options = at::TensorOptions().dtype(dtype);
  return model;
}

namespace {
LoadedModel load_model(const std::string& path, const FromPretrainedOptions& opts, ProgressSink* progress) {
  LoadedModel out;
  out.files = resolve_checkpoint(path, opts.resolve);
  if (out.files.config_file.empty())
    throw Error(ErrorCode::ConfigInvalid, "no config.json next to the weights", out.files.dir);
  ModelConfig config = ModelConfig::from_file(out.files.config_file);
  // As transformers: the path as given is remembered and saved with the config.
  config.set_string("_name_or_path", path);
  const c10::ScalarType dtype = resolve_load_dtype(opts.torch_dtype, config, out.files);
  auto model = build_skeleton(config, opts.model_class, dtype);
  const bool quantized = config.has("quantization_config");
  if (quantized) {  // bitsandbytes layout: quantised shapes before planning
    std::vector<std::pair<std::string, std::pair<std::vector<std::int64_t>, c10::ScalarType>>> hs;
    for (const auto& f : out.files.weight_files)
      for (const auto& t : headers_of(out.files, f)) hs.push_back({t.name, {t.shape, to_scalar_type(t.dtype)}});
    quant::prepare_prequantized(*model, hs);
  }

  // Plan from headers alone.
  KeyPlanInput in;
  in.class_name = model->type_name();
  in.prefix = model->base_model_prefix();
  in.has_base_child = model->child(in.prefix) != nullptr;
  for (const auto& [k, t] : model->state_dict()) in.model_keys.emplace_back(k, t.sizes().vec());
  for (const auto& [k, b] : model->named_buffers()) in.model_buffers.push_back(k);
  in.tied_groups = tied_groups(*model);
  std::unordered_map<std::string, std::string> file_of;
  for (const auto& f : out.files.weight_files)
    for (const auto& t : headers_of(out.files, f)) {
      in.checkpoint.emplace_back(t.name, t.shape);
      file_of[t.name] = f;
    }
  in.ignore_missing = model->keys_to_ignore_on_load_missing();
  in.ignore_unexpected = model->keys_to_ignore_on_load_unexpected();
  in.ignore_mismatched_sizes = opts.ignore_mismatched_sizes;
  KeyPlan plan = plan_loading(in);
  std::unique_ptr<Dispatcher> dispatch;  // device_map: disk entries are located, not loaded
  if (opts.dispatch.active()) dispatch = std::make_unique<Dispatcher>(*model, out.files, dtype, opts.dispatch);

  // Stream shard by shard: each tensor goes straight into its slot.
  std::uint64_t k = 0;
  for (const auto& f : out.files.weight_files) {
    check_progress(progress, "loading " + f, k++, out.files.weight_files.size());
    std::string full = path_join(out.files.dir, f);
    StateDict part = out.files.format == WeightFormat::Safetensors ? load_safetensors(full)
                                                                   : load_torch_bin(full, progress);
    for (auto& [ckpt_key, tensor] : part.items()) {
      auto it = plan.load.find(ckpt_key);
      if (it == plan.load.end()) continue;
      if (dispatch && dispatch->take(ckpt_key, it->second, tensor, f)) continue;
      at::Tensor* slot = model->find_tensor(it->second);
      if (!slot) throw Error(ErrorCode::Internal, "model has no tensor named", it->second);
      // bitsandbytes quant state (absmax, quant_map, SCB) keeps its stored dtype.
      *slot = quantized && model->find_extra(it->second) == slot ? tensor : to_model_dtype(tensor, dtype);
    }
  }
  check_progress(progress, "initialising", 0, 0);

  // Anything still on meta was not in the checkpoint: allocate and initialise.
  std::unordered_set<const void*> uninit;
  for (auto& [name, p] : model->named_parameters(false))
    if (p->value.is_meta() && !(dispatch && dispatch->offloaded(&p->value))) {
      p->value = at::empty(p->value.sizes(), at::TensorOptions().dtype(p->value.scalar_type()));
      uninit.insert(p.get());
    }
  for (const auto& key : plan.uninitialized)
    if (auto p = model->find_param(key)) {
      if (p->value.is_meta()) p->value = at::empty(p->value.sizes(), at::TensorOptions().dtype(p->value.scalar_type()));
      uninit.insert(p.get());
    }
  init_uninitialized(*model, uninit, opts.seed);
  for (auto& [name, b] : model->named_buffers())
    if (b->value.is_meta() && !(dispatch && dispatch->offloaded(&b->value))) b->value = at::empty(b->value.sizes(), at::TensorOptions().dtype(b->value.scalar_type()));
  model->create_buffers();
  model->tie_weights();
  model->options = at::TensorOptions().dtype(dtype);
  quant::finish_prequantized(*model);
  // transformers loads generation_config.json when present (errors ignored).
  std::string gen = path_join(out.files.dir, "generation_config.json");
  if (path_exists(gen)) {
    try {
      model->generation_config_text = read_text_file(gen);
    } catch (const Error&) {
    }
  }
  for (const auto& name : tokenizer_file_names())
    if (std::string p = path_join(out.files.dir, name); path_exists(p)) model->carried_files[name] = p;
  if (dispatch) out.dispatch = dispatch->finish(*model);
  out.info = std::move(plan.info);
  out.model = std::move(model);
  return out;
}
}  // namespace

LoadedModel from_pretrained(const std::string& path, const FromPretrainedOptions& opts, ProgressSink* progress) {
  return guarded("loading the model", path, [&] { return load_model(path, opts, progress); });
}

}  // namespace lathe::models
