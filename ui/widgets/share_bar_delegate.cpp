#include "widgets/share_bar_delegate.h"

#include <QPainter>

#include <algorithm>

namespace lathe::ui {

ShareBarDelegate::ShareBarDelegate(int shareRole, QObject* parent)
    : QStyledItemDelegate(parent), m_shareRole(shareRole) {}

void ShareBarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
  // The bar fills the left part of the cell, the right-aligned text the rest,
  // so they never overlap.
  const double share = std::clamp(index.data(m_shareRole).toDouble(), 0.0, 1.0);
  const int textRoom = option.fontMetrics.horizontalAdvance(QStringLiteral("100.0 %")) + 10;
  const QRect track = option.rect.adjusted(4, 4, -textRoom, -4);
  if (share > 0.0 && track.width() > 4) {
    const int width = std::max(1, static_cast<int>(track.width() * share + 0.5));
    QColor bar = option.palette.color(QPalette::Highlight);
    bar.setAlphaF(0.45f);
    painter->save();
    painter->setPen(Qt::NoPen);
    painter->setBrush(bar);
    painter->drawRoundedRect(QRect(track.left(), track.top(), width, track.height()), 2, 2);
    painter->restore();
  }
  QStyledItemDelegate::paint(painter, option, index);
}

}  // namespace lathe::ui
