#include "dialogs/push_dialog.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "bridge/job_runner.h"
#include "core/error.h"
#include "dialogs/message_box.h"
#include "hub/hub_util.h"
#include "models/display_format.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTemporaryDir>
#include <QVBoxLayout>

namespace lathe::ui {

void writeModelCard(const QString& dir, const QString& repo, const QStringList& tags) {
  QString card = QStringLiteral("---\nlibrary_name: transformers\n");
  if (!tags.isEmpty()) {
    card += QStringLiteral("tags:\n");
    for (const QString& t : tags) card += QStringLiteral("- %1\n").arg(t);
  }
  card += QStringLiteral("---\n\n# %1\n\nSaved and pushed with Lathe.\n").arg(repo.section(QLatin1Char('/'), -1));
  QFile file(QDir(dir).filePath(QStringLiteral("README.md")));
  if (!file.open(QIODevice::WriteOnly) || file.write(card.toUtf8()) < 0)
    throw lathe::Error(lathe::ErrorCode::Io, "cannot write the model card", file.fileName().toStdString());
}

PushDialog::PushDialog(EngineDocument* document, QWidget* parent)
    : QDialog(parent),
      m_document(document),
      m_repo(new QLineEdit(this)),
      m_private(new QCheckBox(tr("&Private repository"), this)),
      m_message(new QLineEdit(this)),
      m_description(new QPlainTextEdit(this)),
      m_createPr(new QCheckBox(tr("Open a pull &request instead of committing to main"), this)),
      m_tags(new QLineEdit(this)),
      m_token(new QLabel(this)),
      m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)),
      m_link(new QLabel(this)),
      m_pushButton(new QPushButton(tr("&Push"), this)),
      m_cancelButton(new QPushButton(tr("Cancel"), this)),
      m_closeButton(new QPushButton(tr("Close"), this)) {
  setObjectName(QStringLiteral("pushDialog"));
  setWindowTitle(tr("Push to Hub"));
  m_repo->setObjectName(QStringLiteral("pushRepoEdit"));
  m_private->setObjectName(QStringLiteral("pushPrivateCheck"));
  m_message->setObjectName(QStringLiteral("pushMessageEdit"));
  m_description->setObjectName(QStringLiteral("pushDescriptionEdit"));
  m_createPr->setObjectName(QStringLiteral("pushCreatePrCheck"));
  m_tags->setObjectName(QStringLiteral("pushTagsEdit"));
  m_token->setObjectName(QStringLiteral("pushTokenLabel"));
  m_progress->setObjectName(QStringLiteral("pushProgress"));
  m_status->setObjectName(QStringLiteral("pushStatus"));
  m_link->setObjectName(QStringLiteral("pushResultLink"));
  m_pushButton->setObjectName(QStringLiteral("pushButton"));
  m_cancelButton->setObjectName(QStringLiteral("pushCancelButton"));
  m_closeButton->setObjectName(QStringLiteral("pushCloseButton"));

  m_repo->setPlaceholderText(tr("user-or-org/model-name"));
  m_message->setText(QStringLiteral("Upload with Lathe"));
  m_description->setPlaceholderText(tr("Optional extended description"));
  m_description->setMaximumHeight(80);
  m_tags->setPlaceholderText(tr("comma-separated, e.g. lathe, pruned"));
  m_link->setOpenExternalLinks(true);
  m_link->setTextInteractionFlags(Qt::TextBrowserInteraction);
  m_status->setWordWrap(true);
  m_pushButton->setDefault(true);

  const lathe::hub::HubConfig cfg = lathe::hub::HubConfig::from_environment();
  const bool fromEnv = !qEnvironmentVariableIsEmpty("HF_TOKEN") ||
                       !qEnvironmentVariableIsEmpty("HUGGING_FACE_HUB_TOKEN");
  m_token->setText(cfg.token.empty() ? tr("No token: set HF_TOKEN or log in with `huggingface-cli login`.")
                   : fromEnv        ? tr("Token from the environment (HF_TOKEN); Hub: %1")
                                          .arg(QString::fromStdString(cfg.endpoint))
                                    : tr("Token from the token file; Hub: %1").arg(QString::fromStdString(cfg.endpoint)));

  auto* form = new QFormLayout;
  form->addRow(tr("&Repository:"), m_repo);
  form->addRow(QString(), m_private);
  form->addRow(tr("Commit &message:"), m_message);
  form->addRow(tr("&Description:"), m_description);
  form->addRow(QString(), m_createPr);
  form->addRow(tr("&Tags:"), m_tags);
  form->addRow(tr("Token:"), m_token);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_progress, 1);
  buttons->addWidget(m_cancelButton);
  buttons->addWidget(m_pushButton);
  buttons->addWidget(m_closeButton);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(m_status);
  layout->addWidget(m_link);
  layout->addLayout(buttons);
  resize(560, sizeHint().height());

  connect(m_pushButton, &QPushButton::clicked, this, &PushDialog::push);
  connect(m_cancelButton, &QPushButton::clicked, this, &PushDialog::cancel);
  connect(m_closeButton, &QPushButton::clicked, this, &QDialog::accept);
  connect(m_repo, &QLineEdit::textChanged, this, &PushDialog::updateButtons);
  JobRunner* runner = m_document->jobRunner();
  connect(runner, &JobRunner::progressed, this, &PushDialog::onProgress);
  connect(runner, &JobRunner::jobStarted, this,
          [this](const QString& title) { m_running = m_pushing && title == m_title; });
  updateButtons();
}

