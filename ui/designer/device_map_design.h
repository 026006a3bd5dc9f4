// DeviceMapDesign: the device-map designer's document, without widgets.
//
// Holds a module-size tree (a snapshot: never a live model), the device lanes
// with their budgets (declared GPUs "0", "1", …, "cpu", "disk"), and the
// current assignment module path → device, kept merged the way accelerate's
// clean_device_map merges it. Totals, overflow and warnings are recomputed
// with the engine planner's own functions (compute_module_sizes,
// validate_device_map) after every change, which is announced by changed().
// Tied parameters are locked together: moving one member moves its partners.
// "Auto plan" runs plan_device_map as a JobRunner job when a runner is set.
//
//   DeviceMapDesign d;
//   d.setTree(std::make_shared<const ModuleTree>(parse_module_tree(j)));
//   d.setLanes({{"0", 24.0 * (1 << 30)}, {"cpu", 64.0 * (1 << 30)}, {"disk", kUnlimited}});
//   d.autoPlan(PlanMode::Balanced);          // synchronous without a runner
//   d.move({"model.layers.5"}, "cpu");
#pragma once

#include "planning/device_map.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <limits>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace lathe::ui {

class JobRunner;
struct JobFailure;

/// One device lane. Disk is unlimited unless the user gives it a budget.
struct DesignLane {
  std::string device;  ///< "0", "1", …, "mps", "cpu", "disk"
  double budget = 0;   ///< bytes; kUnlimited for none
  double used = 0;     ///< bytes placed here (computed)
  bool overflow() const { return used > budget; }
};
inline constexpr double kUnlimited = std::numeric_limits<double>::infinity();

class DeviceMapDesign : public QObject {
  Q_OBJECT

 public:
  using Map = std::map<std::string, std::string>;  ///< path -> device

  explicit DeviceMapDesign(QObject* parent = nullptr);
  ~DeviceMapDesign() override;

  /// Auto plans of trees with at least `threshold` modules run as jobs on `runner`.
  void setJobRunner(JobRunner* runner, int threshold = 0);
  JobRunner* jobRunner() const { return m_runner; }

  // --- source -------------------------------------------------------------
  /// Adopts a tree; the whole model starts on the first lane.
  void setTree(std::shared_ptr<const planning::ModuleTree> tree, const QString& sourceName = {});
  bool hasTree() const { return m_tree != nullptr; }
  const planning::ModuleTree* tree() const { return m_tree.get(); }
  std::shared_ptr<const planning::ModuleTree> sharedTree() const { return m_tree; }
  QString sourceName() const { return m_sourceName; }
  /// Target dtype of the sizes ("" = each tensor's own dtype, as planning from a --tree).
  void setDtype(const std::string& dtype);
  const std::string& dtype() const { return m_dtype; }
  /// The dtype sizes use: dtype(), else the tree's sizing dtype (set for trees of models).
  std::string effectiveDtype() const;
  const planning::ModuleSizes& sizes() const { return m_sizes; }
  double totalSize() const { return m_sizes.get(""); }

  // --- lanes --------------------------------------------------------------
  /// Replaces the lanes (sorted like get_max_memory: GPUs, mps, cpu, disk).
  /// Modules on a removed lane move to the first lane. Error(InvalidArgument) on bad devices.
  void setLanes(std::vector<DesignLane> lanes);
  const std::vector<DesignLane>& lanes() const { return m_lanes; }
  const DesignLane* lane(const std::string& device) const;
  void setBudget(const std::string& device, double bytes);
  /// "24GiB", "10GB", "unlimited" (disk only); false (nothing changes) on bad text.
  bool setBudgetText(const std::string& device, const QString& text);
  /// The size rules of setBudgetText ("unlimited" excepted); false on bad text.
  static bool parseBudgetText(const QString& text, double* bytes);
  /// The declared GPUs as a count; adds "n" lanes with `budget` or removes the last ones.
  void setGpuCount(int count, double budget);
  int gpuCount() const;
  /// The budgets passed to the planner: every lane but disk (balanced modes reject a disk key;
  /// infer_auto_device_map always appends an unlimited disk anyway).
  planning::Budgets plannerBudgets() const;

