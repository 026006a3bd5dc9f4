// device_map="auto"/"balanced"/"balanced_low_0"/"sequential" for a model being
// loaded: the planner (engine/planning) run on the model's module tree, as
// transformers 4.47.1 calls accelerate (device-maps.md §2). Internal.
#pragma once

#include "models/pretrained_model.h"

#include <string>
#include <utility>
#include <vector>

namespace lathe::models {

struct PlannedMap {
  std::vector<std::pair<std::string, std::string>> device_map;  ///< module → "cpu" | "disk" | GPU id
  std::vector<std::string> warnings;
};

/// `mode` is one of the mode names; `max_memory` as planning::parse_max_memory
/// reads it ("" → the CPU's available RAM, as get_max_memory(None) on a
/// machine without GPUs). Error(InvalidArgument) for anything else.
PlannedMap plan_device_map_for(PreTrainedModel& skeleton, const std::string& mode, const std::string& max_memory,
                               bool offload_buffers);

}  // namespace lathe::models
