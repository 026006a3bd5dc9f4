#include "dialogs/load_model_dialog.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "bridge/job_runner.h"
#include "dialogs/file_dialog.h"
#include "dialogs/load_estimate.h"
#include "dialogs/load_options.h"
#include "models/display_format.h"
#include "models/string_table_model.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace lathe::ui {
namespace {

QLabel* valueLabel(const char* objectName, QWidget* parent) {
  auto* label = new QLabel(QStringLiteral("—"), parent);
  label->setObjectName(QLatin1String(objectName));
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return label;
}

QString shapeText(const std::vector<std::int64_t>& shape) { return formatShape(shape); }

}  // namespace

LoadModelDialog::LoadModelDialog(EngineDocument* document, QWidget* parent)
    : QDialog(parent),
      m_document(document),
      m_pathEdit(new QLineEdit(this)),
      m_browseButton(new QPushButton(tr("Browse…"), this)),
      m_dtypeCombo(new QComboBox(this)),
      m_classLabel(valueLabel("loadEstimateClass", this)),
      m_parametersLabel(valueLabel("loadEstimateParameters", this)),
      m_bytesLabel(valueLabel("loadEstimateBytes", this)),
      m_planLabel(valueLabel("loadEstimatePlan", this)),
      m_quantBox(new QuantizationOptionsBox(this)),
      m_mapBox(new DeviceMapOptionsBox(this)),
      m_statusLabel(new QLabel(this)),
      m_progress(new QProgressBar(this)),
      m_reportView(new QTableView(this)),
      m_reportModel(new StringTableModel(this)),
      m_loadButton(new QPushButton(tr("&Load"), this)),
      m_cancelButton(new QPushButton(tr("Cancel Loading"), this)),
      m_closeButton(new QPushButton(tr("Close"), this)) {
  setObjectName(QStringLiteral("loadModelDialog"));
  setWindowTitle(tr("Load Model"));
  m_pathEdit->setObjectName(QStringLiteral("loadPathEdit"));
  m_pathEdit->setPlaceholderText(tr("A checkpoint folder or weight file"));
  m_browseButton->setObjectName(QStringLiteral("loadBrowseButton"));
  m_dtypeCombo->setObjectName(QStringLiteral("loadDtypeCombo"));
  m_dtypeCombo->addItem(tr("Automatic (from config.json)"), QStringLiteral("auto"));
  m_dtypeCombo->addItem(QStringLiteral("float32"), QStringLiteral("float32"));
  m_dtypeCombo->addItem(QStringLiteral("bfloat16"), QStringLiteral("bfloat16"));
  m_statusLabel->setObjectName(QStringLiteral("loadStatusLabel"));
  m_statusLabel->setWordWrap(true);
  m_progress->setObjectName(QStringLiteral("loadProgress"));
  m_progress->setTextVisible(false);
  m_progress->setRange(0, 1000);
  m_progress->setValue(0);
  m_reportView->setObjectName(QStringLiteral("loadReportView"));
  m_reportModel->setObjectName(QStringLiteral("loadReportModel"));
  m_reportModel->setHeaders({tr("Kind"), tr("Key"), tr("Details")});
  m_reportView->setModel(m_reportModel);
  m_reportView->verticalHeader()->hide();
  m_reportView->horizontalHeader()->setStretchLastSection(true);
  m_reportView->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_reportView->setAlternatingRowColors(true);
  m_reportView->setMinimumHeight(120);
  m_loadButton->setObjectName(QStringLiteral("loadButton"));
  m_loadButton->setDefault(true);
  m_cancelButton->setObjectName(QStringLiteral("loadCancelButton"));
  m_closeButton->setObjectName(QStringLiteral("loadCloseButton"));

  auto* source = new QHBoxLayout;
  source->addWidget(m_pathEdit, 1);
  source->addWidget(m_browseButton);
  auto* form = new QFormLayout;
  form->addRow(tr("&Source:"), source);
  form->addRow(tr("&Data type:"), m_dtypeCombo);
  qobject_cast<QLabel*>(form->labelForField(source))->setBuddy(m_pathEdit);

  auto* estimateBox = new QGroupBox(tr("Memory Estimate"), this);
  auto* estimate = new QFormLayout(estimateBox);
  estimate->addRow(tr("Class:"), m_classLabel);
  estimate->addRow(tr("Parameters:"), m_parametersLabel);
  estimate->addRow(tr("Memory:"), m_bytesLabel);
  estimate->addRow(tr("Planned devices:"), m_planLabel);
  m_planLabel->setWordWrap(true);
  auto* options = new QHBoxLayout;
  options->addWidget(m_quantBox, 1);
  options->addWidget(m_mapBox, 1);

  auto* reportBox = new QGroupBox(tr("Loading Report"), this);
  auto* report = new QVBoxLayout(reportBox);
  report->addWidget(m_reportView);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_progress, 1);
  buttons->addStretch(0);
  buttons->addWidget(m_loadButton);
  buttons->addWidget(m_cancelButton);
  buttons->addWidget(m_closeButton);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addLayout(options);
  layout->addWidget(estimateBox);
  layout->addWidget(m_statusLabel);
  layout->addWidget(reportBox, 1);
  layout->addLayout(buttons);
  resize(760, 640);

  connect(m_browseButton, &QPushButton::clicked, this, &LoadModelDialog::browse);
  connect(m_pathEdit, &QLineEdit::editingFinished, this, &LoadModelDialog::refreshEstimate);
  connect(m_dtypeCombo, &QComboBox::currentIndexChanged, this, &LoadModelDialog::refreshEstimate);
  connect(m_quantBox, &QuantizationOptionsBox::optionsChanged, this, &LoadModelDialog::refreshEstimate);
  connect(m_mapBox, &DeviceMapOptionsBox::optionsChanged, this, &LoadModelDialog::refreshEstimate);
  connect(m_loadButton, &QPushButton::clicked, this, &LoadModelDialog::startLoad);
  connect(m_cancelButton, &QPushButton::clicked, this, &LoadModelDialog::cancelLoad);
  connect(m_closeButton, &QPushButton::clicked, this, &QDialog::accept);

  JobRunner* runner = m_document->jobRunner();
  connect(runner, &JobRunner::progressed, this, [this](const QString& stage, qint64 done, qint64 total) {
    if (!m_loading) return;
    if (total > 0) {
      m_progress->setRange(0, 1000);
      m_progress->setValue(static_cast<int>(qMin(done, total) * 1000 / total));
    }
    m_statusLabel->setText(tr("Loading: %1").arg(stage));
  });
  connect(m_document, &EngineDocument::loadFinished, this, [this] {
    if (!m_loading) return;
    setLoading(false);
    m_progress->setValue(m_progress->maximum());
    showReport();
  });
  connect(m_document, &EngineDocument::loadFailed, this,
          [this](const QString&, const JobFailure& failure) {
            if (!m_loading) return;
            setLoading(false);
            showFailure(failure);
          });
  connect(m_document, &EngineDocument::loadCancelled, this, [this] {
    if (!m_loading) return;
    setLoading(false);
    m_progress->setValue(0);
    m_statusLabel->setText(tr("Loading cancelled."));
  });
  setLoading(false);
}

