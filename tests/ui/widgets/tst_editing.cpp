// The Session side of the workbench, offscreen: the load dialog (estimate,
// load, cancel, report), head pruning, vocabulary resize, the save dialog
// (dry run, save), generation. Every view is found by objectName.
#include "bridge/engine_document.h"
#include "bridge/job_runner.h"
#include "dialogs/file_dialog.h"
#include "dialogs/load_model_dialog.h"
#include "dialogs/message_box.h"
#include "dialogs/resize_vocab_dialog.h"
#include "dialogs/save_model_dialog.h"
#include "mainwindow/main_window.h"
#include "models/string_table_model.h"
#include "widgets/prune_heads_panel.h"
#include "widgets/try_panel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace lathe::ui;

namespace {

QString fixturePath() {
  return QStringLiteral(LATHE_FIXTURES_DIR "/cases/gpt2_lm_s0/model_safetensors");
}

template <class T>
T* child(QObject* parent, const char* name) {
  return parent->findChild<T*>(QLatin1String(name));
}

}  // namespace

class TestEditing : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();

  void stringTableModelPassesTester();
  void loadDialogEstimatesAndLoads();
  void loadCancelledThroughJobRunner();
  void pruneHeadsDropsParameterCount();
  void resizeVocabularyDialog();
  void saveDialogPreviewAndSave();
  void greedyGenerationReturnsPromptPlusN();

 private:
  bool loadFixture(MainWindow& window);
};

void TestEditing::initTestCase() {
  if (!QFileInfo::exists(fixturePath())) QSKIP("HF reference fixtures not found");
}

void TestEditing::init() {
  MessageBox::clearHistory();
  MessageBox::setDefaultAnswer(QMessageBox::Ok);
}

bool TestEditing::loadFixture(MainWindow& window) {
  QSignalSpy finished(window.document(), &EngineDocument::loadFinished);
  window.loadModel(fixturePath());
  return (finished.wait(20000) || finished.count() == 1) && window.document()->isLive();
}

void TestEditing::stringTableModelPassesTester() {
  StringTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setHeaders({QStringLiteral("a"), QStringLiteral("b")});
  model.setRows({{{QStringLiteral("1"), QStringLiteral("2")}, StringTableModel::Tone::Added},
                 {{QStringLiteral("3")}, StringTableModel::Tone::Normal}});
  QCOMPARE(model.rowCount(), 2);
  QCOMPARE(model.columnCount(), 2);
  QCOMPARE(model.index(1, 1).data().toString(), QString());
  QCOMPARE(model.column(0), (QStringList{"1", "3"}));
  model.clear();
  QCOMPARE(model.rowCount(), 0);
}

void TestEditing::loadDialogEstimatesAndLoads() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  window.show();
  auto* action = child<QAction>(&window, "actionLoadModel");
  QVERIFY(action);
  QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_L));
  action->trigger();
  auto* dialog = child<LoadModelDialog>(&window, "loadModelDialog");
  QVERIFY(dialog);
  QAbstractItemModelTester tester(dialog->reportModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);

  FileDialog::setNextFileName(fixturePath());
  child<QPushButton>(dialog, "loadBrowseButton")->click();
  QTRY_VERIFY_WITH_TIMEOUT(dialog->hasEstimate(), 10000);
  auto* params = child<QLabel>(dialog, "loadEstimateParameters");
  QVERIFY(params && params->text() != QStringLiteral("—"));
  const QString bytesF32 = child<QLabel>(dialog, "loadEstimateBytes")->text();

  dialog->setDtype(QStringLiteral("bfloat16"));
  QTRY_VERIFY_WITH_TIMEOUT(dialog->hasEstimate(), 10000);
  QVERIFY(child<QLabel>(dialog, "loadEstimateBytes")->text() != bytesF32);  // half the bytes
  dialog->setDtype(QStringLiteral("float32"));
  QTRY_VERIFY_WITH_TIMEOUT(dialog->hasEstimate(), 10000);

  QSignalSpy finished(window.document(), &EngineDocument::loadFinished);
  child<QPushButton>(dialog, "loadButton")->click();
  QVERIFY(finished.wait(20000));
  QVERIFY(window.document()->isLive());
  const auto model = window.document()->model();
  QCOMPARE(QString::fromStdString(model->summary.class_name), QStringLiteral("GPT2LMHeadModel"));
  const int issues = static_cast<int>(model->report.missing_keys.size() + model->report.unexpected_keys.size() +
                                      model->report.mismatched_keys.size());
  QCOMPARE(dialog->reportModel()->rowCount(), qMax(1, issues));  // one "complete" row when clean
  QCOMPARE(child<QLabel>(&window, "statusModelType")->text(), QStringLiteral("GPT2LMHeadModel"));
  QCOMPARE(child<QLabel>(&window, "statusTensorCount")->text(), QStringLiteral("float32"));
  QVERIFY(model->tree.size() > 1);  // the parameter tree shows the live model
  QCOMPARE(model->tree.node(model->tree.node(0).children.front()).name, std::string("transformer"));
  child<QPushButton>(dialog, "loadCloseButton")->click();
}

