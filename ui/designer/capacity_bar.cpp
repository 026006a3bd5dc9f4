#include "designer/capacity_bar.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace lathe::ui {
namespace {

/// Tick labels with the unit appended ("16 GiB").
class UnitTicker : public QCPAxisTicker {
 public:
  QString unit;

 protected:
  QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override {
    return QCPAxisTicker::getTickLabel(tick, locale, formatChar, precision) + QLatin1Char(' ') + unit;
  }
};

QCPBars* makeBars(QCustomPlot* plot, const QColor& color) {
  auto* bars = new QCPBars(plot->yAxis, plot->xAxis);  // horizontal: key on the vertical axis
  bars->setWidth(0.8);
  bars->setPen(Qt::NoPen);
  bars->setBrush(color);
  bars->setAntialiased(false);
  return bars;
}

}  // namespace

std::pair<double, QString> byteUnitFor(double bytes) {
  static const char* names[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double unit = 1;
  int k = 0;
  while (k < 5 && bytes >= unit * 1024) unit *= 1024, ++k;
  return {unit, QLatin1String(names[k])};
}

CapacityBar::CapacityBar(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);
  setFixedHeight(46);
  m_plot->setObjectName(QStringLiteral("capacityPlot"));
  m_plot->setBackground(palette().base());
  m_plot->axisRect()->setAutoMargins(QCP::msBottom);
  m_plot->axisRect()->setMargins(QMargins(6, 2, 10, 0));
  m_plot->yAxis->setVisible(false);
  m_plot->yAxis->setRange(0.5, 1.5);
  QCPAxis* x = m_plot->xAxis;
  x->setTicker(QSharedPointer<QCPAxisTicker>(new UnitTicker));
  x->ticker()->setTickCount(4);
  x->setSubTicks(false);
  x->setBasePen(QPen(QColor(170, 170, 170)));
  x->setTickPen(QPen(QColor(170, 170, 170)));
  x->setTickLabelColor(palette().color(QPalette::Text));
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  x->setTickLabelFont(small);
  x->grid()->setVisible(false);
  m_within = makeBars(m_plot, QColor(37, 99, 235));
  m_free = makeBars(m_plot, QColor(226, 232, 240));
  m_over = makeBars(m_plot, QColor(220, 38, 38));
  m_free->moveAbove(m_within);
  m_over->moveAbove(m_free);
  m_marker = new QCPItemStraightLine(m_plot);
  m_marker->setPen(QPen(QColor(15, 23, 42), 1.5, Qt::DashLine));
  m_marker->setVisible(false);
  setValues(0, 0, 1);
}

void CapacityBar::setValues(double used, double budget, double scale, double marker) {
  m_used = used;
  m_budget = budget;
  const bool unlimited = std::isinf(budget);
  const double cap = unlimited ? used : budget;
  const double span = std::max({unlimited ? scale : budget, used, 1.0});
  const auto [unit, name] = byteUnitFor(span);
  static_cast<UnitTicker*>(m_plot->xAxis->ticker().data())->unit = name;
  m_within->setData({1.0}, {std::min(used, cap) / unit});
  m_free->setData({1.0}, {std::max(0.0, cap - used) / unit});
  m_over->setData({1.0}, {std::max(0.0, used - cap) / unit});
  m_plot->xAxis->setRange(0, span / unit * 1.001);
  m_marker->setVisible(marker > 0 && marker < span);
  m_marker->point1->setCoords(marker / unit, 0);
  m_marker->point2->setCoords(marker / unit, 2);
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace lathe::ui
