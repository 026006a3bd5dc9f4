// The hub browser driven like a user: search, filter, open a model page
// (card rendered without its YAML front matter, files with sizes), download
// into the HF cache (progress, cancel), open. Server: ours, on 127.0.0.1.
#include "bridge/job_runner.h"
#include "dialogs/message_box.h"
#include "hub/hub_browser.h"
#include "hub/hub_data.h"
#include "hub/hub_model_page.h"
#include "hub/hub_search_model.h"
#include "live_hub.h"
#include "models/string_table_model.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTextBrowser>
#include <QtTest>

using namespace lathe::ui;

namespace {
QString fixtureDir() {
  return QStringLiteral(LATHE_FIXTURES_DIR "/cases/gpt2_lm_s0/model_safetensors");
}
}  // namespace

class TestHubBrowser : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cleanupTestCase();
  void stripsFrontMatter();
  void searchFiltersAndSorts();
  void modelPageRendersCardAndFiles();
  void downloadThenOpen();
  void downloadCancelIsNotAnError();
  void unknownRepoShowsCodedError();

 private:
  std::unique_ptr<lathe::test::LiveHub> m_hub;
};

void TestHubBrowser::initTestCase() {
  if (!QFileInfo::exists(fixtureDir())) QSKIP("HF reference fixtures not found");
  MessageBox::setDefaultAnswer(QMessageBox::Ok);
  m_hub = std::make_unique<lathe::test::LiveHub>();
  m_hub->pushFixture(fixtureDir(), "alice/tiny-gpt2");
  m_hub->pushFixture(fixtureDir(), "alice/other-model");
}

void TestHubBrowser::cleanupTestCase() { m_hub.reset(); }

void TestHubBrowser::stripsFrontMatter() {
  QCOMPARE(stripFrontMatter(QStringLiteral("---\nlicense: mit\n---\n# Title\n")), QStringLiteral("# Title"));
  // No closing fence: the text is not front matter and stays whole.
  QCOMPARE(stripFrontMatter(QStringLiteral("---\nnot closed\n")), QStringLiteral("---\nnot closed\n"));
  QCOMPARE(stripFrontMatter(QStringLiteral("# Plain\n")), QStringLiteral("# Plain\n"));
}

