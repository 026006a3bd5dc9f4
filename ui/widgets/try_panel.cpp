#include "widgets/try_panel.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "text/tokenizer.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTextCursor>
#include <QTextEdit>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

namespace lathe::ui {
namespace {

constexpr int kChipDelayMs = 150;  // typing pauses this long before the chips follow

QString joinIds(const std::vector<qint64>& ids, std::size_t from, std::size_t to) {
  QStringList parts;
  for (std::size_t i = from; i < std::min(to, ids.size()); ++i) parts << QString::number(ids[i]);
  return parts.join(QLatin1Char(' '));
}

}  // namespace

TryPanel::TryPanel(EngineDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_infoLabel(new QLabel(this)),
      m_tokenizerLabel(new QLabel(this)),
      m_promptEdit(new QLineEdit(this)),
      m_idsCheck(new QCheckBox(tr("Token &ids"), this)),
      m_chips(new TokenChips(this)),
      m_maxNewSpin(new QSpinBox(this)),
      m_greedyRadio(new QRadioButton(tr("&Greedy"), this)),
      m_sampleRadio(new QRadioButton(tr("Sa&mpling"), this)),
      m_temperatureSpin(new QDoubleSpinBox(this)),
      m_topKSpin(new QSpinBox(this)),
      m_topPSpin(new QDoubleSpinBox(this)),
      m_seedSpin(new QSpinBox(this)),
      m_generateButton(new QPushButton(tr("&Generate"), this)),
      m_outputEdit(new QTextEdit(this)),
      m_showIdsCheck(new QCheckBox(tr("Show &ids"), this)),
      m_statusLabel(new QLabel(this)),
      m_chipTimer(new QTimer(this)) {
  setObjectName(QStringLiteral("tryPanel"));
  m_infoLabel->setObjectName(QStringLiteral("tryInfoLabel"));
  m_infoLabel->setWordWrap(true);
  m_tokenizerLabel->setObjectName(QStringLiteral("tryTokenizerLabel"));
  m_tokenizerLabel->setWordWrap(true);
  m_tokenizerLabel->setStyleSheet(QStringLiteral("QLabel { background: #fef3c7; color: #78350f; "
                                                 "border: 1px solid #f59e0b; border-radius: 4px; padding: 4px; }"));
  m_tokenizerLabel->hide();
  m_promptEdit->setObjectName(QStringLiteral("tryPromptEdit"));
  m_idsCheck->setObjectName(QStringLiteral("tryIdsModeCheck"));
  m_idsCheck->setToolTip(tr("Type token ids (separated by spaces) instead of text"));
  m_chips->setObjectName(QStringLiteral("tryTokenChips"));
  m_chips->setMaximumLines(3);
  m_maxNewSpin->setObjectName(QStringLiteral("tryMaxNewTokensSpin"));
  m_maxNewSpin->setRange(1, 4096);
  m_maxNewSpin->setValue(20);
  m_greedyRadio->setObjectName(QStringLiteral("tryGreedyRadio"));
  m_sampleRadio->setObjectName(QStringLiteral("trySampleRadio"));
  m_greedyRadio->setChecked(true);
  auto* modeGroup = new QButtonGroup(this);
  modeGroup->addButton(m_greedyRadio);
  modeGroup->addButton(m_sampleRadio);
  m_temperatureSpin->setObjectName(QStringLiteral("tryTemperatureSpin"));
  m_temperatureSpin->setRange(0.01, 10.0);
  m_temperatureSpin->setSingleStep(0.1);
  m_temperatureSpin->setValue(1.0);
  m_topKSpin->setObjectName(QStringLiteral("tryTopKSpin"));
  m_topKSpin->setRange(0, 1'000'000);
  m_topKSpin->setValue(50);
  m_topKSpin->setSpecialValueText(tr("off"));
  m_topPSpin->setObjectName(QStringLiteral("tryTopPSpin"));
  m_topPSpin->setRange(0.01, 1.0);
  m_topPSpin->setSingleStep(0.05);
  m_topPSpin->setValue(1.0);
  m_seedSpin->setObjectName(QStringLiteral("trySeedSpin"));
  m_seedSpin->setRange(0, 2'147'483'647);
  m_generateButton->setObjectName(QStringLiteral("tryGenerateButton"));
  m_outputEdit->setObjectName(QStringLiteral("tryOutputEdit"));
  m_outputEdit->setReadOnly(true);
  m_outputEdit->setPlaceholderText(tr("The prompt and its continuation appear here."));
  m_showIdsCheck->setObjectName(QStringLiteral("tryShowIdsCheck"));
  m_showIdsCheck->setToolTip(tr("Show the output as token ids"));
  m_statusLabel->setObjectName(QStringLiteral("tryStatusLabel"));
  m_statusLabel->setWordWrap(true);
  m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_chipTimer->setSingleShot(true);
  m_chipTimer->setInterval(kChipDelayMs);

  // Compact: the dock is often a short tab beside Edit; sampling settings show only when sampling.
  auto* promptLabel = new QLabel(tr("&Prompt:"), this);
  promptLabel->setBuddy(m_promptEdit);
  auto* maxNewLabel = new QLabel(tr("Max &new tokens:"), this);
  maxNewLabel->setBuddy(m_maxNewSpin);
  auto* input = new QGridLayout;
  input->addWidget(promptLabel, 0, 0);
  auto* promptRow = new QHBoxLayout;
  promptRow->addWidget(m_promptEdit, 1);
  promptRow->addWidget(m_idsCheck);
  input->addLayout(promptRow, 0, 1);
  input->addWidget(m_chips, 1, 1);
  input->addWidget(maxNewLabel, 2, 0);
  auto* settings = new QHBoxLayout;
  settings->addWidget(m_maxNewSpin);
  settings->addSpacing(12);
  settings->addWidget(m_greedyRadio);
  settings->addWidget(m_sampleRadio);
  settings->addStretch(1);
  input->addLayout(settings, 2, 1);
  input->setColumnStretch(1, 1);

  m_samplingBox = new QGroupBox(tr("Sampling"), this);
  m_samplingBox->setObjectName(QStringLiteral("trySamplingBox"));
  auto* samplingGrid = new QGridLayout(m_samplingBox);
  int cell = 0;
  for (auto [label, field] : {std::pair<QString, QWidget*>{tr("T&emperature:"), m_temperatureSpin},
                              {tr("Top-&k:"), m_topKSpin},
                              {tr("Top-&p:"), m_topPSpin},
                              {tr("&Seed:"), m_seedSpin}}) {
    auto* l = new QLabel(label, m_samplingBox);
    l->setBuddy(field);
    samplingGrid->addWidget(l, cell / 2, (cell % 2) * 2);
    samplingGrid->addWidget(field, cell / 2, (cell % 2) * 2 + 1);
    ++cell;
  }
  samplingGrid->setColumnStretch(1, 1);
  samplingGrid->setColumnStretch(3, 1);

  auto* run = new QHBoxLayout;
  run->addWidget(m_statusLabel, 1);
  run->addWidget(m_generateButton, 0, Qt::AlignTop);

  auto* outputBox = new QGroupBox(tr("Output"), this);
  auto* outputLayout = new QVBoxLayout(outputBox);
  outputLayout->setContentsMargins(6, 4, 6, 4);
  m_outputEdit->setMinimumHeight(m_outputEdit->fontMetrics().lineSpacing() * 3 + 10);
  outputLayout->addWidget(m_outputEdit, 1);
  outputLayout->addWidget(m_showIdsCheck);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_infoLabel);
  layout->addWidget(m_tokenizerLabel);
  layout->addLayout(input);
  layout->addWidget(m_samplingBox);
  layout->addLayout(run);
  layout->addWidget(outputBox, 1);

  connect(m_sampleRadio, &QRadioButton::toggled, this, &TryPanel::updateSampling);
  connect(m_promptEdit, &QLineEdit::textChanged, this, &TryPanel::promptEdited);
  connect(m_promptEdit, &QLineEdit::returnPressed, this, &TryPanel::generate);
  connect(m_idsCheck, &QCheckBox::toggled, this, &TryPanel::idsModeToggled);
  connect(m_chipTimer, &QTimer::timeout, this, &TryPanel::updateChips);
  connect(m_showIdsCheck, &QCheckBox::toggled, this, &TryPanel::showOutput);
  connect(m_generateButton, &QPushButton::clicked, this, &TryPanel::generate);
  connect(m_document, &EngineDocument::changed, this, &TryPanel::documentChanged);
  updateSampling();
  documentChanged();
}

const lathe::Tokenizer* TryPanel::tokenizer() const {
  const auto model = m_document->model();
  return model ? model->tokenizer.get() : nullptr;
}

bool TryPanel::isIdsMode() const { return m_wantIds || (m_document->model() && !tokenizer()); }

void TryPanel::setPrompt(const QString& prompt) { m_promptEdit->setText(prompt); }

void TryPanel::setIdsMode(bool ids) {
  if (m_idsCheck->isEnabled()) {
    m_idsCheck->setChecked(ids);
  } else {
    m_wantIds = ids;
    updateChips();
  }
}

std::vector<std::int64_t> TryPanel::promptIds(QString* error) const {
  Prompt p = analyse();
  if (error) *error = p.error;
  return p.error.isEmpty() ? p.ids : std::vector<std::int64_t>{};
}

TryPanel::Prompt TryPanel::analyse(ChipRow* chips) const {
  const auto model = m_document->model();
  const qint64 vocab = model && model->live ? model->layout.vocab_size : 0;
  const lathe::Tokenizer* tok = tokenizer();
  if (!model) return {{}, tr("Load a model to try it.")};
  if (!isIdsMode() && tok) return analyseText(*tok, vocab, chips);
  return analyseIds(tok, vocab, chips);
}

TryPanel::Prompt TryPanel::analyseText(const lathe::Tokenizer& tok, qint64 vocab, ChipRow* chips) const {
  Prompt p;
  const QString text = m_promptEdit->text();
  if (text.isEmpty()) {
    p.error = tr("Type a prompt.");
    return p;
  }
  lathe::TokenEncoding encoding;
  if (!encodeText(tok, text, &encoding, &p.error)) return p;
  ChipRow row = chipsFromEncoding(encoding, &tok);
  for (int i = 0; i < row.size(); ++i) {
    TokenChip& c = row[i];
    p.ids.push_back(c.id);
    if (vocab > 0 && c.id >= vocab) {
      c.kind = TokenChip::Kind::Invalid;
      c.note = TokenChips::tr("beyond the model's vocabulary of %1 ids").arg(vocab);
      if (p.error.isEmpty())
        p.error = tr("“%1” is token %2, beyond the model's vocabulary of %3 ids: the tokenizer does not "
                     "belong to these weights.")
                      .arg(c.text)
                      .arg(c.id)
                      .arg(vocab);
    }
  }
  if (p.ids.empty() && p.error.isEmpty()) p.error = tr("The prompt has no tokens.");
  if (chips) *chips = std::move(row);
  return p;
}

TryPanel::Prompt TryPanel::analyseIds(const lathe::Tokenizer* tok, qint64 vocab, ChipRow* chips) const {
  Prompt p;
  static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
  const QStringList parts = m_promptEdit->text().split(separators, Qt::SkipEmptyParts);
  for (const QString& part : parts) {
    bool ok = false;
    const qint64 id = part.toLongLong(&ok);
    if (!ok || id < 0) {
      p.error = tr("“%1” is not a token id: type ids (whole numbers from 0) separated by spaces.").arg(part);
      break;
    }
    if (vocab > 0 && id >= vocab && p.error.isEmpty())
      p.error = tr("Token id %1 is beyond the model's vocabulary of %2 ids (0 to %3).").arg(id).arg(vocab).arg(vocab - 1);
    p.ids.push_back(id);
  }
  if (parts.isEmpty()) p.error = tr("Type token ids separated by spaces.");
  if (chips) *chips = chipsFromIds(p.ids, tok, vocab);
  return p;
}

void TryPanel::documentChanged() {
  // A new model (or an edit: the vocabulary may have changed): the prompt is read again.
  updateChips();
}

void TryPanel::promptEdited() {
  m_promptStale = true;
  // Ids are only parsed: at once. Text waits until typing pauses.
  if (isIdsMode()) updateChips();
  else m_chipTimer->start();
  refresh();
}

void TryPanel::idsModeToggled(bool ids) {
  const lathe::Tokenizer* tok = tokenizer();
  const Prompt before = analyse();  // still in the old mode
  m_wantIds = ids;
  if (tok && before.error.isEmpty() && !before.ids.empty()) {
    // Carry the prompt over: text as its ids, ids as their text.
    if (ids) {
      std::vector<qint64> asQt(before.ids.begin(), before.ids.end());
      m_promptEdit->setText(joinIds(asQt, 0, asQt.size()));
    } else {
      // Special tokens are left out: encoding the text adds them again.
      const std::vector<qint64> asQt(before.ids.begin(), before.ids.end());
      m_promptEdit->setText(decodeIds(*tok, asQt, 0, asQt.size(), true));
    }
  }
  updateChips();
}

void TryPanel::updateChips() {
  m_chipTimer->stop();
  ChipRow chips;
  m_prompt = analyse(&chips);
  m_promptStale = false;
  m_chips->setChips(chips);
  refresh();
}

void TryPanel::generate() {
  const auto model = m_document->model();
  if (m_running || !model || !model->live || !model->summary.can_generate) return;
  updateChips();  // the prompt as it is now, not as it was when typing paused
  if (!m_prompt.error.isEmpty()) return;  // refresh() shows why
  lathe::GenerateRequest req;
  req.prompts = {m_prompt.ids};
  req.max_new_tokens = m_maxNewSpin->value();
  req.do_sample = m_sampleRadio->isChecked();
  req.temperature = m_temperatureSpin->value();
  req.top_k = m_topKSpin->value();
  req.top_p = m_topPSpin->value();
  req.seed = static_cast<std::uint64_t>(m_seedSpin->value());
  m_running = true;
  m_resultText.clear();
  refresh();
  const std::size_t promptLength = m_prompt.ids.size();
  std::shared_ptr<const lathe::Tokenizer> tok = model->tokenizer;
  m_document->generate(
      req, this,
      [this, promptLength, tok](std::vector<std::vector<qint64>>&& rows) {
        m_running = false;
        m_output = rows.empty() ? std::vector<qint64>{} : rows.front();
        m_outputPromptLength = std::min(promptLength, m_output.size());
        m_outputDecoded = false;
        if (tok) {
          // Decoded whole, then split: a character made of several tokens stays whole.
          const QString prompt = decodeIds(*tok, m_output, 0, m_outputPromptLength);
          const QString full = decodeIds(*tok, m_output, 0, m_output.size());
          m_outputDecoded = !prompt.isNull() && !full.isNull();
          m_outputPromptText = prompt;
          m_outputNewText = full.startsWith(prompt) ? full.mid(prompt.size())
                                                    : decodeIds(*tok, m_output, m_outputPromptLength, m_output.size());
        }
        const std::size_t added = m_output.size() - m_outputPromptLength;
        m_resultText = tr("%1 prompt tokens + %2 new tokens.").arg(m_outputPromptLength).arg(added);
        showOutput();
        refresh();
        emit generated();
      },
      [this](const JobFailure& failure) {
        m_running = false;
        m_resultText = failure.cancelled ? tr("Cancelled.")
                                         : tr("Failed: %1 [%2]").arg(errorText(failure), errorCodeName(failure.code));
        refresh();
      });
}

void TryPanel::showOutput() {
  m_outputEdit->clear();
  m_showIdsCheck->setEnabled(m_outputDecoded);
  if (m_output.empty()) return;
  const bool asIds = !m_outputDecoded || m_showIdsCheck->isChecked();
  const QString promptIds = joinIds(m_output, 0, m_outputPromptLength);
  const QString newIds = joinIds(m_output, m_outputPromptLength, m_output.size());
  QTextCursor cursor(m_outputEdit->document());
  QTextCharFormat promptFormat;
  promptFormat.setForeground(QColor(0x6b, 0x6b, 0x6b));
  QTextCharFormat newFormat;
  newFormat.setFontWeight(QFont::Bold);
  newFormat.setBackground(QColor(0xdc, 0xfc, 0xe7));
  newFormat.setForeground(QColor(0x14, 0x53, 0x2d));
  if (asIds) {
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    promptFormat.setFont(fixed, QTextCharFormat::FontPropertiesSpecifiedOnly);
    newFormat.setFontFamilies(fixed.families());
    cursor.insertText(promptIds + QLatin1Char(' '), promptFormat);
    cursor.insertText(newIds, newFormat);
  } else {
    cursor.insertText(m_outputPromptText, promptFormat);
    cursor.insertText(m_outputNewText, newFormat);
  }
  m_outputEdit->setToolTip(tr("Prompt ids: %1\nNew ids: %2").arg(promptIds, newIds));
}

void TryPanel::refresh() {
  const auto model = m_document->model();
  const bool live = model && model->live;
  const bool can = live && model->summary.can_generate;
  const lathe::Tokenizer* tok = tokenizer();
  if (!live) {
    m_infoLabel->setText(tr("Load a model (File > Load Model…) to try it."));
  } else if (!can) {
    m_infoLabel->setText(tr("%1 cannot generate text.").arg(QString::fromStdString(model->summary.class_name)));
  } else {
    QString info = tr("%1, vocabulary of %2 ids")
                       .arg(QString::fromStdString(model->summary.class_name))
                       .arg(model->layout.vocab_size);
    if (tok) info += tr("; tokenizer of %1 tokens").arg(tok->vocab_size());
    m_infoLabel->setText(info + QLatin1Char('.'));
  }
  // Without a tokenizer the prompt is ids, and the panel says why.
  QString fallback;
  if (can && !tok) {
    fallback = model->tokenizerError
                   ? tr("The tokenizer of this model could not be read (%1). Type token ids instead.")
                         .arg(errorText(*model->tokenizerError))
                   : tr("This model folder has no tokenizer (tokenizer.json): type token ids instead.");
  }
  m_tokenizerLabel->setText(fallback);
  m_tokenizerLabel->setVisible(!fallback.isEmpty());

  const bool ids = isIdsMode();
  {
    const QSignalBlocker block(m_idsCheck);
    m_idsCheck->setChecked(ids);
  }
  m_idsCheck->setEnabled(can && tok);
  m_promptEdit->setPlaceholderText(ids ? tr("Token ids, e.g. 464 3290 286") : tr("Type a prompt, e.g. Once upon a time"));
  const QFont promptFont = ids ? QFontDatabase::systemFont(QFontDatabase::FixedFont) : font();
  if (m_promptEdit->font() != promptFont) m_promptEdit->setFont(promptFont);
  m_promptEdit->setEnabled(can);
  m_chips->setEnabled(can);

  const bool typed = !m_promptEdit->text().isEmpty();
  const bool valid = m_promptStale ? typed : m_prompt.error.isEmpty();
  m_generateButton->setEnabled(can && !m_running && valid);

  // The status line: running, else why the prompt cannot be used, else the last result.
  QString status = m_resultText;
  bool problem = false;
  if (m_running) status = tr("Generating…");
  else if (can && !m_promptStale && !m_prompt.error.isEmpty()) {
    status = m_prompt.error;
    problem = typed;
  } else if (!can) {
    status.clear();
  }
  m_statusLabel->setText(status);
  m_statusLabel->setStyleSheet(problem ? QStringLiteral("QLabel { color: #b91c1c; }") : QString());
}

void TryPanel::updateSampling() {
  m_samplingBox->setVisible(m_sampleRadio->isChecked());
}

}  // namespace lathe::ui
