#include "models/param_tree_filter_model.h"

#include "models/param_tree_model.h"

#include <QRegularExpression>

namespace lathe::ui {

ParamTreeFilterModel::ParamTreeFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
  setRecursiveFilteringEnabled(true);
  setAutoAcceptChildRows(true);
  setFilterRole(ParamTreeModel::PathRole);
  setFilterKeyColumn(ParamTreeModel::NameColumn);
  setFilterCaseSensitivity(Qt::CaseInsensitive);
  setSortRole(ParamTreeModel::SortRole);
}

void ParamTreeFilterModel::setFilterText(const QString& text) {
  const QString trimmed = text.trimmed();
  if (trimmed == m_filterText) return;
  m_filterText = trimmed;
  if (trimmed.contains(QLatin1Char('*')) || trimmed.contains(QLatin1Char('?'))) {
    setFilterRegularExpression(QRegularExpression::fromWildcard(
        trimmed, Qt::CaseInsensitive, QRegularExpression::UnanchoredWildcardConversion));
  } else {
    setFilterFixedString(trimmed);
  }
  emit filterTextChanged(m_filterText);
}

bool ParamTreeFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  const QVariant l = left.data(ParamTreeModel::SortRole);
  const QVariant r = right.data(ParamTreeModel::SortRole);
  if (l.typeId() == QMetaType::QString && r.typeId() == QMetaType::QString)
    return QString::localeAwareCompare(l.toString(), r.toString()) < 0;
  return QVariant::compare(l, r) == QPartialOrdering::Less;
}

}  // namespace lathe::ui
