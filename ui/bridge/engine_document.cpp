#include "bridge/engine_document.h"

#include "bridge/job_runner.h"
#include "hub/model_source.h"
#include "text/auto_tokenizer.h"

#include <QDir>
#include <QFileInfo>

#include <filesystem>

namespace lathe::ui {

EngineDocument::EngineDocument(QObject* parent)
    : QObject(parent), m_runner(new JobRunner(this)), m_session(std::make_shared<lathe::Session>()) {
  qRegisterMetaType<lathe::SaveReport>();
}

LoadedModel snapshotOf(lathe::Session& session, const QString& path) {
  LoadedModel m;
  m.live = true;
  m.info = lathe::session_tensor_info(session);
  m.info.files.dir = QDir::cleanPath(path).toStdString();
  m.tree = lathe::ParamTreeSnapshot::build(m.info);
  m.tree.source_dir = m.info.files.dir;
  m.summary = session.summary();
  m.layout = lathe::session_attention_layout(session);
  return m;
}

void attachTokenizer(LoadedModel& m, const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p(path);
  const std::string dir = std::filesystem::is_directory(p, ec) ? path : p.parent_path().string();
  // A soft problem, like a loader's warnings (style.md §1): the model stays
  // usable with token ids, and the views say why there is no tokenizer.
  auto fail = [&m](lathe::ErrorCode code, const std::string& what, const std::string& context) {
    m.tokenizerError = std::make_shared<const JobFailure>(
        JobFailure{false, code, QString::fromStdString(what), QString::fromStdString(context)});
  };
  try {
    if (lathe::has_tokenizer_files(dir))
      m.tokenizer = std::make_shared<const lathe::Tokenizer>(lathe::load_tokenizer(dir));
  } catch (const lathe::Error& e) {
    fail(e.code(), e.what(), e.context());
  } catch (const std::exception&) {
    fail(lathe::ErrorCode::Internal, lathe::current_exception_line(), dir);
  }
}

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
        attachTokenizer(m, m.info.files.dir.empty() ? enginePath : m.info.files.dir);
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

void EngineDocument::load(const QString& path, const lathe::LoadOptions& opts) {
  if (isLoading()) m_runner->cancelAll();
  m_loadingPath = path;
  const int serial = ++m_loadSerial;
  emit loadStarted(path);
  const std::string enginePath = QDir::cleanPath(path).toStdString();
  runOnSession<LoadedModel>(
      tr("Loading %1").arg(QFileInfo(QDir::cleanPath(path)).fileName()),
      [enginePath, opts, path](lathe::Session& session, lathe::ProgressSink& progress) {
        lathe::check_progress(&progress, "loading", 0, 1);
        // "org/name[@rev]" is fetched into the HF cache first (a local path stays as it is).
        const std::string source = lathe::hub::resolve_model(enginePath, lathe::hub::ModelNeed::Weights, &progress);
        lathe::LoadReport report = session.load(source, opts, &progress);
        LoadedModel m = snapshotOf(session, path);
        m.report = std::move(report);
        attachTokenizer(m, source);
        return m;
      },
      this,
      [this, path, serial](LoadedModel&& m) {
        if (serial != m_loadSerial) return;
        m_loadingPath.clear();
        adopt(path, std::move(m));
      },
      [this, path, serial](const JobFailure& failure) {
        if (serial == m_loadSerial) m_loadingPath.clear();
        if (failure.cancelled) emit loadCancelled(path);
        else emit loadFailed(path, failure);
      });
}

void EngineDocument::estimate(const QString& path, const lathe::LoadOptions& opts, QObject* context,
                              std::function<void(lathe::ModelSummary&&)> onSuccess,
                              std::function<void(const JobFailure&)> onFailure) {
  const std::string enginePath = QDir::cleanPath(path).toStdString();
  m_runner->run<lathe::ModelSummary>(
      tr("Estimating memory"),
      [enginePath, opts](lathe::ProgressSink&) { return lathe::summarize_model(enginePath, opts); },
      context, std::move(onSuccess), std::move(onFailure));
}

void EngineDocument::previewSave(const QString& dir, const lathe::SaveOptions& opts, QObject* context,
                                 std::function<void(lathe::SaveReport&&)> onSuccess,
                                 std::function<void(const JobFailure&)> onFailure) {
  const std::string engineDir = QDir::cleanPath(dir).toStdString();
  runOnSession<lathe::SaveReport>(
      tr("Planning save"),
      [engineDir, opts](lathe::Session& s, lathe::ProgressSink&) { return s.preview_save(engineDir, opts); },
      context, std::move(onSuccess), std::move(onFailure));
}

void EngineDocument::generate(const lathe::GenerateRequest& request, QObject* context,
                              std::function<void(std::vector<std::vector<qint64>>&&)> onSuccess,
                              std::function<void(const JobFailure&)> onFailure) {
  runOnSession<std::vector<std::vector<qint64>>>(
      tr("Generating"),
      [request](lathe::Session& s, lathe::ProgressSink& progress) {
        std::vector<std::vector<qint64>> rows;
        for (const auto& row : s.generate(request, &progress)) rows.emplace_back(row.begin(), row.end());
        return rows;
      },
      context, std::move(onSuccess), std::move(onFailure));
}

void EngineDocument::runEdit(const QString& title, SessionWork<LoadedModel> work) {
  const QString path = m_path;
  const auto report = m_model ? m_model->report : lathe::LoadReport{};
  const auto tokenizer = m_model ? m_model->tokenizer : nullptr;
  const auto tokenizerError = m_model ? m_model->tokenizerError : nullptr;
  runOnSession<LoadedModel>(
      title,
      [work = std::move(work), report, tokenizer, tokenizerError](lathe::Session& s, lathe::ProgressSink& p) {
        LoadedModel m = work(s, p);
        m.report = report;
        m.tokenizer = tokenizer;  // edits keep the tokenizer: it is read once per load
        m.tokenizerError = tokenizerError;
        return m;
      },
      this,
      [this, title, path](LoadedModel&& m) {
        m_model = std::make_shared<const LoadedModel>(std::move(m));
        m_path = path;
        emit changed();
        emit editFinished(title);
      },
      [this, title](const JobFailure& failure) { emit operationFailed(title, failure); });
}

void EngineDocument::pruneHeads(const std::map<int, std::vector<int>>& heads) {
  const QString path = m_path;
  runEdit(tr("Pruning heads"), [heads, path](lathe::Session& s, lathe::ProgressSink&) {
    s.prune_heads(heads);
    return snapshotOf(s, path);
  });
}

void EngineDocument::resizeVocabulary(qint64 newSize, qint64 padToMultipleOf, bool meanResizing,
                                      quint64 seed) {
  const QString path = m_path;
  runEdit(tr("Resizing vocabulary"), [=](lathe::Session& s, lathe::ProgressSink&) {
    s.resize_token_embeddings(newSize, padToMultipleOf > 0 ? std::optional<std::int64_t>(padToMultipleOf)
                                                           : std::nullopt,
                              meanResizing, seed);
    return snapshotOf(s, path);
  });
}

void EngineDocument::save(const QString& dir, const lathe::SaveOptions& opts) {
  struct Saved {
    lathe::SaveReport report;
    LoadedModel model;  // save may cast the dtype
  };
  const QString path = m_path;
  const auto loadReport = m_model ? m_model->report : lathe::LoadReport{};
  const std::string engineDir = QDir::cleanPath(dir).toStdString();
  const QString title = tr("Saving to %1").arg(QFileInfo(QDir::cleanPath(dir)).fileName());
  runOnSession<Saved>(
      title,
      [engineDir, opts, path](lathe::Session& s, lathe::ProgressSink& progress) {
        Saved out;
        out.report = s.save(engineDir, opts, &progress);
        out.model = snapshotOf(s, path);
        return out;
      },
      this,
      [this, dir, path, loadReport](Saved&& saved) {
        saved.model.report = loadReport;
        if (m_model) {
          saved.model.tokenizer = m_model->tokenizer;
          saved.model.tokenizerError = m_model->tokenizerError;
        }
        m_model = std::make_shared<const LoadedModel>(std::move(saved.model));
        m_path = path;
        emit changed();
        emit saveFinished(dir, saved.report);
      },
      [this, title](const JobFailure& failure) { emit operationFailed(title, failure); });
}

void EngineDocument::close() {
  if (isLoading()) m_runner->cancelAll();
  m_loadingPath.clear();
  ++m_loadSerial;
  if (!m_model && m_path.isEmpty()) return;
  if (m_model && m_model->live) {
    // Frees the weights; queued, so it never runs beside another job on the Session.
    auto session = m_session;
    m_runner->run<bool>(tr("Closing model"), [session](lathe::ProgressSink&) {
      session->unload();
      return true;
    }, this, {});
  }
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
