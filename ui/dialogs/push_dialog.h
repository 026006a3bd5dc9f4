// PushDialog (File > Push to Hub…): repo id, private, commit message and
// description, create a pull request, tags. The token comes from the
// environment or the token file (HubConfig::from_environment). Pushing is one
// job: save_pretrained into a staging folder (plus a model card carrying the
// tags), then HubClient::push — progress in bytes, Cancel, a link at the end.
#pragma once

#include "hub/hub_client.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace lathe::ui {

class EngineDocument;
struct JobFailure;

/// What the push job needs besides the live model.
struct PushRequest {
  QString repo;
  QStringList tags;
  lathe::hub::PushOptions options;
};

/// Writes README.md (YAML front matter with library_name and tags) into `dir`.
void writeModelCard(const QString& dir, const QString& repo, const QStringList& tags);

class PushDialog : public QDialog {
  Q_OBJECT

 public:
  explicit PushDialog(EngineDocument* document, QWidget* parent = nullptr);

  PushRequest request() const;
  void setRepoId(const QString& repo);
  bool isPushing() const { return m_pushing; }
  /// The commit (or pull request) URL of the last push; empty before.
  QString resultUrl() const { return m_resultUrl; }

 public slots:
  void push();
  void cancel();

 signals:
  void pushed(const QString& url);

 protected:
  void reject() override;

 private:
  void onProgress(const QString& stage, qint64 done, qint64 total);
  void finished(const lathe::hub::PushResult& result);
  void failed(const JobFailure& failure);
  void updateButtons();

  EngineDocument* m_document;
  QLineEdit* m_repo;
  QCheckBox* m_private;
  QLineEdit* m_message;
  QPlainTextEdit* m_description;
  QCheckBox* m_createPr;
  QLineEdit* m_tags;
  QLabel* m_token;
  QProgressBar* m_progress;
  QLabel* m_status;
  QLabel* m_link;
  QPushButton* m_pushButton;
  QPushButton* m_cancelButton;
  QPushButton* m_closeButton;
  QString m_resultUrl;
  QString m_title;
  bool m_pushing = false;
  bool m_running = false;  ///< the job started (progress is ours)
};

}  // namespace lathe::ui
