// Text in Try It and the Memory view, offscreen, through the real widgets: a
// GPT-2 fixture with tiny-random-gpt2's tokenizer.json beside it (1000 tokens;
// the weights' 517 ids are resized to 1000 to match), the chips against
// lathe::Tokenizer (the engine is the reference), tooltips, special tokens,
// ids mode, the reasons an input is refused, decoded output, and a folder
// without tokenizer.
#include "bridge/engine_document.h"
#include "dialogs/message_box.h"
#include "mainwindow/main_window.h"
#include "memory/memory_view.h"
#include "text/auto_tokenizer.h"
#include "widgets/token_chips.h"
#include "widgets/try_panel.h"

#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QHelpEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTextEdit>
#include <QToolTip>
#include <QtTest>

using namespace lathe::ui;

namespace {

QString fixtureDir() { return QStringLiteral(LATHE_FIXTURES_DIR "/cases/gpt2_lm_s0/model_safetensors"); }
QString tokenizerFile() {
  return QStringLiteral(LATHE_FIXTURES_DIR "/../tokenizers/tiny-random-gpt2/tokenizer.json");
}

template <class T>
T* child(QObject* parent, const char* name) {
  auto* found = parent->findChild<T*>(QLatin1String(name));
  if (!found) qWarning("no child %s", name);
  return found;
}

std::vector<qint64> chipIds(const TokenChips* chips) {
  std::vector<qint64> ids;
  for (int i = 0; i < chips->count(); ++i) ids.push_back(chips->chip(i).id);
  return ids;
}

std::vector<qint64> asQt(const std::vector<std::uint32_t>& ids) { return {ids.begin(), ids.end()}; }

}  // namespace

class TestTokens : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();

  void visibleTokenMarksWhitespace();
  void textPromptChipsFollowTheEngine();
  void idsModeExplainsOutOfVocabulary();
  void folderWithoutTokenizerFallsBackToIds();
  void memoryViewTokenizesLines();

 private:
  /// Loads the fixture + tokenizer folder; with `resize`, the vocabulary becomes the tokenizer's 1000.
  bool loadWithTokenizer(MainWindow& window, bool resize);
  QTemporaryDir m_dir;
};

void TestTokens::initTestCase() {
  if (!QFileInfo::exists(fixtureDir()) || !QFileInfo::exists(tokenizerFile()))
    QSKIP("HF reference fixtures or tokenizer data not found");
  QVERIFY(m_dir.isValid());
  for (const QFileInfo& f : QDir(fixtureDir()).entryInfoList(QDir::Files))
    QVERIFY(QFile::copy(f.absoluteFilePath(), m_dir.filePath(f.fileName())));
  QVERIFY(QFile::copy(tokenizerFile(), m_dir.filePath(QStringLiteral("tokenizer.json"))));
}

void TestTokens::init() {
  MessageBox::clearHistory();
  MessageBox::setDefaultAnswer(QMessageBox::Ok);
}

bool TestTokens::loadWithTokenizer(MainWindow& window, bool resize) {
  QSignalSpy finished(window.document(), &EngineDocument::loadFinished);
  window.loadModel(m_dir.path());
  if (!(finished.wait(20000) || finished.count() == 1) || !window.document()->isLive()) return false;
  if (!window.document()->model()->tokenizer) return false;
  if (!resize) return true;
  QSignalSpy edited(window.document(), &EngineDocument::editFinished);
  window.document()->resizeVocabulary(1000, 0, false, 0);
  return (edited.wait(20000) || edited.count() == 1) && window.document()->model()->layout.vocab_size == 1000 &&
         window.document()->model()->tokenizer;  // edits keep the tokenizer
}

void TestTokens::visibleTokenMarksWhitespace() {
  QCOMPARE(visibleToken(QStringLiteral("Ġworld")), QStringLiteral("␣world"));   // byte-level space
  QCOMPARE(visibleToken(QStringLiteral("▁world")), QStringLiteral("␣world"));   // SentencePiece
  QCOMPARE(visibleToken(QStringLiteral("ĊĠĠ")), QStringLiteral("↵␣␣"));
  QCOMPARE(visibleToken(QStringLiteral("Ã©")), QStringLiteral("é"));           // two bytes, one character
  QCOMPARE(visibleToken(QStringLiteral("ðŁ")), QStringLiteral("<0xF0><0x9F>"));  // part of an emoji
  QCOMPARE(visibleToken(QStringLiteral("¨")), QStringLiteral("<0xA8>"));           // a lone continuation byte
  QCOMPARE(visibleToken(QStringLiteral("Ā")), QStringLiteral("<0x00>"));           // a control byte
  QCOMPARE(visibleToken(QStringLiteral("##ing")), QStringLiteral("##ing"));
}

