#include "widgets/quantization_panel.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "models/quantization_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace lathe::ui {
namespace {

// bitsandbytes state-dict entries (8-bit SCB, 4-bit absmax) mark a quantised model in the
// snapshot: float models need no job (and leave the job runner alone).
bool hasQuantState(const EngineDocument& document) {
  const auto model = document.model();
  if (!model) return false;
  for (const auto& t : model->info.tensors) {
    const std::string& n = t.name;
    if (n.size() > 4 && (n.compare(n.size() - 4, 4, ".SCB") == 0 || n.find(".weight.absmax") != std::string::npos))
      return true;
  }
  return false;
}

}  // namespace


QuantizationPanel::QuantizationPanel(EngineDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_model(new QuantizationModel(this)),
      m_summary(new QLabel(this)),
      m_view(new QTableView(this)),
      m_refreshButton(new QPushButton(tr("&Recompute Errors"), this)),
      m_skipButton(new QPushButton(tr("&Keep Selected in Float"), this)) {
  setObjectName(QStringLiteral("quantizationPanel"));
  m_model->setObjectName(QStringLiteral("quantizationModel"));
  m_summary->setObjectName(QStringLiteral("quantSummaryLabel"));
  m_summary->setWordWrap(true);
  m_view->setObjectName(QStringLiteral("quantTableView"));
  m_view->setModel(m_model);
  m_view->verticalHeader()->hide();
  m_view->horizontalHeader()->setStretchLastSection(true);
  m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_view->setSelectionMode(QAbstractItemView::SingleSelection);
  m_view->setAlternatingRowColors(true);
  m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_refreshButton->setObjectName(QStringLiteral("quantRefreshButton"));
  m_skipButton->setObjectName(QStringLiteral("quantSkipButton"));
  m_skipButton->setToolTip(tr("Add the module to the skip list and reload the model quantized without it"));

  auto* buttons = new QHBoxLayout;
  buttons->addStretch(1);
  buttons->addWidget(m_refreshButton);
  buttons->addWidget(m_skipButton);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_summary);
  layout->addWidget(m_view, 1);
  layout->addLayout(buttons);

  connect(m_refreshButton, &QPushButton::clicked, this, &QuantizationPanel::refresh);
  connect(m_skipButton, &QPushButton::clicked, this, [this] {
    const QModelIndex i = m_view->currentIndex();
    if (i.isValid()) skipModule(m_model->moduleName(i.row()));
  });
  connect(m_view, &QTableView::doubleClicked, this,
          [this](const QModelIndex& i) { skipModule(m_model->moduleName(i.row())); });
  connect(m_document, &EngineDocument::changed, this, &QuantizationPanel::refresh);
  showSummary();
}

void QuantizationPanel::refresh() {
  const int serial = ++m_serial;
  if (!m_document->isLive() || !hasQuantState(*m_document)) {
    m_computing = false;
    m_model->clear();
    showSummary();
    emit refreshed();
    return;
  }
  m_computing = true;
  showSummary();
  m_document->runOnSession<lathe::QuantizationErrors>(
      tr("Measuring quantization error"),
      [](lathe::Session& s, lathe::ProgressSink& p) { return lathe::quantization_errors(s, &p); }, this,
      [this, serial](lathe::QuantizationErrors&& e) {
        if (serial != m_serial) return;
        m_computing = false;
        m_model->setErrors(std::move(e));
        m_view->resizeColumnsToContents();
        showSummary();
        emit refreshed();
      },
      [this, serial](const JobFailure& failure) {
        if (serial != m_serial) return;
        m_computing = false;
        m_model->clear();
        m_summary->setText(failure.cancelled ? tr("Error measurement cancelled.")
                                             : tr("<b>%1</b> [%2]: %3")
                                                   .arg(errorText(failure).toHtmlEscaped(),
                                                        errorCodeName(failure.code), failure.message.toHtmlEscaped()));
        emit refreshed();
      });
}

void QuantizationPanel::skipModule(const QString& module) {
  const auto& errors = m_model->errors();
  const auto loaded = m_document->model();
  if (module.isEmpty() || !errors.config || !loaded || !m_document->isLive()) return;
  lathe::BnbConfig cfg = *errors.config;
  std::vector<std::string> skip = errors.skipped_modules;
  skip.push_back(module.toStdString());
  cfg.llm_int8_skip_modules = std::move(skip);
  lathe::LoadOptions opts;
  opts.torch_dtype = loaded->summary.dtype;  // the dtype the model was loaded in
  opts.quantization = std::move(cfg);
  m_summary->setText(tr("Reloading with %1 kept in float…").arg(module));
  m_document->load(m_document->path(), opts);
}

void QuantizationPanel::showSummary() {
  const bool enable = !m_computing && m_document->isLive();
  m_refreshButton->setEnabled(enable);
  m_skipButton->setEnabled(enable && m_model->rowCount() > 0);
  if (!m_document->isLive()) {
    m_summary->setText(tr("Load a model with quantization (File > Load Model) to see its quantized layers."));
    return;
  }
  if (m_computing) {
    m_summary->setText(tr("Comparing the dequantized weights with the checkpoint's originals…"));
    return;
  }
  const auto& e = m_model->errors();
  if (!e.config) {
    m_summary->setText(tr("The loaded model is not quantized."));
    return;
  }
  QStringList skipped;
  for (const auto& s : e.skipped_modules) skipped << QString::fromStdString(s);
  const QString kind = e.config->load_in_8bit ? tr("8-bit LLM.int8, threshold %1").arg(e.config->llm_int8_threshold)
                                              : tr("4-bit %1%2").arg(QString::fromStdString(e.config->bnb_4bit_quant_type),
                                                                     e.config->bnb_4bit_use_double_quant
                                                                         ? tr(", double quantization")
                                                                         : QString());
  QString text = tr("%n quantized module(s) (%1); kept in float: %2.", nullptr, m_model->rowCount())
                     .arg(kind, skipped.isEmpty() ? tr("none") : skipped.join(QStringLiteral(", ")));
  if (e.config->load_in_8bit)
    text += QLatin1Char(' ') + tr("Outlier column counts are not shown: the int8 kernel does not record them per input.");
  m_summary->setText(text);
}

}  // namespace lathe::ui
