#include "dialogs/resize_vocab_dialog.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "core/dtype.h"
#include "models/display_format.h"
#include "models/string_table_model.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace lathe::ui {
namespace {

QString signedCount(qint64 v) {
  return (v < 0 ? QStringLiteral("−") : QStringLiteral("+")) + formatCount(static_cast<quint64>(v < 0 ? -v : v));
}

}  // namespace

ResizeVocabularyDialog::ResizeVocabularyDialog(EngineDocument* document, QWidget* parent)
    : QDialog(parent),
      m_document(document),
      m_sizeSpin(new QSpinBox(this)),
      m_padSpin(new QSpinBox(this)),
      m_meanCheck(new QCheckBox(tr("Initialize new rows with the mean embedding"), this)),
      m_view(new QTableView(this)),
      m_model(new StringTableModel(this)),
      m_statusLabel(new QLabel(this)),
      m_applyButton(new QPushButton(tr("&Apply"), this)),
      m_closeButton(new QPushButton(tr("Close"), this)) {
  setObjectName(QStringLiteral("resizeVocabularyDialog"));
  setWindowTitle(tr("Resize Vocabulary"));
  m_sizeSpin->setObjectName(QStringLiteral("resizeNewSizeSpin"));
  m_sizeSpin->setRange(1, 10'000'000);
  m_sizeSpin->setGroupSeparatorShown(true);
  m_padSpin->setObjectName(QStringLiteral("resizePadSpin"));
  m_padSpin->setRange(0, 4096);
  m_padSpin->setSpecialValueText(tr("no padding"));
  m_meanCheck->setObjectName(QStringLiteral("resizeMeanCheck"));
  m_meanCheck->setChecked(true);
  m_view->setObjectName(QStringLiteral("resizeTable"));
  m_model->setObjectName(QStringLiteral("resizeTableModel"));
  m_model->setHeaders({tr("Quantity"), tr("Before"), tr("After"), tr("Change")});
  m_view->setModel(m_model);
  m_view->verticalHeader()->hide();
  m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  m_view->setSelectionMode(QAbstractItemView::NoSelection);
  m_statusLabel->setObjectName(QStringLiteral("resizeStatusLabel"));
  m_statusLabel->setWordWrap(true);
  m_applyButton->setObjectName(QStringLiteral("resizeApplyButton"));
  m_closeButton->setObjectName(QStringLiteral("resizeCloseButton"));

  auto* form = new QFormLayout;
  form->addRow(tr("&New size:"), m_sizeSpin);
  form->addRow(tr("&Pad to multiple of:"), m_padSpin);
  form->addRow(QString(), m_meanCheck);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_statusLabel, 1);
  buttons->addWidget(m_applyButton);
  buttons->addWidget(m_closeButton);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(m_view, 1);
  layout->addLayout(buttons);
  resize(560, 300);

  if (const auto model = m_document->model(); model && model->live) {
    m_beforeVocab = model->layout.vocab_size;
    m_beforeParams = model->summary.num_parameters;
    m_beforeBytes = model->summary.memory_footprint_with_buffers;
    m_sizeSpin->setValue(static_cast<int>(m_beforeVocab));
  }
  auto changed = [this] {
    m_applied = false;
    refreshTable();
  };
  connect(m_sizeSpin, &QSpinBox::valueChanged, this, changed);
  connect(m_padSpin, &QSpinBox::valueChanged, this, changed);
  connect(m_applyButton, &QPushButton::clicked, this, &ResizeVocabularyDialog::apply);
  connect(m_closeButton, &QPushButton::clicked, this, &QDialog::accept);
  connect(m_document, &EngineDocument::editFinished, this, [this] {
    if (!m_running) return;
    m_running = false;
    m_applied = true;
    m_statusLabel->setText(tr("Resized."));
    refreshTable();
  });
  connect(m_document, &EngineDocument::operationFailed, this,
          [this](const QString&, const JobFailure& failure) {
            if (!m_running) return;
            m_running = false;
            m_statusLabel->setText(failure.cancelled ? tr("Cancelled.")
                                                     : tr("Failed: %1").arg(errorText(failure)));
            refreshTable();
          });
  refreshTable();
}

qint64 ResizeVocabularyDialog::targetVocabulary() const {
  const qint64 n = m_sizeSpin->value();
  const qint64 pad = m_padSpin->value();
  return pad > 0 ? (n + pad - 1) / pad * pad : n;
}

void ResizeVocabularyDialog::apply() {
  if (!m_document->isLive() || m_running) return;
  const auto model = m_document->model();
  m_beforeVocab = model->layout.vocab_size;
  m_beforeParams = model->summary.num_parameters;
  m_beforeBytes = model->summary.memory_footprint_with_buffers;
  m_running = true;
  m_statusLabel->setText(tr("Resizing…"));
  refreshTable();
  m_document->resizeVocabulary(m_sizeSpin->value(), m_padSpin->value(), m_meanCheck->isChecked(), 0);
}

void ResizeVocabularyDialog::refreshTable() {
  const auto model = m_document->model();
  m_applyButton->setEnabled(model && model->live && !m_running);
  if (!model || !model->live) {
    m_model->clear();
    m_statusLabel->setText(tr("Load a model first (File > Load Model…)."));
    return;
  }
  qint64 afterVocab = 0, afterParams = 0, afterBytes = 0;
  if (m_applied) {
    afterVocab = model->layout.vocab_size;
    afterParams = model->summary.num_parameters;
    afterBytes = model->summary.memory_footprint_with_buffers;
  } else {
    // Estimate: every distinct [vocab, hidden] matrix and [vocab] bias grows.
    m_beforeVocab = model->layout.vocab_size;
    m_beforeParams = model->summary.num_parameters;
    m_beforeBytes = model->summary.memory_footprint_with_buffers;
    qint64 perRow = 0, itemSize = 4;
    for (const auto& t : model->tree.tensors) {
      if (t.tied_to >= 0 || t.shape.empty() || t.shape[0] != m_beforeVocab) continue;
      if (t.shape.size() == 2) perRow += t.shape[1];
      else if (t.shape.size() == 1) perRow += 1;
      itemSize = static_cast<qint64>(lathe::dtype_size(t.dtype));
    }
    afterVocab = targetVocabulary();
    afterParams = m_beforeParams + (afterVocab - m_beforeVocab) * perRow;
    afterBytes = m_beforeBytes + (afterVocab - m_beforeVocab) * perRow * itemSize;
  }
  const QString mark = m_applied ? QString() : QStringLiteral("≈ ");
  auto row = [&](const QString& name, qint64 before, qint64 after, bool bytes) {
    auto fmt = [bytes](qint64 v) { return bytes ? formatBytes(static_cast<quint64>(v)) : formatCount(static_cast<quint64>(v)); };
    const qint64 d = after - before;
    const QString change = bytes ? (d < 0 ? QStringLiteral("−") : QStringLiteral("+")) + formatBytes(static_cast<quint64>(d < 0 ? -d : d))
                                 : signedCount(d);
    return StringTableModel::Row{{name, fmt(before), mark + fmt(after), change},
                                 d > 0 ? StringTableModel::Tone::Added
                                       : d < 0 ? StringTableModel::Tone::Removed : StringTableModel::Tone::Normal};
  };
  m_model->setRows({row(tr("Vocabulary"), m_beforeVocab, afterVocab, false),
                    row(tr("Parameters"), m_beforeParams, afterParams, false),
                    row(tr("Memory footprint"), m_beforeBytes, afterBytes, true)});
  if (!m_running && !m_applied) m_statusLabel->setText(tr("“After” is an estimate until applied."));
}

}  // namespace lathe::ui
