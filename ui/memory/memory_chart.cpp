#include "memory/memory_chart.h"

#include "models/display_format.h"

#include <QEvent>
#include <QToolTip>

#include <algorithm>

namespace lathe::ui {

MemoryChart::MemoryChart(QWidget* parent)
    : QCustomPlot(parent), m_params(new QCPBars(xAxis, yAxis)), m_activations(new QCPBars(xAxis, yAxis)) {
  setObjectName(QStringLiteral("memoryChart"));
  m_activations->moveAbove(m_params);
  m_params->setWidth(0.7);
  m_activations->setWidth(0.7);
  m_params->setPen(Qt::NoPen);
  m_activations->setPen(Qt::NoPen);
  m_params->setBrush(QColor(0x3b, 0x82, 0xc4));
  m_activations->setBrush(QColor(0xe0, 0x8a, 0x2c));
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  axisRect()->setRangeDrag(Qt::Horizontal);
  axisRect()->setRangeZoom(Qt::Horizontal);
  legend->setVisible(true);
  axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
  xAxis->setTickLabelRotation(60);
  xAxis->setSubTicks(false);
  xAxis->grid()->setVisible(false);
  setMouseTracking(true);
  setMinimumHeight(100);
  applyPalette();
  retranslate();
}

void MemoryChart::setReport(std::shared_ptr<const lathe::MemoryReport> report, std::vector<int> modules) {
  m_report = std::move(report);
  m_modules = m_report ? std::move(modules) : std::vector<int>{};
  qint64 top = 0;
  for (int i : m_modules) {
    const auto& m = m_report->modules[static_cast<size_t>(i)];
    top = std::max<qint64>(top, m.param_bytes + m.buffer_bytes + m.peak);
  }
  // One binary unit for the whole axis, the largest that keeps the top ≥ 1.
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  m_unit = 1.0;
  while (u < 4 && top >= m_unit * 1024.0) {
    m_unit *= 1024.0;
    ++u;
  }
  m_unitName = QLatin1String(kUnits[u]);

  QVector<double> keys, params, acts;
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (int b = 0; b < barCount(); ++b) {
    const auto& m = m_report->modules[static_cast<size_t>(m_modules[static_cast<size_t>(b)])];
    keys << b + 1;
    params << (m.param_bytes + m.buffer_bytes) / m_unit;
    acts << m.peak / m_unit;
    QString label = QString::fromStdString(m.name);
    if (label.isEmpty()) label = QString::fromStdString(m.type);
    if (label.size() > 28) label = QStringLiteral("…") + label.right(27);
    ticker->addTick(b + 1, label);
  }
  m_params->setData(keys, params, true);
  m_activations->setData(keys, acts, true);
  xAxis->setTicker(ticker);
  retranslate();
  resetZoom();
}

std::pair<qint64, qint64> MemoryChart::barBytes(int bar) const {
  if (bar < 0 || bar >= barCount()) return {0, 0};
  const auto& m = m_report->modules[static_cast<size_t>(m_modules[static_cast<size_t>(bar)])];
  return {m.param_bytes + m.buffer_bytes, m.peak};
}

QString MemoryChart::barToolTip(int bar) const {
  if (bar < 0 || bar >= barCount()) return {};
  const auto& m = m_report->modules[static_cast<size_t>(m_modules[static_cast<size_t>(bar)])];
  const QString name = m.name.empty() ? tr("(model)") : QString::fromStdString(m.name);
  return tr("<b>%1</b> (%2)<br>Parameters: %3<br>Buffers: %4<br>Activation peak: %5<br>"
            "RSS change: %6<br>Calls: %7, time: %8 ms")
      .arg(name.toHtmlEscaped(), QString::fromStdString(m.type).toHtmlEscaped(),
           formatBytes(static_cast<quint64>(m.param_bytes)), formatBytes(static_cast<quint64>(m.buffer_bytes)),
           formatBytes(static_cast<quint64>(m.peak)),
           (m.rss_diff < 0 ? QStringLiteral("−") : QString()) + formatBytes(static_cast<quint64>(std::abs(m.rss_diff))))
      .arg(m.calls)
      .arg(m.time_ms, 0, 'f', 2);
}

void MemoryChart::resetZoom() {
  xAxis->setRange(0.3, std::max(1, barCount()) + 0.7);
  yAxis->rescale();
  const double top = yAxis->range().upper;
  yAxis->setRange(0, top > 0 ? top * 1.1 : 1);
  replot();
}

void MemoryChart::mouseMoveEvent(QMouseEvent* event) {
  QCustomPlot::mouseMoveEvent(event);
  if (!m_report || !axisRect()->rect().contains(event->pos())) {
    QToolTip::hideText();
    return;
  }
  const int bar = qRound(xAxis->pixelToCoord(event->pos().x())) - 1;
  const double y = yAxis->pixelToCoord(event->pos().y());
  const auto [p, a] = barBytes(bar);
  if (bar < 0 || bar >= barCount() || y < 0 || y > (p + a) / m_unit) {
    QToolTip::hideText();
    return;
  }
  QToolTip::showText(event->globalPosition().toPoint(), barToolTip(bar), this);
}

void MemoryChart::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  if (event->type() == QEvent::PaletteChange) applyPalette();
  QCustomPlot::changeEvent(event);
}

void MemoryChart::applyPalette() {
  // Follow the system style (light or dark).
  const QPalette pal = palette();
  setBackground(pal.brush(QPalette::Base));
  legend->setBrush(pal.brush(QPalette::Base));
  legend->setTextColor(pal.color(QPalette::Text));
  legend->setBorderPen(QPen(pal.color(QPalette::Mid)));
  for (QCPAxis* axis : {xAxis, yAxis}) {
    axis->setBasePen(QPen(pal.color(QPalette::Text)));
    axis->setTickPen(QPen(pal.color(QPalette::Text)));
    axis->setSubTickPen(QPen(pal.color(QPalette::Text)));
    axis->setTickLabelColor(pal.color(QPalette::Text));
    axis->setLabelColor(pal.color(QPalette::Text));
    axis->grid()->setPen(QPen(pal.color(QPalette::Mid), 0, Qt::DotLine));
  }
  replot();
}

void MemoryChart::retranslate() {
  m_params->setName(tr("Parameters + buffers"));
  m_activations->setName(tr("Activation peak"));
  yAxis->setLabel(m_unitName.isEmpty() ? tr("Bytes") : tr("Memory (%1)").arg(m_unitName));
  replot();
}

}  // namespace lathe::ui