void TestTokens::textPromptChipsFollowTheEngine() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  window.resize(1280, 760);
  window.show();
  QVERIFY(loadWithTokenizer(window, false));
  const lathe::Tokenizer reference = lathe::load_tokenizer(m_dir.path().toStdString());
  auto* panel = window.tryPanel();
  auto* prompt = child<QLineEdit>(panel, "tryPromptEdit");
  auto* generate = child<QPushButton>(panel, "tryGenerateButton");
  auto* status = child<QLabel>(panel, "tryStatusLabel");
  auto* chips = child<TokenChips>(panel, "tryTokenChips");
  QVERIFY(prompt && generate && status && chips);
  QVERIFY(!panel->isIdsMode());  // text by default when the folder has a tokenizer
  QVERIFY(!child<QLabel>(panel, "tryTokenizerLabel")->isVisible());

  // The weights have 517 ids, the tokenizer 1000: a piece beyond says why, and nothing is generated.
  const QString text = QStringLiteral("hello world<|endoftext|> é");
  window.tryDock()->show();
  window.tryDock()->raise();
  prompt->clear();
  QTest::keyClicks(prompt, QStringLiteral("hello world<|endoftext|>"));  // typed ...
  prompt->insert(QStringLiteral(" é"));                                 // ... and pasted (keyClicks is ASCII)
  const lathe::TokenEncoding expected = reference.encode(text.toStdString(), true);
  QTRY_COMPARE(chipIds(chips), asQt(expected.ids));
  QVERIFY(!generate->isEnabled());
  QVERIFY2(status->text().contains(QStringLiteral("517")), qPrintable(status->text()));
  QVERIFY(!status->text().isEmpty() && status->isVisible());

  // Resized to the tokenizer's 1000 ids: the same text can be generated from.
  QSignalSpy edited(window.document(), &EngineDocument::editFinished);
  window.document()->resizeVocabulary(1000, 0, false, 0);
  QVERIFY(edited.wait(20000) || edited.count() == 1);
  QTRY_VERIFY(generate->isEnabled());
  QCOMPARE(chipIds(chips), asQt(expected.ids));
  QCOMPARE(chips->countText(), QStringLiteral("%1 tokens · 1 special").arg(expected.ids.size()));

  // Each chip: its vocabulary entry, id and character offsets on hover; "<|endoftext|>" is special.
  int specials = 0;
  for (int i = 0; i < chips->count(); ++i) {
    const TokenChip& c = chips->chip(i);
    QCOMPARE(c.token, QString::fromStdString(expected.tokens[std::size_t(i)]));
    QCOMPARE(c.start, qint64(expected.offsets[std::size_t(i)].first));
    QCOMPARE(c.end, qint64(expected.offsets[std::size_t(i)].second));
    const QString tip = chips->toolTipFor(i);
    QVERIFY2(tip.contains(QStringLiteral("id %1").arg(c.id)), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("%1–%2").arg(c.start).arg(c.end)), qPrintable(tip));
    const bool special = c.token == QStringLiteral("<|endoftext|>");
    QCOMPARE(c.kind == TokenChip::Kind::Special, special);
    specials += special;
    if (c.token.startsWith(QStringLiteral("Ġ")) && !special) QVERIFY(c.text.startsWith(QStringLiteral("␣")));
  }
  QCOMPARE(specials, 1);
  // The real hover: a tooltip event on the chip shows that text.
  const QRect second = chips->chipRect(1);
  QVERIFY(second.isValid() && chips->canvas()->rect().contains(second));
  QHelpEvent hover(QEvent::ToolTip, second.center(), chips->canvas()->mapToGlobal(second.center()));
  QCoreApplication::sendEvent(chips->canvas(), &hover);
  QTRY_VERIFY(QToolTip::isVisible());
  QCOMPARE(QToolTip::text(), chips->toolTipFor(1));
  QToolTip::hideText();

  // Generate: the output is text, the continuation set apart, the ids on demand.
  child<QSpinBox>(panel, "tryMaxNewTokensSpin")->setValue(6);
  QSignalSpy generated(panel, &TryPanel::generated);
  QTest::mouseClick(generate, Qt::LeftButton);
  QVERIFY(generated.wait(20000));
  const auto& out = panel->outputIds();
  QCOMPARE(out.size(), expected.ids.size() + 6);
  QCOMPARE(panel->outputPromptLength(), expected.ids.size());
  QCOMPARE(std::vector<qint64>(out.begin(), out.begin() + qint64(expected.ids.size())), asQt(expected.ids));
  std::vector<std::uint32_t> all(out.begin(), out.end());
  const QString full = QString::fromStdString(reference.decode(all, false));
  QCOMPARE(panel->outputPromptText() + panel->outputNewText(), full);
  QCOMPARE(panel->outputPromptText(), text);  // byte-level BPE gives the prompt back as typed
  auto* output = child<QTextEdit>(panel, "tryOutputEdit");
  QCOMPARE(output->toPlainText(), full);
  QVERIFY(output->toolTip().contains(QString::number(out.back())));
  auto* showIds = child<QCheckBox>(panel, "tryShowIdsCheck");
  QVERIFY(showIds->isEnabled());
  showIds->setChecked(true);
  QVERIFY(output->toPlainText().startsWith(QString::number(out.front()) + QLatin1Char(' ')));
  QVERIFY(output->toPlainText().endsWith(QString::number(out.back())));
  QVERIFY(MessageBox::history().isEmpty());
}

