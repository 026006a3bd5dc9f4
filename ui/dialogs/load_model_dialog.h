// LoadModelDialog (File > Load Model…): choose a local checkpoint and a
// dtype, quantization and device map, see the exact memory estimate
// (summarize_model; with quantization or a map the sizes transformers plans
// with, from headers alone, computed in a job whenever an option changes),
// then load it through the
// Session with progress and Cancel. Afterwards the loading report (missing,
// unexpected and mismatched keys, and the device map used) is listed.
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

class DeviceMapOptionsBox;
class EngineDocument;
class QuantizationOptionsBox;
class StringTableModel;
struct LoadEstimate;
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
  /// The bytes the estimate shows: the footprint with buffers, or with
  /// quantization the compute_module_sizes total of the quantized tree.
  double estimateBytes() const { return m_estimateBytes; }
  QuantizationOptionsBox* quantizationBox() const { return m_quantBox; }
  DeviceMapOptionsBox* deviceMapBox() const { return m_mapBox; }
  StringTableModel* reportModel() const { return m_reportModel; }

 public slots:
  void startLoad();
  void cancelLoad();

 signals:
  void estimateReady();

 private:
  void browse();
  void refreshEstimate();
  void showEstimate(const LoadEstimate& estimate);
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
  QLabel* m_planLabel;
  QuantizationOptionsBox* m_quantBox;
  DeviceMapOptionsBox* m_mapBox;
  QLabel* m_statusLabel;
  QProgressBar* m_progress;
  QTableView* m_reportView;
  StringTableModel* m_reportModel;
  QPushButton* m_loadButton;
  QPushButton* m_cancelButton;
  QPushButton* m_closeButton;
  int m_estimateSerial = 0;
  bool m_hasEstimate = false;
  double m_estimateBytes = 0;
  bool m_loading = false;
};

}  // namespace lathe::ui
