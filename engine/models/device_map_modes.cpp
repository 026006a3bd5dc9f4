#include "models/device_map_modes.h"

#include "core/error.h"
#include "planning/device_map.h"
#include "planning/model_tree_internal.h"

#include <fstream>
#include <sstream>

namespace lathe::models {

PlannedMap plan_device_map_for(PreTrainedModel& skeleton, const std::string& mode, const std::string& max_memory,
                               bool offload_buffers) {
  planning::PlanOptions o;
  try {
    o.mode = planning::parse_plan_mode(mode);
  } catch (const Error&) {
    throw Error(ErrorCode::InvalidArgument,
                "device_map must be auto, balanced, balanced_low_0, sequential or a JSON map, got '" + mode + "'",
                "device_map");
  }
  o.max_memory = max_memory.empty() ? planning::Budgets{{"cpu", planning::available_cpu_memory()}} : planning::parse_max_memory(max_memory);
  o.offload_buffers = offload_buffers;
  planning::PlanResult r = planning::plan_device_map(planning::module_tree_of(skeleton), o);
  return {std::move(r.device_map), std::move(r.warnings)};
}

}  // namespace lathe::models
