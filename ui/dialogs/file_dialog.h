// FileDialog: file choosers behind a test hook (KeePassXC's FileDialog).
// setNextFileName() makes the next call return that path without a dialog.
#pragma once

#include <QString>

class QWidget;

namespace lathe::ui {

class FileDialog {
 public:
  /// Asks for a model: a weight file (.safetensors, .bin, index .json) or a
  /// folder holding one. Selecting such a folder and pressing Open opens it.
  /// Returns "" when cancelled.
  static QString getModelPath(QWidget* parent, const QString& startDir);

  /// Asks for a folder to save a model into (it may not exist yet).
  static QString getSaveFolder(QWidget* parent, const QString& startDir);

  // Test hook.
  static void setNextFileName(const QString& path);

  /// True when `dir` holds checkpoint files or a config.json.
  static bool looksLikeModelFolder(const QString& dir);

 private:
  static bool takeNext(QString* path);
};

}  // namespace lathe::ui
