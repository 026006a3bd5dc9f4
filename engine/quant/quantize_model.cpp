#include "quant/quantize_model.h"

#include "runtime/torch_errors.h"
#include "core/error.h"
#include "core/file_util.h"
#include "io/safetensors.h"
#include "io/torch_bin.h"
#include "io/torch_dtype.h"
#include "planning/model_tree_internal.h"
#include "planning/quantized_sizing.h"
#include "quant/bnb_kernels.h"
#include "quant/bnb_quant.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/zeros.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_map>

namespace lathe::quant {

namespace {

const char* kQ8 = "Linear8bitLt";
const char* kQ4 = "Linear4bit";

bool is_linear_like(nn::Module& m) { return dynamic_cast<nn::Linear*>(&m) || dynamic_cast<nn::Conv1D*>(&m); }

void set_kernel(nn::Module& m, std::shared_ptr<const nn::LinearKernel> k) {
  if (auto* l = dynamic_cast<nn::Linear*>(&m)) l->kernel = std::move(k);
  else if (auto* c = dynamic_cast<nn::Conv1D*>(&m)) c->kernel = std::move(k);
}

const at::Tensor* extra(const nn::Module& m, const std::string& name) {
  for (const auto& [n, t] : m.extras())
    if (n == name) return &t;
  return nullptr;
}

at::Tensor bias_of(const nn::Module& m) {
  nn::Param b = m.param("bias");
  return b ? b->value : at::Tensor();
}

class Int8Kernel : public nn::LinearKernel {
 public:
  explicit Int8Kernel(double threshold) : threshold_(threshold) {}
  at::Tensor forward(const nn::Module& m, const at::Tensor& x) const override {
    return linear_int8(x, m.param("weight")->value, *extra(m, "SCB"), threshold_, bias_of(m));
  }

 private:
  double threshold_;
};

class FourBitKernel : public nn::LinearKernel {
 public:
  FourBitKernel(Weight4bit w, c10::ScalarType compute) : w_(std::move(w)), compute_(compute) {}
  at::Tensor forward(const nn::Module& m, const at::Tensor& x) const override {
    return linear_4bit(x, w_, bias_of(m), compute_);
  }

