// The memory view: aggregation arithmetic on a hand-built report, then a
// real Session::memory run on a fixture model through the view.
#include "bridge/engine_document.h"
#include "dialogs/message_box.h"
#include "memory/memory_chart.h"
#include "memory/memory_data.h"
#include "memory/memory_view.h"
#include "models/string_table_model.h"

#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace lathe::ui;

namespace {
QString bertDir() { return QStringLiteral(LATHE_FIXTURES_DIR "/cases/bert_base_s0/model_safetensors"); }

lathe::ModuleMemory mod(const char* name, const char* type, int depth, std::int64_t params,
                        std::int64_t buffers = 0) {
  lathe::ModuleMemory m;
  m.name = name;
  m.type = type;
  m.depth = depth;
  m.param_bytes = params;
  m.buffer_bytes = buffers;
  m.calls = 1;
  return m;
}
}  // namespace

class TestMemoryView : public QObject {
  Q_OBJECT

 private slots:
  void parsesTokenIds();
  void ownBytesSubtractChildren();
  void measuresFixtureModel();
};

void TestMemoryView::parsesTokenIds() {
  QString bad;
  const TokenRows rows = parseTokenIds(QStringLiteral("1 2, 3; 4 5 6"), &bad);
  QCOMPARE(rows, (TokenRows{{1, 2, 3}, {4, 5, 6}}));
  QVERIFY(parseTokenIds(QStringLiteral("1 x"), &bad).empty());
  QCOMPARE(bad, QStringLiteral("x"));
  QVERIFY(parseTokenIds(QStringLiteral("1 2; 3"), &bad).empty());  // ragged rows
  QVERIFY(parseTokenIds(QStringLiteral("-1"), &bad).empty());
}

void TestMemoryView::ownBytesSubtractChildren() {
  // model(1000 subtree) > enc(600) > {layer0 Linear(200), layer1 Linear(200)}, head Linear(300+100 buf).
  // own: model 1000-600-400 = 0; enc 600-200-200 = 200; layers 200 each; head 400.
  lathe::MemoryReport r;
  r.modules = {mod("", "Model", 0, 900, 100), mod("enc", "Encoder", 1, 600), mod("enc.0", "Linear", 2, 200),
               mod("enc.1", "Linear", 2, 200), mod("head", "Linear", 1, 300, 100)};
  QCOMPARE(ownBytes(r), (std::vector<qint64>{0, 200, 200, 200, 400}));
  const auto types = footprintByModuleType(r);
  QCOMPARE(types.size(), 3);
  QCOMPARE(types[0].key, QStringLiteral("Linear"));  // 200 + 200 + 400 = 800, the largest
  QCOMPARE(types[0].count, qint64(3));
  QCOMPARE(types[0].bytes, qint64(800));
  QCOMPARE(types[1].bytes, qint64(200));  // Encoder
  QCOMPARE(types[2].bytes, qint64(0));    // Model
  // head.weight tied to enc.0.weight (300 bytes, say): counted at its first name only, head keeps 400 - 300.
  QCOMPARE(ownBytes(r, {{QStringLiteral("head"), 300}}), (std::vector<qint64>{0, 200, 200, 200, 100}));
  QCOMPARE(modulesAtDepth(r, 1), (std::vector<int>{1, 4}));
  r.modules[4].calls = 0;  // a container that never ran is not charted by default
  QCOMPARE(defaultChartDepth(r, 2), 2);
  r.modules[4].calls = 1;
  QCOMPARE(defaultChartDepth(r, 2), 1);
  QCOMPARE(defaultChartDepth(r, 9), 2);  // never reached: the deepest
}

void TestMemoryView::measuresFixtureModel() {
  if (!QFileInfo::exists(bertDir())) QSKIP("HF reference fixtures not found");
  MessageBox::setDefaultAnswer(QMessageBox::Ok);
  MessageBox::clearHistory();
  EngineDocument doc;
  MemoryView view(&doc);
  QAbstractItemModelTester t1(view.dtypeModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester t2(view.moduleTypeModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  auto* run = view.findChild<QPushButton*>(QStringLiteral("memoryRunButton"));
  QVERIFY(!run->isEnabled());  // nothing loaded
  QSignalSpy loaded(&doc, &EngineDocument::loadFinished);
  doc.load(bertDir());
  QTRY_COMPARE(loaded.count(), 1);
  QVERIFY(run->isEnabled());

  // By dtype: every distinct tensor once, so the rows add up to the checkpoint's bytes.
  const auto model = doc.model();
  qint64 dtypeSum = 0;
  for (const auto& row : footprintByDtype(model->info)) dtypeSum += row.bytes;
  QCOMPARE(dtypeSum, qint64(model->info.total_bytes));
  QVERIFY(view.dtypeModel()->rowCount() >= 1);

  QSignalSpy ready(&view, &MemoryView::reportReady);
  view.findChild<QLineEdit*>(QStringLiteral("memoryIdsEdit"))->setText(QStringLiteral("15 42 7 3"));
  QTest::mouseClick(run, Qt::LeftButton);
  QTRY_COMPARE(ready.count(), 1);
  QCOMPARE(MessageBox::history().size(), 0);
  const auto report = view.report();
  QVERIFY(report && !report->modules.empty());
  QCOMPARE(qint64(report->modules.front().calls), qint64(1));  // hooks reset before the run: one forward pass

  // The root bar holds the whole model: its parameters + buffers are the
  // model's footprint with buffers (transformers' get_memory_footprint()).
  view.setDepth(0);
  QCOMPARE(view.chart()->barCount(), 1);
  QCOMPARE(view.chart()->barBytes(0).first, qint64(model->summary.memory_footprint_with_buffers));
  QVERIFY(view.chart()->barToolTip(0).contains(QStringLiteral("BertModel")));
  // Deeper: one bar per module at that depth, stacked (activations above parameters).
  view.setDepth(2);
  QCOMPARE(view.chart()->barCount(), int(modulesAtDepth(*report, 2).size()));
  QVERIFY(view.chart()->activationBars()->barBelow() == view.chart()->parameterBars());
  // By module type: own bytes of every module add up to the root subtree (BERT base has no ties).
  qint64 typeSum = 0;
  for (const auto& row : footprintByModuleType(*report)) typeSum += row.bytes;
  QCOMPARE(typeSum, qint64(report->modules.front().param_bytes + report->modules.front().buffer_bytes));
  QCOMPARE(view.moduleTypeModel()->rowCount(), int(footprintByModuleType(*report).size()));
}

int runMemoryViewTests(int argc, char** argv) {
  TestMemoryView t;
  return QTest::qExec(&t, argc, argv);
}

#include "tst_memory_view.moc"
