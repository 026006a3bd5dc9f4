#include "hub/hub_model_page.h"

#include "bridge/error_text.h"
#include "bridge/job_runner.h"
#include "dialogs/message_box.h"
#include "models/display_format.h"
#include "models/string_table_model.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace lathe::ui {

HubModelPageView::HubModelPageView(JobRunner* runner, QWidget* parent)
    : QWidget(parent),
      m_runner(runner),
      m_title(new QLabel(this)),
      m_meta(new QLabel(this)),
      m_card(new QTextBrowser(this)),
      m_fileView(new QTableView(this)),
      m_files(new StringTableModel(this)),
      m_downloadButton(new QPushButton(this)),
      m_openButton(new QPushButton(this)),
      m_cancelButton(new QPushButton(this)),
      m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)) {
  setObjectName(QStringLiteral("hubModelPage"));
  m_title->setObjectName(QStringLiteral("hubModelTitle"));
  m_meta->setObjectName(QStringLiteral("hubModelMeta"));
  m_card->setObjectName(QStringLiteral("hubModelCard"));
  m_fileView->setObjectName(QStringLiteral("hubFileTable"));
  m_downloadButton->setObjectName(QStringLiteral("hubDownloadButton"));
  m_openButton->setObjectName(QStringLiteral("hubOpenButton"));
  m_cancelButton->setObjectName(QStringLiteral("hubCancelButton"));
  m_progress->setObjectName(QStringLiteral("hubDownloadProgress"));
  m_status->setObjectName(QStringLiteral("hubDownloadStatus"));

  QFont titleFont = m_title->font();
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
  titleFont.setBold(true);
  m_title->setFont(titleFont);
  m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_meta->setWordWrap(true);
  m_card->setOpenExternalLinks(false);
  m_card->setOpenLinks(false);
  m_fileView->setModel(m_files);
  m_fileView->verticalHeader()->hide();
  m_fileView->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_fileView->setShowGrid(false);
  m_progress->setTextVisible(true);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(m_card);
  splitter->addWidget(m_fileView);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_downloadButton);
  buttons->addWidget(m_openButton);
  buttons->addWidget(m_progress, 1);
  buttons->addWidget(m_cancelButton);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_title);
  layout->addWidget(m_meta);
  layout->addWidget(splitter, 1);
  layout->addLayout(buttons);
  layout->addWidget(m_status);

  connect(m_downloadButton, &QPushButton::clicked, this, &HubModelPageView::download);
  connect(m_openButton, &QPushButton::clicked, this, &HubModelPageView::open);
  connect(m_cancelButton, &QPushButton::clicked, this, &HubModelPageView::cancelDownload);
  connect(m_runner, &JobRunner::progressed, this, &HubModelPageView::onProgress);
  connect(m_runner, &JobRunner::jobStarted, this, [this](const QString& title) {
    m_downloadRunning = m_downloading && title == m_downloadTitle;
  });
  retranslate();  // sets the file table's columns
  m_fileView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  setDownloading(false);
}

void HubModelPageView::showModel(const QString& repo, const QString& revision) {
  if (repo.isEmpty()) return;
  const int serial = ++m_serial;
  m_status->setText(tr("Fetching %1…").arg(repo));
  m_runner->run<HubModelPage>(
      tr("Fetching %1").arg(repo),
      [repo, revision](lathe::ProgressSink& p) { return fetchHubModelPage(repo, revision, p); }, this,
      [this, serial](HubModelPage&& page) {
        if (serial == m_serial) adopt(std::move(page));
      },
      [this, serial, repo](const JobFailure& f) {
        if (serial != m_serial) return;
        m_status->clear();
        if (!f.cancelled) showFailure(tr("Could not fetch “%1”.").arg(repo), f);
      });
}

void HubModelPageView::clear() {
  ++m_serial;
  adopt(HubModelPage{});
}

