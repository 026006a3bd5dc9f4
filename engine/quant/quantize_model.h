// Quantising a model in place as transformers' bitsandbytes integration does
// (internal: ATen): replace_with_bnb_linear, loading pre-quantised
// checkpoints, the saved key layout and dequantize().
//
// A quantised Linear/Conv1D keeps its place in the tree (models hold typed
// pointers to their layers): its type name becomes "Linear8bitLt" or
// "Linear4bit", its weight slot holds the int8 CB [out, in] or the packed uint8
// [ceil(n/2), 1] (Conv1D weights are transposed first, as transformers does),
// the quant state is kept as extra state-dict entries (SCB + weight_format;
// weight.absmax, weight.quant_map, weight.nested_*, weight.quant_state.*) and
// a LinearKernel runs the forward.
#pragma once

#include "io/checkpoint.h"
#include "models/pretrained_model.h"
#include "quant/bnb_config.h"

#include <string>
#include <utility>
#include <vector>

namespace lathe::quant {

/// get_keys_to_not_convert: the untied output embedding, else the tied
/// names plus the last parameter's module (".weight"/".bias" removed).
std::vector<std::string> keys_to_not_convert(models::PreTrainedModel& model);

/// The modules replace_with_bnb_linear converts: Linear and Conv1D whose name
/// (or a parent's, "key." as a substring) is not in the skip list
/// (cfg.llm_int8_skip_modules, else keys_to_not_convert).
std::vector<std::string> modules_to_convert(models::PreTrainedModel& model, const BnbConfig& cfg);

/// Quantises every module to convert (weights must be loaded) and records
/// cfg in config.quantization_config. Error(InvalidArgument) if already quantised.
void quantize_model(models::PreTrainedModel& model, const BnbConfig& cfg);

/// The bitsandbytes config of a loaded model (nullopt: not quantised).
std::optional<BnbConfig> model_quantization(const models::PreTrainedModel& model);

/// from_pretrained of a checkpoint whose config.json holds a bitsandbytes
/// quantization_config: before loading, the skeleton's converted modules take
/// the checkpoint's shapes and dtypes for `weight` and their quant-state keys
/// (`headers`: name → (shape, dtype) of every checkpoint tensor); no-op for
/// other configs.
void prepare_prequantized(models::PreTrainedModel& skeleton,
                          const std::vector<std::pair<std::string, std::pair<std::vector<std::int64_t>, c10::ScalarType>>>& headers);
/// The same from the headers of a checkpoint's weight files (summaries, inspect).
void prepare_prequantized(models::PreTrainedModel& skeleton, const CheckpointFiles& files);
/// After loading: checks the quant state (missing keys, quant_state JSON,
/// sizes) and installs the kernels. Error(CorruptFile / MissingTensor).
void finish_prequantized(models::PreTrainedModel& model);

/// dequantize(): every quantised layer back to float weights in model.dtype()
/// (Conv1D keeps its [in, out] layout), quantization_config dropped.
/// Error(InvalidArgument) if the model is not quantised.
void dequantize_model(models::PreTrainedModel& model);

/// The dequantized float32 weight of one quantised module (`name` for error
/// messages), in the module's own layout (Conv1D: [in, out]). Error(InvalidArgument)
/// when the module is not quantised.
at::Tensor dequantized_weight(const nn::Module& m, const std::string& name);

/// Per-module facts for reports and the GUI (QuantizedModuleInfo: bnb_config.h).
std::vector<QuantizedModuleInfo> quantized_modules(models::PreTrainedModel& model);

}  // namespace lathe::quant
