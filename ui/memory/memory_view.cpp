#include "memory/memory_view.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "dialogs/message_box.h"
#include "memory/memory_chart.h"
#include "memory/memory_data.h"
#include "models/display_format.h"
#include "models/string_table_model.h"
#include "widgets/token_chips.h"

#include <QCheckBox>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
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
      m_text(new QPlainTextEdit(this)),
      m_idsCheck(new QCheckBox(this)),
      m_chips(new TokenChips(this)),
      m_inputStatus(new QLabel(this)),
      m_chipTimer(new QTimer(this)),
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
  m_ids->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  m_text->setObjectName(QStringLiteral("memoryTextEdit"));
  m_text->setPlainText(QStringLiteral("The quick brown fox jumps over the lazy dog."));
  m_text->setTabChangesFocus(true);
  m_text->setLineWrapMode(QPlainTextEdit::NoWrap);  // a line is a row: no soft wraps
  m_text->setFixedHeight(m_text->fontMetrics().lineSpacing() * 3 + 12);
  m_idsCheck->setObjectName(QStringLiteral("memoryIdsModeCheck"));
  m_chips->setObjectName(QStringLiteral("memoryTokenChips"));
  m_chips->setMaximumLines(3);
  m_inputStatus->setObjectName(QStringLiteral("memoryInputStatus"));
  m_inputStatus->setWordWrap(true);
  m_chipTimer->setSingleShot(true);
  m_chipTimer->setInterval(150);
  m_depthLabel->setBuddy(m_depth);
  m_depth->setRange(0, 0);
  m_dtypeView = makeTable(this, m_dtypes, "memoryDtypeTable");
  m_typeView = makeTable(this, m_types, "memoryTypeTable");

  auto* controls = new QHBoxLayout;
  controls->addWidget(m_idsLabel, 0, Qt::AlignTop);
  auto* input = new QVBoxLayout;
  input->setSpacing(2);
  input->addWidget(m_ids);
  input->addWidget(m_text);
  input->addWidget(m_chips);
  input->addWidget(m_inputStatus);
  controls->addLayout(input, 1);
  for (QWidget* w : std::initializer_list<QWidget*>{m_idsCheck, m_depthLabel, m_depth, m_run, m_resetZoom})
    controls->addWidget(w, 0, Qt::AlignTop);

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
  connect(m_ids, &QLineEdit::textChanged, this, &MemoryView::inputEdited);
  connect(m_text, &QPlainTextEdit::textChanged, this, &MemoryView::inputEdited);
  connect(m_idsCheck, &QCheckBox::toggled, this, &MemoryView::idsModeToggled);
  connect(m_chipTimer, &QTimer::timeout, this, [this] { analyse(nullptr); });
  connect(m_resetZoom, &QPushButton::clicked, m_chart, &MemoryChart::resetZoom);
  connect(m_depth, &QSpinBox::valueChanged, this, [this] { showCharted(); });
  connect(m_document, &EngineDocument::changed, this, &MemoryView::documentChanged);
  retranslate();
  documentChanged();
}

void MemoryView::setTokenIds(const QString& text) {
  setIdsMode(true);
  m_ids->setText(text);
  analyse(nullptr);
}

void MemoryView::setText(const QString& text) {
  setIdsMode(false);
  m_text->setPlainText(text);
  analyse(nullptr);
}

void MemoryView::setIdsMode(bool ids) {
  m_wantIds = ids;
  analyse(nullptr);
}

bool MemoryView::isIdsMode() const {
  const auto model = m_document->model();
  return m_wantIds || (model && !model->tokenizer);
}

void MemoryView::inputEdited() {
  m_inputStale = true;
  if (isIdsMode()) analyse(nullptr);  // only parsed: at once
  else m_chipTimer->start();          // text waits until typing pauses
  updateActions();
}

void MemoryView::idsModeToggled(bool ids) {
  const auto model = m_document->model();
  const lathe::Tokenizer* tok = model ? model->tokenizer.get() : nullptr;
  lathe::TokenBatch before;
  const bool valid = analyse(&before);  // still in the old mode
  m_wantIds = ids;
  if (tok && valid) {
    // Carry the input over: text as its ids (rows by ';'), ids as their text (a line per row).
    QStringList rows;
    for (std::size_t r = 0; r < before.input_ids.size(); ++r) {
      std::vector<qint64> row;
      for (std::size_t i = 0; i < before.input_ids[r].size(); ++i)
        if (before.attention_mask.empty() || before.attention_mask[r][i] != 0) row.push_back(before.input_ids[r][i]);
      if (ids) {
        QStringList parts;
        for (qint64 id : row) parts << QString::number(id);
        rows << parts.join(QLatin1Char(' '));
      } else {
        rows << decodeIds(*tok, row, 0, row.size(), true);
      }
    }
    const QSignalBlocker blockIds(m_ids), blockText(m_text);
    if (ids) m_ids->setText(rows.join(QStringLiteral("; ")));
    else m_text->setPlainText(rows.join(QLatin1Char('\n')));
  }
  analyse(nullptr);
}

