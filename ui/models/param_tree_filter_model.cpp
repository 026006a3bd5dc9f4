#include "models/param_tree_filter_model.h"

#include "models/param_tree_model.h"

namespace lathe::ui {

ParamTreeFilterModel::ParamTreeFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
  setRecursiveFilteringEnabled(true);
  setAutoAcceptChildRows(true);
  setSortRole(ParamTreeModel::SortRole);
}

void ParamTreeFilterModel::setFilterText(const QString& text) {
  const QString trimmed = text.trimmed();
  if (trimmed == m_filterText) return;
  m_filterText = trimmed;
  m_wildcard = QRegularExpression();
  if (trimmed.contains(QLatin1Char('*')) || trimmed.contains(QLatin1Char('?')))
    m_wildcard = QRegularExpression::fromWildcard(trimmed, Qt::CaseInsensitive,
                                                  QRegularExpression::UnanchoredWildcardConversion);
  // A full re-map, not invalidateFilter(): the incremental path inserts and
  // removes rows parent by parent, which is quadratic on layer lists with
  // thousands of children (10 000 layers: minutes instead of a second).
  invalidate();
  emit filterTextChanged(m_filterText);
}

bool ParamTreeFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  if (m_filterText.isEmpty()) return true;
  const QString path =
      sourceModel()->index(sourceRow, 0, sourceParent).data(ParamTreeModel::PathRole).toString();
  if (m_wildcard.isValid() && !m_wildcard.pattern().isEmpty())
    return m_wildcard.match(path).hasMatch();
  return path.contains(m_filterText, Qt::CaseInsensitive);
}

bool ParamTreeFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  const QVariant l = left.data(ParamTreeModel::SortRole);
  const QVariant r = right.data(ParamTreeModel::SortRole);
  if (l.typeId() == QMetaType::QString && r.typeId() == QMetaType::QString)
    return QString::localeAwareCompare(l.toString(), r.toString()) < 0;
  return QVariant::compare(l, r) == QPartialOrdering::Less;
}

}  // namespace lathe::ui
