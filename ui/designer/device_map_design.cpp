#include "designer/device_map_design.h"

#include "designer/map_ops.h"

#include "bridge/job_runner.h"
#include "core/error.h"
#include "core/size_string.h"
#include "models/display_format.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace lathe::ui {

using planning::ModuleTree;

using namespace map_ops;

QString deviceLabel(const std::string& device) {
  if (isGpu(device)) return DeviceMapDesign::tr("GPU %1").arg(QString::fromStdString(device));
  if (device == "cpu") return DeviceMapDesign::tr("CPU");
  if (device == "disk") return DeviceMapDesign::tr("Disk");
  if (device == "mps") return DeviceMapDesign::tr("MPS");
  return QString::fromStdString(device);
}

DeviceMapDesign::DeviceMapDesign(QObject* parent) : QObject(parent) {
  m_lanes = {{"cpu", 0, 0}, {"disk", kUnlimited, 0}};
}

DeviceMapDesign::~DeviceMapDesign() = default;

void DeviceMapDesign::setJobRunner(JobRunner* runner, int threshold) {
  m_runner = runner;
  m_jobThreshold = threshold;
}

void DeviceMapDesign::setTree(std::shared_ptr<const ModuleTree> tree, const QString& sourceName) {
  m_tree = std::move(tree);
  m_sourceName = sourceName;
  ++m_treeSerial;
  m_map.clear();
  m_auto.clear();
  m_hasAuto = false;
  m_lastPlan = {};
  if (m_tree) {
    m_sizes = planning::compute_module_sizes(*m_tree, effectiveDtype());
    m_map[""] = m_lanes.front().device;
  } else {
    m_sizes = {};
  }
  rebuildOrder();
  recompute();
}

std::string DeviceMapDesign::effectiveDtype() const {
  return m_dtype.empty() && m_tree ? m_tree->sizing.dtype : m_dtype;
}

void DeviceMapDesign::rebuildOrder() {
  m_order.clear();
  m_tensorOwner.clear();
  if (!m_tree) return;
  int rank = 0;
  // Pre-order: a module, its own params, its children, its own buffers.
  std::vector<std::pair<int, bool>> stack{{0, false}};
  while (!stack.empty()) {
    auto [i, done] = stack.back();
    stack.pop_back();
    const planning::Module& m = m_tree->modules[static_cast<std::size_t>(i)];
    if (done) {
      for (const auto& b : m.buffers) m_order[b.name] = rank++, m_tensorOwner[b.name] = i;
      continue;
    }
    m_order[m.name] = rank++;
    for (const auto& p : m.params) m_order[p.name] = rank++, m_tensorOwner[p.name] = i;
    stack.push_back({i, true});
    for (auto c = m.children.rbegin(); c != m.children.rend(); ++c) stack.push_back({*c, false});
  }
}

void DeviceMapDesign::setDtype(const std::string& dtype) {
  if (dtype == m_dtype) return;
  if (!dtype.empty()) planning::dtype_bytes(dtype);  // Error(InvalidArgument) when unknown
  m_dtype = dtype;
  if (m_tree) m_sizes = planning::compute_module_sizes(*m_tree, effectiveDtype());
  recompute();
}

const DesignLane* DeviceMapDesign::lane(const std::string& device) const {
  for (const auto& l : m_lanes)
    if (l.device == device) return &l;
  return nullptr;
}

void DeviceMapDesign::setLanes(std::vector<DesignLane> lanes) {
  planning::Budgets b;
  for (const auto& l : lanes) b.push_back({l.device, l.budget});
  b = planning::order_budgets(std::move(b));
  if (b.empty()) throw Error(ErrorCode::InvalidArgument, "a device map needs at least one device");
  m_lanes.clear();
  for (const auto& x : b) m_lanes.push_back({x.device, x.bytes, 0});
  bool moved = false;
  for (auto& [path, dev] : m_map)
    if (!lane(dev)) dev = m_lanes.front().device, moved = true;
  if (moved) cleanDeviceMap(m_map);
  recompute();
}

void DeviceMapDesign::setBudget(const std::string& device, double bytes) {
  for (auto& l : m_lanes)
    if (l.device == device && l.budget != bytes) {
      l.budget = bytes;
      recompute();
    }
}

bool DeviceMapDesign::setBudgetText(const std::string& device, const QString& text) {
  const QString t = text.trimmed();
  if (device == "disk" && (t.isEmpty() || t.compare(tr("unlimited"), Qt::CaseInsensitive) == 0 ||
                           t == QStringLiteral("unlimited") || t == QStringLiteral("∞"))) {
    setBudget(device, kUnlimited);
    return true;
  }
  double bytes = 0;
  if (!parseBudgetText(t, &bytes)) return false;
  setBudget(device, bytes);
  return true;
}

