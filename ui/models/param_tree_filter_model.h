// ParamTreeFilterModel: filtering and sorting for the parameter tree.
//
// The filter matches the full dotted path, case-insensitively, so "h.0.attn"
// and "attn" both work; '*' and '?' switch to wildcards ("*.bias"). Matching
// nodes keep their ancestors (recursive filtering) and show their whole
// subtree. Sorting uses ParamTreeModel::SortRole, i.e. numbers as numbers.
#pragma once

#include <QRegularExpression>
#include <QSortFilterProxyModel>

namespace lathe::ui {

class ParamTreeFilterModel : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  explicit ParamTreeFilterModel(QObject* parent = nullptr);

  QString filterText() const { return m_filterText; }

 public slots:
  void setFilterText(const QString& text);

 signals:
  void filterTextChanged(const QString& text);

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

 private:
  QString m_filterText;
  QRegularExpression m_wildcard;  ///< valid only when the text has * or ?
};

}  // namespace lathe::ui
