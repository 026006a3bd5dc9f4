// QuantizationPanel (the "Quantization" dock): every quantised layer of the
// loaded model with its kind, packed bytes and the error of its dequantized
// weight against the checkpoint's original (lathe::quantization_errors, run
// as a job whenever the model changes). Double-click (or "Keep in Float") adds
// a module to the skip list and reloads the model quantised without it.
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace lathe::ui {

class EngineDocument;
class QuantizationModel;

class QuantizationPanel : public QWidget {
  Q_OBJECT

 public:
  explicit QuantizationPanel(EngineDocument* document, QWidget* parent = nullptr);

  QuantizationModel* model() const { return m_model; }
  bool isComputing() const { return m_computing; }

 public slots:
  /// Recomputes the per-module errors (a job).
  void refresh();
  /// Reloads the model with `module` added to llm_int8_skip_modules.
  void skipModule(const QString& module);

 signals:
  void refreshed();

 private:
  void showSummary();

  EngineDocument* m_document;
  QuantizationModel* m_model;
  QLabel* m_summary;
  QTableView* m_view;
  QPushButton* m_refreshButton;
  QPushButton* m_skipButton;
  int m_serial = 0;
  bool m_computing = false;
};

}  // namespace lathe::ui
