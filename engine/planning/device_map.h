// Device-map planning, torch-free: accelerate 1.2.1's get_balanced_memory and
// infer_auto_device_map as transformers 4.47.1 calls them (docs/device-maps.md),
// plus a validator for explicit maps. Inputs accelerate would crash on are
// rejected with lathe::Error instead.
#pragma once

#include "planning/module_tree.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lathe::planning {

/// One device budget: "0", "1", ..., "mps", "cpu", "disk" and its byte limit.
struct Budget {
  std::string device;
  double bytes = 0;
};
/// Ordered as get_max_memory orders them: ints ascending, then mps, cpu, disk.
using Budgets = std::vector<Budget>;

/// "0=2GiB,1=4GiB,cpu=16GiB" (values through lathe::parse_size; plain bytes allowed).
/// Error(InvalidArgument) on unknown keys, duplicates or bad sizes.
Budgets parse_max_memory(std::string_view text);
/// Sorts into get_max_memory order; Error(InvalidArgument) on unknown/duplicate keys.
Budgets order_budgets(Budgets b);

enum class PlanMode { Balanced, BalancedLow0, Sequential };
/// "auto" and "balanced" -> Balanced; Error(InvalidArgument) otherwise.
PlanMode parse_plan_mode(const std::string& s);

struct PlanOptions {
  PlanMode mode = PlanMode::Balanced;
  Budgets max_memory;
  std::optional<std::vector<std::string>> no_split;  ///< nullopt: the tree's list
  std::string dtype;  ///< target dtype; empty: tree.sizing.dtype (itself empty: each tensor's own dtype)
  bool offload_buffers = false;
  bool fallback_allocation = false;
};

struct PlanResult {
  std::vector<std::pair<std::string, std::string>> device_map;  ///< module path -> device
  Budgets budgets;                                              ///< after get_balanced_memory
  std::vector<std::pair<std::string, double>> used;             ///< per device, incl. reserves left behind
  double reserve = 0;        ///< the initial largest-layer reserve
  std::vector<std::string> reserve_layers;
  double total = 0;          ///< sizes[""]
  std::vector<std::string> warnings;
  nlohmann::ordered_json to_json() const;  ///< {"device_map": {...}, "budgets", "used", ...}
};

/// get_balanced_memory (§3.4). Error(InvalidArgument) for a disk key or non-contiguous GPUs with low_zero.
Budgets get_balanced_memory(const ModuleTree& tree, const ModuleSizes& sizes, Budgets max_memory,
                            const std::vector<std::string>& no_split, bool low_zero);

/// get_max_layer_size over whole modules (§3.3), for tests and the GUI.
std::pair<double, std::vector<std::string>> max_layer_size(const ModuleTree& tree, const ModuleSizes& sizes,
                                                           const std::vector<std::string>& no_split);

/// The whole plan: balancing (unless sequential) then infer_auto_device_map and clean_device_map, with
/// tree.sizing applied (special dtypes, late ties, the quantizer's budget factor).
/// Error(Unsupported) when tree.sizing.auto_unsupported is set.
PlanResult plan_device_map(const ModuleTree& tree, const PlanOptions& opts);

/// get_max_memory(None) on a machine without GPUs: psutil's available RAM, i.e.
/// /proc/meminfo's MemAvailable, in bytes (the planner and loading use the same).
double available_cpu_memory();

/// Device map as JSON: GPU ids as integers, "cpu"/"disk"/"mps" as strings.
nlohmann::ordered_json device_map_json(const std::vector<std::pair<std::string, std::string>>& map);

struct MapValidation {
  std::vector<std::string> uncovered;  ///< parameters/buffers no key covers
  std::vector<std::string> warnings;   ///< e.g. a tied group split over devices
  bool ok() const { return uncovered.empty(); }
};
/// Checks an explicit map ({"path": 0 | "cpu" | "disk"}). Error(InvalidArgument) on bad values/unknown keys.
MapValidation validate_device_map(const ModuleTree& tree, const nlohmann::json& map);

}  // namespace lathe::planning
