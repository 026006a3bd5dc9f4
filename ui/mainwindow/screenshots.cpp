#include "mainwindow/screenshots.h"

#include "bridge/engine_document.h"
#include "bridge/job_runner.h"
#include "designer/designer_screenshot.h"
#include "widgets/quantization_screenshot.h"
#include "dialogs/load_model_dialog.h"
#include "dialogs/push_dialog.h"
#include "hub/hub_browser.h"
#include "hub/hub_search_model.h"
#include "dialogs/save_model_dialog.h"
#include "mainwindow/main_window.h"
#include "memory/memory_view.h"
#include "widgets/parameters_view.h"
#include "widgets/prune_heads_panel.h"
#include "widgets/try_panel.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QPixmap>
#include <QTableView>
#include <QThread>

#include <functional>
#include <memory>

namespace lathe::ui {
namespace {

/// Runs the event loop until no job runs (at most 30 s).
void waitForJobs(MainWindow& w) {
  QDeadlineTimer deadline(30000);
  do {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(5);
  } while (w.document()->jobRunner()->isBusy() && !deadline.hasExpired());
  QCoreApplication::processEvents();
}

struct ViewShot {
  const char* name;
  /// Brings the view to front and sets it up; returns what to grab. A
  /// dialog it creates is owned by the returned pointer's holder.
  std::function<QWidget*(MainWindow&, std::unique_ptr<QWidget>&)> prepare;
};

QWidget* mainView(MainWindow& w, QDockWidget* dock) {
  w.parametersView()->expandLevels(2);
  dock->show();
  dock->raise();
  waitForJobs(w);
  return &w;
}

/// A dock view on its own, floating at a readable size (the docked tab is narrow).
QWidget* floatingDock(MainWindow& w, QDockWidget* dock) {
  dock->setFloating(true);
  dock->resize(1180, 700);
  dock->show();
  dock->raise();
  waitForJobs(w);
  return dock;
}

// One line per main view.
const ViewShot kViews[] = {
    {"parameters",
     [](MainWindow& w, std::unique_ptr<QWidget>&) -> QWidget* {
       w.parametersView()->expandLevels(2);
       return &w;
     }},
    {"hub",
     [](MainWindow& w, std::unique_ptr<QWidget>&) -> QWidget* {
       // Only a Hub the user chose: no requests to the default endpoint.
       if (!qEnvironmentVariableIsEmpty("HF_ENDPOINT")) {
         HubBrowser* hub = w.hubBrowser();
         hub->search();
         waitForJobs(w);
         if (hub->resultsModel()->rowCount() > 0) hub->resultsView()->selectRow(0);
         waitForJobs(w);
       }
       return floatingDock(w, w.hubDock());
     }},
    {"load",
     [](MainWindow& w, std::unique_ptr<QWidget>& owned) -> QWidget* {
       auto* dialog = new LoadModelDialog(w.document(), &w);
       owned.reset(dialog);
       dialog->show();
       if (!w.document()->path().isEmpty()) {
         dialog->setPath(w.document()->path());
         waitForJobs(w);
         if (w.document()->isLive()) dialog->startLoad();  // reload: show the report
       }
       waitForJobs(w);
       return dialog;
     }},
    {"memory",
     [](MainWindow& w, std::unique_ptr<QWidget>&) -> QWidget* {
       if (w.document()->isLive()) {
         w.memoryView()->setText(QStringLiteral("The lathe turns text into tokens.\nTwo rows, padded."));
         w.memoryView()->run();
         waitForJobs(w);
       }
       return floatingDock(w, w.memoryDock());
     }},
    {"edit",
     [](MainWindow& w, std::unique_ptr<QWidget>&) -> QWidget* {
       PruneHeadsPanel* panel = w.pruneHeadsPanel();
       panel->clearSelection();
       for (auto [layer, head] : {std::pair{0, 1}, {0, 3}, {1, 2}})
         if (QCheckBox* box = panel->headBox(layer, head)) box->setChecked(true);
       return mainView(w, w.editDock());
     }},
    {"save",
     [](MainWindow& w, std::unique_ptr<QWidget>& owned) -> QWidget* {
       auto* dialog = new SaveModelDialog(w.document(), &w);
       owned.reset(dialog);
       const QFileInfo source(QDir::cleanPath(w.document()->path()));
       if (!w.document()->path().isEmpty())
         dialog->setFolder(source.absolutePath() + QStringLiteral("/") + source.fileName() +
                           QStringLiteral("-edited"));
       dialog->show();
       waitForJobs(w);
       return dialog;
     }},
    {"push",
     [](MainWindow& w, std::unique_ptr<QWidget>& owned) -> QWidget* {
       auto* dialog = new PushDialog(w.document(), &w);
       owned.reset(dialog);
       dialog->setRepoId(QStringLiteral("your-name/") + w.document()->displayName() + QStringLiteral("-edited"));
       dialog->show();
       waitForJobs(w);
       return dialog;
     }},
    {"try",
     [](MainWindow& w, std::unique_ptr<QWidget>&) -> QWidget* {
       w.pruneHeadsPanel()->clearSelection();
       TryPanel* panel = w.tryPanel();
       panel->setPrompt(QStringLiteral("Once upon a time, the lathe"));
       panel->generate();
       return mainView(w, w.tryDock());
     }},
    {"designer", prepareDesignerScreenshot},
    {"quantization", prepareQuantizationScreenshot},
};

}  // namespace

QStringList screenshotViewNames() {
  QStringList names;
  for (const ViewShot& v : kViews) names << QLatin1String(v.name);
  return names;
}

QStringList takeScreenshots(MainWindow& window, const QString& dir, QString* error) {
  QStringList written;
  if (!QDir().mkpath(dir)) {
    if (error) *error = dir;
    return written;
  }
  for (const ViewShot& view : kViews) {
    std::unique_ptr<QWidget> owned;
    QWidget* target = view.prepare(window, owned);
    QCoreApplication::processEvents();  // let layouts and the tree settle
    const QString file = QDir(dir).filePath(QLatin1String(view.name) + QStringLiteral(".png"));
    if (!target->grab().save(file, "PNG")) {
      if (error) *error = file;
      return written;
    }
    written << file;
  }
  return written;
}

}  // namespace lathe::ui
