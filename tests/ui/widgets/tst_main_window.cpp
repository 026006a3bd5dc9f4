// The workbench window, offscreen: opening through the document, the filter,
// error dialogs (pre-answered), cancelling a job, drag and drop, settings,
// screenshots, translations.
#include "bridge/engine_document.h"
#include "bridge/job_runner.h"
#include "dialogs/file_dialog.h"
#include "dialogs/message_box.h"
#include "mainwindow/app_setup.h"
#include "mainwindow/main_window.h"
#include "mainwindow/recent_models.h"
#include "mainwindow/screenshots.h"
#include "models/param_tree_filter_model.h"
#include "models/param_tree_model.h"
#include "widgets/parameters_view.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTranslator>
#include <QTreeView>
#include <QUrl>
#include <QtTest>


using namespace lathe::ui;

namespace {

QString fixturePath() {
  return QStringLiteral(LATHE_FIXTURES_DIR "/cases/gpt2_lm_s0/model_safetensors");
}

QStringList topLevelNames(const QAbstractItemModel* model, const QModelIndex& parent = {}) {
  QStringList names;
  for (int r = 0; r < model->rowCount(parent); ++r) names << model->index(r, 0, parent).data().toString();
  return names;
}

// A job that runs until cancelled (at most ~10 s), reporting progress.
int spinUntilCancelled(lathe::ProgressSink& progress) {
  for (int i = 0; i < 10000; ++i) {
    lathe::check_progress(&progress, "spinning", static_cast<std::uint64_t>(i), 10000);
    QThread::msleep(1);
  }
  return 1;
}

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup();

  void opensFixtureThroughDocument();
  void openActionUsesFileDialog();
  void filterNarrowsTree();
  void nonexistentPathShowsErrorWithCode();
  void cancelledJobShowsNoDialog();
  void dropOpensModel();
  void recentModelsAndGeometryPersist();
  void screenshotWritesPng();
  void germanTranslation();

 private:
  bool openFixture(MainWindow& window);
  QTemporaryDir m_settingsDir;
};

void TestMainWindow::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  setApplicationInfo();
  QCoreApplication::setOrganizationName(QStringLiteral("LatheTests"));
  QVERIFY(m_settingsDir.isValid());
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
  if (!QFileInfo::exists(fixturePath())) QSKIP("HF reference fixtures not found");
}

void TestMainWindow::init() {
  QSettings().clear();
  MessageBox::clearHistory();
  // Safety net: a dialog the test did not expect answers itself (and shows
  // up in history()) instead of blocking the run.
  MessageBox::setDefaultAnswer(QMessageBox::Ok);
}

void TestMainWindow::cleanup() {
  MessageBox::setNextAnswer(QMessageBox::NoButton);
}

bool TestMainWindow::openFixture(MainWindow& window) {
  QSignalSpy finished(window.document(), &EngineDocument::loadFinished);
  window.openModel(fixturePath());
  return finished.wait(10000) || finished.count() == 1;
}

void TestMainWindow::opensFixtureThroughDocument() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  auto* tree = window.findChild<QTreeView*>(QStringLiteral("parameterTree"));
  QVERIFY(tree);
  QCOMPARE(tree->model()->rowCount(), 0);

  QSignalSpy started(window.document(), &EngineDocument::loadStarted);
  window.document()->open(fixturePath());
  QCOMPARE(started.count(), 1);
  QTRY_VERIFY_WITH_TIMEOUT(tree->model()->rowCount() > 0, 10000);
  QVERIFY(tree->isVisible());
  QCOMPARE(topLevelNames(tree->model()), QStringList{"transformer"});
  const QModelIndex transformer = tree->model()->index(0, 0);
  QVERIFY(tree->isExpanded(transformer));
  const QModelIndex h = tree->model()->index(0, 0, transformer);
  QCOMPARE(h.data().toString(), QStringLiteral("h"));
  QCOMPARE(topLevelNames(tree->model(), h), (QStringList{"0", "1"}));

  QVERIFY(window.document()->isLoaded());
  QCOMPARE(window.windowTitle(), QStringLiteral("model_safetensors"));
  auto label = [&](const char* name) {
    auto* l = window.findChild<QLabel*>(QLatin1String(name));
    return l ? l->text() : QStringLiteral("<missing>");
  };
  QCOMPARE(label("statusModelType"), QStringLiteral("gpt2"));
  QCOMPARE(label("statusTensorCount"), QStringLiteral("28 tensors"));
  QVERIFY(label("statusParameters").endsWith(QLatin1String(" parameters")));
  QVERIFY(!label("statusTotalBytes").isEmpty());
  QVERIFY(MessageBox::history().isEmpty());

  window.findChild<QAction*>(QStringLiteral("actionCloseModel"))->trigger();
  QVERIFY(!window.document()->isLoaded());
  QCOMPARE(tree->model()->rowCount(), 0);
}