bool DeviceMapDesign::parseBudgetText(const QString& text, double* bytes) {
  // User input, not an engine operation: the size parser's error only means "invalid text".
  try {
    *bytes = static_cast<double>(lathe::parse_size(QString(text).remove(QLatin1Char(' ')).toStdString()));
    return true;
  } catch (const lathe::Error&) {
    return false;
  }
}

int DeviceMapDesign::gpuCount() const {
  return static_cast<int>(std::count_if(m_lanes.begin(), m_lanes.end(), [](const DesignLane& l) { return isGpu(l.device); }));
}

void DeviceMapDesign::setGpuCount(int count, double budget) {
  std::vector<DesignLane> lanes;
  int have = 0;
  for (const auto& l : m_lanes) {
    if (isGpu(l.device) && have >= count) continue;
    if (isGpu(l.device)) ++have;
    lanes.push_back(l);
  }
  for (int id = 0; have < count; ++id)
    if (std::none_of(lanes.begin(), lanes.end(), [&](const DesignLane& l) { return l.device == std::to_string(id); }))
      lanes.push_back({std::to_string(id), budget, 0}), ++have;
  setLanes(std::move(lanes));
}

planning::Budgets DeviceMapDesign::plannerBudgets() const {
  planning::Budgets b;
  for (const auto& l : m_lanes)
    if (l.device != "disk") b.push_back({l.device, l.budget});
  return b;
}

int DeviceMapDesign::orderOf(const std::string& path) const {
  auto it = m_order.find(path);
  return it == m_order.end() ? std::numeric_limits<int>::max() : it->second;
}

std::vector<std::string> DeviceMapDesign::entriesOn(const std::string& device) const {
  std::vector<std::string> out;
  for (const auto& [path, dev] : m_map)
    if (dev == device) out.push_back(path);
  std::sort(out.begin(), out.end(), [this](const std::string& a, const std::string& b) { return orderOf(a) < orderOf(b); });
  return out;
}

std::string DeviceMapDesign::deviceOf(const std::string& path) const { return deviceIn(m_map, path); }

std::vector<int> DeviceMapDesign::childModules(const std::string& path) const {
  if (!m_tree) return {};
  auto it = m_tree->index.find(path);
  return it == m_tree->index.end() ? std::vector<int>{} : m_tree->modules[it->second].children;
}

std::vector<std::string> DeviceMapDesign::tiePartners(const std::string& path) const {
  std::vector<std::string> out;
  if (!m_tree) return out;
  for (const auto& group : m_tree->tied) {
    const bool any = std::any_of(group.begin(), group.end(), [&](const std::string& n) { return within(n, path); });
    if (!any) continue;
    for (const auto& n : group) {
      if (within(n, path)) continue;
      auto owner = m_tensorOwner.find(n);
      std::string partner = owner == m_tensorOwner.end() ? n : m_tree->modules[owner->second].name;
      if (within(path, partner)) partner = n;  // the owner holds `path`: move the tensor alone
      if (std::find(out.begin(), out.end(), partner) == out.end()) out.push_back(partner);
    }
  }
  return out;
}

QStringList DeviceMapDesign::move(const QStringList& paths, const std::string& device) {
  QStringList moved;
  if (!m_tree || !lane(device)) return moved;
  std::vector<std::string> todo;
  for (const QString& p : paths)
    if (m_order.count(p.toStdString())) todo.push_back(p.toStdString());
  for (std::size_t i = 0; i < todo.size(); ++i)  // closure over tie groups
    for (auto& partner : tiePartners(todo[i]))
      if (std::find(todo.begin(), todo.end(), partner) == todo.end()) todo.push_back(partner);
  for (const auto& p : todo) {
    placeIn(*m_tree, m_map, p, device);
    moved << QString::fromStdString(p);
  }
  cleanDeviceMap(m_map);
  recompute();
  return moved;
}

bool DeviceMapDesign::hasOverflow() const {
  return std::any_of(m_lanes.begin(), m_lanes.end(), [](const DesignLane& l) { return l.overflow(); });
}

void DeviceMapDesign::recompute() {
  for (auto& l : m_lanes) l.used = 0;
  for (const auto& [path, dev] : m_map)
    for (auto& l : m_lanes)
      if (l.device == dev) l.used += m_sizes.get(path);
  m_warnings.clear();
  m_diff.clear();
  if (m_tree) {
    for (const auto& l : m_lanes)
      if (l.overflow())
        m_warnings << tr("%1 is over its budget by %2 (%3 placed, budget %4).")
                          .arg(deviceLabel(l.device), formatBytes(static_cast<quint64>(l.used - l.budget)),
                               formatBytes(static_cast<quint64>(l.used)), formatBytes(static_cast<quint64>(l.budget)));
    const auto check = planning::validate_device_map(*m_tree, planning::device_map_json({m_map.begin(), m_map.end()}));
    if (!check.uncovered.empty())
      m_warnings << tr("%n tensor(s) on no device, e.g. %1.", "", static_cast<int>(check.uncovered.size()))
                        .arg(QString::fromStdString(check.uncovered.front()));
    for (const auto& w : check.warnings) m_warnings << tr("Check: %1.").arg(QString::fromStdString(w));
    m_diff = m_hasAuto ? computeDiff() : std::vector<std::string>{};
    if (m_hasAuto && m_diff.empty())
      for (const auto& w : m_lastPlan.warnings) m_warnings << tr("Planner: %1").arg(QString::fromStdString(w));
  }
  emit changed();
}

