#include "models/device_map_modes.h"

#include "core/error.h"
#include "planning/device_map.h"
#include "planning/model_tree_internal.h"

#include <fstream>
#include <sstream>

namespace lathe::models {
namespace {

// get_max_memory(None) on a machine without GPUs: {"cpu": psutil available RAM}.
double available_ram() {
  std::ifstream f("/proc/meminfo");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("MemAvailable:", 0) == 0) {
      std::istringstream in(line.substr(13));
      double kb = 0;
      in >> kb;
      return kb * 1024.0;
    }
  throw Error(ErrorCode::Io, "cannot read the available memory", "/proc/meminfo");
}

}  // namespace

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
  o.max_memory = max_memory.empty() ? planning::Budgets{{"cpu", available_ram()}} : planning::parse_max_memory(max_memory);
  o.offload_buffers = offload_buffers;
  planning::PlanResult r = planning::plan_device_map(planning::module_tree_of(skeleton), o);
  return {std::move(r.device_map), std::move(r.warnings)};
}

}  // namespace lathe::models
