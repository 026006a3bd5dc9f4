// Operations on device maps (path -> device): prefix tests, the device of a
// path, and splitting an entry so a sub-module can be placed on its own.
#pragma once

#include "designer/device_map_design.h"

#include <string>
#include <utility>

namespace lathe::ui::map_ops {

using Map = DeviceMapDesign::Map;

bool isGpu(const std::string& device);
/// "a.b.c" -> "a.b"; "a" -> "".
std::string parentName(const std::string& path);
/// True when `path` is `base` or lies below it ("" holds everything).
bool within(const std::string& path, const std::string& base);
/// The device of `path`: its own key or the nearest ancestor's; "" when none.
std::string deviceIn(const Map& map, std::string path);
/// Keys strictly below `name` (all keys but "" for the root): [first, last).
std::pair<Map::iterator, Map::iterator> below(Map& map, const std::string& name);
/// Makes `path` an entry of `map` (splitting the entry covering it into its own params,
/// child modules and buffers, level by level), drops keys below it, and places it on `device`.
void placeIn(const planning::ModuleTree& tree, Map& map, const std::string& path, const std::string& device);

}  // namespace lathe::ui::map_ops