void DeviceMapDesign::autoPlan(planning::PlanMode mode) {
  if (!m_tree || m_planning) return;
  planning::PlanOptions opts;
  opts.mode = mode;
  opts.max_memory = plannerBudgets();
  opts.dtype = m_dtype;
  auto tree = m_tree;
  if (!m_runner || static_cast<int>(tree->modules.size()) < m_jobThreshold) {
    adoptPlan(planning::plan_device_map(*tree, opts), mode);
    return;
  }
  m_planning = true;
  emit planStarted();
  const int serial = m_treeSerial;
  m_runner->run<planning::PlanResult>(
      tr("Planning the device map"),
      [tree, opts](lathe::ProgressSink&) { return planning::plan_device_map(*tree, opts); }, this,
      [this, mode, serial](planning::PlanResult&& r) {
        m_planning = false;
        if (serial == m_treeSerial) adoptPlan(std::move(r), mode);
        else emit planFinished();
      },
      [this](const JobFailure& f) {
        m_planning = false;
        emit planFailed(f);
      });
}

void DeviceMapDesign::adoptPlan(planning::PlanResult result, planning::PlanMode mode) {
  m_map = Map(result.device_map.begin(), result.device_map.end());
  m_auto = m_map;
  m_hasAuto = true;
  m_lastMode = mode;
  m_lastPlan = std::move(result);
  if (!lane("disk")) {
    auto lanes = m_lanes;
    lanes.push_back({"disk", kUnlimited, 0});
    setLanes(std::move(lanes));  // recomputes
  } else {
    recompute();
  }
  emit planFinished();
}

std::vector<std::string> DeviceMapDesign::computeDiff() const {
  std::set<std::string> keys;
  for (const auto& kv : m_map) keys.insert(kv.first);
  for (const auto& kv : m_auto) keys.insert(kv.first);
  std::vector<std::string> out;
  for (const auto& k : keys) {
    auto next = keys.upper_bound(k);
    if (next != keys.end() && within(*next, k)) continue;  // not atomic: finer keys below
    if (deviceIn(m_map, k) != deviceIn(m_auto, k)) out.push_back(k);
  }
  std::sort(out.begin(), out.end(), [this](const std::string& a, const std::string& b) { return orderOf(a) < orderOf(b); });
  return out;
}

bool DeviceMapDesign::differsFromAuto(const std::string& path) const {
  return std::any_of(m_diff.begin(), m_diff.end(), [&](const std::string& d) { return within(d, path) || within(path, d); });
}

nlohmann::ordered_json DeviceMapDesign::exportJson() const {
  std::vector<std::pair<std::string, std::string>> entries(m_map.begin(), m_map.end());
  std::sort(entries.begin(), entries.end(), [this](const auto& a, const auto& b) { return orderOf(a.first) < orderOf(b.first); });
  return planning::device_map_json(entries);
}

DeviceMapDesign::Map DeviceMapDesign::parseMap(const ModuleTree& tree, const nlohmann::json& json) {
  const auto check = planning::validate_device_map(tree, json);  // Error on bad values or names
  if (!check.ok())
    throw Error(ErrorCode::InvalidArgument, "the device map places no device for some tensors", check.uncovered.front());
  std::vector<std::pair<std::string, std::string>> entries;
  for (auto it = json.begin(); it != json.end(); ++it)
    entries.emplace_back(it.key(), it.value().is_string() ? it.value().get<std::string>()
                                                          : std::to_string(it.value().get<long long>()));
  // Coarse keys first, so finer ones split them (the finest key wins, as when accelerate loads).
  auto depth = [](const std::string& k) { return k.empty() ? -1 : static_cast<int>(std::count(k.begin(), k.end(), '.')); };
  std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) { return depth(a.first) < depth(b.first); });
  Map map;
  for (const auto& [k, d] : entries) placeIn(tree, map, k, d);
  return map;
}

void DeviceMapDesign::importJson(const nlohmann::json& json) {
  if (!m_tree) throw Error(ErrorCode::InvalidArgument, "open a model or module tree before importing a device map");
  setAssignment(parseMap(*m_tree, json));
}

void DeviceMapDesign::setAssignment(Map map) {
  std::vector<DesignLane> lanes = m_lanes;
  for (const auto& kv : map)
    if (std::none_of(lanes.begin(), lanes.end(), [&](const DesignLane& l) { return l.device == kv.second; }))
      lanes.push_back({kv.second, kv.second == "disk" ? kUnlimited : 0.0, 0});
  m_map = std::move(map);
  setLanes(std::move(lanes));  // recomputes
}

}  // namespace lathe::ui
