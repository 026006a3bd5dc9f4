#include "widgets/model_status_bar.h"

#include "bridge/engine_document.h"
#include "models/display_format.h"

#include <QEvent>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

namespace lathe::ui {
namespace {

QLabel* makeField(const char* objectName, QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setObjectName(QLatin1String(objectName));
  label->setContentsMargins(6, 0, 6, 0);
  return label;
}

}  // namespace

ModelStatusBar::ModelStatusBar(QWidget* parent)
    : QStatusBar(parent),
      m_modelType(makeField("statusModelType", this)),
      m_tensors(makeField("statusTensorCount", this)),
      m_parameters(makeField("statusParameters", this)),
      m_bytes(makeField("statusTotalBytes", this)),
      m_progress(new QProgressBar(this)),
      m_cancel(new QToolButton(this)) {
  setObjectName(QStringLiteral("statusBar"));
  m_progress->setObjectName(QStringLiteral("jobProgress"));
  m_progress->setMaximumWidth(260);
  m_progress->setMaximumHeight(fontMetrics().height() + 2);
  m_progress->setTextVisible(true);
  m_cancel->setObjectName(QStringLiteral("cancelJobButton"));
  m_cancel->setAutoRaise(true);
  m_cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
  connect(m_cancel, &QToolButton::clicked, this, &ModelStatusBar::cancelRequested);

  addWidget(m_progress);
  addWidget(m_cancel);
  addPermanentWidget(m_modelType);
  addPermanentWidget(m_tensors);
  addPermanentWidget(m_parameters);
  addPermanentWidget(m_bytes);
  m_progress->hide();
  m_cancel->hide();
  retranslate();
}

void ModelStatusBar::setModel(std::shared_ptr<const LoadedModel> model) {
  m_model = std::move(model);
  refreshModelFields();
}

void ModelStatusBar::refreshModelFields() {
  const bool loaded = m_model != nullptr;
  for (QLabel* l : {m_modelType, m_tensors, m_parameters, m_bytes}) l->setVisible(loaded);
  if (!loaded) return;
  const auto& info = m_model->info;
  if (m_model->live) {
    const auto& sm = m_model->summary;
    m_modelType->setText(QString::fromStdString(sm.class_name));
    m_modelType->setToolTip(tr("Loaded model class; model type %1")
                                .arg(QString::fromStdString(sm.model_type)));
    m_tensors->setText(QString::fromStdString(sm.dtype));
    m_parameters->setText(tr("%1 parameters").arg(formatCount(static_cast<quint64>(sm.num_parameters))));
    const auto footprint = static_cast<quint64>(sm.memory_footprint_with_buffers);
    m_bytes->setText(formatBytes(footprint));
    m_bytes->setToolTip(tr("Memory footprint: %1 bytes, buffers included").arg(formatCount(footprint)));
    return;
  }
  const QString type = info.model_type.empty() ? tr("unknown model type")
                                               : QString::fromStdString(info.model_type);
  m_modelType->setText(type);
  m_modelType->setToolTip(
      info.architectures.empty()
          ? tr("Model type from config.json")
          : tr("Model type from config.json; architecture: %1")
                .arg(QString::fromStdString(info.architectures.front())));
  const auto count = static_cast<quint64>(info.tensors.size());
  m_tensors->setText(count == 1 ? tr("1 tensor") : tr("%1 tensors").arg(formatCount(count)));
  m_parameters->setText(tr("%1 parameters").arg(formatCount(info.total_elements)));
  m_bytes->setText(formatBytes(info.total_bytes));
  m_bytes->setToolTip(tr("%1 bytes of tensor data").arg(formatCount(info.total_bytes)));
}

void ModelStatusBar::jobStarted(const QString& title) {
  showMessage(title + QStringLiteral("…"));
  m_progress->setRange(0, 0);  // busy until the first report
  m_progress->show();
  m_cancel->show();
}

void ModelStatusBar::jobProgressed(const QString& stage, qint64 done, qint64 total) {
  if (total > 0) {
    m_progress->setRange(0, 1000);
    m_progress->setValue(static_cast<int>(qMin(done, total) * 1000 / total));
    // Engine stages count bytes unless they are small step counts ("2 of 3").
    m_progress->setFormat(total >= 4096 ? tr("%1 of %2").arg(formatBytes(static_cast<quint64>(done)),
                                                              formatBytes(static_cast<quint64>(total)))
                                        : QStringLiteral("%p%"));
  } else {
    m_progress->setRange(0, 0);
  }
  m_progress->setToolTip(stage);
}

void ModelStatusBar::jobEnded() {
  clearMessage();
  m_progress->hide();
  m_cancel->hide();
}

void ModelStatusBar::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QStatusBar::changeEvent(event);
}

void ModelStatusBar::retranslate() {
  m_cancel->setToolTip(tr("Cancel the running operation"));
  refreshModelFields();
}

}  // namespace lathe::ui
