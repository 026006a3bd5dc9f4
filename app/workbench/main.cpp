// lathe: the workbench executable. Everything else lives in lathe_ui.
#include "command_line.h"

#include "dialogs/message_box.h"
#include "mainwindow/app_setup.h"
#include "mainwindow/main_window.h"
#include "mainwindow/screenshots.h"
#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "bridge/job_runner.h"

#include <QApplication>
#include <QIcon>
#include <QTimer>

#include <cstdio>

namespace {

// Loads the model (if any), writes DIR/<view>.png for every view, exits.
// Never blocks on a dialog: message boxes answer themselves.
int runScreenshots(const lathe::workbench::CommandLine& cmd) {
  using namespace lathe::ui;
  MessageBox::setDefaultAnswer(QMessageBox::Ok);
  MainWindow window(MainWindow::Settings::Ephemeral);
  window.resize(1280, 760);
  window.show();

  int rc = 0;
  bool shooting = false;  // the load view reloads the model: shoot only once
  auto shoot = [&] {
    if (shooting) return;
    shooting = true;
    QString error;
    const QStringList files = takeScreenshots(window, cmd.screenshotDir, &error);
    for (const QString& f : files) std::printf("%s\n", qPrintable(f));
    if (!error.isEmpty()) {
      std::fprintf(stderr, "lathe: cannot write %s\n", qPrintable(error));
      rc = 1;
    }
    QCoreApplication::quit();
  };
  EngineDocument* doc = window.document();
  // Loads through the Session so the editing views have a model; an
  // architecture the engine cannot build is inspected from headers instead.
  bool inspecting = false;
  // Queued: the load job's callbacks run while JobRunner still counts it as running, and the
  // screenshots start jobs of their own (generate, measure) that would wait behind it.
  QObject::connect(doc, &EngineDocument::loadFinished, &window, [&] { QTimer::singleShot(0, &window, shoot); });
  QObject::connect(doc, &EngineDocument::loadFailed, &window,
                   [&](const QString& path, const JobFailure& failure) {
                     if (!inspecting) {
                       inspecting = true;
                       QTimer::singleShot(0, &window, [&window, path] { window.openModel(path); });
                       return;
                     }
                     std::fprintf(stderr, "lathe: cannot open %s: %s [%s]\n", qPrintable(path),
                                  qPrintable(failure.message),
                                  qPrintable(errorCodeName(failure.code)));
                     rc = 1;
                     QCoreApplication::quit();
                   });
  if (cmd.modelPath.isEmpty()) QTimer::singleShot(0, &window, shoot);
  else window.loadModel(cmd.modelPath);
  QApplication::exec();
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  // Screenshots need no display: pick the offscreen platform unless told otherwise.
  if (lathe::workbench::wantsScreenshot(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");

  QApplication app(argc, argv);
  lathe::ui::setApplicationInfo();
  QIcon icon(QStringLiteral(":/icons/lathe.svg"));
  icon.addFile(QStringLiteral(":/icons/lathe-256.png"));  // when Qt has no SVG plugin
  QApplication::setWindowIcon(icon);
  lathe::ui::installTranslators();

  lathe::workbench::CommandLine cmd;
  QString error;
  if (!lathe::workbench::parseCommandLine(app, &cmd, &error)) {
    std::fprintf(stderr, "lathe: %s\n", qPrintable(error));
    return 2;
  }
  if (cmd.screenshot()) return runScreenshots(cmd);

  lathe::ui::MainWindow window;
  window.show();
  if (!cmd.modelPath.isEmpty()) window.openModel(cmd.modelPath);
  return QApplication::exec();
}