void TestHubBrowser::searchFiltersAndSorts() {
  JobRunner runner;
  HubBrowser browser(&runner);
  QAbstractItemModelTester tester(browser.resultsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  QSignalSpy finished(&browser, &HubBrowser::searchFinished);

  browser.findChild<QLineEdit*>(QStringLiteral("hubSearchEdit"))->setText(QStringLiteral("tiny"));
  QTest::mouseClick(browser.findChild<QPushButton*>(QStringLiteral("hubSearchButton")), Qt::LeftButton);
  QTRY_COMPARE(finished.count(), 1);
  QCOMPARE(browser.resultsModel()->rowCount(), 1);
  const QModelIndex id = browser.resultsModel()->index(0, HubSearchModel::ModelColumn);
  QCOMPARE(id.data().toString(), QStringLiteral("alice/tiny-gpt2"));
  QCOMPARE(browser.resultsModel()->index(0, HubSearchModel::TaskColumn).data().toString(),
           QStringLiteral("text-generation"));
  QCOMPARE(browser.resultsModel()->index(0, HubSearchModel::LibraryColumn).data().toString(),
           QStringLiteral("transformers"));
  QVERIFY(browser.resultsModel()->index(0, HubSearchModel::UpdatedColumn).data(HubSearchModel::SortRole)
              .toDateTime().isValid());

  // Both repos by author; a task filter nobody matches gives none.
  browser.searchEdit()->clear();
  browser.findChild<QLineEdit*>(QStringLiteral("hubAuthorEdit"))->setText(QStringLiteral("alice"));
  browser.search();
  QTRY_COMPARE(finished.count(), 2);
  QCOMPARE(browser.resultsModel()->rowCount(), 2);
  browser.findChild<QComboBox*>(QStringLiteral("hubTaskCombo"))->setCurrentText(QStringLiteral("fill-mask"));
  browser.search();
  QTRY_COMPARE(finished.count(), 3);
  QCOMPARE(browser.resultsModel()->rowCount(), 0);
  browser.findChild<QComboBox*>(QStringLiteral("hubTaskCombo"))->setCurrentText(QStringLiteral("text-generation"));
  browser.search();
  QTRY_COMPARE(finished.count(), 4);
  QCOMPARE(browser.resultsModel()->rowCount(), 2);
  QCOMPARE(browser.request().sort, QStringLiteral("downloads"));
}

void TestHubBrowser::modelPageRendersCardAndFiles() {
  JobRunner runner;
  HubBrowser browser(&runner);
  QSignalSpy finished(&browser, &HubBrowser::searchFinished);
  QSignalSpy loaded(browser.modelPage(), &HubModelPageView::pageLoaded);
  browser.searchEdit()->setText(QStringLiteral("tiny-gpt2"));
  browser.search();
  QTRY_COMPARE(finished.count(), 1);
  browser.resultsView()->setCurrentIndex(browser.resultsModel()->index(0, 0));
  QTRY_COMPARE(loaded.count(), 1);

  const QString card = browser.modelPage()->cardView()->toPlainText();
  QVERIFY2(card.contains(QStringLiteral("Tiny GPT-2")), qPrintable(card));
  QVERIFY2(!card.contains(QStringLiteral("license: mit")), qPrintable(card));  // front matter stripped
  QVERIFY(!card.contains(QStringLiteral("**")));                                 // markdown rendered
  // Files: the fixture's three + README (+ the .gitattributes a new repo starts with), sizes as on disk.
  QStringList files = browser.modelPage()->fileModel()->column(0);
  files.removeAll(QStringLiteral(".gitattributes"));
  files.sort();
  QCOMPARE(files, (QStringList{"README.md", "config.json", "generation_config.json", "model.safetensors"}));
  quint64 onDisk = 0;
  for (const auto& f : browser.modelPage()->page().files) {
    if (f.path == QStringLiteral("README.md")) QCOMPARE(f.size, quint64(qstrlen(lathe::test::kFixtureCard)));
    else if (f.path != QStringLiteral(".gitattributes"))
      QCOMPARE(f.size, quint64(QFileInfo(fixtureDir() + '/' + f.path).size()));
    onDisk += f.size;
  }
  QCOMPARE(browser.modelPage()->page().totalSize, onDisk);
}

void TestHubBrowser::downloadThenOpen() {
  JobRunner runner;
  HubModelPageView page(&runner);
  QSignalSpy loaded(&page, &HubModelPageView::pageLoaded);
  QSignalSpy downloaded(&page, &HubModelPageView::downloadFinished);
  QSignalSpy open(&page, &HubModelPageView::openRequested);
  QSignalSpy progress(&runner, &JobRunner::progressed);
  page.showModel(QStringLiteral("alice/tiny-gpt2"));
  QTRY_COMPARE(loaded.count(), 1);
  QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("hubDownloadButton")), Qt::LeftButton);
  QTRY_COMPARE(downloaded.count(), 1);
  const QString snapshot = downloaded.at(0).at(0).toString();
  // The HF cache layout: models--alice--tiny-gpt2/snapshots/<commit>.
  QVERIFY2(snapshot.startsWith(m_hub->cacheDir() + QStringLiteral("/models--alice--tiny-gpt2/snapshots/")),
           qPrintable(snapshot));
  QCOMPARE(QFileInfo(snapshot + QStringLiteral("/model.safetensors")).size(),
           QFileInfo(fixtureDir() + QStringLiteral("/model.safetensors")).size());
  QVERIFY(progress.count() > 0);
  QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("hubOpenButton")), Qt::LeftButton);
  QCOMPARE(open.count(), 1);
  QCOMPARE(open.at(0).at(0).toString(), snapshot);
}

void TestHubBrowser::downloadCancelIsNotAnError() {
  JobRunner runner;
  HubModelPageView page(&runner);
  QSignalSpy loaded(&page, &HubModelPageView::pageLoaded);
  QSignalSpy cancelled(&runner, &JobRunner::jobCancelled);
  QSignalSpy downloaded(&page, &HubModelPageView::downloadFinished);
  page.showModel(QStringLiteral("alice/other-model"));
  QTRY_COMPARE(loaded.count(), 1);
  MessageBox::clearHistory();
  // jobStarted is emitted before the worker starts: pressing Cancel then
  // stops the download at its first progress report, deterministically.
  connect(&runner, &JobRunner::jobStarted, &page, [&page](const QString& title) {
    if (title.startsWith(QStringLiteral("Downloading"))) {
      QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("hubCancelButton")), Qt::LeftButton);
    }
  });
  page.download();
  QVERIFY(page.isDownloading());
  QTRY_VERIFY(!page.isDownloading());
  QCOMPARE(cancelled.count(), 1);
  QCOMPARE(downloaded.count(), 0);
  QVERIFY(page.snapshotPath().isEmpty());
  QCOMPARE(MessageBox::history().size(), 0);  // cancel is not an error
}

void TestHubBrowser::unknownRepoShowsCodedError() {
  JobRunner runner;
  HubModelPageView page(&runner);
  QSignalSpy failed(&runner, &JobRunner::jobFailed);
  MessageBox::clearHistory();
  page.showModel(QStringLiteral("alice/does-not-exist"));
  QTRY_COMPARE(failed.count(), 1);
  QCOMPARE(failed.at(0).at(1).value<JobFailure>().code, lathe::ErrorCode::NotFound);
  QCOMPARE(MessageBox::history().size(), 1);
  QVERIFY(MessageBox::history().at(0).details.contains(QStringLiteral("not_found")));
}

int runHubBrowserTests(int argc, char** argv) {
  TestHubBrowser t;
  return QTest::qExec(&t, argc, argv);
}

#include "tst_hub_browser.moc"
