#include "widgets/prune_heads_panel.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "core/dtype.h"
#include "models/display_format.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

#include <algorithm>

namespace lathe::ui {

PruneHeadsPanel::PruneHeadsPanel(EngineDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_summaryLabel(new QLabel(this)),
      m_gridHost(new QWidget),
      m_grid(new QGridLayout(m_gridHost)),
      m_scroll(new QScrollArea(this)),
      m_deltaLabel(new QLabel(this)),
      m_resultLabel(new QLabel(this)),
      m_clearButton(new QPushButton(tr("Clear"), this)),
      m_applyButton(new QPushButton(tr("&Apply Pruning"), this)),
      m_resizeButton(new QPushButton(tr("Resize &Vocabulary…"), this)),
      m_vocabLabel(new QLabel(this)) {
  m_vocabLabel->setObjectName(QStringLiteral("vocabularyLabel"));
  setObjectName(QStringLiteral("pruneHeadsPanel"));
  m_summaryLabel->setObjectName(QStringLiteral("pruneSummaryLabel"));
  m_summaryLabel->setWordWrap(true);
  m_deltaLabel->setObjectName(QStringLiteral("pruneDeltaLabel"));
  m_deltaLabel->setWordWrap(true);
  m_resultLabel->setObjectName(QStringLiteral("pruneResultLabel"));
  m_resultLabel->setWordWrap(true);
  m_clearButton->setObjectName(QStringLiteral("pruneClearButton"));
  m_applyButton->setObjectName(QStringLiteral("pruneApplyButton"));
  m_resizeButton->setObjectName(QStringLiteral("resizeVocabularyButton"));
  m_gridHost->setObjectName(QStringLiteral("pruneHeadsGrid"));
  m_grid->setHorizontalSpacing(6);
  m_grid->setVerticalSpacing(2);
  m_scroll->setWidget(m_gridHost);
  m_scroll->setWidgetResizable(true);
  m_scroll->setFrameShape(QFrame::StyledPanel);

  auto* headsBox = new QGroupBox(tr("Attention Heads"), this);
  auto* headsLayout = new QVBoxLayout(headsBox);
  headsLayout->addWidget(m_summaryLabel);
  headsLayout->addWidget(m_scroll, 1);
  headsLayout->addWidget(m_deltaLabel);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_clearButton);
  buttons->addStretch(1);
  buttons->addWidget(m_applyButton);
  headsLayout->addLayout(buttons);
  headsLayout->addWidget(m_resultLabel);
  headsLayout->addStretch(1);  // the grid is capped to its size; space goes below

  auto* vocabBox = new QGroupBox(tr("Vocabulary"), this);
  auto* vocabLayout = new QHBoxLayout(vocabBox);
  vocabLayout->addWidget(m_vocabLabel, 1);
  vocabLayout->addWidget(m_resizeButton);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(headsBox, 1);
  layout->addWidget(vocabBox);

  connect(m_clearButton, &QPushButton::clicked, this, &PruneHeadsPanel::clearSelection);
  connect(m_applyButton, &QPushButton::clicked, this, &PruneHeadsPanel::apply);
  connect(m_resizeButton, &QPushButton::clicked, this, &PruneHeadsPanel::resizeVocabularyRequested);
  connect(m_document, &EngineDocument::changed, this, &PruneHeadsPanel::rebuild);
  connect(m_document, &EngineDocument::editFinished, this, [this] {
    const auto model = m_document->model();
    if (!model || m_parametersBefore < 0) return;
    const qint64 after = model->summary.num_parameters;
    m_resultLabel->setText(tr("Parameters: %1 → %2 (−%3)")
                               .arg(formatCount(static_cast<quint64>(m_parametersBefore)),
                                    formatCount(static_cast<quint64>(after)),
                                    formatCount(static_cast<quint64>(std::max<qint64>(0, m_parametersBefore - after)))));
    m_parametersBefore = -1;
  });
  connect(m_document, &EngineDocument::operationFailed, this,
          [this](const QString&, const JobFailure& failure) {
            if (m_parametersBefore < 0) return;
            m_parametersBefore = -1;
            m_resultLabel->setText(failure.cancelled ? tr("Cancelled.")
                                                     : tr("Failed: %1").arg(errorText(failure)));
            updateDelta();
          });
  rebuild();
}

QCheckBox* PruneHeadsPanel::headBox(int layer, int head) const {
  if (layer < 0 || layer >= static_cast<int>(m_boxes.size())) return nullptr;
  const auto& row = m_boxes[static_cast<std::size_t>(layer)];
  if (head < 0 || head >= static_cast<int>(row.size())) return nullptr;
  return row[static_cast<std::size_t>(head)];
}

std::map<int, std::vector<int>> PruneHeadsPanel::selection() const {
  std::map<int, std::vector<int>> heads;
  for (std::size_t l = 0; l < m_boxes.size(); ++l)
    for (std::size_t h = 0; h < m_boxes[l].size(); ++h)
      if (m_boxes[l][h]->isEnabled() && m_boxes[l][h]->isChecked())
        heads[static_cast<int>(l)].push_back(static_cast<int>(h));
  return heads;
}

qint64 PruneHeadsPanel::selectionDelta() const {
  qint64 count = 0;
  for (const auto& [layer, heads] : selection()) count += static_cast<qint64>(heads.size());
  return count * m_headParameters;
}

void PruneHeadsPanel::clearSelection() {
  for (auto& row : m_boxes)
    for (QCheckBox* box : row)
      if (box->isEnabled()) box->setChecked(false);
}

void PruneHeadsPanel::apply() {
  const auto heads = selection();
  if (heads.empty() || !m_document->isLive()) return;
  m_parametersBefore = m_document->model()->summary.num_parameters;
  m_resultLabel->setText(tr("Pruning…"));
  m_applyButton->setEnabled(false);
  m_document->pruneHeads(heads);
}

void PruneHeadsPanel::rebuild() {
  m_boxes.clear();  // the boxes are deleted with the grid's items
  while (QLayoutItem* item = m_grid->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  const auto model = m_document->model();
  const bool live = model && model->live;
  m_resizeButton->setEnabled(live);
  m_vocabLabel->setText(live ? tr("%1 token ids, hidden size %2")
                                   .arg(formatCount(static_cast<quint64>(model->layout.vocab_size)))
                                   .arg(model->layout.hidden_size)
                             : QString());
  m_headParameters = 0;
  m_scroll->hide();
  if (!live) {
    m_summaryLabel->setText(tr("Load a model (File > Load Model…) to prune its attention heads."));
    updateDelta();
    return;
  }
  const lathe::AttentionLayout& l = model->layout;
  if (!l.supports_pruning || l.num_heads <= 0 || l.num_layers <= 0) {
    m_summaryLabel->setText(tr("%1 does not support head pruning (BERT and GPT-2 do).")
                                .arg(QString::fromStdString(model->summary.class_name)));
    updateDelta();
    return;
  }
  const qint64 headDim = l.hidden_size / l.num_heads;
  m_headParameters = 4 * l.hidden_size * headDim + 3 * headDim;
  try {
    m_bytesPerParameter = static_cast<qint64>(lathe::dtype_size(lathe::parse_dtype_name(model->summary.dtype)));
  } catch (...) {
    m_bytesPerParameter = 4;
  }
  int prunedCount = 0;
  for (const auto& [layer, heads] : l.pruned_heads) prunedCount += static_cast<int>(heads.size());
  m_summaryLabel->setText(tr("%1 layers × %2 heads, head size %3: each head holds %4 parameters. "
                             "%5 heads pruned earlier are greyed out.")
                              .arg(l.num_layers)
                              .arg(l.num_heads)
                              .arg(headDim)
                              .arg(formatCount(static_cast<quint64>(m_headParameters)))
                              .arg(prunedCount));
  for (int h = 0; h < l.num_heads; ++h) {
    auto* header = new QLabel(QString::number(h), m_gridHost);
    header->setAlignment(Qt::AlignCenter);
    m_grid->addWidget(header, 0, h + 1);
  }
  for (int layer = 0; layer < l.num_layers; ++layer) {
    m_grid->addWidget(new QLabel(tr("Layer %1").arg(layer), m_gridHost), layer + 1, 0);
    const auto it = l.pruned_heads.find(layer);
    std::vector<QCheckBox*> row;
    for (int h = 0; h < l.num_heads; ++h) {
      auto* box = new QCheckBox(m_gridHost);
      box->setObjectName(QStringLiteral("headBox_%1_%2").arg(layer).arg(h));
      const bool pruned = it != l.pruned_heads.end() &&
                          std::find(it->second.begin(), it->second.end(), h) != it->second.end();
      box->setEnabled(!pruned);
      box->setChecked(pruned);
      box->setToolTip(pruned ? tr("Layer %1, head %2: already pruned").arg(layer).arg(h)
                             : tr("Layer %1, head %2").arg(layer).arg(h));
      connect(box, &QCheckBox::toggled, this, &PruneHeadsPanel::updateDelta);
      m_grid->addWidget(box, layer + 1, h + 1, Qt::AlignCenter);
      row.push_back(box);
    }
    m_boxes.push_back(std::move(row));
  }
  m_grid->setColumnStretch(static_cast<int>(l.num_heads) + 1, 1);
  m_grid->setRowStretch(static_cast<int>(l.num_layers) + 1, 1);
  m_scroll->setMaximumHeight(qMax(80, m_gridHost->sizeHint().height() + 2 * m_scroll->frameWidth() +
                                          m_scroll->horizontalScrollBar()->sizeHint().height()));
  m_scroll->show();
  updateDelta();
}

void PruneHeadsPanel::updateDelta() {
  const auto model = m_document->model();
  const auto heads = selection();
  int count = 0;
  for (const auto& [layer, list] : heads) count += static_cast<int>(list.size());
  const qint64 delta = selectionDelta();
  m_applyButton->setEnabled(count > 0 && m_document->isLive() && m_parametersBefore < 0);
  m_clearButton->setEnabled(count > 0);
  if (!model || !model->live || m_headParameters == 0) {
    m_deltaLabel->clear();
    return;
  }
  const qint64 before = model->summary.num_parameters;
  m_deltaLabel->setText(tr("Selected heads: %1, removing %2 parameters (%3); %4 → %5 parameters.")
                            .arg(count)
                            .arg(formatCount(static_cast<quint64>(delta)),
                                 formatBytes(static_cast<quint64>(delta * m_bytesPerParameter)),
                                 formatCount(static_cast<quint64>(before)),
                                 formatCount(static_cast<quint64>(before - delta))));
}

}  // namespace lathe::ui
