// LaneWidget: one device lane of the designer — title, editable budget,
// capacity bar, and the tree of modules placed on the device (drag source and
// drop target). Refreshes itself from the DeviceMapDesign's changed().
#pragma once

#include <QFrame>

#include <string>

class QLabel;
class QLineEdit;
class QTreeView;

namespace lathe::ui {

class CapacityBar;
class DeviceMapDesign;
class LaneModel;

class LaneWidget : public QFrame {
  Q_OBJECT

 public:
  LaneWidget(DeviceMapDesign* design, std::string device, QWidget* parent = nullptr);

  const std::string& device() const { return m_device; }
  LaneModel* model() const { return m_model; }
  QTreeView* view() const { return m_view; }
  QLineEdit* budgetEdit() const { return m_budget; }
  CapacityBar* bar() const { return m_bar; }
  /// Paths of the selected rows.
  QStringList selectedPaths() const;

 signals:
  /// "Move to" from the context menu (the designer performs it).
  void moveRequested(const QStringList& paths, const QString& device);

 private:
  void refresh();
  void commitBudget();
  void showMenu(const QPoint& pos);

  DeviceMapDesign* m_design;
  std::string m_device;
  LaneModel* m_model;
  QLabel* m_title;
  QLineEdit* m_budget;
  QLabel* m_summary;
  CapacityBar* m_bar;
  QTreeView* m_view;
};

}  // namespace lathe::ui
