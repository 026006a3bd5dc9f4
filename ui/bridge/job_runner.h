// JobRunner: runs blocking engine calls off the GUI thread, one at a time.
//
// This is the only place in the GUI that catches engine exceptions. A job is
// a function `T work(lathe::ProgressSink&)`; it runs on QtConcurrent's pool
// and its result is delivered on the GUI thread through a QFutureWatcher
// parented to a context object, so the callback dies with its owner
// (KeePassXC's AsyncTask::runThenCallback). The runner keeps its own
// bookkeeping, so a job whose context died still ends properly.
//
//   runner->run<Snapshot>(tr("Opening model"),
//       [path](lathe::ProgressSink& p) { return load(path, p); },
//       this, [this](Snapshot&& s) { adopt(std::move(s)); });
//
// Outcomes: success calls onSuccess; lathe::Error and other exceptions call
// onFailure and emit jobFailed(); lathe::Cancelled calls onFailure with
// failure.cancelled set and emits jobCancelled() — never shown as an error.
#pragma once

#include "bridge/qt_progress_sink.h"
#include "core/error.h"
#include "core/progress.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>

namespace lathe::ui {

/// Why a job did not produce a result. Messages are the engine's (English);
/// user-facing text comes from errorText(code).
struct JobFailure {
  bool cancelled = false;
  lathe::ErrorCode code = lathe::ErrorCode::Internal;
  QString message;  ///< what() of the exception
  QString context;  ///< Error::context(): file, tensor, URL ...
};

class JobRunner : public QObject {
  Q_OBJECT

 public:
  explicit JobRunner(QObject* parent = nullptr);
  /// Cancels the running job, drops queued ones and waits for the worker.
  ~JobRunner() override;

  template <class T>
  using Work = std::function<T(lathe::ProgressSink&)>;

  /// Queues a job; it starts at once when no other job runs.
  template <class T>
  void run(const QString& title, Work<T> work, QObject* context,
           std::function<void(T&&)> onSuccess,
           std::function<void(const JobFailure&)> onFailure = {});

  bool isBusy() const { return m_current != nullptr; }
  QString currentTitle() const;
  int pendingCount() const { return static_cast<int>(m_queue.size()); }
  /// Blocks until the running job (not queued ones) has ended. For tests/shutdown.
  void waitForCurrent();

 public slots:
  /// Asks the running job to stop; it ends with jobCancelled().
  void cancel();
  /// Drops queued jobs and cancels the running one.
  void cancelAll();

 signals:
  void busyChanged(bool busy);
  void jobStarted(const QString& title);
  void progressed(const QString& stage, qint64 done, qint64 total);
  void jobSucceeded(const QString& title);
  void jobFailed(const QString& title, const lathe::ui::JobFailure& failure);
  void jobCancelled(const QString& title);
  /// After any outcome, once the callbacks of jobSucceeded/Failed/Cancelled ran.
  void jobFinished(const QString& title);

 private:
  struct State {
    std::atomic<bool> cancel{false};
    // Written by the worker before its future finishes, read after.
    bool failed = false;
    JobFailure failure;
  };
  /// Starts the work and sets `deliver` to the call that hands its outcome to the
  /// job's callbacks. onCurrentFinished runs it on the GUI thread, before the
  /// runner's own signals: one watcher, so the order is always callbacks first.
  using Starter = std::function<QFuture<void>(const std::shared_ptr<State>&, QtProgressSink*,
                                              std::function<void()>& deliver)>;
  struct Pending {
    QString title;
    Starter start;
  };
  struct Current;

  /// Runs `body`, turning every exception into state.failure.
  static void runGuarded(State& state, const std::function<void()>& body);
  void enqueue(QString title, Starter start);
  void startNext(bool chained);
  void onCurrentFinished();

  std::deque<Pending> m_queue;
  std::unique_ptr<Current> m_current;
  std::unique_ptr<Current> m_retired;  // the last finished job, freed when the next ends
};

template <class T>
void JobRunner::run(const QString& title, Work<T> work, QObject* context,
                    std::function<void(T&&)> onSuccess,
                    std::function<void(const JobFailure&)> onFailure) {
  QPointer<QObject> guard(context);
  enqueue(title, [work = std::move(work), guard, onSuccess = std::move(onSuccess),
                  onFailure = std::move(onFailure)](const std::shared_ptr<State>& state,
                                                    QtProgressSink* sink, std::function<void()>& deliver) {
    // The sink is owned by the runner, which outlives the worker (~JobRunner waits).
    QFuture<std::shared_ptr<T>> future =
        QtConcurrent::run([work, state, sink]() -> std::shared_ptr<T> {
          std::shared_ptr<T> out;
          runGuarded(*state, [&] { out = std::make_shared<T>(work(*sink)); });
          return out;
        });
    deliver = [future, guard, state, onSuccess, onFailure] {
      if (!guard) return;  // the context died with its callbacks
      std::shared_ptr<T> result = future.result();
      if (result) {
        if (onSuccess) onSuccess(std::move(*result));
      } else if (onFailure) {
        onFailure(state->failure);
      }
    };
    return QFuture<void>(future);
  });
}

}  // namespace lathe::ui

Q_DECLARE_METATYPE(lathe::ui::JobFailure)
