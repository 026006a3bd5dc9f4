// infer_auto_device_map + clean_device_map of accelerate 1.2.1 (docs/device-maps.md §3.3, §3.5-3.6),
// torch-free. Substring tests on names are kept exactly as v1.2.1 has them.
#include "planning/device_map.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <set>
#include <unordered_set>

namespace lathe::planning {

namespace {

struct Entry {
  std::string name;
  int mod = -1;  ///< module index, or -1 for a tensor (parameter or root buffer)
};
using Queue = std::deque<Entry>;

struct Ctx {
  const ModuleTree& tree;
  const ModuleSizes& sizes;
  std::unordered_set<std::string> no_split;

  bool leaf(const Entry& e) const {
    return e.mod < 0 || tree.modules[e.mod].children.empty() || no_split.count(tree.modules[e.mod].cls);
  }
  // own params (recurse=False) followed by the children
  std::vector<Entry> expand(int mod) const {
    std::vector<Entry> out;
    for (const auto& p : tree.modules[mod].params) out.push_back({p.name, -1});
    for (int c : tree.modules[mod].children) out.push_back({tree.modules[c].name, c});
    return out;
  }
  std::pair<double, std::vector<std::string>> max_layer(std::vector<Entry> todo) const {
    double best = 0;
    std::vector<std::string> names;
    std::deque<Entry> q(todo.begin(), todo.end());
    while (!q.empty()) {
      Entry e = q.front();
      q.pop_front();
      if (leaf(e)) {
        double s = sizes.get(e.name);
        if (s > best) best = s, names = {e.name};
        else if (s == best) names.push_back(e.name);
      } else {
        const auto& ch = tree.modules[e.mod].children;
        for (auto it = ch.rbegin(); it != ch.rend(); ++it) q.push_front({tree.modules[*it].name, *it});
      }
    }
    return {best, names};
  }
  std::pair<double, std::vector<std::string>> max_layer_modules(const Queue& q) const {
    std::vector<Entry> mods;
    for (const auto& e : q)
      if (e.mod >= 0) mods.push_back(e);
    return max_layer(mods);
  }
  static bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }
  std::vector<std::string> tied_params(const std::string& name) const {
    std::vector<std::string> out;
    const std::string nd = name + ".";
    for (const auto& g : tree.tied) {
      bool any = false, all = true;
      for (const auto& k : g) {
        const bool h = has(k + ".", nd);
        any = any || h;
        all = all && h;
      }
      if (!any || all) continue;
      for (const auto& p : g)
        if (!has(p + ".", nd)) out.push_back(p);
    }
    return out;
  }
  // get_module_size_with_ties: partner = first entry whose name is a substring of the tied param.
  double with_ties(const std::vector<std::string>& tied, double size, const Queue& q,
                   std::vector<Entry>* partners) const {
    double total = size;
    for (const auto& p : tied) {
      auto it = std::find_if(q.begin(), q.end(), [&](const Entry& e) { return has(p, e.name); });
      if (it == q.end())
        throw Error(ErrorCode::InvalidArgument,
                    "tied parameter has no partner module left to place (accelerate 1.2.1 raises IndexError)", p);
      if (partners) partners->push_back(*it);
      total += sizes.get(it->name) - sizes.get(p);
    }
    return total;
  }
};

std::size_t index_of(const Queue& q, const std::string& name) {
  for (std::size_t i = 0; i < q.size(); ++i)
    if (q[i].name == name) return i;
  return q.size();
}

bool fallback_allocate(const Ctx& cx, Queue& q, double limit, Entry& found) {
  if (limit < 0) return false;  // convert_file_size_to_int's ValueError is caught
  if (limit != std::floor(limit))
    throw Error(ErrorCode::InvalidArgument, "fallback allocation with fractional sizes (accelerate 1.2.1 raises AttributeError)");
  Queue search = q;
  bool ok = false;
  while (!search.empty()) {
    Entry e = search.front();
    search.pop_front();
    double swt = cx.with_ties(cx.tied_params(e.name), cx.sizes.get(e.name), search, nullptr);
    if (swt <= limit) { found = e, ok = true; break; }
    if (cx.leaf(e)) continue;
    auto ex = cx.expand(e.mod);
    search.insert(search.begin(), ex.begin(), ex.end());
  }
  if (!ok) return false;
  for (std::size_t i = 0; i < found.name.size(); ++i) {
    if (found.name[i] != '.') continue;
    std::size_t at = index_of(q, found.name.substr(0, i));
    if (at == q.size() || q[at].mod < 0) continue;
    auto ex = cx.expand(q[at].mod);
    q.erase(q.begin() + static_cast<long>(at));
    q.insert(q.begin() + static_cast<long>(at), ex.begin(), ex.end());
  }
  std::size_t at = index_of(q, found.name);
  if (at == q.size()) throw Error(ErrorCode::Internal, "fallback module vanished from the queue", found.name);
  q.erase(q.begin() + static_cast<long>(at));
  return true;
}

void clean(std::vector<std::pair<std::string, std::string>>& map, const std::string& module) {
  const std::string prefix = module.empty() ? "" : module + ".";
  std::set<std::string> values;
  std::size_t count = 0;
  for (const auto& [k, v] : map)
    if (k.compare(0, prefix.size(), prefix) == 0) values.insert(v), ++count;
  if (values.size() == 1 && count > 1) {
    std::string v = *values.begin();
    map.erase(std::remove_if(map.begin(), map.end(), [&](const auto& kv) { return kv.first.compare(0, prefix.size(), prefix) == 0; }), map.end());
    map.emplace_back(module, v);
  }
  std::set<std::string> children;
  for (const auto& [k, v] : map)
    if (k.compare(0, prefix.size(), prefix) == 0 && k.size() > module.size()) {
      auto dot = k.find('.', prefix.size());
      children.insert(dot == std::string::npos ? k : k.substr(0, dot));
    }
  for (const auto& c : children) clean(map, c);
}

void set_device(std::vector<std::pair<std::string, std::string>>& map, const std::string& k, const std::string& d) {
  for (auto& kv : map)
    if (kv.first == k) { kv.second = d; return; }
  map.emplace_back(k, d);
}

}  // namespace

