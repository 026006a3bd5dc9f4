#include "mainwindow/screenshots.h"

#include "mainwindow/main_window.h"
#include "widgets/parameters_view.h"

#include <QCoreApplication>
#include <QDir>
#include <QPixmap>

#include <functional>

namespace lathe::ui {
namespace {

struct ViewShot {
  const char* name;
  std::function<void(MainWindow&)> prepare;  ///< bring the view to front, set it up
};

// One line per main view.
const ViewShot kViews[] = {
    {"parameters", [](MainWindow& w) { w.parametersView()->expandLevels(2); }},
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
    view.prepare(window);
    QCoreApplication::processEvents();  // let layouts and the tree settle
    const QString file = QDir(dir).filePath(QLatin1String(view.name) + QStringLiteral(".png"));
    if (!window.grab().save(file, "PNG")) {
      if (error) *error = file;
      return written;
    }
    written << file;
  }
  return written;
}

}  // namespace lathe::ui
