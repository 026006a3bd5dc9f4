// EngineDocument: the open model as the GUI sees it.
//
// Lives on the GUI thread. Every engine operation is queued as a job on its
// JobRunner; a job ends by producing plain snapshots, which the document
// adopts and announces with changed() (lessons 4 and 10 of style.md). Views
// and models read the snapshots only, never data a worker is changing.
#pragma once

#include "analysis/param_tree.h"
#include "io/checkpoint.h"

#include <QObject>
#include <QString>

#include <memory>

namespace lathe::ui {

class JobRunner;
struct JobFailure;

/// What a finished load hands to the GUI thread.
struct LoadedModel {
  lathe::CheckpointInfo info;
  lathe::ParamTreeSnapshot tree;
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

 public slots:
  /// Inspects `path` off the GUI thread. A load already running is cancelled.
  void open(const QString& path);
  void close();

 signals:
  void loadStarted(const QString& path);
  void loadFinished(const QString& path);
  void loadFailed(const QString& path, const lathe::ui::JobFailure& failure);
  void loadCancelled(const QString& path);
  /// The loaded model (or its absence) changed; models should reset.
  void changed();

 private:
  void adopt(const QString& path, LoadedModel&& model);

  JobRunner* m_runner;
  QString m_path;
  QString m_loadingPath;
  int m_loadSerial = 0;
  std::shared_ptr<const LoadedModel> m_model;
};

}  // namespace lathe::ui
