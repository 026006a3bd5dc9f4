// Screenshots of the main views, for docs and visual review:
// `lathe --screenshot DIR MODEL` writes DIR/<view>.png for every view.
#pragma once

#include <QString>
#include <QStringList>

namespace lathe::ui {

class MainWindow;

/// Names of the views takeScreenshots() renders, in order.
QStringList screenshotViewNames();

/// Shows each view in `window` (which should hold a loaded model), renders
/// it and saves DIR/<view>.png. Returns the files written; on failure
/// `error` says which file could not be written.
QStringList takeScreenshots(MainWindow& window, const QString& dir, QString* error = nullptr);

}  // namespace lathe::ui
