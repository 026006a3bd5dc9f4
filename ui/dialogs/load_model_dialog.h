// LoadModelDialog (File > Load Model…): choose a local checkpoint and a
// dtype, see the exact memory estimate (summarize_model, from headers alone,
// computed in a job as soon as a path is chosen), then load it through the
// Session with progress and Cancel. Afterwards the loading report (missing,
// unexpected and mismatched keys) is listed.
#pragma once

#include "session/session.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace lathe::ui {

class EngineDocument;
class StringTableModel;
struct JobFailure;

class LoadModelDialog : public QDialog {
  Q_OBJECT

 public:
  explicit LoadModelDialog(EngineDocument* document, QWidget* parent = nullptr);

  /// Sets the source and starts the estimate.
  void setPath(const QString& path);
  QString path() const;
  /// "auto", "float32" or "bfloat16".
  QString dtype() const;
  void setDtype(const QString& dtype);
  lathe::LoadOptions loadOptions() const;

  bool hasEstimate() const { return m_hasEstimate; }
  StringTableModel* reportModel() const { return m_reportModel; }

 public slots:
  void startLoad();
  void cancelLoad();

 signals:
  void estimateReady();

 private:
  void browse();
  void refreshEstimate();
  void showReport();
  void setLoading(bool loading);
  void showFailure(const JobFailure& failure);

  EngineDocument* m_document;
  QLineEdit* m_pathEdit;
  QPushButton* m_browseButton;
  QComboBox* m_dtypeCombo;
  QLabel* m_classLabel;
  QLabel* m_parametersLabel;
  QLabel* m_bytesLabel;
  QLabel* m_statusLabel;
  QProgressBar* m_progress;
  QTableView* m_reportView;
  StringTableModel* m_reportModel;
  QPushButton* m_loadButton;
  QPushButton* m_cancelButton;
  QPushButton* m_closeButton;
  int m_estimateSerial = 0;
  bool m_hasEstimate = false;
  bool m_loading = false;
};

}  // namespace lathe::ui
