#include "designer/lane_widget.h"

#include "designer/capacity_bar.h"
#include "designer/device_map_design.h"
#include "designer/lane_model.h"
#include "models/display_format.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTreeView>
#include <QVBoxLayout>

#include <cmath>

namespace lathe::ui {
namespace {

QString budgetText(double bytes) {
  if (std::isinf(bytes)) return LaneWidget::tr("unlimited");
  return formatBytes(static_cast<quint64>(bytes));
}

}  // namespace

LaneWidget::LaneWidget(DeviceMapDesign* design, std::string device, QWidget* parent)
    : QFrame(parent), m_design(design), m_device(std::move(device)) {
  const QString dev = QString::fromStdString(m_device);
  setObjectName(QStringLiteral("lane_") + dev);
  setFrameShape(QFrame::StyledPanel);
  setMinimumWidth(250);

  m_title = new QLabel(this);
  QFont bold = m_title->font();
  bold.setBold(true);
  bold.setPointSizeF(bold.pointSizeF() * 1.1);
  m_title->setFont(bold);
  m_budget = new QLineEdit(this);
  m_budget->setObjectName(QStringLiteral("budget_") + dev);
  m_budget->setMaximumWidth(110);
  m_budget->setAlignment(Qt::AlignRight);
  m_budget->setToolTip(tr("Budget of this device: 24GiB (2^30 bytes), 10GB (10^9), or plain bytes"));
  connect(m_budget, &QLineEdit::editingFinished, this, &LaneWidget::commitBudget);
  auto* head = new QHBoxLayout;
  head->addWidget(m_title, 1);
  head->addWidget(new QLabel(tr("Budget"), this));
  head->addWidget(m_budget);

  m_summary = new QLabel(this);
  m_summary->setObjectName(QStringLiteral("summary_") + dev);
  m_summary->setWordWrap(true);
  m_summary->setMinimumHeight(2 * m_summary->fontMetrics().lineSpacing());  // lanes align with or without "over"
  m_summary->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  m_bar = new CapacityBar(this);

  m_model = new LaneModel(design, m_device, this);
  m_view = new QTreeView(this);
  m_view->setObjectName(QStringLiteral("laneView_") + dev);
  m_view->setModel(m_model);
  m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
  m_view->setDragDropMode(QAbstractItemView::DragDrop);
  m_view->setDefaultDropAction(Qt::MoveAction);
  m_view->setDropIndicatorShown(false);
  m_view->setAlternatingRowColors(true);
  m_view->setUniformRowHeights(true);
  m_view->setContextMenuPolicy(Qt::CustomContextMenu);
  m_view->header()->setStretchLastSection(false);
  m_view->header()->setSectionResizeMode(LaneModel::NameColumn, QHeaderView::Stretch);
  m_view->header()->setSectionResizeMode(LaneModel::SizeColumn, QHeaderView::ResizeToContents);
  connect(m_view, &QWidget::customContextMenuRequested, this, &LaneWidget::showMenu);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 6, 8, 8);
  layout->setSpacing(4);
  layout->addLayout(head);
  layout->addWidget(m_summary);
  layout->addWidget(m_bar);
  layout->addWidget(m_view, 1);

  connect(m_design, &DeviceMapDesign::changed, this, &LaneWidget::refresh);
  refresh();
}

QStringList LaneWidget::selectedPaths() const {
  QStringList out;
  for (const QModelIndex& i : m_view->selectionModel()->selectedRows(LaneModel::NameColumn))
    out << i.data(LaneModel::PathRole).toString();
  return out;
}

void LaneWidget::refresh() {
  const DesignLane* lane = m_design->lane(m_device);
  if (!lane) return;
  // A colour chip per kind of device: GPU blue, CPU violet, disk slate.
  const char* chip = m_device == "cpu" ? "#7c3aed" : m_device == "disk" ? "#64748b" : "#2563eb";
  m_title->setText(QStringLiteral("<span style='color:%1'>■</span> %2").arg(QLatin1String(chip), deviceLabel(m_device)));
  if (!m_budget->hasFocus()) m_budget->setText(budgetText(lane->budget));
  QString text;
  if (std::isinf(lane->budget)) {
    text = tr("%1 placed · no limit").arg(formatBytes(static_cast<quint64>(lane->used)));
  } else {
    const double share = lane->budget > 0 ? lane->used / lane->budget : (lane->used > 0 ? 1.0 : 0.0);
    text = tr("%1 of %2 · %3")
               .arg(formatBytes(static_cast<quint64>(lane->used)), formatBytes(static_cast<quint64>(lane->budget)),
                    lane->budget > 0 ? formatShare(share) : QStringLiteral("—"));
    if (lane->overflow())
      text += QStringLiteral("<br><b style='color:#b91c1c'>%1</b>")
                  .arg(tr("%1 over budget").arg(formatBytes(static_cast<quint64>(lane->used - lane->budget))));
  }
  m_summary->setText(text);
  // The planner's balanced budget, when balancing lowered it: a dashed marker.
  double marker = 0;
  if (m_design->hasAutoPlan())
    for (const auto& b : m_design->lastPlan().budgets)
      if (b.device == m_device && b.bytes < lane->budget) marker = b.bytes;
  m_bar->setValues(lane->used, lane->budget, std::max(m_design->totalSize(), 1.0), marker);
  m_bar->setToolTip(marker > 0 ? tr("Dashed line: the budget balancing gave this device (%1)")
                                     .arg(formatBytes(static_cast<quint64>(marker)))
                               : QString());
  setStyleSheet(lane->overflow() ? QStringLiteral("QFrame#%1 { border: 1px solid #dc2626; }").arg(objectName())
                                 : QString());
}

void LaneWidget::commitBudget() {
  if (m_design->setBudgetText(m_device, m_budget->text())) {
    m_budget->setStyleSheet({});
    m_budget->setToolTip(tr("Budget of this device: 24GiB (2^30 bytes), 10GB (10^9), or plain bytes"));
  } else {
    m_budget->setStyleSheet(QStringLiteral("QLineEdit { background: #fee2e2; }"));
    m_budget->setToolTip(tr("Not a size: use e.g. 24GiB, 10GB or 500MB"));
  }
}

void LaneWidget::showMenu(const QPoint& pos) {
  const QStringList paths = selectedPaths();
  if (paths.isEmpty()) return;
  QMenu menu(this);
  QMenu* moveTo = menu.addMenu(tr("Move to"));
  for (const auto& lane : m_design->lanes()) {
    if (lane.device == m_device) continue;
    const QString dev = QString::fromStdString(lane.device);
    moveTo->addAction(deviceLabel(lane.device), this, [this, paths, dev] { emit moveRequested(paths, dev); });
  }
  menu.exec(m_view->viewport()->mapToGlobal(pos));
}

}  // namespace lathe::ui