void TestMainWindow::openActionUsesFileDialog() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  window.show();
  QSignalSpy finished(window.document(), &EngineDocument::loadFinished);
  FileDialog::setNextFileName(fixturePath());
  auto* open = window.findChild<QAction*>(QStringLiteral("actionOpenModel"));
  QVERIFY(open);
  QCOMPARE(open->shortcut(), QKeySequence(QKeySequence::Open));
  open->trigger();
  QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
  QCOMPARE(window.document()->path(), fixturePath());

  FileDialog::setNextFileName(QString());  // the user cancels the dialog
  QSignalSpy started(window.document(), &EngineDocument::loadStarted);
  open->trigger();
  QCOMPARE(started.count(), 0);
}

void TestMainWindow::filterNarrowsTree() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  window.show();
  QVERIFY(openFixture(window));
  auto* filter = window.findChild<QLineEdit*>(QStringLiteral("filterEdit"));
  auto* tree = window.findChild<QTreeView*>(QStringLiteral("parameterTree"));
  QVERIFY(filter && tree);
  QVERIFY(filter->isEnabled());

  QTest::keyClicks(filter, QStringLiteral("c_proj.w"));
  auto* proxy = window.parametersView()->filterModel();
  QTRY_COMPARE(proxy->filterText(), QStringLiteral("c_proj.w"));
  // attn.c_proj.weight and mlp.c_proj.weight in each of the 2 layers.
  QStringList leaves;
  std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
    for (int r = 0; r < proxy->rowCount(parent); ++r) {
      const QModelIndex i = proxy->index(r, 0, parent);
      if (i.data(ParamTreeModel::IsTensorRole).toBool()) leaves << i.data(ParamTreeModel::PathRole).toString();
      QVERIFY(proxy->rowCount(i) == 0 || tree->isExpanded(i));  // matches are shown expanded
      walk(i);
    }
  };
  walk({});
  QCOMPARE(leaves.size(), 4);
  for (const QString& p : leaves) QVERIFY2(p.contains(QLatin1String("c_proj.weight")), qPrintable(p));

  filter->setText(QStringLiteral("nothing-matches-this"));
  QTRY_COMPARE(proxy->rowCount(), 0);
  QTRY_VERIFY(window.findChild<QLabel*>(QStringLiteral("filterMatchesLabel"))->isVisible());
  filter->clear();
  QTRY_COMPARE(proxy->rowCount(), 1);
}

void TestMainWindow::nonexistentPathShowsErrorWithCode() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  window.show();
  MessageBox::setDefaultAnswer(QMessageBox::NoButton);
  MessageBox::setNextAnswer(QMessageBox::Ok);
  QSignalSpy failed(window.document(), &EngineDocument::loadFailed);
  const QString missing = QDir::temp().filePath(QStringLiteral("lathe-no-such-model-%1").arg(QCoreApplication::applicationPid()));
  window.openModel(missing);
  QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
  const auto failure = failed.first().at(1).value<JobFailure>();
  QCOMPARE(failure.code, lathe::ErrorCode::NotFound);
  QVERIFY(!failure.cancelled);

  QTRY_COMPARE(MessageBox::history().size(), 1);
  const MessageBox::Record& shown = MessageBox::history().first();
  QCOMPARE(shown.icon, QMessageBox::Critical);
  QCOMPARE(shown.answer, QMessageBox::Ok);
  QVERIFY2(shown.details.contains(QLatin1String("not_found")), qPrintable(shown.details));
  // The cause is in the visible text, not only behind "Show Details": the
  // engine's one line names the missing path.
  QVERIFY2(shown.informative.contains(QFileInfo(missing).fileName()), qPrintable(shown.informative));
  QVERIFY(!shown.informative.contains(QLatin1String("Exception raised from")));
  QVERIFY(!window.document()->isLoaded());
  QVERIFY(!window.document()->isLoading());
}