bool MemoryView::analyse(lathe::TokenBatch* out) {
  m_chipTimer->stop();
  m_inputStale = false;
  const auto model = m_document->model();
  const qint64 vocab = model && model->live ? model->layout.vocab_size : 0;
  const lathe::Tokenizer* tok = model ? model->tokenizer.get() : nullptr;
  const bool ids = isIdsMode();
  lathe::TokenBatch batch;
  QVector<ChipRow> chipRows;
  QString problem, note;
  if (!model) {
    // Nothing to tokenize with, nothing to measure: no chips, no complaints.
  } else if (!ids && tok) {
    TextBatch text;
    if (encodeTextRows(*tok, m_text->toPlainText(), &text, &problem)) {
      batch = std::move(text.batch);
      for (const auto& row : text.rows) chipRows << chipsFromEncoding(row, tok);
      if (!text.padToken.isEmpty())
        note = tr("Rows padded with “%1” (attention mask 0): the tokenizer sets no padding.").arg(text.padToken);
    }
  } else {
    QString bad;
    batch.input_ids = parseTokenIds(m_ids->text(), &bad);
    if (batch.input_ids.empty())
      problem = tr("“%1” is not a list of token ids: type ids separated by spaces; separate rows of equal length "
                   "with “;”.")
                    .arg(bad.trimmed());
    for (const auto& row : batch.input_ids) chipRows << chipsFromIds(row, tok, vocab);
  }
  for (std::size_t r = 0; r < batch.input_ids.size() && problem.isEmpty(); ++r)
    for (const std::int64_t id : batch.input_ids[r])
      if (vocab > 0 && id >= vocab) {
        problem = tr("Token id %1 is beyond the model's vocabulary of %2 ids.").arg(id).arg(vocab);
        break;
      }
  if (!ids && tok && !problem.isEmpty() && vocab > 0)
    for (ChipRow& row : chipRows)
      for (TokenChip& c : row)
        if (c.id >= vocab) {
          c.kind = TokenChip::Kind::Invalid;
          c.note = TokenChips::tr("beyond the model's vocabulary of %1 ids").arg(vocab);
        }
  m_chips->setRows(problem.isEmpty() || !chipRows.isEmpty() ? chipRows : QVector<ChipRow>{});
  m_problem = problem;
  // Why the input cannot be measured, else how it was padded; without a tokenizer, why ids are asked for.
  QString status = problem.isEmpty() ? note : problem;
  if (model && !tok && !m_wantIds) {
    const QString why = model->tokenizerError
                            ? tr("The tokenizer of this model could not be read (%1): type token ids.")
                                  .arg(errorText(*model->tokenizerError))
                            : tr("This model folder has no tokenizer (tokenizer.json): type token ids.");
    status = status.isEmpty() ? why : why + QLatin1Char(' ') + status;
  }
  m_inputStatus->setText(status);
  m_inputStatus->setVisible(!status.isEmpty());
  m_inputStatus->setStyleSheet(problem.isEmpty() ? QString() : QStringLiteral("QLabel { color: #b91c1c; }"));
  updateActions();
  if (out) *out = std::move(batch);
  return problem.isEmpty();
}

void MemoryView::setDepth(int depth) { m_depth->setValue(depth); }

void MemoryView::documentChanged() {
  // The dtype footprint needs headers only; the hooks need a live model.
  const auto model = m_document->model();
  m_dtypes->setRows(model ? footprintRows(footprintByDtype(model->info)) : QVector<StringTableModel::Row>{});
  m_report.reset();
  m_types->clear();
  m_chart->setReport(nullptr, {});
  m_summary->clear();
  analyse(nullptr);  // the tokenizer and the vocabulary may have changed
}

void MemoryView::run() {
  if (!m_document->isLive() || m_running) return;
  lathe::TokenBatch ids;
  if (!analyse(&ids)) return;  // the status line under the input says why
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
  const auto model = m_document->model();
  const bool ids = isIdsMode();
  {
    const QSignalBlocker block(m_idsCheck);
    m_idsCheck->setChecked(ids);
  }
  m_idsCheck->setEnabled(model && model->tokenizer);
  m_idsLabel->setText(ids ? tr("&Token ids:") : tr("&Text:"));
  m_idsLabel->setBuddy(ids ? static_cast<QWidget*>(m_ids) : m_text);
  m_ids->setVisible(ids);
  m_text->setVisible(!ids);
  m_run->setEnabled(m_document->isLive() && !m_running && (m_inputStale || m_problem.isEmpty()));
  m_depth->setEnabled(m_report != nullptr);
  m_resetZoom->setEnabled(m_report != nullptr);
  m_run->setToolTip(m_document->isLive() ? QString() : tr("Load a model (File › Load Model…) to measure it."));
}

void MemoryView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void MemoryView::retranslate() {
  m_text->setPlaceholderText(tr("One row per line"));
  m_idsCheck->setText(tr("Token &ids"));
  m_idsCheck->setToolTip(tr("Type token ids (rows separated by “;”) instead of text"));
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
