// DeviceMapDesigner on a Llama-70B-shaped tree (plans as a job, the GUI
// thread keeps turning), lanes following the design, export/import jobs.
#include "tst_designer.h"

#include "bridge/engine_document.h"
#include "designer/capacity_bar.h"
#include "designer/designer_sources.h"
#include "designer/device_map_design.h"
#include "designer/device_map_designer.h"
#include "designer/lane_model.h"
#include "designer/lane_widget.h"
#include "dialogs/message_box.h"
#include "live_hub.h"
#include "planning/model_tree.h"
#include "session/session.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <memory>

using namespace lathe::ui;
using designer_test::smallTree;
using designer_test::treeOf;
using nlohmann::json;

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

/// Longest gap between timer ticks on the GUI thread while it runs.
class StallMeter : public QObject {
 public:
  StallMeter() {
    m_clock.start();
    m_timer.setInterval(1);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
      m_max = std::max(m_max, m_clock.restart());
      ++m_ticks;
    });
    m_timer.start();
  }
  qint64 maxGapMs() const { return m_max; }
  int ticks() const { return m_ticks; }

 private:
  QTimer m_timer;
  QElapsedTimer m_clock;
  qint64 m_max = 0;
  int m_ticks = 0;
};

void waitForPlan(DeviceMapDesigner& w) {
  QTRY_VERIFY_WITH_TIMEOUT(w.design()->hasAutoPlan() && !w.design()->isPlanning(), 20000);
}

}  // namespace

void TestDesignerView::seventyBOpensAndPlansWithoutBlocking() {
  QElapsedTimer clock;
  clock.start();
  const auto tree = treeOf(llamaShapedTree(80, 8192, 28672, 64, 8, 32000));
  const qint64 buildMs = clock.elapsed();
  EngineDocument doc;
  DeviceMapDesigner w(&doc);
  w.resize(1400, 800);
  w.show();
  QCOMPARE(w.laneWidgets().size(), std::size_t(4));  // default: 2 × 24 GiB GPUs, 64 GiB CPU, disk
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QCoreApplication::processEvents();  // the first paint is not the plan's

  clock.restart();
  w.openTree(tree, QStringLiteral("Llama-70B-shaped"));
  const qint64 openMs = clock.elapsed();  // on the GUI thread: sizes, lanes; the plan is queued as a job
  QVERIFY(w.design()->isPlanning());
  QVERIFY(!w.autoPlanAction()->isEnabled());
  StallMeter meter;
  clock.restart();
  QEventLoop loop;  // a real event loop (QTRY's qWait sleeps between polls)
  connect(w.design(), &DeviceMapDesign::planFinished, &loop, &QEventLoop::quit);
  QTimer::singleShot(20000, &loop, &QEventLoop::quit);
  if (w.design()->isPlanning()) loop.exec();
  const qint64 planMs = clock.elapsed();
  QVERIFY(w.design()->hasAutoPlan());

  lathe::planning::PlanOptions o;
  o.max_memory = lathe::planning::parse_max_memory("0=24GiB,1=24GiB,cpu=64GiB");
  const auto expected = lathe::planning::plan_device_map(*tree, o);
  QCOMPARE(w.design()->assignment(), DeviceMapDesign::Map(expected.device_map.begin(), expected.device_map.end()));
  clock.restart();
  w.design()->adoptPlan(expected, lathe::planning::PlanMode::Balanced);  // what the job's callback does
  const qint64 adoptMs = clock.elapsed();
  // params: 2*32000*8192 + 80*(2*8192^2 + 2*1024*8192 + 3*28672*8192 + 2*8192) + 8192 = 68976648192 fp16
  // + 81 inv_freq buffers of 64 values (80 layers + the model's), sized as accelerate sizes every
  // floating tensor under a float16 target: 2 bytes each (docs/device-maps.md, Llama-2-7B) = 81 * 128 B.
  const double total = 68976648192.0 * 2 + 81 * 128;
  QCOMPARE(w.design()->totalSize(), total);
  double sum = 0;
  for (const auto& l : w.design()->lanes()) sum += l.used;
  QCOMPARE(sum, total);
  // 128.5 GiB does not fit 2 × 24 + 64 GiB: the rest goes to disk.
  QVERIFY(w.design()->lane("disk")->used >= total - 112 * kGiB);
  QVERIFY(!w.design()->hasOverflow());

  // Every lane model passes the tester through a drag of ten layers (a layer range).
  std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
  for (LaneWidget* lane : w.laneWidgets())
    testers.push_back(std::make_unique<QAbstractItemModelTester>(
        lane->model(), QAbstractItemModelTester::FailureReportingMode::QtTest));
  QStringList range;
  for (int i = 10; i < 20; ++i) range << QStringLiteral("model.layers.%1").arg(i);
  clock.restart();
  w.design()->move(range, "cpu");
  const qint64 moveMs = clock.elapsed();
  QCOMPARE(w.design()->diffVsAuto().size(), std::size_t(10));
  QVERIFY(w.design()->lane("cpu")->overflow());  // 64 GiB were already full
  QVERIFY(w.warningsLabel()->isVisibleTo(&w));
  std::printf("[ timing ] 70B-shaped tree (%zu modules): build+parse %lld ms; open (sizes, lanes) %lld ms on the "
              "GUI thread; auto plan job %lld ms end to end, longest GUI-thread gap meanwhile %lld ms (%d ticks of 1 ms); "
              "adopting the plan (map, checks, lanes) %lld ms; drag of 10 layers (move, re-merge, checks, 4 lane resets) %lld ms\n",
              tree->modules.size(), static_cast<long long>(buildMs), static_cast<long long>(openMs),
              static_cast<long long>(planMs), static_cast<long long>(meter.maxGapMs()), meter.ticks(),
              static_cast<long long>(adoptMs),
              static_cast<long long>(moveMs));
  QVERIFY(meter.maxGapMs() < 250);
}