std::pair<double, std::vector<std::string>> max_layer_size(const ModuleTree& tree, const ModuleSizes& sizes,
                                                           const std::vector<std::string>& no_split) {
  Ctx cx{tree, sizes, {no_split.begin(), no_split.end()}};
  return cx.max_layer(cx.expand(0));
}

PlanResult plan_device_map(const ModuleTree& tree, const PlanOptions& opts) {
  if (tree.modules.empty()) throw Error(ErrorCode::InvalidArgument, "empty module tree");
  if (!tree.sizing.auto_unsupported.empty()) throw Error(ErrorCode::Unsupported, tree.sizing.auto_unsupported);
  const auto& ns = opts.no_split ? *opts.no_split : tree.no_split;
  const std::string& dtype = opts.dtype.empty() ? tree.sizing.dtype : opts.dtype;
  ModuleSizes sizes = compute_module_sizes(tree, dtype);
  Ctx cx{tree, sizes, {ns.begin(), ns.end()}};
  PlanResult r;
  r.total = sizes.get("");
  Budgets mm = order_budgets(opts.max_memory);
  if (opts.mode != PlanMode::Sequential) {
    // from_pretrained balances the model before tie_weights(): late ties count twice there.
    if (tree.sizing.untied_when_balancing.empty())
      mm = get_balanced_memory(tree, sizes, mm, ns, opts.mode == PlanMode::BalancedLow0);
    else
      mm = get_balanced_memory(tree, compute_module_sizes(tree, dtype, true), mm, ns, opts.mode == PlanMode::BalancedLow0);
  }
  if (tree.sizing.max_memory_factor != 1.0)  // hf_quantizer.adjust_max_memory: {k: v * 0.90}
    for (auto& b : mm) b.bytes *= tree.sizing.max_memory_factor;
  r.budgets = mm;
  std::vector<std::string> devices;
  std::vector<double> budget;
  for (const auto& b : mm)
    if (b.device != "disk") devices.push_back(b.device), budget.push_back(b.bytes);
  devices.push_back("disk"), budget.push_back(0);
  std::vector<std::string> gpus;
  for (const auto& d : devices)
    if (d != "cpu" && d != "disk") gpus.push_back(d);
  std::set<std::string> main_devices;
  if (std::find(devices.begin(), devices.end(), "mps") != devices.end()) main_devices = {"mps"};
  else if (!gpus.empty()) main_devices = {gpus[0], "cpu"};
  else main_devices = {"cpu"};

  Queue q;
  const Module& root = tree.modules[0];
  for (const auto& e : cx.expand(0)) q.push_back(e);
  for (const auto& b : root.buffers) q.push_back({b.name, -1});
  auto [reserve, reserve_names] = cx.max_layer(std::vector<Entry>(q.begin(), q.end()));
  r.reserve = reserve, r.reserve_layers = reserve_names;

  std::vector<double> used(devices.size(), 0), buffers(devices.size(), 0);
  std::size_t dev = 0;
  while (!q.empty()) {
    Entry cur = q.front();
    q.pop_front();
    reserve_names.erase(std::remove_if(reserve_names.begin(), reserve_names.end(), [&](const std::string& n) {
      return n == cur.name || n.compare(0, cur.name.size() + 1, cur.name + ".") == 0; }), reserve_names.end());
    if (reserve_names.empty()) std::tie(reserve, reserve_names) = cx.max_layer_modules(q);
    const double size = sizes.get(cur.name);
    const auto tied = cx.tied_params(cur.name);
    const std::string& d = devices[dev];
    const bool disk = d == "disk";
    const bool is_main = main_devices.count(d) > 0;
    const double cap = disk ? 0 : budget[dev] - (is_main ? reserve : 0);
    const double reserved = is_main ? reserve : 0;
    std::vector<Entry> partners;
    const double swt = cx.with_ties(tied, size, q, &partners);
    if (disk || used[dev] + swt <= cap) {
      set_device(r.device_map, cur.name, d);
      used[dev] += swt;
      for (const auto& p : partners) {
        std::size_t at = index_of(q, p.name);
        if (at < q.size()) q.erase(q.begin() + static_cast<long>(at));
        set_device(r.device_map, p.name, d);
      }
      if (!opts.offload_buffers && cur.mod >= 0) buffers[dev] += sizes.buffer_total.at(cur.name);
      continue;
    }
    if (!tied.empty() && used[dev] + size <= cap) {
      bool split = false;
      for (const auto& p : partners) {
        if (cx.leaf(p)) continue;
        std::size_t at = index_of(q, p.name);
        auto ex = cx.expand(p.mod);
        q.erase(q.begin() + static_cast<long>(at));
        q.insert(q.begin() + static_cast<long>(at), ex.begin(), ex.end());
        q.push_front(cur);
        std::tie(reserve, reserve_names) = cx.max_layer_modules(q);
        split = true;
        break;
      }
      if (split) continue;
    }
    if (used[dev] + size >= cap && !cx.leaf(cur)) {
      auto ex = cx.expand(cur.mod);  // the split module's own buffers are dropped, as in accelerate
      q.insert(q.begin(), ex.begin(), ex.end());
      std::tie(reserve, reserve_names) = cx.max_layer_modules(q);
      continue;
    }
    if (used[dev] == 0 && opts.fallback_allocation) {
      Entry found;
      if (fallback_allocate(cx, q, budget[dev] - std::max(reserve, swt), found)) {
        q.push_front(cur);
        q.push_front(found);
        continue;
      }
    }
    if (used[dev] == 0)
      r.warnings.push_back("no modules could be assigned to device " + d + ": '" + cur.name + "' needs " +
                           std::to_string(static_cast<long long>(swt + reserved)) + " bytes");
    used[dev] += reserved;
    ++dev;
    q.push_front(cur);
  }
  clean(r.device_map, "");
  if (!tree.sizing.quantize.empty()) {  // Bnb*HfQuantizer.validate_environment(device_map=...)
    const auto& keep = tree.sizing.modules_to_not_convert;
    for (const auto& [k, v] : r.device_map)
      if ((v == "cpu" || v == "disk") && std::find(keep.begin(), keep.end(), k) == keep.end()) {
        r.warnings.push_back(
            "Some modules are dispatched on the CPU or the disk: transformers raises ValueError here unless "
            "llm_int8_enable_fp32_cpu_offload=True and a custom device_map are passed to from_pretrained");
        break;
      }
  }

  for (std::size_t i = 0; i < devices.size(); ++i)
    if (used[i] > 0) r.used.emplace_back(devices[i], used[i]);
  if (!opts.offload_buffers) {
    double non_gpu = 0;
    for (std::size_t i = 0; i < devices.size(); ++i)
      if (devices[i] == "cpu" || devices[i] == "disk") non_gpu += buffers[i];
    bool fits = false;
    for (std::size_t i = 0; i < devices.size(); ++i)
      if (devices[i] != "cpu" && devices[i] != "disk" && budget[i] >= non_gpu + used[i]) fits = true;
    if (non_gpu > 0 && !gpus.empty() && !fits)
      r.warnings.push_back("Current model requires " + std::to_string(static_cast<long long>(non_gpu)) +
                           " bytes of buffer for offloaded layers, which seems does not fit any GPU's remaining "
                           "memory. If you are experiencing a OOM later, please consider using offload_buffers=True.");
  }
  return r;
}

}  // namespace lathe::planning
