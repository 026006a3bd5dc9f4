// Budgets, get_balanced_memory, JSON output and explicit-map validation.
// The infer_auto_device_map loop lives in infer_device_map.cpp.
#include "planning/device_map.h"

#include "core/error.h"
#include "core/size_string.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>
#include <set>
#include <unordered_set>

namespace lathe::planning {

namespace {
bool is_gpu_id(const std::string& k) {
  return !k.empty() && k.size() < 10 && std::all_of(k.begin(), k.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}
int rank(const std::string& k) { return is_gpu_id(k) ? 0 : k == "mps" ? 1 : k == "cpu" ? 2 : 3; }
std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}
}  // namespace

Budgets order_budgets(Budgets b) {
  std::set<std::string> seen;
  for (auto& x : b) {
    if (is_gpu_id(x.device)) x.device = std::to_string(std::stoll(x.device));
    else if (x.device != "mps" && x.device != "cpu" && x.device != "disk")
      throw Error(ErrorCode::InvalidArgument, "unknown device '" + x.device + "' (use 0, 1, ..., mps, cpu or disk)");
    if (!seen.insert(x.device).second) throw Error(ErrorCode::InvalidArgument, "device given twice", x.device);
    if (!(x.bytes >= 0)) throw Error(ErrorCode::InvalidArgument, "negative budget", x.device);
  }
  std::stable_sort(b.begin(), b.end(), [](const Budget& l, const Budget& r) {
    if (rank(l.device) != rank(r.device)) return rank(l.device) < rank(r.device);
    return rank(l.device) == 0 && std::stoll(l.device) < std::stoll(r.device);
  });
  return b;
}

Budgets parse_max_memory(std::string_view text) {
  Budgets out;
  std::size_t pos = 0;
  std::string s(text);
  while (pos <= s.size()) {
    std::size_t comma = s.find(',', pos);
    std::string item = trim(std::string_view(s).substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    pos = comma == std::string::npos ? s.size() + 1 : comma + 1;
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string::npos) throw Error(ErrorCode::InvalidArgument, "max-memory entries are DEVICE=SIZE", item);
    out.push_back({trim(item.substr(0, eq)), static_cast<double>(parse_size(trim(item.substr(eq + 1))))});
  }
  if (out.empty()) throw Error(ErrorCode::InvalidArgument, "empty max-memory");
  return order_budgets(std::move(out));
}

PlanMode parse_plan_mode(const std::string& s) {
  if (s == "auto" || s == "balanced") return PlanMode::Balanced;
  if (s == "balanced_low_0") return PlanMode::BalancedLow0;
  if (s == "sequential") return PlanMode::Sequential;
  throw Error(ErrorCode::InvalidArgument, "device map must be auto, balanced, balanced_low_0 or sequential", s);
}

Budgets get_balanced_memory(const ModuleTree& tree, const ModuleSizes& sizes, Budgets mm,
                            const std::vector<std::string>& no_split, bool low_zero) {
  mm = order_budgets(std::move(mm));
  std::vector<std::size_t> gpus;  // indices into mm, ascending ids, budget > 0
  for (std::size_t i = 0; i < mm.size(); ++i) {
    if (mm[i].device == "disk")
      throw Error(ErrorCode::InvalidArgument, "a \"disk\" budget cannot be balanced (accelerate raises RuntimeError); use sequential");
    if (is_gpu_id(mm[i].device) && mm[i].bytes > 0) gpus.push_back(i);
  }
  const std::size_t n = gpus.size();
  if (n == 0) return mm;
  if (n == 1) low_zero = false;
  const double total = sizes.get("");
  double per_gpu = std::floor(total / static_cast<double>(low_zero ? n - 1 : n));
  // buffer: size of the first module of each no-split class, in sizes' insertion order.
  double buffer = 0;
  if (!no_split.empty()) {
    std::unordered_set<std::string> want(no_split.begin(), no_split.end()), seen;
    for (const auto& name : sizes.order) {
      auto it = tree.index.find(name);
      if (it == tree.index.end()) continue;
      const std::string& cls = tree.modules[it->second].cls;
      if (want.count(cls) && seen.insert(cls).second) buffer = std::max(buffer, sizes.get(name));
      if (seen.size() == want.size()) break;
    }
  }
  // mean_leaves: drop tensor names ("" kept), then average the leaf modules.
  std::vector<std::string> mods;
  for (const auto& name : sizes.order)
    if (tree.index.count(name)) mods.push_back(name);
  std::unordered_set<std::string> parents;
  for (const auto& name : mods) {
    auto dot = name.rfind('.');
    if (dot != std::string::npos) parents.insert(name.substr(0, dot));
  }
  double leaf_sum = 0;
  std::size_t leaves = 0;
  for (const auto& name : mods)
    if (!name.empty() && !parents.count(name)) leaf_sum += sizes.get(name), ++leaves;
  double mean_leaves = std::trunc(leaf_sum / static_cast<double>(std::max<std::size_t>(leaves, 1)));
  per_gpu += std::trunc(1.25 * std::max(buffer, mean_leaves));
  auto find = [&](long long id) -> Budget* {
    for (auto& b : mm)
      if (is_gpu_id(b.device) && std::stoll(b.device) == id) return &b;
    return nullptr;
  };
  Budget* gpu0 = find(0);
  for (std::size_t k = 0; k + 1 < n; ++k) {
    Budget& b = mm[gpus[k]];
    double cand = (low_zero && b.device == "0") ? gpu0->bytes : per_gpu;
    b.bytes = std::min(cand, b.bytes);
  }
  if (low_zero) {
    double others = 0;
    for (std::size_t i = 1; i < n; ++i) {
      Budget* b = find(static_cast<long long>(i));
      if (!b || !gpu0)
        throw Error(ErrorCode::InvalidArgument, "balanced_low_0 needs GPU ids 0..n-1 (accelerate raises KeyError)");
      others += b->bytes;
    }
    gpu0->bytes = std::min(std::max(0.0, total - others), gpu0->bytes);
  }
  return mm;
}

nlohmann::ordered_json device_map_json(const std::vector<std::pair<std::string, std::string>>& map) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : map) {
    if (is_gpu_id(v)) j[k] = std::stoll(v);
    else j[k] = v;
  }
  return j;
}