void TestDesignerView::lanesFollowTheDesign() {
  EngineDocument doc;
  DeviceMapDesigner w(&doc);
  w.resize(1200, 700);
  w.show();
  w.modeBox()->setCurrentIndex(w.modeBox()->findText(QStringLiteral("sequential")));
  LaneWidget* gpu0 = w.laneWidget("0");
  QVERIFY(gpu0);
  gpu0->budgetEdit()->setText(QStringLiteral("300"));
  emit gpu0->budgetEdit()->editingFinished();
  QCOMPARE(w.design()->lane("0")->budget, 300.0);
  w.openTree(treeOf(smallTree()), QStringLiteral("small"));
  waitForPlan(w);
  QCOMPARE(w.design()->lastMode(), lathe::planning::PlanMode::Sequential);
  QCOMPARE(gpu0->bar()->used(), w.design()->lane("0")->used);
  QCOMPARE(gpu0->bar()->budget(), 300.0);
  // A bad budget is refused and marked, the old value stays.
  gpu0->budgetEdit()->setText(QStringLiteral("lots"));
  emit gpu0->budgetEdit()->editingFinished();
  QCOMPARE(w.design()->lane("0")->budget, 300.0);
  // Move a layer through the lane's "Move to" path and check diff highlighting.
  const std::string from = w.design()->deviceOf("layers.2");
  const std::string to = from == "cpu" ? "1" : "cpu";
  emit w.laneWidget(from)->moveRequested({QStringLiteral("layers.2")}, QString::fromStdString(to));
  QCOMPARE(w.design()->deviceOf("layers.2"), to);
  w.diffAction()->setChecked(true);
  LaneModel* target = w.laneWidget(to)->model();
  QVERIFY(target->showDiff());
  const QModelIndex moved = target->indexOfEntry(QStringLiteral("layers.2"));
  QVERIFY(moved.isValid());
  QVERIFY(moved.data(LaneModel::DiffRole).toBool());
  QVERIFY(moved.data(Qt::BackgroundRole).isValid());
  QVERIFY(w.warningsLabel()->text().contains(QStringLiteral("layers.2")));
  // Three declared GPUs: a fifth lane appears.
  w.findChild<QSpinBox*>(QStringLiteral("designerGpuCount"))->setValue(3);
  QCOMPARE(w.laneWidgets().size(), std::size_t(5));
  QVERIFY(w.laneWidget("2"));
  // "Load with this map" stays disabled (and says why) until the engine loads with maps.
  QVERIFY(!w.loadAction()->isEnabled() || doc.isLoaded());
  // As a dock it must not force the main window taller (lanes scroll instead).
  std::printf("designer minimumSizeHint %dx%d\n", w.minimumSizeHint().width(), w.minimumSizeHint().height());
  QVERIFY(w.minimumSizeHint().height() <= 160);
}

