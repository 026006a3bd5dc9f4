#include "bridge/job_runner.h"

#include <exception>
#include <new>

namespace lathe::ui {

struct JobRunner::Current {
  QString title;
  std::shared_ptr<State> state;
  std::unique_ptr<QtProgressSink> sink;  // deleted on the GUI thread, after the worker
  QFutureWatcher<void> watcher;
  std::function<void()> deliver;  // the job's callbacks, run before the runner's signals
};

JobRunner::JobRunner(QObject* parent) : QObject(parent) {
  qRegisterMetaType<lathe::ui::JobFailure>();
}

JobRunner::~JobRunner() {
  m_queue.clear();
  if (m_current) {
    m_current->state->cancel = true;
    m_current->watcher.disconnect(this);
    m_current->watcher.waitForFinished();
  }
}

QString JobRunner::currentTitle() const {
  return m_current ? m_current->title : QString();
}

void JobRunner::waitForCurrent() {
  if (m_current) m_current->watcher.waitForFinished();
}

void JobRunner::cancel() {
  if (m_current) m_current->state->cancel = true;
}

void JobRunner::cancelAll() {
  m_queue.clear();
  cancel();
}

void JobRunner::runGuarded(State& state, const std::function<void()>& body) {
  auto fail = [&state](lathe::ErrorCode code, const char* what, const std::string& context) {
    state.failed = true;
    state.failure.code = code;
    state.failure.message = QString::fromUtf8(what);
    state.failure.context = QString::fromStdString(context);
  };
  try {
    body();
    // A job that finished its work although asked to stop still succeeded.
  } catch (const lathe::Cancelled&) {
    state.failed = true;
    state.failure.cancelled = true;
  } catch (const lathe::Error& e) {
    fail(e.code(), e.what(), e.context());
  } catch (const std::bad_alloc&) {
    fail(lathe::ErrorCode::OutOfMemory, "out of memory", {});
  } catch (...) {
    // Anything the engine boundary did not translate: one line, no backtrace.
    fail(lathe::ErrorCode::Internal, lathe::current_exception_line().c_str(), {});
  }
}

void JobRunner::enqueue(QString title, Starter start) {
  m_queue.push_back(Pending{std::move(title), std::move(start)});
  if (!m_current) startNext(false);
}

void JobRunner::startNext(bool chained) {
  if (m_current || m_queue.empty()) return;
  Pending next = std::move(m_queue.front());
  m_queue.pop_front();

  auto current = std::make_unique<Current>();
  current->title = next.title;
  current->state = std::make_shared<State>();
  current->sink = std::make_unique<QtProgressSink>(&current->state->cancel);
  connect(current->sink.get(), &QtProgressSink::progressed, this, &JobRunner::progressed,
          Qt::QueuedConnection);
  connect(&current->watcher, &QFutureWatcher<void>::finished, this,
          &JobRunner::onCurrentFinished);
  m_current = std::move(current);
  if (!chained) emit busyChanged(true);
  emit jobStarted(m_current->title);
  m_current->watcher.setFuture(next.start(m_current->state, m_current->sink.get(), m_current->deliver));
}

void JobRunner::onCurrentFinished() {
  if (!m_current) return;
  // The job's callbacks first, while it is still current: a job they queue
  // waits for this one's signals.
  if (auto deliver = std::move(m_current->deliver)) deliver();
  if (!m_current) return;
  std::unique_ptr<Current> done = std::move(m_current);
  const QString title = done->title;
  const State& state = *done->state;
  if (!state.failed) emit jobSucceeded(title);
  else if (state.failure.cancelled) emit jobCancelled(title);
  else emit jobFailed(title, state.failure);
  emit jobFinished(title);
  // The watcher is emitting this very signal: keep it until the next job ends.
  done->watcher.disconnect(this);
  m_retired = std::move(done);

  if (m_queue.empty()) emit busyChanged(false);
  else startNext(true);
}

}  // namespace lathe::ui
