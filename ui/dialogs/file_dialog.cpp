#include "dialogs/file_dialog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

#include <optional>

namespace lathe::ui {
namespace {

std::optional<QString> g_nextFileName;

// A file chooser that also accepts a model folder: Open on a selected folder
// (or inside one, with nothing selected) returns the folder instead of
// navigating into it. Needs the non-native (Qt) dialog.
class ModelPathDialog : public QFileDialog {
 public:
  using QFileDialog::QFileDialog;

  QString chosenPath() const { return m_chosen; }

  void accept() override {
    QString path = selectedFiles().value(0);
    if (path.isEmpty()) path = directory().absolutePath();
    const QFileInfo info(path);
    if (info.isDir() && FileDialog::looksLikeModelFolder(path)) {
      m_chosen = info.absoluteFilePath();
      QDialog::accept();
      return;
    }
    QFileDialog::accept();
    if (result() == QDialog::Accepted) m_chosen = selectedFiles().value(0);
  }

 private:
  QString m_chosen;
};

}  // namespace

bool FileDialog::takeNext(QString* path) {
  if (!g_nextFileName) return false;
  *path = *g_nextFileName;
  g_nextFileName.reset();
  return true;
}

void FileDialog::setNextFileName(const QString& path) {
  g_nextFileName = path;
}

bool FileDialog::looksLikeModelFolder(const QString& dir) {
  static const QStringList patterns = {
      QStringLiteral("*.safetensors"), QStringLiteral("*.bin"),
      QStringLiteral("*.index.json"), QStringLiteral("config.json")};
  return !QDir(dir).entryList(patterns, QDir::Files).isEmpty();
}

QString FileDialog::getModelPath(QWidget* parent, const QString& startDir) {
  QString next;
  if (takeNext(&next)) return next;

  ModelPathDialog dialog(parent, QCoreApplication::translate("FileDialog", "Open Model"), startDir);
  dialog.setObjectName(QStringLiteral("modelPathDialog"));
  dialog.setOption(QFileDialog::DontUseNativeDialog, true);
  dialog.setFileMode(QFileDialog::ExistingFile);
  dialog.setAcceptMode(QFileDialog::AcceptOpen);
  dialog.setNameFilters({
      QCoreApplication::translate("FileDialog",
                                  "Checkpoints (*.safetensors *.bin *.index.json)"),
      QCoreApplication::translate("FileDialog", "All files (*)"),
  });
  if (dialog.exec() != QDialog::Accepted) return {};
  return dialog.chosenPath();
}

QString FileDialog::getSaveFolder(QWidget* parent, const QString& startDir) {
  QString next;
  if (takeNext(&next)) return next;
  return QFileDialog::getExistingDirectory(parent, QCoreApplication::translate("FileDialog", "Save Model Into Folder"), startDir);
}

}  // namespace lathe::ui
