// Command line of the `lathe` workbench:
//   lathe [MODEL]                  open MODEL (a checkpoint folder or file)
//   lathe --screenshot DIR [MODEL] render every main view to DIR/<view>.png and exit
#pragma once

#include <QString>

class QCoreApplication;

namespace lathe::workbench {

struct CommandLine {
  QString modelPath;      ///< "" when none given
  QString screenshotDir;  ///< "" unless --screenshot
  bool screenshot() const { return !screenshotDir.isEmpty(); }
};

/// True when argv asks for screenshots; checked before QApplication exists,
/// so that the offscreen platform can be selected.
bool wantsScreenshot(int argc, char** argv);

/// Parses the application's arguments. Handles --help/--version itself
/// (prints and exits). On a usage error returns false with `error` set.
bool parseCommandLine(const QCoreApplication& app, CommandLine* out, QString* error);

}  // namespace lathe::workbench
