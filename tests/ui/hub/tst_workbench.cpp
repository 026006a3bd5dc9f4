// The main window's Hub/Memory/Push wiring: actions and shortcuts, dock
// layout round trip through saveState/restoreState, loading a repo id
// through hub::resolve_model, Close Model unloading the Session.
#include "bridge/engine_document.h"
#include "bridge/job_runner.h"
#include "dialogs/load_model_dialog.h"
#include "dialogs/load_options.h"
#include "dialogs/message_box.h"
#include "hub/hub_browser.h"
#include "live_hub.h"
#include "mainwindow/main_window.h"
#include "memory/memory_view.h"

#include <QAction>
#include <QDirIterator>
#include <QDockWidget>
#include <QFileInfo>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace lathe::ui;

namespace {
QString gpt2Dir() { return QStringLiteral(LATHE_FIXTURES_DIR "/cases/gpt2_lm_s0/model_safetensors"); }
}  // namespace

class TestWorkbench : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void actionsHaveShortcuts();
  void dockLayoutRoundTrips();
  void repoIdLoadsAndCloseUnloads();
  void repoIdEstimateFromHeaders();
};

void TestWorkbench::initTestCase() {
  if (!QFileInfo::exists(gpt2Dir())) QSKIP("HF reference fixtures not found");
  MessageBox::setDefaultAnswer(QMessageBox::Ok);
}

void TestWorkbench::actionsHaveShortcuts() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  for (const char* name : {"actionShowHub", "actionShowMemory", "actionPushToHub", "actionOpenModel",
                           "actionLoadModel", "actionCloseModel"}) {
    auto* action = window.findChild<QAction*>(QLatin1String(name));
    QVERIFY2(action, name);
    QVERIFY2(!action->shortcut().isEmpty(), name);
  }
  QVERIFY(!window.findChild<QAction*>(QStringLiteral("actionPushToHub"))->isEnabled());  // nothing live
  QVERIFY(window.findChild<HubBrowser*>(QStringLiteral("hubBrowser")));
  QVERIFY(window.findChild<MemoryView*>(QStringLiteral("memoryView")));
}

void TestWorkbench::dockLayoutRoundTrips() {
  QByteArray state;
  {
    MainWindow window(MainWindow::Settings::Ephemeral);
    window.show();
    window.memoryDock()->setFloating(true);
    window.hubDock()->hide();
    state = window.saveState();
  }
  MainWindow again(MainWindow::Settings::Ephemeral);
  again.show();
  QVERIFY(!again.memoryDock()->isFloating());
  QVERIFY(again.restoreState(state));
  QVERIFY(again.memoryDock()->isFloating());
  QVERIFY(again.hubDock()->isHidden());
}

void TestWorkbench::repoIdLoadsAndCloseUnloads() {
  MessageBox::clearHistory();
  lathe::test::LiveHub hub;
  hub.pushFixture(gpt2Dir(), "alice/tiny-gpt2");
  MainWindow window(MainWindow::Settings::Ephemeral);
  EngineDocument* doc = window.document();
  QSignalSpy loaded(doc, &EngineDocument::loadFinished);
  window.loadModel(QStringLiteral("alice/tiny-gpt2@main"));
  QTRY_COMPARE(loaded.count(), 1);
  QVERIFY2(MessageBox::history().isEmpty(), qPrintable(MessageBox::history().value(0).details));
  QVERIFY(doc->isLive());
  // The weights came through the HF cache, as from_pretrained("alice/tiny-gpt2") would fetch them.
  QVERIFY(QFileInfo::exists(hub.cacheDir() + QStringLiteral("/models--alice--tiny-gpt2/refs/main")));
  QVERIFY(window.findChild<QAction*>(QStringLiteral("actionPushToHub"))->isEnabled());
  QVERIFY(window.memoryView()->findChild<QPushButton*>(QStringLiteral("memoryRunButton"))->isEnabled());

  QSignalSpy succeeded(doc->jobRunner(), &JobRunner::jobSucceeded);
  window.findChild<QAction*>(QStringLiteral("actionCloseModel"))->trigger();
  QVERIFY(!doc->isLoaded());
  QTRY_COMPARE(succeeded.count(), 1);  // the unload job
  QVERIFY(!window.findChild<QAction*>(QStringLiteral("actionPushToHub"))->isEnabled());
  // The Session is empty again: a memory run now fails with a code instead of measuring.
  QSignalSpy failed(doc->jobRunner(), &JobRunner::jobFailed);
  doc->runOnSession<lathe::ModelSummary>(QStringLiteral("summary"),
      [](lathe::Session& s, lathe::ProgressSink&) { return s.summary(); }, this, {});
  QTRY_COMPARE(failed.count(), 1);
  QCOMPARE(failed.at(0).at(1).value<JobFailure>().code, lathe::ErrorCode::InvalidArgument);
}

void TestWorkbench::repoIdEstimateFromHeaders() {
  lathe::test::LiveHub hub;
  hub.pushFixture(gpt2Dir(), "alice/tiny-gpt2");
  EngineDocument doc;
  LoadModelDialog dialog(&doc);
  QSignalSpy ready(&dialog, &LoadModelDialog::estimateReady);
  dialog.setPath(QStringLiteral("alice/tiny-gpt2@main"));
  QVERIFY(ready.wait(20000) && dialog.hasEstimate());
  // The same footprint a local folder of the same files gives ...
  const lathe::ModelSummary local = lathe::summarize_model(gpt2Dir().toStdString(), dialog.loadOptions());
  QCOMPARE(dialog.estimateBytes(), static_cast<double>(local.memory_footprint_with_buffers));
  // ... with a device-map plan from the config alone, and no weights downloaded.
  dialog.deviceMapBox()->setMode(QStringLiteral("sequential"));
  dialog.deviceMapBox()->setMaxMemory(QStringLiteral("cpu=100kB"));
  QVERIFY(ready.wait(20000) && dialog.hasEstimate());
  QDirIterator it(hub.cacheDir(), QDir::Files | QDir::System, QDirIterator::Subdirectories);
  while (it.hasNext()) QVERIFY2(!it.next().endsWith(QStringLiteral(".safetensors")), qPrintable(it.filePath()));
  qint64 blobBytes = 0;
  QDirIterator blobs(hub.cacheDir() + QStringLiteral("/models--alice--tiny-gpt2/blobs"), QDir::Files);
  while (blobs.hasNext()) blobBytes += QFileInfo(blobs.next()).size();
  QVERIFY2(blobBytes < 64 * 1024, qPrintable(QString::number(blobBytes)));  // config/JSON only: the weights are ~212 KiB
}

int runWorkbenchTests(int argc, char** argv) {
  TestWorkbench t;
  return QTest::qExec(&t, argc, argv);
}

#include "tst_workbench.moc"
