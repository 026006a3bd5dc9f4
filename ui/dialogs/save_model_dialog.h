// SaveModelDialog (File > Save Model…): folder, safetensors or .bin, maximum
// shard size, variant and dtype, with a dry-run table refreshed from
// preview_save (files written, stale shards deleted, tied duplicates
// dropped). Save runs save_pretrained in a job with progress.
#pragma once

#include "session/session.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;

namespace lathe::ui {

class EngineDocument;
class StringTableModel;

class SaveModelDialog : public QDialog {
  Q_OBJECT

 public:
  explicit SaveModelDialog(EngineDocument* document, QWidget* parent = nullptr);

  void setFolder(const QString& dir);
  QString folder() const;
  /// The options as entered; `ok` is false when the shard size does not parse.
  lathe::SaveOptions saveOptions(bool* ok = nullptr) const;
  StringTableModel* previewModel() const { return m_model; }
  bool hasPreview() const { return m_hasPreview; }

 public slots:
  void refreshPreview();
  void save();

 signals:
  void previewReady();
  void saved(const QString& dir);

 private:
  void browse();
  void schedulePreview();
  void updateButtons();

  EngineDocument* m_document;
  QLineEdit* m_folderEdit;
  QPushButton* m_browseButton;
  QComboBox* m_formatCombo;
  QLineEdit* m_shardEdit;
  QLineEdit* m_variantEdit;
  QComboBox* m_dtypeCombo;
  QTableView* m_view;
  StringTableModel* m_model;
  QLabel* m_statusLabel;
  QProgressBar* m_progress;
  QPushButton* m_saveButton;
  QPushButton* m_closeButton;
  QTimer* m_previewTimer;
  int m_previewSerial = 0;
  bool m_hasPreview = false;
  bool m_saving = false;
};

}  // namespace lathe::ui