void TestTokens::idsModeExplainsOutOfVocabulary() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  QVERIFY(loadWithTokenizer(window, true));
  const lathe::Tokenizer reference = lathe::load_tokenizer(m_dir.path().toStdString());
  auto* panel = window.tryPanel();
  auto* prompt = child<QLineEdit>(panel, "tryPromptEdit");
  auto* generate = child<QPushButton>(panel, "tryGenerateButton");
  auto* status = child<QLabel>(panel, "tryStatusLabel");
  auto* idsMode = child<QCheckBox>(panel, "tryIdsModeCheck");
  QVERIFY(idsMode->isEnabled() && !idsMode->isChecked());
  prompt->setText(QStringLiteral("Hello there"));
  // Ids mode carries the prompt over as its ids.
  idsMode->click();
  QVERIFY(panel->isIdsMode());
  QStringList ids;
  for (auto id : reference.encode("Hello there", true).ids) ids << QString::number(id);
  QCOMPARE(prompt->text(), ids.join(QLatin1Char(' ')));
  QVERIFY(generate->isEnabled());
  // Not ids, and an id beyond the vocabulary: refused, and the status line says why.
  prompt->setText(QStringLiteral("12 twelve"));
  QVERIFY(!generate->isEnabled());
  QVERIFY2(status->text().contains(QStringLiteral("twelve")), qPrintable(status->text()));
  prompt->setText(QStringLiteral("1 1000"));
  QVERIFY(!generate->isEnabled());
  QVERIFY2(status->text().contains(QStringLiteral("1000")) && status->text().contains(QStringLiteral("vocabulary")),
           qPrintable(status->text()));
  QString error;
  QVERIFY(panel->promptIds(&error).empty());
  QCOMPARE(error, status->text());
  auto* chips = panel->tokenChips();
  QCOMPARE(chips->count(), 2);
  QCOMPARE(chips->chip(1).kind, TokenChip::Kind::Invalid);
  QCOMPARE(chips->chip(0).token, QString::fromStdString(*reference.id_to_token(1)));
  // Id 0 is <|endoftext|>: special in ids mode too.
  prompt->setText(QStringLiteral("0 1"));
  QVERIFY(generate->isEnabled());
  QCOMPARE(chips->chip(0).kind, TokenChip::Kind::Special);
  QVERIFY(chips->toolTipFor(0).contains(QStringLiteral("id 0")));
  // Generating from ids still decodes the output.
  QSignalSpy generated(panel, &TryPanel::generated);
  generate->click();
  QVERIFY(generated.wait(20000));
  std::vector<std::uint32_t> all(panel->outputIds().begin(), panel->outputIds().end());
  QCOMPARE(child<QTextEdit>(panel, "tryOutputEdit")->toPlainText(), QString::fromStdString(reference.decode(all)));
  // Back to text: the ids as their text.
  idsMode->click();
  QVERIFY(!panel->isIdsMode());
  QCOMPARE(prompt->text(), QString::fromStdString(reference.decode({0, 1}, true)));
}

