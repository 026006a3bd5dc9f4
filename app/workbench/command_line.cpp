#include "command_line.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstring>

namespace lathe::workbench {

bool wantsScreenshot(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) return false;
    if (std::strcmp(argv[i], "--screenshot") == 0 ||
        std::strncmp(argv[i], "--screenshot=", 13) == 0)
      return true;
  }
  return false;
}

bool parseCommandLine(const QCoreApplication& app, CommandLine* out, QString* error) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QCoreApplication::translate("CommandLine", "Workbench for Hugging Face transformer checkpoints."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption screenshot(
      QStringLiteral("screenshot"),
      QCoreApplication::translate(
          "CommandLine", "Render every main view to <dir>/<view>.png off screen, then exit."),
      QCoreApplication::translate("CommandLine", "dir"));
  parser.addOption(screenshot);
  parser.addPositionalArgument(
      QStringLiteral("model"),
      QCoreApplication::translate("CommandLine", "Checkpoint folder or weight file to open."),
      QStringLiteral("[model]"));
  parser.process(app);  // exits on --help, --version and unknown options

  const QStringList positional = parser.positionalArguments();
  if (positional.size() > 1) {
    *error = QCoreApplication::translate("CommandLine", "Expected at most one model, got %1.")
                 .arg(positional.size());
    return false;
  }
  out->modelPath = positional.value(0);
  out->screenshotDir = parser.value(screenshot);
  if (parser.isSet(screenshot) && out->screenshotDir.isEmpty()) {
    *error = QCoreApplication::translate("CommandLine", "--screenshot needs a directory.");
    return false;
  }
  return true;
}

}  // namespace lathe::workbench
