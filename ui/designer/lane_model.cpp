#include "designer/lane_model.h"

#include "designer/device_map_design.h"
#include "models/display_format.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QMetaObject>
#include <QMimeData>

namespace lathe::ui {

LaneModel::LaneModel(DeviceMapDesign* design, std::string device, QObject* parent)
    : QAbstractItemModel(parent), m_design(design), m_device(std::move(device)) {
  reload();
  connect(m_design, &DeviceMapDesign::changed, this, [this] {
    beginResetModel();
    reload();
    endResetModel();
  });
}

void LaneModel::reload() {
  m_entries = m_design->entriesOn(m_device);
  m_entryRow.clear();
  m_parent.clear();
  m_childRow.clear();
  const auto* tree = m_design->tree();
  if (!tree) return;
  m_parent.assign(tree->modules.size(), -1);
  m_childRow.assign(tree->modules.size(), 0);
  for (std::size_t i = 0; i < tree->modules.size(); ++i) {
    const auto& ch = tree->modules[i].children;
    for (std::size_t r = 0; r < ch.size(); ++r) {
      m_parent[static_cast<std::size_t>(ch[r])] = static_cast<int>(i);
      m_childRow[static_cast<std::size_t>(ch[r])] = static_cast<int>(r);
    }
  }
  for (std::size_t r = 0; r < m_entries.size(); ++r) {
    auto it = tree->index.find(m_entries[r]);
    if (it != tree->index.end()) m_entryRow[it->second] = static_cast<int>(r);
  }
}

int LaneModel::moduleCount() const { return static_cast<int>(m_parent.size()); }

void LaneModel::setShowDiff(bool on) {
  if (on == m_showDiff) return;
  m_showDiff = on;
  beginResetModel();
  endResetModel();
}

QModelIndex LaneModel::indexOfEntry(const QString& path) const {
  for (std::size_t r = 0; r < m_entries.size(); ++r)
    if (m_entries[r] == path.toStdString()) return index(static_cast<int>(r), 0);
  return {};
}

std::string LaneModel::pathOf(const QModelIndex& index) const {
  const auto id = static_cast<int>(index.internalId());
  if (id >= moduleCount()) return m_entries[static_cast<std::size_t>(id - moduleCount())];
  return m_design->tree()->modules[static_cast<std::size_t>(id)].name;
}

QModelIndex LaneModel::index(int row, int column, const QModelIndex& parent) const {
  if (!hasIndex(row, column, parent)) return {};
  if (!parent.isValid()) {
    const auto* tree = m_design->tree();
    auto it = tree->index.find(m_entries[static_cast<std::size_t>(row)]);
    const int id = it != tree->index.end() ? it->second : moduleCount() + row;
    return createIndex(row, column, static_cast<quintptr>(id));
  }
  const int pid = static_cast<int>(parent.internalId());
  const int child = m_design->tree()->modules[static_cast<std::size_t>(pid)].children[static_cast<std::size_t>(row)];
  return createIndex(row, column, static_cast<quintptr>(child));
}

QModelIndex LaneModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  const int id = static_cast<int>(child.internalId());
  if (id >= moduleCount() || m_entryRow.count(id)) return {};
  const int p = m_parent[static_cast<std::size_t>(id)];
  if (p < 0) return {};
  auto top = m_entryRow.find(p);
  return createIndex(top != m_entryRow.end() ? top->second : m_childRow[static_cast<std::size_t>(p)], 0,
                     static_cast<quintptr>(p));
}

int LaneModel::rowCount(const QModelIndex& parent) const {
  if (!m_design->tree()) return 0;
  if (!parent.isValid()) return static_cast<int>(m_entries.size());
  if (parent.column() != 0) return 0;
  const int id = static_cast<int>(parent.internalId());
  if (id >= moduleCount()) return 0;
  return static_cast<int>(m_design->tree()->modules[static_cast<std::size_t>(id)].children.size());
}

int LaneModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant LaneModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const std::string path = pathOf(index);
  const QString qpath = QString::fromStdString(path);
  const double bytes = m_design->sizes().get(path);
  const bool top = !index.parent().isValid();
  switch (role) {
    case Qt::DisplayRole:
      if (index.column() == SizeColumn) return formatBytes(static_cast<quint64>(bytes));
      if (path.empty()) return tr("(whole model)");
      return top ? qpath : qpath.section(QLatin1Char('.'), -1);
    case Qt::ToolTipRole: {
      QString tip = path.empty() ? tr("The whole model") : qpath;
      const auto* tree = m_design->tree();
      auto it = tree->index.find(path);
      if (it != tree->index.end()) tip += QStringLiteral("\n") + QString::fromStdString(tree->modules[it->second].cls);
      tip += QStringLiteral("\n") + formatBytes(static_cast<quint64>(bytes));
      QStringList partners;
      for (const auto& p : m_design->tiePartners(path)) partners << QString::fromStdString(p);
      if (!partners.isEmpty()) tip += QStringLiteral("\n") + tr("Tied: moves with %1").arg(partners.join(QStringLiteral(", ")));
      if (m_design->differsFromAuto(path)) tip += QStringLiteral("\n") + tr("Differs from the auto plan");
      return tip;
    }
    case Qt::TextAlignmentRole:
      return index.column() == SizeColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::FontRole: {
      QFont f;
      if (m_showDiff && m_design->differsFromAuto(path)) f.setBold(true);
      if (index.column() == NameColumn && m_design->isTied(path)) f.setItalic(true);
      return f;
    }
    case Qt::BackgroundRole:
      if (m_showDiff && m_design->differsFromAuto(path)) return QBrush(QColor(255, 236, 179));
      return {};
    case Qt::ForegroundRole:
      if (m_showDiff && m_design->differsFromAuto(path)) return QBrush(QColor(120, 53, 15));
      if (bytes == 0) return QBrush(QColor(140, 140, 140));
      return {};
    case PathRole: return qpath;
    case BytesRole: return bytes;
    case DiffRole: return m_design->differsFromAuto(path);
    case TiedRole: return m_design->isTied(path);
    default: return {};
  }
}

QVariant LaneModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  return section == NameColumn ? tr("Module") : tr("Size");
}

Qt::ItemFlags LaneModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::ItemIsDropEnabled;
  return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemIsDropEnabled;
}

QStringList LaneModel::mimeTypes() const { return {QLatin1String(kMimeType)}; }

QMimeData* LaneModel::mimeData(const QModelIndexList& indexes) const {
  QStringList paths;
  for (const QModelIndex& i : indexes) {
    const QString p = i.data(PathRole).toString();
    if (i.isValid() && !paths.contains(p)) paths << p;
  }
  auto* data = new QMimeData;
  data->setData(QLatin1String(kMimeType), paths.join(QLatin1Char('\n')).toUtf8());
  return data;
}

QStringList LaneModel::pathsOf(const QMimeData* data) {
  if (!data || !data->hasFormat(QLatin1String(kMimeType))) return {};
  const QString text = QString::fromUtf8(data->data(QLatin1String(kMimeType)));
  // "" is the whole model: a drag of it carries one empty line.
  return text.split(QLatin1Char('\n'));
}

bool LaneModel::canDropMimeData(const QMimeData* data, Qt::DropAction, int, int, const QModelIndex&) const {
  return data && data->hasFormat(QLatin1String(kMimeType));
}

bool LaneModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                             const QModelIndex& parent) {
  if (!canDropMimeData(data, action, row, column, parent)) return false;
  const QStringList paths = pathsOf(data);
  // Queued: the dropping view must not see its model reset inside its own drop event.
  QMetaObject::invokeMethod(
      m_design, [design = m_design, paths, device = m_device] { design->move(paths, device); }, Qt::QueuedConnection);
  return true;
}

Qt::DropActions LaneModel::supportedDropActions() const { return Qt::MoveAction | Qt::CopyAction; }
Qt::DropActions LaneModel::supportedDragActions() const { return Qt::MoveAction; }

}  // namespace lathe::ui
