// DeviceMapDesign and LaneModel without widgets: auto plans equal the engine
// planner's, moves update totals/overflow, tie groups move together, the diff
// against the auto plan, and the JSON round trip.
#include "tst_designer.h"

#include "core/error.h"
#include "designer/device_map_design.h"
#include "designer/lane_model.h"

#include <QAbstractItemModelTester>
#include <QMimeData>
#include <QtTest>

#include <memory>

using namespace lathe::ui;
using lathe::planning::PlanMode;
using nlohmann::json;
using designer_test::smallTree;
using designer_test::treeOf;

namespace {

double used(const DeviceMapDesign& d, const std::string& dev) { return d.lane(dev)->used; }

}  // namespace

void TestDesign::autoPlanEqualsPlanner() {
  const auto tree = treeOf(smallTree());
  for (PlanMode mode : {PlanMode::Balanced, PlanMode::BalancedLow0, PlanMode::Sequential}) {
    DeviceMapDesign d;
    d.setLanes({{"0", 400, 0}, {"1", 400, 0}, {"cpu", 1000, 0}, {"disk", kUnlimited, 0}});
    d.setTree(tree);
    d.autoPlan(mode);  // no runner: synchronous
    lathe::planning::PlanOptions o;
    o.mode = mode;
    o.max_memory = lathe::planning::parse_max_memory("0=400,1=400,cpu=1000");
    const auto expected = lathe::planning::plan_device_map(*tree, o);
    QCOMPARE(d.assignment(), DeviceMapDesign::Map(expected.device_map.begin(), expected.device_map.end()));
    QVERIFY(d.assignment().size() > 1);  // the budgets force a split: the comparison means something
    QVERIFY(d.diffVsAuto().empty());
    // Lane totals are sums of the planner's module sizes over the entries.
    double total = 0;
    for (const auto& l : d.lanes()) total += l.used;
    QCOMPARE(total, 640.0);
  }
}

void TestDesign::moveUpdatesTotalsAndOverflow() {
  DeviceMapDesign d;
  d.setLanes({{"0", 500, 0}, {"cpu", 1000, 0}, {"disk", kUnlimited, 0}});
  d.setTree(treeOf(smallTree()));
  QCOMPARE(d.assignment(), (DeviceMapDesign::Map{{"", "0"}}));  // everything starts on the first lane
  QCOMPARE(used(d, "0"), 640.0);
  QVERIFY(d.lane("0")->overflow() && d.hasOverflow());  // 640 > 500
  QCOMPARE(d.warnings().size(), 1);
  QSignalSpy changed(&d, &DeviceMapDesign::changed);
  d.move({QStringLiteral("layers.1"), QStringLiteral("layers.2")}, "cpu");
  QCOMPARE(changed.count(), 1);
  QCOMPARE(used(d, "0"), 640.0 - 2 * 80);  // 480 <= 500
  QCOMPARE(used(d, "cpu"), 160.0);
  QVERIFY(!d.hasOverflow());
  QVERIFY(d.warnings().isEmpty());
  // Split the way accelerate's clean_device_map leaves it: siblings stay, layers 1-2 are entries.
  const DeviceMapDesign::Map expected{{"embed", "0"}, {"head", "0"}, {"layers.0", "0"}, {"layers.1", "cpu"},
                                      {"layers.2", "cpu"}, {"layers.3", "0"}};
  QCOMPARE(d.assignment(), expected);
  QCOMPARE(d.entriesOn("cpu"), (std::vector<std::string>{"layers.1", "layers.2"}));
  // Moving everything back merges into one key again.
  d.move({QStringLiteral("layers.1"), QStringLiteral("layers.2")}, "0");
  QCOMPARE(d.assignment(), (DeviceMapDesign::Map{{"", "0"}}));
  // A sub-module of a no-split block can still be placed by hand (the designer does not forbid it).
  d.move({QStringLiteral("layers.3.fc")}, "cpu");
  QCOMPARE(d.deviceOf("layers.3.fc.weight"), std::string("cpu"));
  QCOMPARE(used(d, "cpu"), 80.0);
  // Unknown paths and devices change nothing.
  QVERIFY(d.move({QStringLiteral("nope")}, "cpu").isEmpty());
  QVERIFY(d.move({QStringLiteral("embed")}, "7").isEmpty());
}

