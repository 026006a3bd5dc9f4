#include "hub/hub_browser.h"

#include "bridge/error_text.h"
#include "bridge/job_runner.h"
#include "dialogs/message_box.h"
#include "hub/hub_client.h"
#include "hub/hub_model_page.h"
#include "hub/hub_search_model.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace lathe::ui {
namespace {

// Pipeline tags and libraries as the Hub spells them (data, not text).
const char* const kTasks[] = {"text-generation", "fill-mask", "text-classification",
                              "token-classification", "question-answering", "feature-extraction",
                              "summarization", "translation", "sentence-similarity"};
const char* const kLibraries[] = {"transformers", "safetensors", "pytorch", "sentence-transformers",
                                  "gguf", "onnx"};

QComboBox* filterCombo(QWidget* parent, const char* objectName) {
  auto* combo = new QComboBox(parent);
  combo->setObjectName(QLatin1String(objectName));
  combo->setEditable(true);  // any tag the Hub knows
  combo->setInsertPolicy(QComboBox::NoInsert);
  return combo;
}

}  // namespace

HubBrowser::HubBrowser(JobRunner* runner, QWidget* parent)
    : QWidget(parent),
      m_runner(runner),
      m_model(new HubSearchModel(this)),
      m_page(new HubModelPageView(runner, this)),
      m_search(new QLineEdit(this)),
      m_author(new QLineEdit(this)),
      m_task(filterCombo(this, "hubTaskCombo")),
      m_library(filterCombo(this, "hubLibraryCombo")),
      m_sort(new QComboBox(this)),
      m_searchButton(new QPushButton(this)),
      m_results(new QTableView(this)),
      m_status(new QLabel(this)),
      m_endpoint(new QLabel(this)) {
  setObjectName(QStringLiteral("hubBrowser"));
  m_search->setObjectName(QStringLiteral("hubSearchEdit"));
  m_author->setObjectName(QStringLiteral("hubAuthorEdit"));
  m_sort->setObjectName(QStringLiteral("hubSortCombo"));
  m_searchButton->setObjectName(QStringLiteral("hubSearchButton"));
  m_results->setObjectName(QStringLiteral("hubResultsView"));
  m_status->setObjectName(QStringLiteral("hubSearchStatus"));
  m_endpoint->setObjectName(QStringLiteral("hubEndpointLabel"));
  m_search->setClearButtonEnabled(true);
  m_author->setClearButtonEnabled(true);
  m_searchButton->setDefault(true);

  m_task->addItem(QString());
  for (const char* t : kTasks) m_task->addItem(QLatin1String(t));
  m_library->addItem(QString());
  for (const char* l : kLibraries) m_library->addItem(QLatin1String(l));
  // Sort keys of GET /api/models; labels set in retranslate().
  for (const char* key : {"downloads", "likes", "lastModified", "trendingScore", "createdAt"})
    m_sort->addItem(QString(), QLatin1String(key));

  m_results->setModel(m_model);
  m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_results->setSelectionMode(QAbstractItemView::SingleSelection);
  m_results->verticalHeader()->hide();
  m_results->setShowGrid(false);
  m_results->setAlternatingRowColors(true);
  m_results->horizontalHeader()->setSectionResizeMode(HubSearchModel::ModelColumn, QHeaderView::Stretch);

  auto* searchRow = new QHBoxLayout;
  searchRow->addWidget(m_search, 3);
  searchRow->addWidget(m_searchButton);
  auto* filters = new QHBoxLayout;
  filters->addWidget(m_task, 2);
  filters->addWidget(m_library, 2);
  filters->addWidget(m_author, 2);
  filters->addWidget(m_sort, 2);

  auto* left = new QWidget(this);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addLayout(searchRow);
  leftLayout->addLayout(filters);
  leftLayout->addWidget(m_results, 1);
  auto* footer = new QHBoxLayout;
  footer->addWidget(m_status, 1);
  footer->addWidget(m_endpoint);
  leftLayout->addLayout(footer);

  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->setObjectName(QStringLiteral("hubSplitter"));
  splitter->addWidget(left);
  splitter->addWidget(m_page);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({560, 520});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(splitter);

  connect(m_search, &QLineEdit::returnPressed, this, &HubBrowser::search);
  connect(m_author, &QLineEdit::returnPressed, this, &HubBrowser::search);
  connect(m_searchButton, &QPushButton::clicked, this, &HubBrowser::search);
  connect(m_sort, &QComboBox::activated, this, &HubBrowser::search);
  connect(m_results->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) { showResult(current.row()); });
  connect(m_page, &HubModelPageView::openRequested, this, &HubBrowser::openRequested);
  retranslate();
}

HubSearchRequest HubBrowser::request() const {
  HubSearchRequest r;
  r.text = m_search->text();
  r.author = m_author->text();
  r.task = m_task->currentText().trimmed();
  r.library = m_library->currentText().trimmed();
  r.sort = m_sort->currentData().toString();
  return r;
}

void HubBrowser::search() {
  const HubSearchRequest req = request();
  const int serial = ++m_serial;
  m_searching = true;
  m_status->setText(tr("Searching…"));
  m_runner->run<std::vector<HubModelRow>>(
      tr("Searching the Hub"), [req](lathe::ProgressSink&) { return searchHubModels(req); }, this,
      [this, serial](std::vector<HubModelRow>&& rows) {
        if (serial != m_serial) return;
        m_searching = false;
        const int n = static_cast<int>(rows.size());
        m_model->setRows(std::move(rows));
        m_results->resizeColumnsToContents();
        m_results->horizontalHeader()->setSectionResizeMode(HubSearchModel::ModelColumn, QHeaderView::Stretch);
        m_status->setText(tr("%n model(s)", nullptr, n));
        emit searchFinished(n);
      },
      [this, serial](const JobFailure& f) {
        if (serial != m_serial) return;
        m_searching = false;
        m_status->setText(f.cancelled ? tr("Search cancelled.") : tr("Search failed."));
        if (!f.cancelled)
          MessageBox::critical(this, tr("Hub Error"), tr("Could not search the Hub."), errorText(f),
                               errorDetails(f));
      });
}

void HubBrowser::showResult(int row) {
  const QString id = m_model->repoId(row);
  if (!id.isEmpty() && id != m_page->repoId()) m_page->showModel(id);
}

void HubBrowser::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void HubBrowser::retranslate() {
  m_search->setPlaceholderText(tr("Search models (name contains)…"));
  m_author->setPlaceholderText(tr("Author"));
  m_task->lineEdit()->setPlaceholderText(tr("Any task"));
  m_library->lineEdit()->setPlaceholderText(tr("Any library"));
  m_searchButton->setText(tr("&Search"));
  const QString sortLabels[] = {tr("Most downloads"), tr("Most likes"), tr("Recently updated"),
                                tr("Trending"), tr("Recently created")};
  for (int i = 0; i < m_sort->count(); ++i) m_sort->setItemText(i, sortLabels[i]);
  m_sort->setToolTip(tr("Sort order"));
  m_endpoint->setText(tr("Hub: %1").arg(
      QString::fromStdString(lathe::hub::HubConfig::from_environment().endpoint)));
}

}  // namespace lathe::ui