void HubModelPageView::adopt(HubModelPage&& page) {
  m_page = std::move(page);
  m_snapshot.clear();
  m_title->setText(m_page.id);
  QStringList meta;
  const HubModelRow& r = m_page.row;
  if (!m_page.id.isEmpty()) {
    if (!r.pipelineTag.isEmpty()) meta << r.pipelineTag;
    if (!r.libraryName.isEmpty()) meta << r.libraryName;
    meta << tr("%1 downloads").arg(formatCount(static_cast<quint64>(r.downloads)))
         << tr("%1 likes").arg(formatCount(static_cast<quint64>(r.likes)))
         << tr("%n file(s), %1", nullptr, static_cast<int>(m_page.files.size())).arg(formatBytes(m_page.totalSize));
    if (r.lastModified.isValid())
      meta << tr("updated %1").arg(QLocale().toString(r.lastModified.toLocalTime(), QLocale::ShortFormat));
  }
  m_meta->setText(meta.join(QStringLiteral(" · ")));
  if (m_page.id.isEmpty()) m_card->clear();
  else if (m_page.cardMarkdown.isEmpty()) m_card->setPlainText(tr("This model has no model card."));
  else m_card->setMarkdown(m_page.cardMarkdown);
  QVector<StringTableModel::Row> rows;
  for (const HubFileRow& f : m_page.files)
    rows.push_back({{f.path, formatBytes(f.size), f.lfs ? tr("LFS") : QString()}});
  m_files->setRows(std::move(rows));
  m_fileView->resizeColumnToContents(1);
  m_status->clear();
  m_progress->reset();
  updateButtons();
  if (!m_page.id.isEmpty()) emit pageLoaded(m_page.id);
}

void HubModelPageView::download() { startDownload(false); }

void HubModelPageView::open() {
  if (!m_snapshot.isEmpty()) emit openRequested(m_snapshot);
  else startDownload(true);
}

void HubModelPageView::cancelDownload() {
  if (m_downloadRunning) m_runner->cancel();
}

void HubModelPageView::startDownload(bool openAfter) {
  if (m_page.id.isEmpty() || m_downloading) return;
  const QString repo = m_page.id;
  const QString revision = m_page.sha.isEmpty() ? m_page.revision : m_page.sha;
  m_downloadTitle = tr("Downloading %1").arg(repo);
  m_progress->setRange(0, 0);
  m_status->setText(tr("Waiting for the running job…"));
  setDownloading(true);
  const int serial = m_serial;
  m_runner->run<QString>(
      m_downloadTitle,
      [repo, revision](lathe::ProgressSink& p) { return downloadHubSnapshot(repo, revision, p); }, this,
      [this, serial, openAfter](QString&& snapshot) {
        setDownloading(false);
        if (serial != m_serial) return;
        m_snapshot = snapshot;
        m_progress->setRange(0, 1);
        m_progress->setValue(1);
        m_status->setText(tr("Downloaded to %1").arg(snapshot));
        updateButtons();
        emit downloadFinished(snapshot);
        if (openAfter) emit openRequested(snapshot);
      },
      [this, repo](const JobFailure& f) {
        setDownloading(false);
        m_progress->reset();
        if (f.cancelled) {
          m_status->setText(tr("Download cancelled."));
          return;
        }
        m_status->clear();
        showFailure(tr("Could not download “%1”.").arg(repo), f);
      });
}

void HubModelPageView::onProgress(const QString& stage, qint64 done, qint64 total) {
  if (!m_downloadRunning) return;
  Q_UNUSED(stage);
  if (total > 0) {
    // QProgressBar is int-based: show permille of the byte count.
    m_progress->setRange(0, 1000);
    m_progress->setValue(static_cast<int>(done * 1000 / total));
    m_status->setText(tr("%1 of %2").arg(formatBytes(static_cast<quint64>(done)),
                                         formatBytes(static_cast<quint64>(total))));
  } else {
    m_progress->setRange(0, 0);
    m_status->setText(formatBytes(static_cast<quint64>(done)));
  }
}

void HubModelPageView::showFailure(const QString& text, const JobFailure& failure) {
  MessageBox::critical(this, tr("Hub Error"), text, errorText(failure), errorDetails(failure));
}

void HubModelPageView::setDownloading(bool on) {
  m_downloading = on;
  if (!on) m_downloadRunning = false;
  m_cancelButton->setVisible(on);
  m_cancelButton->setEnabled(on);
  updateButtons();
}

void HubModelPageView::updateButtons() {
  const bool has = !m_page.id.isEmpty();
  m_downloadButton->setEnabled(has && !m_downloading);
  m_openButton->setEnabled(has && !m_downloading);
  m_downloadButton->setText(m_snapshot.isEmpty() ? tr("&Download") : tr("&Download Again"));
}

void HubModelPageView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void HubModelPageView::retranslate() {
  m_files->setHeaders({tr("File"), tr("Size"), tr("Storage")});
  m_openButton->setText(tr("&Open"));
  m_openButton->setToolTip(tr("Download if needed, then open the model"));
  m_cancelButton->setText(tr("Cancel"));
  m_card->setPlaceholderText(tr("Select a model to see its card."));
  updateButtons();
}

}  // namespace lathe::ui
