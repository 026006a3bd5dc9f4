#include "bridge/engine_document.h"

#include "bridge/job_runner.h"

#include <QDir>
#include <QFileInfo>

namespace lathe::ui {

EngineDocument::EngineDocument(QObject* parent)
    : QObject(parent), m_runner(new JobRunner(this)) {}

EngineDocument::~EngineDocument() = default;

QString EngineDocument::displayName() const {
  if (m_path.isEmpty()) return {};
  const QFileInfo fi(QDir::cleanPath(m_path));
  return fi.fileName().isEmpty() ? fi.absoluteFilePath() : fi.fileName();
}

std::shared_ptr<const lathe::ParamTreeSnapshot> EngineDocument::paramTree() const {
  if (!m_model) return nullptr;
  // Aliasing constructor: shares ownership of the whole LoadedModel.
  return std::shared_ptr<const lathe::ParamTreeSnapshot>(m_model, &m_model->tree);
}

void EngineDocument::open(const QString& path) {
  // A newer request wins: stop the running load, forget queued ones.
  if (isLoading()) m_runner->cancelAll();
  m_loadingPath = path;
  const int serial = ++m_loadSerial;
  emit loadStarted(path);

  const std::string enginePath = QDir::cleanPath(path).toStdString();
  m_runner->run<LoadedModel>(
      tr("Opening %1").arg(QFileInfo(QDir::cleanPath(path)).fileName()),
      [enginePath](lathe::ProgressSink& progress) {
        LoadedModel m;
        lathe::check_progress(&progress, "reading headers", 0, 2);
        m.info = lathe::inspect_checkpoint(enginePath);
        lathe::check_progress(&progress, "building module tree", 1, 2);
        m.tree = lathe::ParamTreeSnapshot::build(m.info);
        lathe::check_progress(&progress, "building module tree", 2, 2);
        return m;
      },
      this,
      [this, path, serial](LoadedModel&& m) {
        if (serial != m_loadSerial) return;  // superseded by a newer open()
        m_loadingPath.clear();
        adopt(path, std::move(m));
      },
      [this, path, serial](const JobFailure& failure) {
        if (serial == m_loadSerial) m_loadingPath.clear();
        if (failure.cancelled) emit loadCancelled(path);
        else emit loadFailed(path, failure);
      });
}

void EngineDocument::close() {
  if (isLoading()) m_runner->cancelAll();
  m_loadingPath.clear();
  ++m_loadSerial;
  if (!m_model && m_path.isEmpty()) return;
  m_model.reset();
  m_path.clear();
  emit changed();
}

void EngineDocument::adopt(const QString& path, LoadedModel&& model) {
  m_model = std::make_shared<const LoadedModel>(std::move(model));
  m_path = path;
  emit changed();
  emit loadFinished(path);
}

}  // namespace lathe::ui