void TestEditing::loadCancelledThroughJobRunner() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  auto* dialog = new LoadModelDialog(window.document(), &window);
  dialog->setPath(fixturePath());
  QTRY_VERIFY_WITH_TIMEOUT(dialog->hasEstimate(), 10000);
  JobRunner* runner = window.document()->jobRunner();
  // Cancel as the load job starts: before the worker runs, so deterministic.
  connect(runner, &JobRunner::jobStarted, dialog, [dialog](const QString&) {
    child<QPushButton>(dialog, "loadCancelButton")->click();
  });
  QSignalSpy cancelled(window.document(), &EngineDocument::loadCancelled);
  QSignalSpy jobCancelled(runner, &JobRunner::jobCancelled);
  child<QPushButton>(dialog, "loadButton")->click();
  QVERIFY(cancelled.wait(20000) || cancelled.count() == 1);
  // The job's own watcher and the runner's watch one future: their finished events may come in either order.
  QTRY_COMPARE(jobCancelled.count(), 1);
  QVERIFY(!window.document()->isLive());
  QVERIFY(MessageBox::history().isEmpty());
  QVERIFY(child<QPushButton>(dialog, "loadButton")->isEnabled());
}

void TestEditing::pruneHeadsDropsParameterCount() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  QVERIFY(loadFixture(window));
  auto* panel = child<PruneHeadsPanel>(&window, "pruneHeadsPanel");
  QVERIFY(panel);
  const qint64 before = window.document()->model()->summary.num_parameters;
  QVERIFY(panel->headBox(0, 0) && panel->headBox(1, 3));
  QVERIFY(!panel->headBox(2, 0));
  panel->headBox(0, 0)->setChecked(true);
  panel->headBox(1, 3)->setChecked(true);
  const qint64 predicted = panel->selectionDelta();
  QCOMPARE(predicted, 2 * (4 * 32 * 8 + 3 * 8));
  QSignalSpy edited(window.document(), &EngineDocument::editFinished);
  child<QPushButton>(panel, "pruneApplyButton")->click();
  QVERIFY(edited.wait(20000));
  const auto model = window.document()->model();
  QCOMPARE(model->summary.num_parameters, before - predicted);
  // The pruned heads are greyed out after the rebuild.
  QVERIFY(panel->headBox(0, 0) && !panel->headBox(0, 0)->isEnabled());
  QVERIFY(!panel->headBox(1, 3)->isEnabled());
  QVERIFY(panel->headBox(0, 1)->isEnabled());
  QCOMPARE(model->layout.pruned_heads.at(0), std::vector<int>{0});
  QVERIFY(MessageBox::history().isEmpty());
}

