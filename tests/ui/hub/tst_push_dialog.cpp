// The push dialog against our hub server: save into staging + push as one
// job, tags in the model card, a link to the commit / pull request, cancel.
#include "bridge/engine_document.h"
#include "bridge/job_runner.h"
#include "dialogs/message_box.h"
#include "dialogs/push_dialog.h"
#include "hub/hub_data.h"
#include "live_hub.h"

#include <QCheckBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace lathe::ui;

namespace {
QString gpt2Dir() { return QStringLiteral(LATHE_FIXTURES_DIR "/cases/gpt2_lm_s0/model_safetensors"); }
}  // namespace

class TestPushDialog : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cleanupTestCase();
  void pushesWithTagsAndLink();
  void createsPullRequest();
  void cancelIsNotAnError();
  void badTokenIsAuthError();

 private:
  std::unique_ptr<lathe::test::LiveHub> m_hub;
  std::unique_ptr<EngineDocument> m_doc;
};

void TestPushDialog::initTestCase() {
  if (!QFileInfo::exists(gpt2Dir())) QSKIP("HF reference fixtures not found");
  MessageBox::setDefaultAnswer(QMessageBox::Ok);
  m_hub = std::make_unique<lathe::test::LiveHub>();
  m_doc = std::make_unique<EngineDocument>();
  QSignalSpy loaded(m_doc.get(), &EngineDocument::loadFinished);
  m_doc->load(gpt2Dir());
  QTRY_COMPARE(loaded.count(), 1);
}

void TestPushDialog::cleanupTestCase() {
  m_doc.reset();
  m_hub.reset();
}

void TestPushDialog::pushesWithTagsAndLink() {
  MessageBox::clearHistory();
  PushDialog dialog(m_doc.get());
  QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("pushTokenLabel"))->text().contains(m_hub->url()));
  dialog.findChild<QLineEdit*>(QStringLiteral("pushRepoEdit"))->setText(QStringLiteral("alice/pushed"));
  dialog.findChild<QLineEdit*>(QStringLiteral("pushTagsEdit"))->setText(QStringLiteral("lathe, pruned"));
  dialog.findChild<QLineEdit*>(QStringLiteral("pushMessageEdit"))->setText(QStringLiteral("First push"));
  QSignalSpy pushed(&dialog, &PushDialog::pushed);
  QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("pushButton")), Qt::LeftButton);
  QTRY_COMPARE(pushed.count(), 1);
  QCOMPARE(MessageBox::history().size(), 0);
  const QString url = dialog.resultUrl();
  QVERIFY2(url.startsWith(m_hub->url() + QStringLiteral("/alice/pushed/commit/")), qPrintable(url));
  QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("pushResultLink"))->text().contains(url));

  // What arrived: the saved weights, config and the card with the tags.
  lathe::NullProgress none;
  const HubModelPage page = fetchHubModelPage(QStringLiteral("alice/pushed"), QStringLiteral("main"), none);
  QStringList files;
  for (const auto& f : page.files) files << f.path;
  QVERIFY(files.contains(QStringLiteral("model.safetensors")));
  QVERIFY(files.contains(QStringLiteral("config.json")));
  QVERIFY(files.contains(QStringLiteral("README.md")));
  QVERIFY(page.row.tags.contains(QStringLiteral("lathe")));
  QVERIFY(page.row.tags.contains(QStringLiteral("pruned")));
  QCOMPARE(page.row.libraryName, QStringLiteral("transformers"));
}

void TestPushDialog::createsPullRequest() {
  PushDialog dialog(m_doc.get());
  dialog.setRepoId(QStringLiteral("alice/pushed"));
  dialog.findChild<QCheckBox*>(QStringLiteral("pushCreatePrCheck"))->setChecked(true);
  dialog.findChild<QLineEdit*>(QStringLiteral("pushTagsEdit"))->setText(QStringLiteral("second"));
  QSignalSpy pushed(&dialog, &PushDialog::pushed);
  dialog.push();
  QTRY_COMPARE(pushed.count(), 1);
  QVERIFY2(dialog.resultUrl().contains(QStringLiteral("/alice/pushed/discussions/")), qPrintable(dialog.resultUrl()));
}

void TestPushDialog::cancelIsNotAnError() {
  MessageBox::clearHistory();
  PushDialog dialog(m_doc.get());
  dialog.setRepoId(QStringLiteral("alice/cancelled"));
  JobRunner* runner = m_doc->jobRunner();
  QSignalSpy cancelled(runner, &JobRunner::jobCancelled);
  // jobStarted comes before the worker runs: Cancel then stops the job at its first report.
  connect(runner, &JobRunner::jobStarted, &dialog, [&dialog](const QString& title) {
    if (title.startsWith(QStringLiteral("Pushing")))
      QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("pushCancelButton")), Qt::LeftButton);
  });
  dialog.push();
  QVERIFY(dialog.isPushing());
  QTRY_VERIFY(!dialog.isPushing());
  QCOMPARE(cancelled.count(), 1);
  QVERIFY(dialog.resultUrl().isEmpty());
  QCOMPARE(MessageBox::history().size(), 0);
  // Nothing reached the server.
  lathe::NullProgress none;
  try {
    fetchHubModelPage(QStringLiteral("alice/cancelled"), QStringLiteral("main"), none);
    QFAIL("the cancelled repo exists");
  } catch (const lathe::Error& e) {
    QCOMPARE(e.code(), lathe::ErrorCode::NotFound);
  }
}

void TestPushDialog::badTokenIsAuthError() {
  MessageBox::clearHistory();
  qputenv("HF_TOKEN", "hf_wrong");
  PushDialog dialog(m_doc.get());
  dialog.setRepoId(QStringLiteral("alice/denied"));
  QSignalSpy failed(m_doc->jobRunner(), &JobRunner::jobFailed);
  dialog.push();
  QTRY_COMPARE(failed.count(), 1);
  qputenv("HF_TOKEN", "hf_alice");
  QCOMPARE(failed.at(0).at(1).value<JobFailure>().code, lathe::ErrorCode::Auth);
  QCOMPARE(MessageBox::history().size(), 1);
  QCOMPARE(MessageBox::history().at(0).icon, QMessageBox::Critical);
}

int runPushDialogTests(int argc, char** argv) {
  TestPushDialog t;
  return QTest::qExec(&t, argc, argv);
}

#include "tst_push_dialog.moc"
