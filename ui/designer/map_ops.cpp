// Operations on device maps (path -> device) shared by the design's moves and imports.
#include "designer/map_ops.h"

#include <algorithm>
#include <set>

namespace lathe::ui {

namespace map_ops {

bool isGpu(const std::string& d) {
  return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
}
std::string parentName(const std::string& p) {
  const auto dot = p.rfind('.');
  return dot == std::string::npos ? std::string() : p.substr(0, dot);
}
/// True when `path` is `base` or lies below it.
bool within(const std::string& path, const std::string& base) {
  if (base.empty()) return true;
  return path == base || (path.size() > base.size() && path.compare(0, base.size(), base) == 0 &&
                          path[base.size()] == '.');
}
std::string deviceIn(const DeviceMapDesign::Map& map, std::string path) {
  while (true) {
    auto it = map.find(path);
    if (it != map.end()) return it->second;
    if (path.empty()) return {};
    path = parentName(path);
  }
}
/// Keys strictly below `name` (all keys but "" for the root): [first, last).
std::pair<DeviceMapDesign::Map::iterator, DeviceMapDesign::Map::iterator> below(DeviceMapDesign::Map& map,
                                                                              const std::string& name) {
  if (name.empty()) return {map.upper_bound(std::string()), map.end()};
  return {map.lower_bound(name + "."), map.lower_bound(name + "/")};  // '/' follows '.'
}

/// Makes `path` an entry of `map` (splitting the entry covering it into its
/// own params, child modules and buffers) and places it on `device`.
void placeIn(const planning::ModuleTree& tree, DeviceMapDesign::Map& map, const std::string& path, const std::string& device) {
  std::string e = path;
  while (!map.count(e) && !e.empty()) e = parentName(e);
  while (e != path && map.count(e)) {
    auto mod = tree.index.find(e);
    if (mod == tree.index.end()) break;  // a tensor has nothing below it
    const std::string dev = map[e];
    map.erase(e);
    const planning::Module& m = tree.modules[mod->second];
    for (const auto& p : m.params) map[p.name] = dev;
    for (int c : m.children) map[tree.modules[c].name] = dev;
    for (const auto& b : m.buffers) map[b.name] = dev;
    const std::string rest = e.empty() ? path : path.substr(e.size() + 1);
    const std::string head = rest.substr(0, rest.find('.'));
    e = e.empty() ? head : e + "." + head;
  }
  auto [first, last] = below(map, path);
  map.erase(first, last);
  map[path] = device;
}

}  // namespace map_ops

void cleanDeviceMap(DeviceMapDesign::Map& map, const std::string& name) {
  auto [first, last] = map_ops::below(map, name);
  if (name.empty()) first = map.begin();  // at the root, "" itself counts too
  std::set<std::string> values;
  std::size_t n = 0;
  for (auto it = first; it != last; ++it, ++n) values.insert(it->second);
  if (values.size() == 1 && n > 1) {
    const std::string dev = *values.begin();
    map.erase(first, last);
    map[name] = dev;
    return;
  }
  std::vector<std::string> children;
  const std::size_t skip = name.empty() ? 0 : name.size() + 1;
  std::tie(first, last) = map_ops::below(map, name);
  for (auto it = first; it != last; ++it) {
    std::string child = it->first.substr(0, it->first.find('.', skip));
    if (children.empty() || children.back() != child) children.push_back(std::move(child));
  }
  for (const auto& c : children) cleanDeviceMap(map, c);
}

}  // namespace lathe::ui
