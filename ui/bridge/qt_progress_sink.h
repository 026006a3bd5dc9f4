// QtProgressSink: the engine's ProgressSink as seen from Qt.
//
// report() runs on the worker thread. It reads the job's atomic cancel flag
// on every call (so cancelling is immediate) but forwards progress as a
// signal only every 50 ms or 1 %, whichever comes first, plus on every new
// stage and at completion. Connect progressed() with Qt::QueuedConnection.
#pragma once

#include "core/progress.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <atomic>
#include <string>

namespace lathe::ui {

class QtProgressSink : public QObject, public lathe::ProgressSink {
  Q_OBJECT

 public:
  static constexpr qint64 kMinIntervalMs = 50;
  static constexpr int kMinPercentStep = 1;

  explicit QtProgressSink(const std::atomic<bool>* cancelFlag, QObject* parent = nullptr);

  bool report(const std::string& stage, std::uint64_t done, std::uint64_t total) override;

 signals:
  void progressed(const QString& stage, qint64 done, qint64 total);

 private:
  const std::atomic<bool>* m_cancel;
  // Worker-thread state only.
  QElapsedTimer m_clock;
  qint64 m_lastEmitMs = -1;
  int m_lastPercent = -1;
  std::string m_lastStage;
};

}  // namespace lathe::ui
