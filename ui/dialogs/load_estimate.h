// The Load dialog's estimate (call inside a job): summarize_model for the
// class and parameters, and — with quantization or a device map — the module
// sizes transformers/accelerate use for from_pretrained (model_module_tree +
// compute_module_sizes, quantization included) and the planned device map.
#pragma once

#include "session/session.h"

#include <string>
#include <utility>
#include <vector>

namespace lathe::ui {

struct LoadEstimate {
  lathe::ModelSummary summary;
  /// True when `planned_bytes` is the estimate (quantization chosen): accelerate's
  /// compute_module_sizes total of the quantized tree; otherwise the summary's footprint counts.
  bool sized = false;
  double planned_bytes = 0;
  std::string sizing_dtype;                              ///< tree.sizing.dtype ("int4", "int8", ...)
  std::vector<std::pair<std::string, double>> device_used;  ///< with a device map mode and budgets
  std::vector<std::string> warnings;
  std::string plan_note;                                 ///< why no plan was made (empty when planned)
};

/// Throws lathe::Error like the engine functions it calls.
LoadEstimate compute_load_estimate(const std::string& path, const lathe::LoadOptions& opts);

}  // namespace lathe::ui
