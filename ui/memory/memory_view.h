// MemoryView: runs the per-module memory hooks (a job on the document's
// Session) on typed text — one row per line, tokenized with the model's
// tokenizer and padded as it pads, shown as token chips — or, in ids mode,
// on token ids ("15 42 7; 3 9 1"); then shows the result: the stacked bar
// chart per module at a chosen depth, the footprint by dtype and by module type.
#pragma once

#include "analysis/memory_report.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;
class QTimer;

namespace lathe {
struct TokenBatch;
}

namespace lathe::ui {

class EngineDocument;
class MemoryChart;
class StringTableModel;
class TokenChips;

class MemoryView : public QWidget {
  Q_OBJECT

 public:
  explicit MemoryView(EngineDocument* document, QWidget* parent = nullptr);

  MemoryChart* chart() const { return m_chart; }
  StringTableModel* dtypeModel() const { return m_dtypes; }
  StringTableModel* moduleTypeModel() const { return m_types; }
  std::shared_ptr<const lathe::MemoryReport> report() const { return m_report; }
  /// Ids mode with these ids ("15 42 7; 3 9 1").
  void setTokenIds(const QString& text);
  /// Text mode with this text (one row per line); ids mode stays when the model has no tokenizer.
  void setText(const QString& text);
  void setIdsMode(bool ids);
  bool isIdsMode() const;
  TokenChips* tokenChips() const { return m_chips; }
  /// Why the typed input cannot be measured (empty when it can).
  QString inputProblem() const { return m_problem; }
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
  void inputEdited();
  /// Reads the input as rows of ids (and mask), updates chips and the status line.
  bool analyse(lathe::TokenBatch* batch);
  void idsModeToggled(bool ids);
  void adopt(lathe::MemoryReport&& report);
  void showCharted();
  void updateActions();
  void retranslate();

  EngineDocument* m_document;
  std::shared_ptr<const lathe::MemoryReport> m_report;
  bool m_running = false;

  QLabel* m_idsLabel;
  QLineEdit* m_ids;
  QPlainTextEdit* m_text;
  QCheckBox* m_idsCheck;
  TokenChips* m_chips;
  QLabel* m_inputStatus;
  QTimer* m_chipTimer;
  bool m_wantIds = false;     ///< the user's choice; without a tokenizer ids mode is forced
  bool m_inputStale = false;  ///< typed since the last analysis
  QString m_problem;
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
