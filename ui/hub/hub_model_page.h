// HubModelPageView: one Hub model — its rendered card, its files with sizes,
// "Download" into the shared HF cache (progress, bytes, cancel) and "Open".
// Every request is a JobRunner job; this widget only shows finished data.
#pragma once

#include "hub/hub_data.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace lathe::ui {

class JobRunner;
class StringTableModel;
struct JobFailure;

class HubModelPageView : public QWidget {
  Q_OBJECT

 public:
  explicit HubModelPageView(JobRunner* runner, QWidget* parent = nullptr);

  QString repoId() const { return m_page.id; }
  const HubModelPage& page() const { return m_page; }
  /// The downloaded snapshot folder; empty until a download finished.
  QString snapshotPath() const { return m_snapshot; }
  QTextBrowser* cardView() const { return m_card; }
  StringTableModel* fileModel() const { return m_files; }
  bool isDownloading() const { return m_downloading; }

 public slots:
  /// Fetches info, files and card of `repo` (a job).
  void showModel(const QString& repo, const QString& revision = QStringLiteral("main"));
  void clear();
  /// Downloads the whole snapshot into the HF cache (a job).
  void download();
  /// Emits openRequested(snapshot), downloading first when needed.
  void open();
  void cancelDownload();

 signals:
  void pageLoaded(const QString& repo);
  void downloadFinished(const QString& snapshot);
  void openRequested(const QString& snapshot);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void adopt(HubModelPage&& page);
  void startDownload(bool openAfter);
  void onProgress(const QString& stage, qint64 done, qint64 total);
  void showFailure(const QString& title, const JobFailure& failure);
  void setDownloading(bool on);
  void updateButtons();
  void retranslate();

  JobRunner* m_runner;
  HubModelPage m_page;
  QString m_snapshot;
  QString m_downloadTitle;
  bool m_downloading = false;
  bool m_downloadRunning = false;  ///< started (not just queued): progress is ours
  int m_serial = 0;

  QLabel* m_title;
  QLabel* m_meta;
  QTextBrowser* m_card;
  QTableView* m_fileView;
  StringTableModel* m_files;
  QPushButton* m_downloadButton;
  QPushButton* m_openButton;
  QPushButton* m_cancelButton;
  QProgressBar* m_progress;
  QLabel* m_status;
};

}  // namespace lathe::ui