void LoadModelDialog::setPath(const QString& path) {
  m_pathEdit->setText(QDir::toNativeSeparators(path));
  refreshEstimate();
}

QString LoadModelDialog::path() const { return QDir::fromNativeSeparators(m_pathEdit->text().trimmed()); }

QString LoadModelDialog::dtype() const { return m_dtypeCombo->currentData().toString(); }

void LoadModelDialog::setDtype(const QString& dtype) {
  const int i = m_dtypeCombo->findData(dtype);
  if (i >= 0) m_dtypeCombo->setCurrentIndex(i);
}

lathe::LoadOptions LoadModelDialog::loadOptions() const {
  lathe::LoadOptions opts;
  opts.torch_dtype = dtype().toStdString();
  m_quantBox->apply(opts);
  m_mapBox->apply(opts);
  return opts;
}

void LoadModelDialog::browse() {
  const QString start = path().isEmpty() ? QDir::homePath() : path();
  const QString chosen = FileDialog::getModelPath(this, start);
  if (!chosen.isEmpty()) setPath(chosen);
}

void LoadModelDialog::refreshEstimate() {
  const int serial = ++m_estimateSerial;
  m_hasEstimate = false;
  m_estimateBytes = 0;
  for (QLabel* l : {m_classLabel, m_parametersLabel, m_bytesLabel, m_planLabel}) l->setText(QStringLiteral("—"));
  setLoading(m_loading);
  if (path().isEmpty()) return;
  m_statusLabel->setText(tr("Reading headers…"));
  const std::string enginePath = QDir::cleanPath(path()).toStdString();
  m_document->jobRunner()->run<LoadEstimate>(
      tr("Estimating memory"),
      [enginePath, opts = loadOptions()](lathe::ProgressSink&) { return compute_load_estimate(enginePath, opts); },
      this, [this, serial](LoadEstimate&& e) {
        if (serial != m_estimateSerial) return;
        showEstimate(e);
      },
      [this, serial](const JobFailure& failure) {
        if (serial != m_estimateSerial || failure.cancelled) return;
        showFailure(failure);
        setLoading(m_loading);
      });
}

