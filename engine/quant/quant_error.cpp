#include "quant/quant_error.h"

#include "core/error.h"
#include "io/checkpoint_io.h"
#include "quant/quantize_model.h"
#include "session/session_impl.h"

#include <ATen/TensorOperators.h>
#include <ATen/core/Tensor.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/max.h>
#include <ATen/ops/sum.h>

#include <cmath>

namespace lathe {
namespace {

// The checkpoint key of a module's weight: state-dict names may carry the
// head class's base_model_prefix or not (transformers accepts both).
const at::Tensor* original_weight(const StateDict& sd, const std::string& module, const std::string& prefix) {
  const std::string key = module + ".weight";
  if (const at::Tensor* t = sd.find(key)) return t;
  const std::string p = prefix + ".";
  if (!prefix.empty() && key.rfind(p, 0) == 0)
    if (const at::Tensor* t = sd.find(key.substr(p.size()))) return t;
  if (!prefix.empty())
    if (const at::Tensor* t = sd.find(p + key)) return t;
  return nullptr;
}

std::string kind_of(const BnbConfig& cfg) { return cfg.load_in_8bit ? "int8" : cfg.bnb_4bit_quant_type; }

}  // namespace

QuantizationErrors quantization_errors(Session& session, ProgressSink* progress) {
  if (!session.loaded()) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  models::LoadedModel& lm = session.impl().loaded;
  models::PreTrainedModel& model = *lm.model;
  QuantizationErrors out;
  out.config = quant::model_quantization(model);
  if (!out.config) return out;
  out.skipped_modules = out.config->llm_int8_skip_modules ? *out.config->llm_int8_skip_modules
                                                          : quant::keys_to_not_convert(model);
  const auto infos = quant::quantized_modules(model);
  if (infos.empty()) return out;
  const std::uint64_t steps = infos.size() + 1;
  check_progress(progress, "reading original weights", 0, steps);
  const StateDict sd = load_checkpoint_tensors(lm.files);
  const std::string prefix = model.base_model_prefix();
  std::uint64_t done = 1;
  for (const auto& info : infos) {
    check_progress(progress, "comparing " + info.name, done++, steps);
    const at::Tensor* orig = original_weight(sd, info.name, prefix);
    if (!orig) throw Error(ErrorCode::MissingTensor, "original weight not in the checkpoint", info.name + ".weight");
    if (!orig->is_floating_point())
      throw Error(ErrorCode::InvalidArgument,
                  "the checkpoint holds quantized weights: no float originals to compare with", info.name + ".weight");
    const nn::Module* m = model.find_module(info.name);
    const at::Tensor deq = quant::dequantized_weight(*m, info.name);
    const at::Tensor o = orig->to(at::kFloat);
    if (o.sizes() != deq.sizes())
      throw Error(ErrorCode::ShapeMismatch, "original weight shape differs from the quantized layer", info.name + ".weight");
    const at::Tensor diff = (deq - o).to(at::kDouble);
    QuantizedModuleError e;
    e.name = info.name;
    e.kind = kind_of(*out.config);
    e.in = info.in;
    e.out = info.out;
    e.bytes = info.bytes;
    e.max_abs = diff.numel() ? at::max(at::abs(diff)).item<double>() : 0.0;
    const double err2 = at::sum(diff * diff).item<double>();
    const at::Tensor od = o.to(at::kDouble);
    const double ref2 = at::sum(od * od).item<double>();
    e.relative_rms = ref2 > 0 ? std::sqrt(err2 / ref2) : 0.0;  // the element counts cancel
    out.modules.push_back(std::move(e));
  }
  check_progress(progress, "done", done, done);
  return out;
}

}  // namespace lathe