void TestEditing::resizeVocabularyDialog() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  QVERIFY(loadFixture(window));
  child<QAction>(&window, "actionResizeVocabulary")->trigger();
  auto* dialog = child<ResizeVocabularyDialog>(&window, "resizeVocabularyDialog");
  QVERIFY(dialog);
  QAbstractItemModelTester tester(dialog->tableModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  const qint64 before = window.document()->model()->summary.num_parameters;
  child<QSpinBox>(dialog, "resizeNewSizeSpin")->setValue(520);
  child<QSpinBox>(dialog, "resizePadSpin")->setValue(64);
  QCOMPARE(dialog->targetVocabulary(), 576);
  QCOMPARE(dialog->tableModel()->rowCount(), 3);
  QSignalSpy edited(window.document(), &EngineDocument::editFinished);
  child<QPushButton>(dialog, "resizeApplyButton")->click();
  QVERIFY(edited.wait(20000));
  const auto model = window.document()->model();
  QCOMPARE(model->layout.vocab_size, 576);
  QCOMPARE(model->summary.num_parameters, before + (576 - 517) * 32);  // tied LM head
  QCOMPARE(dialog->tableModel()->index(0, 2).data().toString(), QStringLiteral("576"));
}

void TestEditing::saveDialogPreviewAndSave() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  QVERIFY(loadFixture(window));
  child<QAction>(&window, "actionSaveModel")->trigger();
  auto* dialog = child<SaveModelDialog>(&window, "saveModelDialog");
  QVERIFY(dialog);
  QAbstractItemModelTester tester(dialog->previewModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  QTemporaryDir tmp;
  const QString out = QDir(tmp.path()).filePath(QStringLiteral("saved"));
  FileDialog::setNextFileName(out);
  child<QPushButton>(dialog, "saveBrowseButton")->click();
  QTRY_VERIFY_WITH_TIMEOUT(dialog->hasPreview(), 10000);
  QVERIFY(dialog->previewModel()->column(1).contains(QStringLiteral("model.safetensors")));
  QVERIFY(!QFileInfo::exists(out));  // a dry run writes nothing

  child<QLineEdit>(dialog, "saveShardSizeEdit")->setText(QStringLiteral("not a size"));
  QVERIFY(!child<QPushButton>(dialog, "saveButton")->isEnabled());
  child<QLineEdit>(dialog, "saveShardSizeEdit")->setText(QStringLiteral("5GB"));
  QTRY_VERIFY_WITH_TIMEOUT(dialog->hasPreview(), 10000);

  QSignalSpy saved(window.document(), &EngineDocument::saveFinished);
  child<QPushButton>(dialog, "saveButton")->click();
  QVERIFY(saved.wait(20000));
  QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("model.safetensors"))));
  QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("config.json"))));
  QVERIFY(MessageBox::history().isEmpty());
}

void TestEditing::greedyGenerationReturnsPromptPlusN() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  QVERIFY(loadFixture(window));
  auto* panel = child<TryPanel>(&window, "tryPanel");
  QVERIFY(panel);
  QVERIFY(child<QPushButton>(panel, "tryGenerateButton"));
  child<QLineEdit>(panel, "tryPromptEdit")->setText(QStringLiteral("1 2 3"));
  child<QSpinBox>(panel, "tryMaxNewTokensSpin")->setValue(5);
  QSignalSpy generated(panel, &TryPanel::generated);
  child<QPushButton>(panel, "tryGenerateButton")->click();
  QVERIFY(generated.wait(20000));
  QCOMPARE(panel->outputIds().size(), std::size_t(8));
  QCOMPARE(panel->outputIds()[0], 1);
  QCOMPARE(panel->outputIds()[2], 3);
  // Greedy is deterministic.
  const auto first = panel->outputIds();
  child<QPushButton>(panel, "tryGenerateButton")->click();
  QVERIFY(generated.wait(20000));
  QCOMPARE(panel->outputIds(), first);
  // An id outside the vocabulary is refused before any job.
  child<QLineEdit>(panel, "tryPromptEdit")->setText(QStringLiteral("1 99999"));
  QVERIFY(!child<QPushButton>(panel, "tryGenerateButton")->isEnabled());
}

int runEditingTests(int argc, char** argv) {
  TestEditing test;
  return QTest::qExec(&test, argc, argv);
}

#include "tst_editing.moc"
