// Quantization in the workbench, offscreen: the Load dialog's estimate follows
// transformers' sizing for the chosen dtype + quantization and plans a device
// map; a fixture GPT-2 loaded with nf4 lists its quantized layers with errors
// in the Quantization panel; keeping a module in float removes it.
#include "bridge/engine_document.h"
#include "bridge/job_runner.h"
#include "dialogs/load_model_dialog.h"
#include "dialogs/load_options.h"
#include "models/quantization_model.h"
#include "models/string_table_model.h"
#include "planning/device_map.h"
#include "planning/model_tree.h"
#include "session/session.h"
#include "widgets/quantization_panel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QtTest>

using namespace lathe::ui;

namespace {

QString fixturePath() { return QStringLiteral(LATHE_FIXTURES_DIR "/cases/gpt2_lm_s0/model_safetensors"); }

// compute_module_sizes total of the tree transformers sizes for from_pretrained with this quantization.
double plannedBytes(const std::string& quantize, std::vector<std::string> skip = {}) {
  lathe::planning::ModelTreeOptions o;
  o.torch_dtype = "auto";  // the dialog's default dtype
  o.quantize = quantize;
  o.skip_modules = std::move(skip);
  const auto tree = lathe::planning::model_module_tree(fixturePath().toStdString(), o);
  return lathe::planning::compute_module_sizes(tree, tree.sizing.dtype).get("");
}

bool waitEstimate(LoadModelDialog& d, QSignalSpy& spy) {
  return spy.wait(20000) && d.hasEstimate();
}

bool loadNf4(EngineDocument& doc, LoadModelDialog& dialog) {
  dialog.setPath(fixturePath());
  dialog.quantizationBox()->setMode(QStringLiteral("4bit"));
  dialog.quantizationBox()->setQuantType(QStringLiteral("nf4"));
  QSignalSpy finished(&doc, &EngineDocument::loadFinished);
  dialog.startLoad();
  return (finished.count() == 1 || finished.wait(30000)) && doc.isLive();
}

}  // namespace

class TestQuantization : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void estimateFollowsTransformersSizing();
  void deviceMapPlanInEstimateAndReport();
  void nf4LoadShowsModulesWithErrors();
  void int8LoadAndFloatModel();
};

void TestQuantization::initTestCase() {
  if (!QFileInfo::exists(fixturePath())) QSKIP("HF reference fixtures not found");
}

void TestQuantization::estimateFollowsTransformersSizing() {
  EngineDocument doc;
  LoadModelDialog dialog(&doc);
  QSignalSpy ready(&dialog, &LoadModelDialog::estimateReady);
  dialog.setPath(fixturePath());
  QVERIFY(waitEstimate(dialog, ready));
  const lathe::ModelSummary plain = lathe::summarize_model(fixturePath().toStdString(), dialog.loadOptions());
  QCOMPARE(dialog.estimateBytes(), static_cast<double>(plain.memory_footprint_with_buffers));

  dialog.quantizationBox()->setMode(QStringLiteral("4bit"));
  dialog.quantizationBox()->setQuantType(QStringLiteral("nf4"));
  QVERIFY(waitEstimate(dialog, ready));
  const double nf4 = plannedBytes("nf4");
  QCOMPARE(dialog.estimateBytes(), nf4);
  QVERIFY(nf4 < plain.memory_footprint_with_buffers);  // packed weights: half a byte each

  dialog.quantizationBox()->setMode(QStringLiteral("8bit"));
  QVERIFY(waitEstimate(dialog, ready));
  QCOMPARE(dialog.estimateBytes(), plannedBytes("8bit"));
  QVERIFY(plannedBytes("8bit") > nf4);  // int8: 1 byte per weight vs int4's 0.5

  // An explicit skip list replaces get_keys_to_not_convert (which also keeps the tied
  // transformer.wte in float); keeping the first block's MLP in float on top of lm_head
  // makes the estimate grow exactly as the sizing says.
  dialog.quantizationBox()->setSkipModules(QStringLiteral("lm_head"));
  QVERIFY(waitEstimate(dialog, ready));
  const double headOnly = plannedBytes("8bit", {"lm_head"});
  QCOMPARE(dialog.estimateBytes(), headOnly);
  dialog.quantizationBox()->setSkipModules(QStringLiteral("transformer.h.0.mlp, lm_head"));
  QVERIFY(waitEstimate(dialog, ready));
  const double withMlp = plannedBytes("8bit", {"transformer.h.0.mlp", "lm_head"});
  QCOMPARE(dialog.estimateBytes(), withMlp);
  QVERIFY(withMlp > headOnly);
}

void TestQuantization::deviceMapPlanInEstimateAndReport() {
  EngineDocument doc;
  LoadModelDialog dialog(&doc);
  QSignalSpy ready(&dialog, &LoadModelDialog::estimateReady);
  dialog.setPath(fixturePath());
  QVERIFY(waitEstimate(dialog, ready));
  // A CPU budget of 100 kB: the 2-layer GPT-2 (~0.3 MB) overflows to disk.
  dialog.deviceMapBox()->setMode(QStringLiteral("sequential"));
  dialog.deviceMapBox()->setMaxMemory(QStringLiteral("cpu=100kB,disk=1GB"));
  QVERIFY(waitEstimate(dialog, ready));
  lathe::planning::ModelTreeOptions o;
  o.torch_dtype = "auto";
  lathe::planning::PlanOptions po;
  po.mode = lathe::planning::PlanMode::Sequential;
  po.max_memory = lathe::planning::parse_max_memory("cpu=100kB,disk=1GB");
  const auto plan = lathe::planning::plan_device_map(
      lathe::planning::model_module_tree(fixturePath().toStdString(), o), po);
  const QString text = dialog.findChild<QLabel*>(QStringLiteral("loadEstimatePlan"))->text();
  for (const auto& [device, used] : plan.used) QVERIFY2(text.contains(QString::fromStdString(device)), qPrintable(text));

  QSignalSpy finished(&doc, &EngineDocument::loadFinished);
  dialog.startLoad();
  QVERIFY(finished.count() == 1 || finished.wait(30000));
  const auto& report = doc.model()->report;
  QCOMPARE(report.device_map, plan.device_map);  // the load used the plan the dialog showed
  QVERIFY(std::any_of(report.device_map.begin(), report.device_map.end(),
                      [](const auto& e) { return e.second == "disk"; }));
  int mapRows = 0;
  for (const auto& row : dialog.reportModel()->rows())
    if (row.cells.value(0) == LoadModelDialog::tr("device map")) ++mapRows;
  QCOMPARE(mapRows, static_cast<int>(report.device_map.size()));
}

