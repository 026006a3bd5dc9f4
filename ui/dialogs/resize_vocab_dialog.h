// ResizeVocabularyDialog (Edit > Resize Vocabulary…): new size, pad to a
// multiple, mean resizing, and a before/after table (vocabulary, parameters,
// footprint): an estimate from the embedding shapes until Apply has run
// resize_token_embeddings in a job, then the measured values.
#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

namespace lathe::ui {

class EngineDocument;
class StringTableModel;

class ResizeVocabularyDialog : public QDialog {
  Q_OBJECT

 public:
  explicit ResizeVocabularyDialog(EngineDocument* document, QWidget* parent = nullptr);

  StringTableModel* tableModel() const { return m_model; }
  /// The vocabulary size Apply will produce (the new size, padded up).
  qint64 targetVocabulary() const;

 public slots:
  void apply();

 private:
  void refreshTable();

  EngineDocument* m_document;
  QSpinBox* m_sizeSpin;
  QSpinBox* m_padSpin;
  QCheckBox* m_meanCheck;
  QTableView* m_view;
  StringTableModel* m_model;
  QLabel* m_statusLabel;
  QPushButton* m_applyButton;
  QPushButton* m_closeButton;
  bool m_applied = false;
  bool m_running = false;
  qint64 m_beforeVocab = 0, m_beforeParams = 0, m_beforeBytes = 0;
};

}  // namespace lathe::ui
