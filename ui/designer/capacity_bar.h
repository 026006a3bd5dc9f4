// CapacityBar: one horizontal QCustomPlot bar, used vs budget of a device.
// Used within the budget is blue, the part over it red, the room left grey;
// an unlimited budget (disk) shows only what is placed, scaled to `scale`.
#pragma once

#include <QWidget>

class QCustomPlot;
class QCPBars;
class QCPItemStraightLine;

namespace lathe::ui {

class CapacityBar : public QWidget {
  Q_OBJECT

 public:
  explicit CapacityBar(QWidget* parent = nullptr);

  /// budget may be infinity; `scale` is the axis length then (e.g. the model's size).
  /// `marker` > 0 draws a dashed line there (the planner's balanced budget).
  void setValues(double used, double budget, double scale, double marker = 0);
  double used() const { return m_used; }
  double budget() const { return m_budget; }
  QCustomPlot* plot() const { return m_plot; }

 private:
  QCustomPlot* m_plot;
  QCPBars* m_within;
  QCPBars* m_free;
  QCPBars* m_over;
  QCPItemStraightLine* m_marker;
  double m_used = 0, m_budget = 0;
};

/// The binary unit (1, 1024, 1024², …) and its name that shows `bytes` below 1024 units.
std::pair<double, QString> byteUnitFor(double bytes);

}  // namespace lathe::ui