void TestTokens::folderWithoutTokenizerFallsBackToIds() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  window.show();
  QSignalSpy finished(window.document(), &EngineDocument::loadFinished);
  window.loadModel(fixtureDir());
  QVERIFY(finished.wait(20000) || finished.count() == 1);
  QVERIFY(!window.document()->model()->tokenizer && !window.document()->model()->tokenizerError);
  auto* panel = window.tryPanel();
  window.tryDock()->show();
  window.tryDock()->raise();
  auto* line = child<QLabel>(panel, "tryTokenizerLabel");
  QTRY_VERIFY(line->isVisible());
  QVERIFY2(line->text().contains(QStringLiteral("no tokenizer")), qPrintable(line->text()));
  auto* idsMode = child<QCheckBox>(panel, "tryIdsModeCheck");
  QVERIFY(idsMode->isChecked() && !idsMode->isEnabled());
  QVERIFY(panel->isIdsMode());
  child<QLineEdit>(panel, "tryPromptEdit")->setText(QStringLiteral("1 2 3"));
  QVERIFY(child<QPushButton>(panel, "tryGenerateButton")->isEnabled());
  QCOMPARE(panel->tokenChips()->count(), 3);
  // The memory view says the same and keeps ids.
  MemoryView* memory = window.memoryView();
  QVERIFY(memory->isIdsMode());
  auto* memoryLine = child<QLabel>(memory, "memoryInputStatus");
  QVERIFY2(memoryLine->text().contains(QStringLiteral("no tokenizer")), qPrintable(memoryLine->text()));
}

void TestTokens::memoryViewTokenizesLines() {
  MainWindow window(MainWindow::Settings::Ephemeral);
  QVERIFY(loadWithTokenizer(window, true));
  const lathe::Tokenizer reference = lathe::load_tokenizer(m_dir.path().toStdString());
  MemoryView* view = window.memoryView();
  QVERIFY(!view->isIdsMode());
  auto* text = child<QPlainTextEdit>(view, "memoryTextEdit");
  auto* chips = child<TokenChips>(view, "memoryTokenChips");
  auto* run = child<QPushButton>(view, "memoryRunButton");
  text->setPlainText(QStringLiteral("hello world\nhi"));
  // Two rows, padded to the longer with the end-of-text token (this tokenizer sets no padding).
  const auto first = reference.encode("hello world", true).ids;
  const auto second = reference.encode("hi", true).ids;
  QVERIFY(first.size() > second.size());
  QTRY_COMPARE(chips->count(), int(2 * first.size()));
  QCOMPARE(chips->rowCount(), 2);
  for (std::size_t i = 0; i < first.size(); ++i) QCOMPARE(chips->chip(int(i)).id, qint64(first[i]));
  for (std::size_t i = 0; i < second.size(); ++i)
    QCOMPARE(chips->chip(int(first.size() + i)).id, qint64(second[i]));
  const TokenChip& pad = chips->chip(chips->count() - 1);
  QCOMPARE(pad.kind, TokenChip::Kind::Padding);
  QCOMPARE(pad.id, qint64(*reference.token_to_id("<|endoftext|>")));
  QVERIFY(child<QLabel>(view, "memoryInputStatus")->text().contains(QStringLiteral("<|endoftext|>")));
  QSignalSpy ready(view, &MemoryView::reportReady);
  QVERIFY(run->isEnabled());
  run->click();
  QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
  QVERIFY(view->report() && !view->report()->modules.empty());
  QVERIFY(MessageBox::history().isEmpty());
  // Ids mode keeps ';'-separated rows: the text's ids, padding dropped.
  child<QCheckBox>(view, "memoryIdsModeCheck")->click();
  QVERIFY(view->isIdsMode());
  QVERIFY(child<QLineEdit>(view, "memoryIdsEdit")->text().contains(QLatin1Char(';')));
  // Ragged ids rows and ids beyond the vocabulary are refused with a reason.
  view->setTokenIds(QStringLiteral("1 2; 3"));
  QVERIFY(!run->isEnabled());
  QVERIFY(!view->inputProblem().isEmpty());
  view->setTokenIds(QStringLiteral("1 5000"));
  QVERIFY(!run->isEnabled());
  QVERIFY(view->inputProblem().contains(QStringLiteral("5000")));
}

int runTokenTests(int argc, char** argv) {
  TestTokens test;
  return QTest::qExec(&test, argc, argv);
}

#include "tst_tokens.moc"
