// MemoryView: runs the per-module memory hooks on typed token ids (a job on
// the document's Session) and shows the result: the stacked bar chart per
// module at a chosen depth, the footprint by dtype and by module type.
#pragma once

#include "analysis/memory_report.h"

#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace lathe::ui {

class EngineDocument;
class MemoryChart;
class StringTableModel;

class MemoryView : public QWidget {
  Q_OBJECT

 public:
  explicit MemoryView(EngineDocument* document, QWidget* parent = nullptr);

  MemoryChart* chart() const { return m_chart; }
  StringTableModel* dtypeModel() const { return m_dtypes; }
  StringTableModel* moduleTypeModel() const { return m_types; }
  std::shared_ptr<const lathe::MemoryReport> report() const { return m_report; }
  void setTokenIds(const QString& text);
  bool isRunning() const { return m_running; }

 public slots:
  /// Session::memory on the typed ids (a job); ends with reportReady().
  void run();
  void setDepth(int depth);

 signals:
  void reportReady();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void documentChanged();
  void adopt(lathe::MemoryReport&& report);
  void showCharted();
  void updateActions();
  void retranslate();

  EngineDocument* m_document;
  std::shared_ptr<const lathe::MemoryReport> m_report;
  bool m_running = false;

  QLabel* m_idsLabel;
  QLineEdit* m_ids;
  QLabel* m_depthLabel;
  QSpinBox* m_depth;
  QPushButton* m_run;
  QPushButton* m_resetZoom;
  QLabel* m_summary;
  MemoryChart* m_chart;
  QLabel* m_dtypeTitle;
  QLabel* m_typeTitle;
  QTableView* m_dtypeView;
  QTableView* m_typeView;
  StringTableModel* m_dtypes;
  StringTableModel* m_types;
};

}  // namespace lathe::ui
