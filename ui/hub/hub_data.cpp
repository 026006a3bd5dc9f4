#include "hub/hub_data.h"

#include "core/error.h"
#include "hub/hub_client.h"

#include <QFile>

#include <nlohmann/json.hpp>

namespace lathe::ui {
namespace {

QString qs(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

qint64 qnum(const nlohmann::json& j, const char* key, qint64 fallback = 0) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<qint64>() : fallback;
}

HubModelRow rowOf(const nlohmann::json& j) {
  HubModelRow r;
  r.id = qs(j, "id");
  if (r.id.isEmpty()) r.id = qs(j, "modelId");
  r.author = qs(j, "author");
  if (r.author.isEmpty() && r.id.contains(QLatin1Char('/'))) r.author = r.id.section(QLatin1Char('/'), 0, 0);
  r.pipelineTag = qs(j, "pipeline_tag");
  r.libraryName = qs(j, "library_name");
  if (const auto it = j.find("tags"); it != j.end() && it->is_array())
    for (const auto& t : *it)
      if (t.is_string()) r.tags << QString::fromStdString(t.get<std::string>());
  r.downloads = qnum(j, "downloads");
  r.likes = qnum(j, "likes");
  r.lastModified = QDateTime::fromString(qs(j, "lastModified"), Qt::ISODateWithMs);
  r.size = qnum(j, "usedStorage", -1);
  return r;
}

lathe::hub::HubClient client() {
  return lathe::hub::HubClient(lathe::hub::HubConfig::from_environment());
}

}  // namespace

QString stripFrontMatter(const QString& markdown) {
  QString text = markdown;
  if (text.startsWith(QChar(0xFEFF))) text.remove(0, 1);
  if (!text.startsWith(QLatin1String("---\n")) && !text.startsWith(QLatin1String("---\r\n"))) return text;
  const qsizetype open = text.indexOf(QLatin1Char('\n')) + 1;
  qsizetype pos = open;
  while (pos < text.size()) {
    qsizetype eol = text.indexOf(QLatin1Char('\n'), pos);
    if (eol < 0) eol = text.size();
    const QString line = text.mid(pos, eol - pos).trimmed();
    if (line == QLatin1String("---")) return text.mid(eol + 1).trimmed();
    pos = eol + 1;
  }
  return text;  // no closing fence: not front matter
}

std::vector<HubModelRow> searchHubModels(const HubSearchRequest& request) {
  lathe::hub::SearchQuery q;
  q.search = request.text.trimmed().toStdString();
  q.author = request.author.trimmed().toStdString();
  q.sort = request.sort.toStdString();
  q.limit = request.limit;
  if (!request.task.isEmpty()) q.filters.push_back(request.task.toStdString());
  if (!request.library.isEmpty()) q.filters.push_back(request.library.toStdString());
  std::vector<HubModelRow> rows;
  for (const auto& j : client().list_models(q)) rows.push_back(rowOf(j));
  return rows;
}

HubModelPage fetchHubModelPage(const QString& repo, const QString& revision,
                               lathe::ProgressSink& progress) {
  auto hub = client();
  const std::string id = repo.toStdString(), rev = revision.toStdString();
  HubModelPage page;
  page.id = repo;
  page.revision = revision;
  lathe::check_progress(&progress, "model info", 0, 3);
  const nlohmann::json info = hub.model_info(id, rev);
  page.row = rowOf(info);
  page.sha = qs(info, "sha");
  lathe::check_progress(&progress, "file list", 1, 3);
  bool hasReadme = false;
  for (const auto& e : hub.list_files(id, rev, true)) {
    if (e.type != "file") continue;
    page.files.push_back({QString::fromStdString(e.path), e.size, !e.lfs_sha256.empty()});
    page.totalSize += e.size;
    hasReadme = hasReadme || e.path == "README.md";
  }
  if (page.row.size < 0) page.row.size = static_cast<qint64>(page.totalSize);
  lathe::check_progress(&progress, "model card", 2, 3);
  if (hasReadme) {
    // A pinned commit keeps the card consistent with the file list above.
    const auto result = hub.download(id, page.sha.isEmpty() ? rev : page.sha.toStdString(), {"README.md"});
    QFile file(QString::fromStdString(result.snapshot + "/README.md"));
    if (!file.open(QIODevice::ReadOnly))
      throw lathe::Error(lathe::ErrorCode::Io, "cannot read the downloaded model card", file.fileName().toStdString());
    page.cardMarkdown = stripFrontMatter(QString::fromUtf8(file.readAll()));
  }
  lathe::check_progress(&progress, "model card", 3, 3);
  return page;
}

QString downloadHubSnapshot(const QString& repo, const QString& revision,
                            lathe::ProgressSink& progress) {
  const auto result = client().download(repo.toStdString(), revision.toStdString(), {}, &progress);
  return QString::fromStdString(result.snapshot);
}

}  // namespace lathe::ui