void TestDesignerView::exportImportJobsRoundTrip() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  EngineDocument doc;
  DeviceMapDesigner a(&doc);
  a.openTree(treeOf(smallTree()), QStringLiteral("small"));
  waitForPlan(a);
  a.design()->move({QStringLiteral("layers.1")}, "disk");
  const QString file = dir.filePath(QStringLiteral("map.json"));
  QSignalSpy ended(&a, &DeviceMapDesigner::jobEnded);
  a.exportMap(file);
  QVERIFY(ended.wait(10000));
  QFile f(file);
  QVERIFY(f.open(QIODevice::ReadOnly));
  QCOMPARE(nlohmann::ordered_json::parse(f.readAll().toStdString()).dump(), a.design()->exportJson().dump());

  DeviceMapDesigner b(&doc);
  b.openTree(treeOf(smallTree()), QStringLiteral("small"));
  waitForPlan(b);
  QVERIFY(b.design()->assignment() != a.design()->assignment());
  QSignalSpy endedB(&b, &DeviceMapDesigner::jobEnded);
  b.importMap(file);
  QVERIFY(endedB.wait(10000));
  QCOMPARE(b.design()->assignment(), a.design()->assignment());

  // A file that is not a map fails with a code, shown in a (pre-answered) box; nothing changes.
  const QString bad = dir.filePath(QStringLiteral("bad.json"));
  QFile out(bad);
  QVERIFY(out.open(QIODevice::WriteOnly));
  out.write("[1, 2]");
  out.close();
  MessageBox::clearHistory();
  MessageBox::setNextAnswer(QMessageBox::Ok);
  b.importMap(bad);
  QVERIFY(endedB.wait(10000));
  QCOMPARE(MessageBox::history().size(), 1);
  QCOMPARE(b.design()->assignment(), a.design()->assignment());
}

void TestDesignerView::modelFolderPlansAndLoadsWithMap() {
  const QString folder = QStringLiteral(LATHE_FIXTURES_DIR "/cases/gpt2_lm_s0/model_safetensors");
  if (!QFileInfo::exists(folder + QStringLiteral("/config.json"))) QSKIP("fixtures not found");
  EngineDocument doc;
  DeviceMapDesigner w(&doc);
  QVERIFY(!w.loadAction()->isEnabled());  // no model folder yet
  // CPU with room for about half the model, the rest on disk: sequential.
  const auto tree = lathe::planning::model_module_tree(folder.toStdString(), {});
  const double total = lathe::planning::compute_module_sizes(tree, tree.sizing.dtype).get("");
  w.findChild<QSpinBox*>(QStringLiteral("designerGpuCount"))->setValue(0);
  w.design()->setBudget("cpu", std::floor(total / 2));
  w.modeBox()->setCurrentIndex(w.modeBox()->findText(QStringLiteral("sequential")));
  QSignalSpy ended(&w, &DeviceMapDesigner::jobEnded);
  w.openModelSource(folder);
  QVERIFY(ended.wait(20000));
  waitForPlan(w);
  QCOMPARE(w.design()->tree()->modules.size(), tree.modules.size());
  lathe::planning::PlanOptions o;
  o.mode = lathe::planning::PlanMode::Sequential;
  o.max_memory = {{"cpu", std::floor(total / 2)}};
  const auto expected = lathe::planning::plan_device_map(tree, o);
  QCOMPARE(w.design()->assignment(), DeviceMapDesign::Map(expected.device_map.begin(), expected.device_map.end()));
  QVERIFY(w.design()->lane("disk")->used > 0);
  QVERIFY(w.loadAction()->isEnabled());
  QSignalSpy loaded(&doc, &EngineDocument::loadFinished);
  QSignalSpy failed(&doc, &EngineDocument::loadFailed);
  w.loadAction()->trigger();
  QTRY_VERIFY_WITH_TIMEOUT(loaded.count() + failed.count() > 0, 60000);
  if (!failed.isEmpty()) QFAIL(qPrintable(failed.front().at(1).value<JobFailure>().message));
  QVERIFY(doc.isLive());
  // The Session placed modules where the designer said.
  const auto& placed = doc.model()->report.device_map;
  QCOMPARE(DeviceMapDesign::Map(placed.begin(), placed.end()), w.design()->assignment());
}

