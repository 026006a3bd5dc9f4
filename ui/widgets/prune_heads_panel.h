// PruneHeadsPanel (the Edit dock): a layers × heads grid of check boxes for
// the live model, heads pruned earlier (config.pruned_heads) greyed out, the
// parameter delta of the selection computed from the shapes, and Apply,
// which runs Session::prune_heads in a job. Also opens the vocabulary resize.
#pragma once

#include <QWidget>

#include <map>
#include <vector>

class QCheckBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QScrollArea;

namespace lathe::ui {

class EngineDocument;

class PruneHeadsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit PruneHeadsPanel(EngineDocument* document, QWidget* parent = nullptr);

  /// The box of (layer, head), or null.
  QCheckBox* headBox(int layer, int head) const;
  /// Checked heads, by layer (original numbering).
  std::map<int, std::vector<int>> selection() const;
  /// Parameters removed by pruning the selection (4·hidden·d + 3·d per head).
  qint64 selectionDelta() const;

 public slots:
  void apply();
  void clearSelection();

 signals:
  void resizeVocabularyRequested();

 private:
  void rebuild();
  void updateDelta();

  EngineDocument* m_document;
  QLabel* m_summaryLabel;
  QWidget* m_gridHost;
  QGridLayout* m_grid;
  QScrollArea* m_scroll;
  QLabel* m_deltaLabel;
  QLabel* m_resultLabel;
  QPushButton* m_clearButton;
  QPushButton* m_applyButton;
  QPushButton* m_resizeButton;
  QLabel* m_vocabLabel;
  std::vector<std::vector<QCheckBox*>> m_boxes;
  qint64 m_headParameters = 0;
  qint64 m_bytesPerParameter = 4;
  qint64 m_parametersBefore = -1;
};

}  // namespace lathe::ui
