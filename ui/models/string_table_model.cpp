#include "models/string_table_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace lathe::ui {

StringTableModel::StringTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void StringTableModel::setHeaders(const QStringList& headers) {
  beginResetModel();
  m_headers = headers;
  endResetModel();
}

void StringTableModel::setRows(QVector<Row> rows) {
  beginResetModel();
  m_rows = std::move(rows);
  endResetModel();
}

QStringList StringTableModel::column(int column) const {
  QStringList out;
  for (const Row& r : m_rows) out << r.cells.value(column);
  return out;
}

int StringTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int StringTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_headers.size());
}

QVariant StringTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Row& row = m_rows[index.row()];
  switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
      return row.cells.value(index.column());
    case Qt::ForegroundRole:
      if (index.column() != 0) return {};
      switch (row.tone) {
        case Tone::Added: return QBrush(QColor(0x2e, 0x7d, 0x32));
        case Tone::Removed: return QBrush(QColor(0xc6, 0x28, 0x28));
        case Tone::Warning: return QBrush(QColor(0xb2, 0x6a, 0x00));
        case Tone::Normal: return {};
      }
      return {};
    case Qt::FontRole:
      if (index.column() == 0 && row.tone != Tone::Normal) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    default:
      return {};
  }
}

QVariant StringTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 &&
      section < m_headers.size())
    return m_headers[section];
  return QAbstractTableModel::headerData(section, orientation, role);
}

}  // namespace lathe::ui