 private:
  Weight4bit w_;
  c10::ScalarType compute_;
};

c10::ScalarType compute_dtype(const BnbConfig& cfg) {
  return cfg.bnb_4bit_compute_dtype == "bfloat16" ? at::kBFloat16 : at::kFloat;
}

std::string dtype_name(c10::ScalarType t) {
  switch (t) {
    case at::kBFloat16: return "bfloat16";
    case at::kHalf: return "float16";
    case at::kDouble: return "float64";
    default: return "float32";
  }
}

std::pair<std::int64_t, std::int64_t> in_out(nn::Module& m) {
  if (auto* l = dynamic_cast<nn::Linear*>(&m)) return {l->in_features, l->out_features};
  auto* c = dynamic_cast<nn::Conv1D*>(&m);
  return {c->nx, c->nf};
}

// The QuantState4 held in a Linear4bit's extras (quant_state JSON + tensors).
QuantState4 state_of(const nn::Module& m, const std::string& name) {
  QuantState4 st;
  const at::Tensor* packed = nullptr;
  for (const char* t : {"nf4", "fp4"})
    if ((packed = extra(m, "weight." + quant_state_key(t)))) break;
  if (!packed || packed->is_meta())
    throw Error(ErrorCode::MissingTensor, "4-bit weight without its quant_state", name + ".weight.quant_state.bitsandbytes__nf4");
  unpack_quant_state(*packed, name + ".weight.quant_state", st);
  auto need = [&](const std::string& k) {
    const at::Tensor* t = extra(m, "weight." + k);
    if (!t || t->is_meta()) throw Error(ErrorCode::MissingTensor, "missing quant state tensor", name + ".weight." + k);
    return *t;
  };
  st.absmax = need("absmax");
  st.quant_map = need("quant_map");
  if (st.nested) {
    st.nested_absmax = need("nested_absmax");
    st.nested_quant_map = need("nested_quant_map");
  }
  return st;
}

void install_4bit_kernel(nn::Module& m, const std::string& name, const BnbConfig& cfg) {
  QuantState4 st = state_of(m, name);
  auto [in, out] = in_out(m);
  if (st.shape != std::vector<std::int64_t>{out, in})
    throw Error(ErrorCode::ShapeMismatch, "quant_state shape does not match the layer [" + std::to_string(out) + ", " +
                                              std::to_string(in) + "]", name);
  Weight4bit w;
  w.packed = m.param("weight")->value.contiguous();
  w.absmax = absmax_float(st);
  w.out = out;
  w.in = in;
  w.blocksize = st.blocksize;
  at::Tensor qm = st.quant_map.to(at::kFloat).contiguous();
  if (qm.numel() != 16) throw Error(ErrorCode::CorruptFile, "quant_map must hold 16 values", name + ".weight.quant_map");
  std::copy(qm.data_ptr<float>(), qm.data_ptr<float>() + 16, w.code.begin());
  const std::int64_t n = out * in;
  if (w.packed.scalar_type() != at::kByte || w.packed.numel() != (n + 1) / 2 ||
      w.absmax.numel() != (n + st.blocksize - 1) / st.blocksize)
    throw Error(ErrorCode::CorruptFile, "packed 4-bit weight does not match its quant_state", name + ".weight");
  set_kernel(m, std::make_shared<FourBitKernel>(std::move(w), compute_dtype(cfg)));
}

void install_8bit_kernel(nn::Module& m, const std::string& name, const BnbConfig& cfg) {
  auto [in, out] = in_out(m);
  const at::Tensor& cb = m.param("weight")->value;
  const at::Tensor* scb = extra(m, "SCB");
  if (!scb || scb->is_meta()) throw Error(ErrorCode::MissingTensor, "8-bit weight without SCB", name + ".SCB");
  if (const at::Tensor* f = extra(m, "weight_format"))
    if (f->is_meta() || f->numel() != 1 || f->to(at::kLong).item<std::int64_t>() != 0)
      throw Error(ErrorCode::Unsupported, "only weight_format 0 (\"row\") is supported", name + ".weight_format");
  if (cb.scalar_type() != at::kChar || cb.sizes().vec() != std::vector<std::int64_t>{out, in} || scb->numel() != out)
    throw Error(ErrorCode::CorruptFile, "8-bit weight/SCB do not match the layer", name + ".weight");
  m.set_extra("SCB", scb->to(at::kFloat).contiguous());
  set_kernel(m, std::make_shared<Int8Kernel>(cfg.llm_int8_threshold));
}

void quantize_one(nn::Module& m, const std::string& name, const BnbConfig& cfg) {
  nn::Param slot = m.param("weight");
  at::Tensor w = dynamic_cast<nn::Conv1D*>(&m) ? slot->value.t().contiguous() : slot->value;
  slot->requires_grad = false;
  if (cfg.load_in_8bit) {
    Int8Weight q = quantize_int8_rows(w);
    slot->value = q.CB;
    m.set_extra("SCB", q.SCB);
    m.set_extra("weight_format", at::zeros({}, at::kByte));
    m.set_type_name(kQ8);
    install_8bit_kernel(m, name, cfg);
    return;
  }
  QuantState4 st;
  slot->value = quantize_4bit(w, cfg.bnb_4bit_quant_type, cfg.blocksize, cfg.bnb_4bit_use_double_quant, st);
  st.dtype = dtype_name(w.scalar_type());
  slot->count_factor = 2;
  m.set_extra("weight.absmax", st.absmax);
  m.set_extra("weight.quant_map", st.quant_map);
  if (st.nested) {
    m.set_extra("weight.nested_absmax", st.nested_absmax);
    m.set_extra("weight.nested_quant_map", st.nested_quant_map);
  }
  m.set_extra("weight." + quant_state_key(st.quant_type), pack_quant_state(st));
  m.set_type_name(kQ4);
  install_4bit_kernel(m, name, cfg);
}

bool is_quantized_module(const nn::Module& m) { return m.type_name() == kQ8 || m.type_name() == kQ4; }

}  // namespace

std::vector<std::string> keys_to_not_convert(models::PreTrainedModel& model) {
  // One rule for sizing and converting: the planner's, on the tree accelerate would see.
  return planning::bnb_keys_to_not_convert(planning::module_tree_of(model));
}

std::vector<std::string> modules_to_convert(models::PreTrainedModel& model, const BnbConfig& cfg) {
  std::vector<std::string> skip = cfg.llm_int8_skip_modules ? *cfg.llm_int8_skip_modules : keys_to_not_convert(model);
  // A weight shared with another module (a tied LM head) is never converted,
  // even under a custom skip list: quantising it would quantise the input
  // embedding too (transformers ends up with a float weight re-tied into a
  // quantised layer).
  std::unordered_map<const nn::ParamSlot*, int> uses;
  for (const auto& [n, p] : model.named_parameters(false)) ++uses[p.get()];
  std::vector<std::string> out;
  model.named_modules([&](const std::string& full, nn::Module& m) {
    if (full.empty() || !is_linear_like(m) || uses[m.param("weight").get()] > 1) return;
    const std::string leaf = full.substr(full.rfind('.') == std::string::npos ? 0 : full.rfind('.') + 1);
    for (const auto& key : skip)
      if (key == leaf || key == full || full.find(key + ".") != std::string::npos) return;
    out.push_back(full);
  });
  return out;
}

std::optional<BnbConfig> model_quantization(const models::PreTrainedModel& model) {
  const auto& j = model.config.json();
  auto it = j.find("quantization_config");
  if (it == j.end() || it->is_null()) return std::nullopt;
  return BnbConfig::from_json(*it);
}

namespace {
void quantize_modules(models::PreTrainedModel& model, const BnbConfig& cfg) {
  cfg.validate();
  if (model_quantization(model)) throw Error(ErrorCode::InvalidArgument, "the model is already quantized");
  for (const auto& name : modules_to_convert(model, cfg)) {
    nn::Module* m = model.find_module(name);
    quantize_one(*m, name, cfg);
  }
  model.config.json()["quantization_config"] = cfg.to_json();
}
}  // namespace

void quantize_model(models::PreTrainedModel& model, const BnbConfig& cfg) {
  guarded("quantizing", model.type_name(), [&] { quantize_modules(model, cfg); });
}

void prepare_prequantized(
    models::PreTrainedModel& skeleton,
    const std::vector<std::pair<std::string, std::pair<std::vector<std::int64_t>, c10::ScalarType>>>& headers) {
  auto cfg = model_quantization(skeleton);
  if (!cfg) return;
  std::unordered_map<std::string, std::pair<std::vector<std::int64_t>, c10::ScalarType>> h(headers.begin(), headers.end());
  auto meta = [](const std::pair<std::vector<std::int64_t>, c10::ScalarType>& s) {
    return at::empty(s.first, nn::meta_options(s.second));
  };
  for (const auto& name : modules_to_convert(skeleton, *cfg)) {
    auto it = h.find(name + ".weight");
    if (it == h.end() || at::isFloatingType(it->second.second)) continue;  // float: quantised after loading
    nn::Module* m = skeleton.find_module(name);
    nn::Param slot = m->param("weight");
    slot->value = meta(it->second);
    slot->requires_grad = false;
    m->set_type_name(cfg->load_in_8bit ? kQ8 : kQ4);
    if (cfg->load_in_4bit) slot->count_factor = 2;
    // Quant-state keys in bitsandbytes' as_dict order.
    std::vector<std::string> keys = cfg->load_in_8bit
        ? std::vector<std::string>{"SCB", "weight_format"}
        : std::vector<std::string>{"weight.absmax", "weight.quant_map", "weight.nested_absmax", "weight.nested_quant_map",
                                   "weight." + quant_state_key("nf4"), "weight." + quant_state_key("fp4")};
    for (const auto& k : keys)
      if (auto e = h.find(name + "." + k); e != h.end()) m->set_extra(k, meta(e->second));
  }
}

void prepare_prequantized(models::PreTrainedModel& skeleton, const CheckpointFiles& files) {
  if (!skeleton.config.has("quantization_config")) return;
  std::vector<std::pair<std::string, std::pair<std::vector<std::int64_t>, c10::ScalarType>>> hs;
  for (const auto& f : files.weight_files) {
    std::string full = path_join(files.dir, f);
    auto infos = files.format == WeightFormat::Safetensors ? read_safetensors_header(full).tensors : inspect_torch_bin(full);
    for (const auto& t : infos) hs.push_back({t.name, {t.shape, to_scalar_type(t.dtype)}});
  }
  prepare_prequantized(skeleton, hs);
}

void finish_prequantized(models::PreTrainedModel& model) {
  auto cfg = model_quantization(model);
  if (!cfg) return;
  for (const auto& name : modules_to_convert(model, *cfg)) {
    nn::Module* m = model.find_module(name);
    if (!is_quantized_module(*m)) {
      quantize_one(*m, name, *cfg);  // a float checkpoint with a quantization_config
      continue;
    }
    for (const auto& [k, t] : m->extras())
      if (t.is_meta()) throw Error(ErrorCode::MissingTensor, "quant state tensor was not loaded", name + "." + k);
    if (cfg->load_in_8bit) install_8bit_kernel(*m, name, *cfg);
    else install_4bit_kernel(*m, name, *cfg);
  }
}

void dequantize_model(models::PreTrainedModel& model) {
  if (!model_quantization(model)) throw Error(ErrorCode::InvalidArgument, "the model is not quantized, nothing to dequantize");
  const c10::ScalarType dtype = model.dtype();
  model.named_modules([&](const std::string& name, nn::Module& m) {
    if (!is_quantized_module(m)) return;
    nn::Param slot = m.param("weight");
    at::Tensor w = m.type_name() == kQ8 ? dequantize_int8_rows(slot->value, *extra(m, "SCB"))
                                        : dequantize_4bit(slot->value, state_of(m, name), at::kFloat);
    w = w.to(dtype);
    const bool conv = dynamic_cast<nn::Conv1D*>(&m) != nullptr;
    slot->value = conv ? w.t().contiguous() : w;
    slot->requires_grad = true;
    slot->count_factor = 1;
    m.clear_extras();
    set_kernel(m, nullptr);
    m.set_type_name(conv ? "Conv1D" : "Linear");
  });
  model.config.json().erase("quantization_config");
}

at::Tensor dequantized_weight(const nn::Module& m, const std::string& name) {
  if (!is_quantized_module(m)) throw Error(ErrorCode::InvalidArgument, "the module is not quantized", name);
  const at::Tensor& w = m.param("weight")->value;
  at::Tensor d = m.type_name() == kQ8 ? dequantize_int8_rows(w, *extra(m, "SCB")) : dequantize_4bit(w, state_of(m, name), at::kFloat);
  return dynamic_cast<const nn::Conv1D*>(&m) ? d.t().contiguous() : d;
}

std::vector<QuantizedModuleInfo> quantized_modules(models::PreTrainedModel& model) {
  std::vector<QuantizedModuleInfo> out;
  model.named_modules([&](const std::string& name, nn::Module& m) {
    if (!is_quantized_module(m)) return;
    auto [in, o] = in_out(m);
    const at::Tensor& w = m.param("weight")->value;
    out.push_back({name, m.type_name(), in, o, static_cast<std::int64_t>(w.numel() * w.element_size())});
  });
  return out;
}

}  // namespace lathe::quant
