// MemoryChart: per-module memory of one forward pass as stacked bars
// (parameters + buffers below, activation peak above), with hover tooltips,
// wheel zoom and drag along the module axis. Draws a MemoryReport snapshot.
#pragma once

#include "analysis/memory_report.h"

#include <qcustomplot.h>

#include <memory>
#include <vector>

namespace lathe::ui {

class MemoryChart : public QCustomPlot {
  Q_OBJECT

 public:
  explicit MemoryChart(QWidget* parent = nullptr);

  /// Charts `modules` (indices into report->modules); null clears.
  void setReport(std::shared_ptr<const lathe::MemoryReport> report, std::vector<int> modules);
  int barCount() const { return static_cast<int>(m_modules.size()); }
  /// The tooltip of bar `bar` (0-based), as shown on hover.
  QString barToolTip(int bar) const;
  /// Stacked heights of bar `bar` in bytes: parameters+buffers, activations.
  std::pair<qint64, qint64> barBytes(int bar) const;
  QCPBars* parameterBars() const { return m_params; }
  QCPBars* activationBars() const { return m_activations; }

 public slots:
  void resetZoom();

 protected:
  void changeEvent(QEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;

 private:
  void applyPalette();
  void retranslate();

  std::shared_ptr<const lathe::MemoryReport> m_report;
  std::vector<int> m_modules;
  double m_unit = 1.0;
  QString m_unitName;
  QCPBars* m_params;
  QCPBars* m_activations;
};

}  // namespace lathe::ui
