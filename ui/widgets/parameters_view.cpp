#include "widgets/parameters_view.h"

#include "analysis/param_tree.h"
#include "models/param_tree_filter_model.h"
#include "models/param_tree_model.h"
#include "widgets/share_bar_delegate.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace lathe::ui {

ParametersView::ParametersView(QWidget* parent)
    : QWidget(parent),
      m_model(new ParamTreeModel(this)),
      m_proxy(new ParamTreeFilterModel(this)),
      m_filter(new QLineEdit(this)),
      m_matches(new QLabel(this)),
      m_stack(new QStackedWidget(this)),
      m_emptyHint(new QLabel(this)),
      m_tree(new QTreeView(this)),
      m_filterDelay(new QTimer(this)) {
  setObjectName(QStringLiteral("parametersView"));
  m_model->setObjectName(QStringLiteral("paramTreeModel"));
  m_proxy->setObjectName(QStringLiteral("paramTreeFilterModel"));
  m_proxy->setSourceModel(m_model);

  m_filter->setObjectName(QStringLiteral("filterEdit"));
  m_filter->setClearButtonEnabled(true);
  m_matches->setObjectName(QStringLiteral("filterMatchesLabel"));
  m_matches->setVisible(false);

  m_emptyHint->setObjectName(QStringLiteral("emptyHint"));
  m_emptyHint->setAlignment(Qt::AlignCenter);
  m_emptyHint->setWordWrap(true);
  m_emptyHint->setEnabled(false);  // greyed, like a placeholder

  m_tree->setObjectName(QStringLiteral("parameterTree"));
  m_tree->setModel(m_proxy);
  m_tree->setUniformRowHeights(true);  // keeps huge trees fast
  m_tree->setAlternatingRowColors(true);
  m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
  m_tree->setAllColumnsShowFocus(true);
  m_tree->setItemDelegateForColumn(ParamTreeModel::ShareColumn,
                                   new ShareBarDelegate(ParamTreeModel::ShareRole, m_tree));
  m_tree->header()->setSortIndicator(-1, Qt::AscendingOrder);
  m_tree->setSortingEnabled(true);
  m_tree->header()->setSectionsMovable(false);
  m_tree->header()->setStretchLastSection(false);
  m_tree->header()->setSectionResizeMode(ParamTreeModel::NameColumn, QHeaderView::Stretch);
  m_tree->header()->setMinimumSectionSize(fontMetrics().averageCharWidth() * 6);
  m_tree->header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);

  m_stack->setObjectName(QStringLiteral("parametersStack"));
  m_stack->addWidget(m_emptyHint);
  m_stack->addWidget(m_tree);

  auto* filterRow = new QHBoxLayout;
  filterRow->setContentsMargins(0, 0, 0, 0);
  filterRow->addWidget(m_filter, 1);
  filterRow->addWidget(m_matches);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 0);
  layout->setSpacing(6);
  layout->addLayout(filterRow);
  layout->addWidget(m_stack, 1);

  // Large trees filter in tens of milliseconds: wait for a typing pause.
  m_filterDelay->setSingleShot(true);
  m_filterDelay->setInterval(150);
  connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
  connect(m_filterDelay, &QTimer::timeout, this, &ParametersView::applyFilter);

  retranslate();
  setSnapshot(nullptr);
}

void ParametersView::setSnapshot(std::shared_ptr<const lathe::ParamTreeSnapshot> snapshot) {
  const bool empty = !snapshot || snapshot->node(snapshot->root()).children.empty();
  m_model->setSnapshot(std::move(snapshot));
  m_stack->setCurrentWidget(empty ? static_cast<QWidget*>(m_emptyHint) : m_tree);
  m_filter->setEnabled(!empty);
  if (empty) return;
  if (m_proxy->filterText().isEmpty()) expandLevels(1);
  else expandAll();
  applyColumnWidths();
}

void ParametersView::applyFilter() {
  m_filterDelay->stop();
  const QString text = m_filter->text();
  if (text.trimmed() == m_proxy->filterText()) return;
  // Collapse first: a filter change inserts/removes rows under every mapped
  // parent, and QTreeView pays O(visible rows) for each change under an
  // expanded parent — quadratic on a fully expanded 100 000-tensor tree.
  m_tree->setUpdatesEnabled(false);
  m_tree->collapseAll();
  m_proxy->setFilterText(text);
  const bool filtering = !m_proxy->filterText().isEmpty();
  const bool none = filtering && m_proxy->rowCount() == 0;
  m_matches->setVisible(none);
  if (!filtering) expandLevels(1);
  else if (!none) expandAll();
  m_tree->setUpdatesEnabled(true);
}

void ParametersView::expandLevels(int levels) {
  m_tree->collapseAll();
  if (levels > 0) m_tree->expandToDepth(levels - 1);
}

void ParametersView::expandAll() {
  m_tree->expandAll();
}

void ParametersView::collapseAll() {
  m_tree->collapseAll();
}

void ParametersView::applyColumnWidths() {
  const QFontMetrics fm = m_tree->fontMetrics();
  const int pad = 3 * fm.averageCharWidth();
  auto width = [&](std::initializer_list<QString> samples) {
    int w = 0;
    for (const QString& s : samples) w = std::max(w, fm.horizontalAdvance(s));
    return w + pad;
  };
  const auto header = [this](int column) {
    return m_model->headerData(column, Qt::Horizontal).toString();
  };
  QHeaderView* h = m_tree->header();
  h->resizeSection(ParamTreeModel::ShapeColumn,
                   width({QStringLiteral("128256 × 4096"), header(ParamTreeModel::ShapeColumn)}));
  h->resizeSection(ParamTreeModel::DTypeColumn,
                   width({QStringLiteral("BF16"), ParamTreeModel::tr("mixed"), header(ParamTreeModel::DTypeColumn)}));
  h->resizeSection(ParamTreeModel::ParametersColumn,
                   width({QStringLiteral("99,999,999,999"), header(ParamTreeModel::ParametersColumn)}));
  h->resizeSection(ParamTreeModel::BytesColumn,
                   width({QStringLiteral("1,023.99 MiB"), header(ParamTreeModel::BytesColumn)}));
  h->resizeSection(ParamTreeModel::ShareColumn,
                   width({QStringLiteral("100.0 %") + QString(8, QLatin1Char('M')),
                          header(ParamTreeModel::ShareColumn)}));
  // The name column takes the remaining width; the file column fits its names.
  int file = width({header(ParamTreeModel::FileColumn), ParamTreeModel::tr("several files")});
  if (const auto* s = m_model->snapshot())
    for (const std::string& f : s->files)
      file = std::max(file, fm.horizontalAdvance(QString::fromStdString(f)) + pad);
  h->resizeSection(ParamTreeModel::FileColumn, std::min(file, fm.averageCharWidth() * 48));
}

void ParametersView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void ParametersView::retranslate() {
  m_filter->setPlaceholderText(tr("Filter by name, e.g. attn or *.bias"));
  m_filter->setToolTip(
      tr("Shows modules and tensors whose path contains the text; * and ? are wildcards."));
  m_matches->setText(tr("No matches"));
  m_emptyHint->setText(
      tr("No model open.\nOpen a checkpoint folder or file with Ctrl+O, or drop it here."));
}

}  // namespace lathe::ui
