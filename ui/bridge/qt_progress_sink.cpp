#include "bridge/qt_progress_sink.h"

#include <algorithm>

namespace lathe::ui {

QtProgressSink::QtProgressSink(const std::atomic<bool>* cancelFlag, QObject* parent)
    : QObject(parent), m_cancel(cancelFlag) {
  m_clock.start();
}

bool QtProgressSink::report(const std::string& stage, std::uint64_t done, std::uint64_t total) {
  if (m_cancel && m_cancel->load(std::memory_order_relaxed)) return false;

  const qint64 now = m_clock.elapsed();
  const int percent =
      total > 0 ? static_cast<int>(std::min<std::uint64_t>(done, total) * 100 / total) : -1;
  const bool newStage = stage != m_lastStage;
  const bool complete = total > 0 && done >= total;
  const bool stepped = percent >= 0 && percent >= m_lastPercent + kMinPercentStep;
  const bool timed = m_lastEmitMs < 0 || now - m_lastEmitMs >= kMinIntervalMs;
  if (!(newStage || complete || stepped || timed)) return true;

  m_lastStage = stage;
  m_lastEmitMs = now;
  m_lastPercent = percent;
  emit progressed(QString::fromStdString(stage), static_cast<qint64>(done),
                  static_cast<qint64>(total));
  return true;
}

}  // namespace lathe::ui