PushRequest PushDialog::request() const {
  PushRequest r;
  r.repo = m_repo->text().trimmed();
  for (const QString& t : m_tags->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
    if (!t.trimmed().isEmpty()) r.tags << t.trimmed();
  r.options.message = m_message->text().trimmed().isEmpty() ? std::string("Upload with Lathe")
                                                              : m_message->text().trimmed().toStdString();
  r.options.description = m_description->toPlainText().toStdString();
  r.options.is_private = m_private->isChecked();
  r.options.create_pr = m_createPr->isChecked();
  return r;
}

void PushDialog::setRepoId(const QString& repo) { m_repo->setText(repo); }

void PushDialog::push() {
  if (m_pushing || !m_document->isLive()) return;
  const PushRequest req = request();
  if (!lathe::hub::valid_repo_id(req.repo.toStdString())) {
    MessageBox::warning(this, tr("Push to Hub"), tr("“%1” is not a repository id.").arg(req.repo),
                        tr("Use the form user-or-org/model-name."));
    return;
  }
  m_pushing = true;
  m_resultUrl.clear();
  m_link->clear();
  m_title = tr("Pushing to %1").arg(req.repo);
  m_status->setText(tr("Waiting for the running job…"));
  m_progress->setRange(0, 0);
  updateButtons();
  m_document->runOnSession<lathe::hub::PushResult>(
      m_title,
      [req](lathe::Session& session, lathe::ProgressSink& progress) {
        lathe::check_progress(&progress, "saving", 0, 0);  // cancelled while queued
        QTemporaryDir staging;
        if (!staging.isValid())
          throw lathe::Error(lathe::ErrorCode::Io, "cannot create a staging folder", {});
        const std::string dir = staging.filePath(QStringLiteral("model")).toStdString();
        session.save(dir, lathe::SaveOptions{}, &progress);
        writeModelCard(QString::fromStdString(dir), req.repo, req.tags);
        lathe::hub::HubClient client(lathe::hub::HubConfig::from_environment());
        return client.push(dir, req.repo.toStdString(), req.options, &progress);
      },
      this, [this](lathe::hub::PushResult&& r) { finished(r); },
      [this](const JobFailure& f) { failed(f); });
}

void PushDialog::cancel() {
  if (m_running) m_document->jobRunner()->cancel();
}

void PushDialog::reject() {
  // Escape or the window's close button while pushing cancels first.
  if (m_pushing) {
    cancel();
    return;
  }
  QDialog::reject();
}

void PushDialog::onProgress(const QString& stage, qint64 done, qint64 total) {
  if (!m_running) return;
  if (total > 0) {
    m_progress->setRange(0, 1000);
    m_progress->setValue(static_cast<int>(done * 1000 / total));
    m_status->setText(tr("%1: %2 of %3").arg(stage, formatBytes(static_cast<quint64>(done)),
                                             formatBytes(static_cast<quint64>(total))));
  } else {
    m_progress->setRange(0, 0);
    m_status->setText(stage);
  }
}

void PushDialog::finished(const lathe::hub::PushResult& result) {
  m_pushing = m_running = false;
  m_resultUrl = QString::fromStdString(result.pull_request_url.empty() ? result.commit_url
                                                                        : result.pull_request_url);
  m_progress->setRange(0, 1);
  m_progress->setValue(1);
  m_status->setText(tr("Pushed %n file(s).", nullptr, static_cast<int>(result.uploaded.size())));
  m_link->setText(QStringLiteral("<a href=\"%1\">%2</a>")
                      .arg(m_resultUrl.toHtmlEscaped(), (result.pull_request_url.empty() ? tr("View the commit")
                                                                                          : tr("View the pull request"))
                                                            .toHtmlEscaped()));
  m_link->setToolTip(m_resultUrl);
  updateButtons();
  emit pushed(m_resultUrl);
}

void PushDialog::failed(const JobFailure& failure) {
  m_pushing = m_running = false;
  m_progress->reset();
  updateButtons();
  if (failure.cancelled) {
    m_status->setText(tr("Push cancelled."));
    return;
  }
  m_status->clear();
  MessageBox::critical(this, tr("Push to Hub"), tr("Could not push “%1”.").arg(request().repo),
                       errorText(failure), errorDetails(failure));
}

void PushDialog::updateButtons() {
  m_pushButton->setEnabled(!m_pushing && m_document->isLive() && !m_repo->text().trimmed().isEmpty());
  m_cancelButton->setEnabled(m_pushing);
  m_closeButton->setEnabled(!m_pushing);
  for (QWidget* w : std::initializer_list<QWidget*>{m_repo, m_private, m_message, m_description, m_createPr, m_tags})
    w->setEnabled(!m_pushing);
}

}  // namespace lathe::ui