void TestQuantization::nf4LoadShowsModulesWithErrors() {
  EngineDocument doc;
  QuantizationPanel panel(&doc);
  QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  QSignalSpy refreshed(&panel, &QuantizationPanel::refreshed);
  LoadModelDialog dialog(&doc);
  QVERIFY(loadNf4(doc, dialog));
  while (refreshed.isEmpty() || panel.isComputing()) QVERIFY(refreshed.wait(30000));

  // The same load through a Session of our own: its quantized layers are the panel's rows.
  lathe::Session session;
  session.load(fixturePath().toStdString(), dialog.loadOptions());
  const auto expected = session.quantized_modules();
  QuantizationModel* model = panel.model();
  QVERIFY(!expected.empty());
  QCOMPARE(model->rowCount(), static_cast<int>(expected.size()));
  for (int r = 0; r < model->rowCount(); ++r) {
    QCOMPARE(model->moduleName(r), QString::fromStdString(expected[static_cast<std::size_t>(r)].name));
    QCOMPARE(model->index(r, QuantizationModel::Kind).data().toString(), QStringLiteral("nf4"));
    QCOMPARE(model->index(r, QuantizationModel::Bytes).data(QuantizationModel::RawRole).toLongLong(),
             static_cast<qlonglong>(expected[static_cast<std::size_t>(r)].bytes));
    const double maxAbs = model->index(r, QuantizationModel::MaxAbs).data(QuantizationModel::RawRole).toDouble();
    const double rel = model->index(r, QuantizationModel::RelativeRms).data(QuantizationModel::RawRole).toDouble();
    QVERIFY2(maxAbs > 0 && rel > 0, qPrintable(model->moduleName(r)));
    // 16 code values per block of 64: the error stays well below the weights' own RMS.
    QVERIFY2(rel < 0.5, qPrintable(QString::number(rel)));
  }

  // Keep the first module in float: the reload drops it from the list.
  const QString first = model->moduleName(0);
  const int before = model->rowCount();
  QSignalSpy finished(&doc, &EngineDocument::loadFinished);
  refreshed.clear();
  panel.skipModule(first);
  QVERIFY(finished.wait(30000));
  while (refreshed.isEmpty() || panel.isComputing()) QVERIFY(refreshed.wait(30000));
  QCOMPARE(model->rowCount(), before - 1);
  for (int r = 0; r < model->rowCount(); ++r) QVERIFY(model->moduleName(r) != first);
  const auto& skipped = model->errors().skipped_modules;
  QVERIFY(std::find(skipped.begin(), skipped.end(), first.toStdString()) != skipped.end());
}

void TestQuantization::int8LoadAndFloatModel() {
  EngineDocument doc;
  QuantizationPanel panel(&doc);
  QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  QSignalSpy refreshed(&panel, &QuantizationPanel::refreshed);
  LoadModelDialog dialog(&doc);
  dialog.setPath(fixturePath());
  dialog.quantizationBox()->setMode(QStringLiteral("8bit"));
  QSignalSpy finished(&doc, &EngineDocument::loadFinished);
  dialog.startLoad();
  QVERIFY(finished.count() == 1 || finished.wait(30000));
  while (refreshed.isEmpty() || panel.isComputing()) QVERIFY(refreshed.wait(30000));
  lathe::Session session;
  session.load(fixturePath().toStdString(), dialog.loadOptions());
  QCOMPARE(panel.model()->rowCount(), static_cast<int>(session.quantized_modules().size()));
  QVERIFY(panel.model()->rowCount() > 0);
  for (int r = 0; r < panel.model()->rowCount(); ++r) {
    QCOMPARE(panel.model()->index(r, QuantizationModel::Kind).data().toString(), QStringLiteral("int8"));
    QVERIFY(panel.model()->index(r, QuantizationModel::MaxAbs).data(QuantizationModel::RawRole).toDouble() > 0);
  }
  // No outlier statistics are recorded: the panel says so instead of showing a column.
  QVERIFY(panel.findChild<QLabel*>(QStringLiteral("quantSummaryLabel"))->text().contains(QStringLiteral("Outlier")));

  // A float load empties the panel without a job.
  dialog.quantizationBox()->setMode(QStringLiteral("none"));
  refreshed.clear();
  dialog.startLoad();
  QVERIFY(finished.wait(30000));
  while (refreshed.isEmpty() || panel.isComputing()) QVERIFY(refreshed.wait(30000));
  QCOMPARE(panel.model()->rowCount(), 0);
  QVERIFY(!doc.jobRunner()->isBusy() || doc.jobRunner()->currentTitle() != QuantizationPanel::tr("Measuring quantization error"));
}

QTEST_MAIN(TestQuantization)
#include "tst_quantization.moc"