void TestDesignerView::hubRepoPlansFromConfigOnly() {
  lathe::test::LiveHub hub;  // our server on 127.0.0.1; HF_ENDPOINT/HF_HOME point at it
  // A Llama-2-70B config alone (no weights exist anywhere): plan it on a laptop.
  const QString repoDir = hub.tmp() + QStringLiteral("/llama70b");
  QVERIFY(QDir().mkpath(repoDir));
  const json config = {{"architectures", {"LlamaForCausalLM"}}, {"model_type", "llama"}, {"hidden_size", 8192},
                       {"intermediate_size", 28672}, {"num_hidden_layers", 80}, {"num_attention_heads", 64},
                       {"num_key_value_heads", 8}, {"vocab_size", 32000}, {"max_position_embeddings", 4096},
                       {"rms_norm_eps", 1e-5}, {"rope_theta", 10000.0}, {"tie_word_embeddings", false},
                       {"torch_dtype", "float16"}};
  QFile f(repoDir + QStringLiteral("/config.json"));
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(QByteArray::fromStdString(config.dump(2)));
  f.close();
  hub.pushFixture(repoDir, "alice/llama-70b-config");
  // The GPT-2 fixture has weights: the designer must fetch its config files only.
  const QString gpt2 = QStringLiteral(LATHE_FIXTURES_DIR "/cases/gpt2_lm_s0/model_safetensors");
  if (QFileInfo::exists(gpt2)) hub.pushFixture(gpt2, "alice/tiny-gpt2");

  EngineDocument doc;
  DeviceMapDesigner w(&doc);
  QSignalSpy ended(&w, &DeviceMapDesigner::jobEnded);
  MessageBox::clearHistory();
  MessageBox::setDefaultAnswer(QMessageBox::Ok);
  w.openModelSource(QStringLiteral("alice/llama-70b-config"));
  QVERIFY(ended.wait(30000));
  QVERIFY2(MessageBox::history().isEmpty(), qPrintable(MessageBox::history().value(0).details));
  waitForPlan(w);
  // torch_dtype "auto" -> the config's float16: 68976648192 params x 2 B, plus 81 rotary inv_freq buffers
  // (the model's and, in transformers 4.47, one per attention), 64 floats each sized at float16: 81 x 128 B.
  QCOMPARE(w.design()->totalSize(), 68976648192.0 * 2 + 81 * 128);
  QVERIFY(w.design()->lane("disk")->used > 0);  // 128.5 GiB on 2 x 24 + 64 GiB
  QVERIFY(!w.loadAction()->isEnabled());          // a config has no weights to load

  if (QFileInfo::exists(gpt2)) {
    w.openModelSource(QStringLiteral("alice/tiny-gpt2"));
    QVERIFY(ended.wait(30000));
    waitForPlan(w);
    QVERIFY(MessageBox::history().isEmpty());
    QCOMPARE(w.design()->sourceName(), QStringLiteral("alice/tiny-gpt2"));
    // Config files in the cache, no weights.
    QStringList cached;
    for (const auto& e : std::filesystem::recursive_directory_iterator(hub.cacheDir().toStdString()))
      cached << QString::fromStdString(e.path().filename().string());
    QVERIFY(cached.contains(QStringLiteral("config.json")));
    QVERIFY(!cached.contains(QStringLiteral("model.safetensors")));
  }
  MessageBox::setDefaultAnswer(QMessageBox::NoButton);
}
