#include "memory/memory_view.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "dialogs/message_box.h"
#include "memory/memory_chart.h"
#include "memory/memory_data.h"
#include "models/display_format.h"
#include "models/string_table_model.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace lathe::ui {
namespace {

QTableView* makeTable(QWidget* parent, StringTableModel* model, const char* objectName) {
  auto* view = new QTableView(parent);
  view->setObjectName(QLatin1String(objectName));
  view->setModel(model);
  view->verticalHeader()->hide();
  view->setShowGrid(false);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  return view;
}

QVector<StringTableModel::Row> footprintRows(const QVector<FootprintRow>& rows) {
  qint64 total = 0;
  for (const auto& r : rows) total += r.bytes;
  QVector<StringTableModel::Row> out;
  for (const auto& r : rows)
    out.push_back({{r.key, formatCount(static_cast<quint64>(r.count)), formatBytes(static_cast<quint64>(r.bytes)),
                    formatShare(total > 0 ? double(r.bytes) / double(total) : 0.0)}});
  return out;
}

}  // namespace

MemoryView::MemoryView(EngineDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_idsLabel(new QLabel(this)),
      m_ids(new QLineEdit(this)),
      m_depthLabel(new QLabel(this)),
      m_depth(new QSpinBox(this)),
      m_run(new QPushButton(this)),
      m_resetZoom(new QPushButton(this)),
      m_summary(new QLabel(this)),
      m_chart(new MemoryChart(this)),
      m_dtypeTitle(new QLabel(this)),
      m_typeTitle(new QLabel(this)),
      m_dtypes(new StringTableModel(this)),
      m_types(new StringTableModel(this)) {
  setObjectName(QStringLiteral("memoryView"));
  m_ids->setObjectName(QStringLiteral("memoryIdsEdit"));
  m_depth->setObjectName(QStringLiteral("memoryDepthSpin"));
  m_run->setObjectName(QStringLiteral("memoryRunButton"));
  m_resetZoom->setObjectName(QStringLiteral("memoryResetZoomButton"));
  m_summary->setObjectName(QStringLiteral("memorySummary"));
  m_ids->setText(QStringLiteral("15 42 7 101 3"));
  m_idsLabel->setBuddy(m_ids);
  m_depthLabel->setBuddy(m_depth);
  m_depth->setRange(0, 0);
  m_dtypeView = makeTable(this, m_dtypes, "memoryDtypeTable");
  m_typeView = makeTable(this, m_types, "memoryTypeTable");

  auto* controls = new QHBoxLayout;
  controls->addWidget(m_idsLabel);
  controls->addWidget(m_ids, 1);
  controls->addWidget(m_depthLabel);
  controls->addWidget(m_depth);
  controls->addWidget(m_run);
  controls->addWidget(m_resetZoom);

  auto* tables = new QWidget(this);
  auto* grid = new QGridLayout(tables);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->addWidget(m_dtypeTitle, 0, 0);
  grid->addWidget(m_typeTitle, 0, 1);
  grid->addWidget(m_dtypeView, 1, 0);
  grid->addWidget(m_typeView, 1, 1);
  grid->setColumnStretch(0, 2);
  grid->setColumnStretch(1, 3);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(m_chart);
  splitter->addWidget(tables);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addLayout(controls);
  layout->addWidget(m_summary);
  layout->addWidget(splitter, 1);

  connect(m_run, &QPushButton::clicked, this, &MemoryView::run);
  connect(m_ids, &QLineEdit::returnPressed, this, &MemoryView::run);
  connect(m_resetZoom, &QPushButton::clicked, m_chart, &MemoryChart::resetZoom);
  connect(m_depth, &QSpinBox::valueChanged, this, [this] { showCharted(); });
  connect(m_document, &EngineDocument::changed, this, &MemoryView::documentChanged);
  retranslate();
  documentChanged();
}

void MemoryView::setTokenIds(const QString& text) { m_ids->setText(text); }

void MemoryView::setDepth(int depth) { m_depth->setValue(depth); }

void MemoryView::documentChanged() {
  // The dtype footprint needs headers only; the hooks need a live model.
  const auto model = m_document->model();
  m_dtypes->setRows(model ? footprintRows(footprintByDtype(model->info)) : QVector<StringTableModel::Row>{});
  m_report.reset();
  m_types->clear();
  m_chart->setReport(nullptr, {});
  m_summary->clear();
  updateActions();
}

void MemoryView::run() {
  if (!m_document->isLive() || m_running) return;
  QString bad;
  const TokenRows ids = parseTokenIds(m_ids->text(), &bad);
  if (ids.empty()) {
    MessageBox::warning(this, tr("Memory"), tr("“%1” is not a list of token ids.").arg(bad),
                        tr("Type ids separated by spaces; separate rows of equal length with “;”."));
    return;
  }
  m_running = true;
  updateActions();
  m_document->runOnSession<lathe::MemoryReport>(
      tr("Measuring memory"),
      [ids](lathe::Session& s, lathe::ProgressSink&) { return runMemoryReport(s, ids); }, this,
      [this](lathe::MemoryReport&& report) {
        m_running = false;
        adopt(std::move(report));
      },
      [this](const JobFailure& f) {
        m_running = false;
        updateActions();
        if (!f.cancelled)
          MessageBox::critical(this, tr("Memory"), tr("The forward pass failed."), errorText(f),
                               errorDetails(f));
      });
}

void MemoryView::adopt(lathe::MemoryReport&& report) {
  m_report = std::make_shared<const lathe::MemoryReport>(std::move(report));
  int deepest = 0;
  for (const auto& m : m_report->modules) deepest = std::max(deepest, m.depth);
  {
    const QSignalBlocker block(m_depth);
    m_depth->setRange(0, deepest);
    m_depth->setValue(defaultChartDepth(*m_report));
  }
  const auto model = m_document->model();
  const auto tied = model ? tiedCopies(model->summary.tied, model->info) : std::vector<std::pair<QString, qint64>>{};
  m_types->setRows(footprintRows(footprintByModuleType(*m_report, tied)));
  qint64 peak = 0;
  if (!m_report->modules.empty()) peak = m_report->modules.front().peak;
  m_summary->setText(tr("%n module(s) measured in one forward pass; model activation peak %1.", nullptr,
                        static_cast<int>(m_report->modules.size()))
                         .arg(formatBytes(static_cast<quint64>(peak))));
  showCharted();
  updateActions();
  emit reportReady();
}

void MemoryView::showCharted() {
  if (!m_report) return;
  m_chart->setReport(m_report, modulesAtDepth(*m_report, m_depth->value()));
}

void MemoryView::updateActions() {
  m_run->setEnabled(m_document->isLive() && !m_running);
  m_depth->setEnabled(m_report != nullptr);
  m_resetZoom->setEnabled(m_report != nullptr);
  m_run->setToolTip(m_document->isLive() ? QString() : tr("Load a model (File › Load Model…) to measure it."));
}

void MemoryView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void MemoryView::retranslate() {
  m_idsLabel->setText(tr("&Token ids:"));
  m_ids->setPlaceholderText(tr("e.g. 15 42 7; 3 9 1"));
  m_depthLabel->setText(tr("&Depth:"));
  m_depth->setToolTip(tr("Module depth charted (0 = the model)"));
  m_run->setText(tr("&Measure"));
  m_resetZoom->setText(tr("Reset &Zoom"));
  m_dtypeTitle->setText(tr("<b>Footprint by dtype</b>"));
  m_typeTitle->setText(tr("<b>Footprint by module type</b>"));
  const QStringList dtypeHeaders{tr("Dtype"), tr("Tensors"), tr("Bytes"), tr("Share")};
  const QStringList typeHeaders{tr("Module type"), tr("Modules"), tr("Bytes"), tr("Share")};
  m_dtypes->setHeaders(dtypeHeaders);
  m_types->setHeaders(typeHeaders);
  updateActions();
}

}  // namespace lathe::ui