void TestDesign::laneModelDragAndDrop() {
  DeviceMapDesign d;
  d.setLanes({{"0", 500, 0}, {"cpu", 1000, 0}});
  d.setTree(treeOf(smallTree()));
  LaneModel gpu(&d, "0"), cpu(&d, "cpu");
  QAbstractItemModelTester t1(&gpu, QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester t2(&cpu, QAbstractItemModelTester::FailureReportingMode::QtTest);
  d.move({QStringLiteral("layers.0")}, "cpu");
  // GPU lane: embed, layers.1, layers.2, layers.3, head (pre-order); layers.2 expands to its fc.
  QCOMPARE(gpu.rowCount(), 5);
  const QModelIndex l2 = gpu.indexOfEntry(QStringLiteral("layers.2"));
  QVERIFY(l2.isValid());
  QCOMPARE(gpu.rowCount(l2), 1);
  const QModelIndex fc = gpu.index(0, 0, l2);
  QCOMPARE(fc.data(LaneModel::PathRole).toString(), QStringLiteral("layers.2.fc"));
  QCOMPARE(fc.data().toString(), QStringLiteral("fc"));
  QCOMPARE(gpu.parent(fc), l2);
  QCOMPARE(fc.data(LaneModel::BytesRole).toDouble(), 80.0);
  // Drag layers.2 and layers.3 (a layer range) from the GPU lane, drop on the CPU lane.
  std::unique_ptr<QMimeData> mime(gpu.mimeData({l2, gpu.indexOfEntry(QStringLiteral("layers.3"))}));
  QCOMPARE(LaneModel::pathsOf(mime.get()), (QStringList{QStringLiteral("layers.2"), QStringLiteral("layers.3")}));
  QVERIFY(cpu.dropMimeData(mime.get(), Qt::MoveAction, -1, -1, {}));
  QTRY_COMPARE(d.deviceOf("layers.3"), std::string("cpu"));  // the move is queued after the drop
  QCOMPARE(used(d, "cpu"), 3 * 80.0);
  QCOMPARE(used(d, "0"), 640.0 - 3 * 80);
  QCOMPARE(cpu.rowCount(), 3);
  QCOMPARE(gpu.rowCount(), 3);  // embed, layers.1, head
}

void TestDesign::tieGroupMovesTogether() {
  DeviceMapDesign d;
  d.setLanes({{"0", 500, 0}, {"cpu", 1000, 0}});
  d.setTree(treeOf(smallTree()));
  QCOMPARE(d.tiePartners("head"), (std::vector<std::string>{"embed"}));
  QCOMPARE(d.tiePartners("embed"), (std::vector<std::string>{"head"}));
  QVERIFY(d.tiePartners("layers").empty());
  const QStringList moved = d.move({QStringLiteral("head")}, "cpu");
  QCOMPARE(moved, (QStringList{QStringLiteral("head"), QStringLiteral("embed")}));
  QCOMPARE(d.deviceOf("embed.weight"), std::string("cpu"));
  QCOMPARE(used(d, "cpu"), 320.0);  // the tied tensor counts once (under embed)
  QVERIFY(d.warnings().isEmpty());  // validate_device_map finds no split tie group
  // Moving the partner brings the head back too.
  d.move({QStringLiteral("embed")}, "0");
  QCOMPARE(d.assignment(), (DeviceMapDesign::Map{{"", "0"}}));
  // An imported map may split the group: validate_device_map's warning shows.
  d.importJson(json{{"embed", "cpu"}, {"layers", 0}, {"head", 0}});
  QCOMPARE(d.warnings().size(), 1);
  QVERIFY(d.warnings().front().contains(QStringLiteral("embed.weight")));
}

void TestDesign::diffListsExactlyMovedModules() {
  DeviceMapDesign d;
  d.setLanes({{"0", 300, 0}, {"cpu", 1000, 0}, {"disk", kUnlimited, 0}});
  d.setTree(treeOf(smallTree()));
  d.autoPlan(PlanMode::Sequential);
  const DeviceMapDesign::Map autoMap = d.assignment();
  QVERIFY(d.diffVsAuto().empty());
  const std::string was1 = d.deviceOf("layers.1"), was3 = d.deviceOf("layers.3");
  const std::string to1 = was1 == "disk" ? "cpu" : "disk", to3 = was3 == "disk" ? "cpu" : "disk";
  d.move({QStringLiteral("layers.1")}, to1);
  d.move({QStringLiteral("layers.3")}, to3);
  QCOMPARE(d.diffVsAuto(), (std::vector<std::string>{"layers.1", "layers.3"}));
  QVERIFY(d.differsFromAuto("layers"));        // holds a changed layer
  QVERIFY(d.differsFromAuto("layers.1.fc"));   // inside one
  QVERIFY(!d.differsFromAuto("layers.2"));
  d.move({QStringLiteral("layers.1")}, was1);
  QCOMPARE(d.diffVsAuto(), (std::vector<std::string>{"layers.3"}));
  d.move({QStringLiteral("layers.3")}, was3);
  QVERIFY(d.diffVsAuto().empty());
  QCOMPARE(d.assignment(), autoMap);  // back to exactly the planner's (merged) map
}

void TestDesign::exportImportRoundTrip() {
  const auto tree = treeOf(smallTree());
  DeviceMapDesign a;
  a.setLanes({{"0", 300, 0}, {"1", 300, 0}, {"cpu", 1000, 0}, {"disk", kUnlimited, 0}});
  a.setTree(tree);
  a.move({QStringLiteral("layers.1")}, "1");
  a.move({QStringLiteral("layers.2.fc")}, "disk");
  const auto out = a.exportJson();
  QVERIFY(out.at("layers.1").is_number_integer() && out.at("layers.1") == 1);  // GPU ids as ints
  // A subtree with a single key is not merged (clean_device_map needs more than one): layers.2.fc stays.
  QCOMPARE(QString::fromStdString(out.at("layers.2.fc").get<std::string>()), QStringLiteral("disk"));
  QCOMPARE(QString::fromStdString(out.begin().key()), QStringLiteral("embed"));  // tree order
  DeviceMapDesign b;
  b.setLanes({{"cpu", 1000, 0}});
  b.setTree(tree);
  b.importJson(json::parse(out.dump()));
  QCOMPARE(b.assignment(), a.assignment());
  QCOMPARE(b.exportJson().dump(), out.dump());
  QVERIFY(b.lane("0") && b.lane("1") && b.lane("disk"));  // lanes added for the map's devices
  QCOMPARE(b.lane("1")->budget, 0.0);
  // Overlapping keys: the finest wins (as accelerate resolves a tensor's device when loading).
  b.importJson(json{{"", "cpu"}, {"layers.0", 0}});
  QCOMPARE(b.deviceOf("layers.0.fc.bias"), std::string("0"));
  QCOMPARE(b.deviceOf("layers.1"), std::string("cpu"));
  // A map leaving tensors on no device, or naming unknown modules, is rejected with a code.
  auto code = [&](const json& j) {
    try {
      b.importJson(j);
    } catch (const lathe::Error& e) {
      return e.code();
    }
    return lathe::ErrorCode::Internal;
  };
  QCOMPARE(code(json{{"embed", 0}}), lathe::ErrorCode::InvalidArgument);
  QCOMPARE(code(json{{"", 0}, {"nope", 0}}), lathe::ErrorCode::InvalidArgument);
  QCOMPARE(code(json{{"", "gpu"}}), lathe::ErrorCode::InvalidArgument);
  QCOMPARE(b.deviceOf("layers.1"), std::string("cpu"));  // unchanged by the failures
}

void TestDesign::budgetsParseLikeAccelerate() {
  DeviceMapDesign d;
  d.setLanes({{"0", 0, 0}, {"disk", kUnlimited, 0}});
  QVERIFY(d.setBudgetText("0", QStringLiteral("24GiB")));
  QCOMPARE(d.lane("0")->budget, 24.0 * 1024 * 1024 * 1024);
  QVERIFY(d.setBudgetText("0", QStringLiteral("10 GB")));
  QCOMPARE(d.lane("0")->budget, 1e10);
  QVERIFY(!d.setBudgetText("0", QStringLiteral("lots")));
  QCOMPARE(d.lane("0")->budget, 1e10);
  QVERIFY(d.setBudgetText("disk", QStringLiteral("unlimited")));
  QVERIFY(std::isinf(d.lane("disk")->budget));
  d.setGpuCount(3, 100);
  QCOMPARE(d.gpuCount(), 3);
  QCOMPARE(d.lane("2")->budget, 100.0);
  d.setGpuCount(1, 100);
  QVERIFY(!d.lane("1") && d.lane("0"));
  // The planner never sees the disk lane (balanced modes reject a disk key).
  for (const auto& b : d.plannerBudgets()) QVERIFY(b.device != "disk");
}
