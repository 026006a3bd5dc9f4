// Quantisation error of a loaded, quantised model (public, torch-free): each
// quantised layer's dequantized weight compared with the original float weight
// read again from the checkpoint the model was loaded from.
#pragma once

#include "core/progress.h"
#include "quant/bnb_config.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lathe {

class Session;

struct QuantizedModuleError {
  std::string name;
  std::string kind;                  ///< "int8", "nf4" or "fp4"
  std::int64_t in = 0, out = 0;
  std::int64_t bytes = 0;            ///< stored (packed) weight bytes
  double max_abs = 0;                ///< max |dequantized - original|
  double relative_rms = 0;           ///< rms(dequantized - original) / rms(original); 0 when the original is all zeros
};

struct QuantizationErrors {
  std::optional<BnbConfig> config;            ///< nullopt: the loaded model is not quantised
  std::vector<std::string> skipped_modules;   ///< the effective skip list (config's, else get_keys_to_not_convert)
  std::vector<QuantizedModuleError> modules;  ///< in module order
};

/// Errors of every quantised layer of the session's model against the float
/// weights of its checkpoint. Error(InvalidArgument) when no model is loaded or
/// the checkpoint holds quantised weights (no originals to compare with);
/// Error(MissingTensor) when a layer's original weight is not in the checkpoint.
QuantizationErrors quantization_errors(Session& session, ProgressSink* progress = nullptr);

}  // namespace lathe