  // --- assignment ---------------------------------------------------------
  const Map& assignment() const { return m_map; }
  /// Entries placed on `device`, in the tree's pre-order.
  std::vector<std::string> entriesOn(const std::string& device) const;
  /// The device of `path` (an entry, or the entry covering it); "" when unknown.
  std::string deviceOf(const std::string& path) const;
  /// Moves modules/tensors to `device`, with their tie partners; re-merges the map.
  /// Unknown paths or devices are ignored. Returns the paths actually moved (partners included).
  QStringList move(const QStringList& paths, const std::string& device);
  /// Paths of the other members' modules that move with `path` (tie groups).
  std::vector<std::string> tiePartners(const std::string& path) const;
  bool isTied(const std::string& path) const { return !tiePartners(path).empty(); }
  /// Module children of a module path (for the lane trees).
  std::vector<int> childModules(const std::string& path) const;
  int orderOf(const std::string& path) const;

  // --- checks ---------------------------------------------------------------
  const QStringList& warnings() const { return m_warnings; }
  bool hasOverflow() const;

  // --- auto plan and diff ------------------------------------------------------
  /// plan_device_map with the lanes' budgets; adopts its map and remembers it for the diff.
  /// Without a runner (or for small trees) it runs here and throws lathe::Error.
  void autoPlan(planning::PlanMode mode);
  bool isPlanning() const { return m_planning; }
  bool hasAutoPlan() const { return m_hasAuto; }
  const planning::PlanResult& lastPlan() const { return m_lastPlan; }
  planning::PlanMode lastMode() const { return m_lastMode; }
  /// Adopts a finished plan (what the job's callback does).
  void adoptPlan(planning::PlanResult result, planning::PlanMode mode);
  /// Finest paths whose device differs from the last auto plan, in tree order.
  const std::vector<std::string>& diffVsAuto() const { return m_diff; }
  /// True when `path` or an entry above/below it differs from the auto plan.
  bool differsFromAuto(const std::string& path) const;

  // --- import/export --------------------------------------------------------
  /// accelerate's JSON form (GPU ids as ints), in tree order.
  nlohmann::ordered_json exportJson() const;
  /// Validates with validate_device_map (Error(InvalidArgument) also when a tensor is not
  /// covered); lanes for unknown devices are added with a zero budget.
  void importJson(const nlohmann::json& map);
  /// Adopts a map parseMap() returned (lanes for unknown devices added with a zero budget).
  void setAssignment(Map map);
  /// What importJson would adopt, normalised (no overlapping keys). Throws like importJson.
  static Map parseMap(const planning::ModuleTree& tree, const nlohmann::json& map);

 signals:
  /// Anything shown changed: tree, lanes, budgets, assignment, warnings.
  void changed();
  void planStarted();
  void planFinished();
  void planFailed(const lathe::ui::JobFailure& failure);

 private:
  void recompute();
  void rebuildOrder();
  std::vector<std::string> computeDiff() const;

  JobRunner* m_runner = nullptr;
  int m_jobThreshold = 0;
  std::shared_ptr<const planning::ModuleTree> m_tree;
  QString m_sourceName;
  std::string m_dtype;
  planning::ModuleSizes m_sizes;
  std::unordered_map<std::string, int> m_order;      ///< path -> pre-order rank (modules and tensors)
  std::unordered_map<std::string, int> m_tensorOwner; ///< tensor path -> module index
  std::vector<DesignLane> m_lanes;
  Map m_map;
  Map m_auto;
  bool m_hasAuto = false;
  bool m_planning = false;
  int m_treeSerial = 0;
  std::vector<std::string> m_diff;  ///< diffVsAuto(), kept current by recompute()
  planning::PlanResult m_lastPlan;
  planning::PlanMode m_lastMode = planning::PlanMode::Balanced;
  QStringList m_warnings;
};

/// accelerate's clean_device_map, deterministic: a prefix whose keys (more than one)
/// all share a device becomes one key.
void cleanDeviceMap(DeviceMapDesign::Map& map, const std::string& prefix = {});

/// "GPU 0", "CPU", "Disk", "MPS" (translated).
QString deviceLabel(const std::string& device);

}  // namespace lathe::ui
