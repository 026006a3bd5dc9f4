// Plain data of the hub browser, built on the worker thread from the Hub's
// JSON answers and handed to the GUI thread (style.md lesson 10). The
// functions here block on HTTP: call them inside JobRunner jobs only.
#pragma once

#include "core/progress.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <vector>

namespace lathe::ui {

/// One search result (a row of GET /api/models).
struct HubModelRow {
  QString id, author, pipelineTag, libraryName;
  QStringList tags;
  qint64 downloads = 0, likes = 0;
  QDateTime lastModified;
  qint64 size = -1;  ///< bytes when the answer says (usedStorage), else -1
};

struct HubSearchRequest {
  QString text, author, task, library, sort;  ///< empty: no filter / the Hub's order
  int limit = 50;
};

struct HubFileRow {
  QString path;
  quint64 size = 0;
  bool lfs = false;
};

/// Everything the model page shows.
struct HubModelPage {
  QString id, revision, sha;
  HubModelRow row;
  QString cardMarkdown;  ///< README.md without its YAML front matter; empty: no card
  std::vector<HubFileRow> files;
  quint64 totalSize = 0;
};

/// GET /api/models with the request's filters (the environment's HubConfig).
std::vector<HubModelRow> searchHubModels(const HubSearchRequest& request);
/// model_info + the file tree + README.md (fetched into the HF cache, as
/// huggingface_hub's ModelCard.load does).
HubModelPage fetchHubModelPage(const QString& repo, const QString& revision,
                               lathe::ProgressSink& progress);
/// Downloads the snapshot into the shared HF cache; returns its folder.
QString downloadHubSnapshot(const QString& repo, const QString& revision,
                            lathe::ProgressSink& progress);

/// Markdown without a leading "---" YAML block (what the Hub renders).
QString stripFrontMatter(const QString& markdown);

}  // namespace lathe::ui
