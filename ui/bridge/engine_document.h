// EngineDocument: the open model as the GUI sees it.
//
// Lives on the GUI thread. Every engine operation is queued as a job on its
// JobRunner; a job ends by producing plain snapshots, which the document
// adopts and announces with changed() (lessons 4 and 10 of style.md). Views
// and models read the snapshots only, never data a worker is changing.
#pragma once

#include "analysis/param_tree.h"
#include "bridge/job_runner.h"
#include "io/checkpoint.h"
#include "session/session.h"
#include "session/session_snapshot.h"
#include "text/tokenizer.h"

#include <QObject>
#include <QString>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace lathe::ui {

class JobRunner;
struct JobFailure;

/// What a finished load hands to the GUI thread.
struct LoadedModel {
  lathe::CheckpointInfo info;
  lathe::ParamTreeSnapshot tree;
  /// Set when the model was loaded through the Session (File > Load Model):
  /// the snapshot then describes the live model, which edits, saves and
  /// generation work on; otherwise only headers were inspected.
  bool live = false;
  lathe::ModelSummary summary;
  lathe::AttentionLayout layout;
  lathe::LoadReport report;  ///< of the last Session::load
  /// The tokenizer found next to the checkpoint (lathe::load_tokenizer), read by
  /// the open/load job and kept across edits; null when the folder has none or
  /// it cannot be read (then tokenizerError says why).
  std::shared_ptr<const lathe::Tokenizer> tokenizer;
  std::shared_ptr<const JobFailure> tokenizerError;
};

class EngineDocument : public QObject {
  Q_OBJECT

 public:
  explicit EngineDocument(QObject* parent = nullptr);
  ~EngineDocument() override;

  JobRunner* jobRunner() const { return m_runner; }

  bool isLoaded() const { return m_model != nullptr; }
  bool isLoading() const { return !m_loadingPath.isEmpty(); }
  /// The path the user opened (folder or file); empty when nothing is open.
  QString path() const { return m_path; }
  /// A short name for titles: the folder (or file) name.
  QString displayName() const;

  /// Null when nothing is loaded. The pointee never changes: a reload swaps it.
  std::shared_ptr<const LoadedModel> model() const { return m_model; }
  std::shared_ptr<const lathe::ParamTreeSnapshot> paramTree() const;
  /// True when a model is loaded through the Session (editable, savable).
  bool isLive() const { return m_model && m_model->live; }

  template <class T>
  using SessionWork = std::function<T(lathe::Session&, lathe::ProgressSink&)>;
  /// Runs `work` on the document's Session as a job (the only way to reach it).
  template <class T>
  void runOnSession(const QString& title, SessionWork<T> work, QObject* context,
                    std::function<void(T&&)> onSuccess,
                    std::function<void(const JobFailure&)> onFailure = {});

  /// summarize_model() in a job: the exact footprint before loading.
  void estimate(const QString& path, const lathe::LoadOptions& opts, QObject* context,
                std::function<void(lathe::ModelSummary&&)> onSuccess,
                std::function<void(const JobFailure&)> onFailure = {});
  /// preview_save() in a job: what save() would write and delete.
  void previewSave(const QString& dir, const lathe::SaveOptions& opts, QObject* context,
                   std::function<void(lathe::SaveReport&&)> onSuccess,
                   std::function<void(const JobFailure&)> onFailure = {});
  /// generate() in a job; rows are prompt + continuation.
  void generate(const lathe::GenerateRequest& request, QObject* context,
                std::function<void(std::vector<std::vector<qint64>>&&)> onSuccess,
                std::function<void(const JobFailure&)> onFailure = {});

 public slots:
  /// Inspects `path` off the GUI thread. A load already running is cancelled.
  void open(const QString& path);
  void close();
  /// Session::load off the GUI thread (loadStarted/Finished/Failed/Cancelled).
  void load(const QString& path, const lathe::LoadOptions& opts = {});
  /// Edits of the live model; each ends with changed() and editFinished().
  void pruneHeads(const std::map<int, std::vector<int>>& heads);
  void resizeVocabulary(qint64 newSize, qint64 padToMultipleOf, bool meanResizing, quint64 seed);
  /// save() in a job; ends with saveFinished() or operationFailed().
  void save(const QString& dir, const lathe::SaveOptions& opts);

 signals:
  void loadStarted(const QString& path);
  void loadFinished(const QString& path);
  void loadFailed(const QString& path, const lathe::ui::JobFailure& failure);
  void loadCancelled(const QString& path);
  /// The loaded model (or its absence) changed; models should reset.
  void changed();
  void editFinished(const QString& title);
  void saveFinished(const QString& dir, const lathe::SaveReport& report);
  /// An edit or save failed (cancelled ones included, with failure.cancelled).
  void operationFailed(const QString& title, const lathe::ui::JobFailure& failure);

 private:
  void adopt(const QString& path, LoadedModel&& model);
  /// Runs a mutating job whose result is a fresh snapshot of the live model.
  void runEdit(const QString& title, SessionWork<LoadedModel> work);

  JobRunner* m_runner;
  QString m_path;
  QString m_loadingPath;
  int m_loadSerial = 0;
  std::shared_ptr<const LoadedModel> m_model;
  std::shared_ptr<lathe::Session> m_session;  ///< used by jobs only, one at a time
};

/// The snapshot of a Session's model (call inside a job).
LoadedModel snapshotOf(lathe::Session& session, const QString& path);
/// Reads the tokenizer of the model at `path` (folder or weight file) into `m`
/// (call inside a job). Tokenizer errors are soft: recorded, never thrown.
void attachTokenizer(LoadedModel& m, const std::string& path);

template <class T>
void EngineDocument::runOnSession(const QString& title, SessionWork<T> work, QObject* context,
                                  std::function<void(T&&)> onSuccess,
                                  std::function<void(const JobFailure&)> onFailure) {
  auto session = m_session;
  jobRunner()->run<T>(
      title, [session, work = std::move(work)](lathe::ProgressSink& p) { return work(*session, p); },
      context, std::move(onSuccess), std::move(onFailure));
}

}  // namespace lathe::ui
Q_DECLARE_METATYPE(lathe::SaveReport)
