// Paints a thin proportional bar behind a "share of total" cell, so the big
// modules stand out while scanning the tree.
#pragma once

#include <QStyledItemDelegate>

namespace lathe::ui {

class ShareBarDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  /// `shareRole` holds a double in [0, 1].
  explicit ShareBarDelegate(int shareRole, QObject* parent = nullptr);

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;

 private:
  int m_shareRole;
};

}  // namespace lathe::ui
