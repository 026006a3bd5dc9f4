// ParametersView: the "Parameters" page of the main window — a filter box
// above the module/tensor tree, or a hint while nothing is open.
#pragma once

#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QStackedWidget;
class QTimer;
class QTreeView;

namespace lathe {
class ParamTreeSnapshot;
}

namespace lathe::ui {

class ParamTreeFilterModel;
class ParamTreeModel;

class ParametersView : public QWidget {
  Q_OBJECT

 public:
  explicit ParametersView(QWidget* parent = nullptr);

  /// Shows a snapshot (null: the empty hint) and expands the top level.
  void setSnapshot(std::shared_ptr<const lathe::ParamTreeSnapshot> snapshot);

  QTreeView* treeView() const { return m_tree; }
  QLineEdit* filterEdit() const { return m_filter; }
  ParamTreeModel* treeModel() const { return m_model; }
  ParamTreeFilterModel* filterModel() const { return m_proxy; }

 public slots:
  /// Expands `levels` levels below the top (0 collapses everything).
  void expandLevels(int levels);
  void expandAll();
  void collapseAll();
  /// Applies the filter box text now instead of after the typing pause.
  void applyFilter();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void applyColumnWidths();

  ParamTreeModel* m_model;
  ParamTreeFilterModel* m_proxy;
  QLineEdit* m_filter;
  QLabel* m_matches;
  QStackedWidget* m_stack;
  QLabel* m_emptyHint;
  QTreeView* m_tree;
  QTimer* m_filterDelay;
};

}  // namespace lathe::ui
