#include "hub/hub_search_model.h"

#include "models/display_format.h"

#include <QLocale>

namespace lathe::ui {

HubSearchModel::HubSearchModel(QObject* parent) : QAbstractTableModel(parent) {}

void HubSearchModel::setRows(std::vector<HubModelRow> rows) {
  beginResetModel();
  m_rows = std::move(rows);
  endResetModel();
}

QString HubSearchModel::repoId(int row) const {
  return row >= 0 && row < static_cast<int>(m_rows.size()) ? m_rows[static_cast<size_t>(row)].id : QString();
}

int HubSearchModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int HubSearchModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant HubSearchModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const HubModelRow& r = m_rows[static_cast<size_t>(index.row())];
  if (role == RepoIdRole) return r.id;
  if (role == Qt::TextAlignmentRole) {
    const bool numeric = index.column() == DownloadsColumn || index.column() == LikesColumn ||
                         index.column() == SizeColumn;
    return QVariant::fromValue(numeric ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
  }
  if (role == Qt::ToolTipRole && index.column() == ModelColumn) return r.tags.join(QStringLiteral(", "));
  if (role == SortRole) {
    switch (index.column()) {
      case DownloadsColumn: return r.downloads;
      case LikesColumn: return r.likes;
      case UpdatedColumn: return r.lastModified;
      case SizeColumn: return r.size;
      default: break;
    }
    role = Qt::DisplayRole;
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case ModelColumn: return r.id;
    case TaskColumn: return r.pipelineTag;
    case LibraryColumn: return r.libraryName;
    case DownloadsColumn: return formatCount(static_cast<quint64>(r.downloads));
    case LikesColumn: return formatCount(static_cast<quint64>(r.likes));
    case UpdatedColumn:
      return r.lastModified.isValid() ? QLocale().toString(r.lastModified.toLocalTime().date(), QLocale::ShortFormat)
                                      : QString();
    case SizeColumn: return r.size >= 0 ? formatBytes(static_cast<quint64>(r.size)) : QString();
    default: return {};
  }
}

QVariant HubSearchModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case ModelColumn: return tr("Model");
    case TaskColumn: return tr("Task");
    case LibraryColumn: return tr("Library");
    case DownloadsColumn: return tr("Downloads");
    case LikesColumn: return tr("Likes");
    case UpdatedColumn: return tr("Updated");
    case SizeColumn: return tr("Size");
    default: return {};
  }
}

}  // namespace lathe::ui