void LoadModelDialog::showEstimate(const LoadEstimate& e) {
  const lathe::ModelSummary& s = e.summary;
  m_hasEstimate = true;
  m_classLabel->setText(tr("%1 (%2)").arg(QString::fromStdString(s.class_name), QString::fromStdString(s.dtype)));
  m_parametersLabel->setText(formatCount(static_cast<quint64>(s.num_parameters)));
  if (e.sized) {
    m_estimateBytes = e.planned_bytes;
    const auto bytes = static_cast<quint64>(e.planned_bytes);
    m_bytesLabel->setText(tr("%1 (%2 bytes as accelerate sizes the quantized model, weights at %3)")
                              .arg(formatBytes(bytes), formatCount(bytes), QString::fromStdString(e.sizing_dtype)));
  } else {
    m_estimateBytes = static_cast<double>(s.memory_footprint_with_buffers);
    const auto bytes = static_cast<quint64>(s.memory_footprint_with_buffers);
    m_bytesLabel->setText(tr("%1 (%2 bytes, buffers included)").arg(formatBytes(bytes), formatCount(bytes)));
  }
  QStringList plan;
  for (const auto& [device, used] : e.device_used)
    plan << tr("%1: %2").arg(QString::fromStdString(device), formatBytes(static_cast<quint64>(used)));
  for (const auto& w : e.warnings) plan << tr("warning: %1").arg(QString::fromStdString(w));
  if (e.plan_note == "budgets")
    plan << tr("Enter max memory to see the plan; at load time the CPU budget is the available RAM.");
  m_planLabel->setText(plan.isEmpty() ? QStringLiteral("—") : plan.join(QLatin1Char('\n')));
  if (!m_loading) m_statusLabel->setText(tr("Ready to load."));
  setLoading(m_loading);
  emit estimateReady();
}

void LoadModelDialog::startLoad() {
  if (path().isEmpty() || m_loading) return;
  m_reportModel->clear();
  setLoading(true);
  m_progress->setValue(0);
  m_statusLabel->setText(tr("Loading…"));
  m_document->load(path(), loadOptions());
}

void LoadModelDialog::cancelLoad() {
  if (m_loading) m_document->jobRunner()->cancel();
}

void LoadModelDialog::setLoading(bool loading) {
  m_loading = loading;
  m_progress->setVisible(loading);
  m_loadButton->setEnabled(!loading && !path().isEmpty());
  m_cancelButton->setEnabled(loading);
  m_pathEdit->setEnabled(!loading);
  m_browseButton->setEnabled(!loading);
  m_dtypeCombo->setEnabled(!loading);
  m_quantBox->setEnabled(!loading);
  m_mapBox->setEnabled(!loading);
}

void LoadModelDialog::showFailure(const JobFailure& failure) {
  m_statusLabel->setText(tr("<b>%1</b> [%2]").arg(errorText(failure).toHtmlEscaped(),
                                                 errorCodeName(failure.code)));
  m_statusLabel->setToolTip(failure.message);
}

void LoadModelDialog::showReport() {
  const auto model = m_document->model();
  if (!model) return;
  const lathe::LoadReport& r = model->report;
  QVector<StringTableModel::Row> rows;
  for (const auto& k : r.missing_keys)
    rows.push_back({{tr("missing"), QString::fromStdString(k), tr("newly initialized")},
                    StringTableModel::Tone::Warning});
  for (const auto& k : r.unexpected_keys)
    rows.push_back({{tr("unexpected"), QString::fromStdString(k), tr("ignored")},
                    StringTableModel::Tone::Removed});
  for (const auto& m : r.mismatched_keys)
    rows.push_back({{tr("mismatched"), QString::fromStdString(m.key),
                     tr("checkpoint %1, model %2").arg(shapeText(m.checkpoint_shape), shapeText(m.model_shape))},
                    StringTableModel::Tone::Removed});
  for (const auto& [module, device] : r.device_map)
    rows.push_back({{tr("device map"), module.empty() ? tr("(whole model)") : QString::fromStdString(module),
                     QString::fromStdString(device)},
                    StringTableModel::Tone::Normal});
  for (const auto& w : r.device_map_warnings)
    rows.push_back({{tr("warning"), QString(), QString::fromStdString(w)}, StringTableModel::Tone::Warning});
  if (r.missing_keys.empty() && r.unexpected_keys.empty() && r.mismatched_keys.empty())
    rows.push_front({{tr("complete"), tr("every key matched"), tr("no weights were newly initialized or ignored")},
                    StringTableModel::Tone::Added});
  m_reportModel->setRows(std::move(rows));
  m_reportView->resizeColumnToContents(0);
  m_reportView->resizeColumnToContents(1);
  const auto& s = model->summary;
  m_statusLabel->setText(
      tr("Loaded %1 as %2: %3 missing, %4 unexpected, %5 mismatched keys.")
          .arg(QString::fromStdString(s.class_name), QString::fromStdString(s.dtype))
          .arg(r.missing_keys.size())
          .arg(r.unexpected_keys.size())
          .arg(r.mismatched_keys.size()) +
      (r.device_map.empty() ? QString()
                            : tr(" Device map: %1 resident, %2 offloaded to disk.")
                                  .arg(formatBytes(r.resident_bytes), formatBytes(r.offloaded_bytes))));
}

}  // namespace lathe::ui