namespace {
nlohmann::ordered_json number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9e15) return static_cast<long long>(v);
  return v;
}
}  // namespace

nlohmann::ordered_json PlanResult::to_json() const {
  nlohmann::ordered_json j;
  j["device_map"] = device_map_json(device_map);
  auto& b = j["max_memory"] = nlohmann::ordered_json::object();
  for (const auto& x : budgets) b[x.device] = number(x.bytes);
  auto& u = j["device_totals"] = nlohmann::ordered_json::object();
  for (const auto& [d, v] : used) u[d] = number(v);
  j["total_size"] = number(total);
  j["reserve"] = number(reserve);
  j["reserve_layers"] = reserve_layers;
  j["warnings"] = warnings;
  return j;
}

MapValidation validate_device_map(const ModuleTree& tree, const nlohmann::json& map) {
  if (!map.is_object()) throw Error(ErrorCode::InvalidArgument, "a device map must be a JSON object");
  std::unordered_set<std::string> known;
  std::vector<const TensorInfo*> tensors;
  for (const auto& m : tree.modules) {
    known.insert(m.name);
    for (const auto& p : m.params) known.insert(p.name), tensors.push_back(&p);
    for (const auto& b : m.buffers) known.insert(b.name), tensors.push_back(&b);
  }
  std::unordered_map<std::string, std::string> dev;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const auto& v = it.value();
    std::string d;
    if (v.is_number_integer() && v.get<long long>() >= 0) d = std::to_string(v.get<long long>());
    else if (v.is_string() && (v == "cpu" || v == "disk" || v == "mps" || is_gpu_id(v.get<std::string>()))) d = v.get<std::string>();
    else throw Error(ErrorCode::InvalidArgument, "device must be an id >= 0, \"cpu\", \"mps\" or \"disk\"", it.key());
    if (!known.count(it.key())) throw Error(ErrorCode::InvalidArgument, "device map names no module or tensor of the model", it.key());
    dev[it.key()] = d;
  }
  auto device_of = [&](const std::string& name) -> const std::string* {
    std::string key = name;
    while (true) {
      auto it = dev.find(key);
      if (it != dev.end()) return &it->second;
      if (key.empty()) return nullptr;
      auto dot = key.rfind('.');
      key = dot == std::string::npos ? std::string() : key.substr(0, dot);
    }
  };
  MapValidation out;
  for (const auto* t : tensors)
    if (!device_of(t->name)) out.uncovered.push_back(t->name);
  for (const auto& g : tree.tied) {
    std::set<std::string> ds;
    for (const auto& n : g)
      if (const auto* d = device_of(n)) ds.insert(*d);
    if (ds.size() > 1) {
      std::string names;
      for (const auto& n : g) names += (names.empty() ? "" : ", ") + n;
      out.warnings.push_back("tied parameters are on different devices: " + names);
    }
  }
  return out;
}

double available_cpu_memory() {
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

}  // namespace lathe::planning