void TestMainWindow::cancelledJobShowsNoDialog() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  window.show();
  JobRunner* runner = window.document()->jobRunner();
  QSignalSpy progressed(runner, &JobRunner::progressed);
  QSignalSpy cancelled(runner, &JobRunner::jobCancelled);
  QSignalSpy failedSignal(runner, &JobRunner::jobFailed);
  bool succeeded = false;
  bool sawCancelledFailure = false;
  runner->run<int>(QStringLiteral("Spinning"), &spinUntilCancelled, &window,
                   [&](int&&) { succeeded = true; },
                   [&](const JobFailure& f) { sawCancelledFailure = f.cancelled; });
  QVERIFY(runner->isBusy());
  QTRY_VERIFY(progressed.count() > 0);
  auto* progressBar = window.findChild<QProgressBar*>(QStringLiteral("jobProgress"));
  QVERIFY(progressBar && progressBar->isVisible());
  auto* cancel = window.findChild<QAction*>(QStringLiteral("actionCancelJob"));
  QVERIFY(cancel && cancel->isEnabled());
  cancel->trigger();
  QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 5000);
  QVERIFY(sawCancelledFailure);
  QVERIFY(!succeeded);
  QCOMPARE(failedSignal.count(), 0);
  QVERIFY(!runner->isBusy());
  QVERIFY(!progressBar->isVisible());
  QVERIFY(MessageBox::history().isEmpty());
}

void TestMainWindow::dropOpensModel() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  window.show();
  QSignalSpy finished(window.document(), &EngineDocument::loadFinished);
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(fixturePath())});
  QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&window, &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&window, &drop);
  QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);

  QMimeData text;
  text.setText(QStringLiteral("not a file"));
  QDragEnterEvent refused(QPoint(20, 20), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
  refused.setAccepted(false);
  QCoreApplication::sendEvent(&window, &refused);
  QVERIFY(!refused.isAccepted());
}

void TestMainWindow::recentModelsAndGeometryPersist() {
  {
    MainWindow window(MainWindow::Settings::Persistent);
    window.show();
    QVERIFY(openFixture(window));
    const QStringList recent = RecentModels::load();
    QCOMPARE(recent.value(0), QDir::cleanPath(QFileInfo(fixturePath()).absoluteFilePath()));
    auto* entry = window.findChild<QAction*>(QStringLiteral("actionRecent1"));
    QVERIFY(entry);
    QCOMPARE(entry->data().toString(), recent.value(0));
    window.resize(900, 600);
    window.close();
  }
  QSettings settings;
  QVERIFY(!settings.value(QStringLiteral("window/geometry")).toByteArray().isEmpty());

  MainWindow again(MainWindow::Settings::Persistent);
  QCOMPARE(again.size(), QSize(900, 600));
  again.findChild<QAction*>(QStringLiteral("actionClearRecent"))->trigger();
  QVERIFY(RecentModels::load().isEmpty());
  QVERIFY(!again.findChild<QAction*>(QStringLiteral("actionRecent1")));
}

void TestMainWindow::screenshotWritesPng() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  window.resize(1000, 640);
  window.show();
  QVERIFY(openFixture(window));
  QTemporaryDir dir;
  QString error;
  const QStringList files = takeScreenshots(window, dir.path(), &error);
  QVERIFY2(error.isEmpty(), qPrintable(error));
  QCOMPARE(files.size(), screenshotViewNames().size());
  QCOMPARE(QFileInfo(files.first()).fileName(), QStringLiteral("parameters.png"));
  const QImage image(files.first());
  QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
  auto* tree = window.parametersView()->treeView();
  const QModelIndex h = tree->model()->index(0, 0, tree->model()->index(0, 0));
  QVERIFY(tree->isExpanded(h));  // two levels expanded
}

void TestMainWindow::germanTranslation() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  auto* open = window.findChild<QAction*>(QStringLiteral("actionOpenModel"));
  QCOMPARE(open->text(), QStringLiteral("&Open Model…"));
  const QList<QTranslator*> translators = installTranslators(QLocale(QLocale::German, QLocale::Germany));
  QVERIFY(!translators.isEmpty());
  QTRY_COMPARE(open->text(), QStringLiteral("Modell ö&ffnen…"));
  auto* model = window.parametersView()->treeModel();
  QCOMPARE(model->headerData(ParamTreeModel::BytesColumn, Qt::Horizontal).toString(), QStringLiteral("Größe"));
  qDeleteAll(translators);
  QTRY_COMPARE(open->text(), QStringLiteral("&Open Model…"));
}

int runMainWindowTests(int argc, char** argv) {
  TestMainWindow test;
  return QTest::qExec(&test, argc, argv);
}

#include "tst_main_window.moc"
