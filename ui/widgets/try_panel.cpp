#include "widgets/try_panel.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"

#include <QButtonGroup>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTextEdit>
#include <QVBoxLayout>

namespace lathe::ui {

TryPanel::TryPanel(EngineDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_infoLabel(new QLabel(this)),
      m_promptEdit(new QLineEdit(this)),
      m_maxNewSpin(new QSpinBox(this)),
      m_greedyRadio(new QRadioButton(tr("&Greedy"), this)),
      m_sampleRadio(new QRadioButton(tr("Sa&mpling"), this)),
      m_temperatureSpin(new QDoubleSpinBox(this)),
      m_topKSpin(new QSpinBox(this)),
      m_topPSpin(new QDoubleSpinBox(this)),
      m_seedSpin(new QSpinBox(this)),
      m_generateButton(new QPushButton(tr("&Generate"), this)),
      m_outputEdit(new QTextEdit(this)),
      m_statusLabel(new QLabel(this)) {
  setObjectName(QStringLiteral("tryPanel"));
  m_infoLabel->setObjectName(QStringLiteral("tryInfoLabel"));
  m_infoLabel->setWordWrap(true);
  m_promptEdit->setObjectName(QStringLiteral("tryPromptEdit"));
  m_promptEdit->setPlaceholderText(tr("Token ids, e.g. 464 3290 286"));
  m_promptEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
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
  m_outputEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  m_outputEdit->setPlaceholderText(tr("Generated ids appear here."));
  m_statusLabel->setObjectName(QStringLiteral("tryStatusLabel"));
  m_statusLabel->setWordWrap(true);

  auto* inputBox = new QGroupBox(tr("Prompt"), this);
  auto* inputForm = new QFormLayout(inputBox);
  inputForm->addRow(tr("&Token ids:"), m_promptEdit);
  inputForm->addRow(tr("Max &new tokens:"), m_maxNewSpin);
  auto* modes = new QHBoxLayout;
  modes->addWidget(m_greedyRadio);
  modes->addWidget(m_sampleRadio);
  modes->addStretch(1);
  inputForm->addRow(tr("Decoding:"), modes);

  auto* samplingBox = new QGroupBox(tr("Sampling"), this);
  samplingBox->setObjectName(QStringLiteral("trySamplingBox"));
  auto* samplingForm = new QFormLayout(samplingBox);
  samplingForm->addRow(tr("T&emperature:"), m_temperatureSpin);
  samplingForm->addRow(tr("Top-&k:"), m_topKSpin);
  samplingForm->addRow(tr("Top-&p:"), m_topPSpin);
  samplingForm->addRow(tr("&Seed:"), m_seedSpin);

  auto* run = new QHBoxLayout;
  run->addWidget(m_statusLabel, 1);
  run->addWidget(m_generateButton);

  auto* outputBox = new QGroupBox(tr("Output"), this);
  auto* outputLayout = new QVBoxLayout(outputBox);
  outputLayout->addWidget(m_outputEdit);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_infoLabel);
  layout->addWidget(inputBox);
  layout->addWidget(samplingBox);
  layout->addLayout(run);
  layout->addWidget(outputBox, 1);

  connect(m_sampleRadio, &QRadioButton::toggled, this, &TryPanel::updateSampling);
  connect(m_promptEdit, &QLineEdit::textChanged, this, &TryPanel::refresh);
  connect(m_promptEdit, &QLineEdit::returnPressed, this, &TryPanel::generate);
  connect(m_generateButton, &QPushButton::clicked, this, &TryPanel::generate);
  connect(m_document, &EngineDocument::changed, this, &TryPanel::refresh);
  updateSampling();
  refresh();
}

void TryPanel::setPrompt(const QString& ids) { m_promptEdit->setText(ids); }

std::vector<std::int64_t> TryPanel::promptIds(QString* error) const {
  std::vector<std::int64_t> ids;
  const auto model = m_document->model();
  const qint64 vocab = model && model->live ? model->layout.vocab_size : 0;
  const QStringList parts = m_promptEdit->text().split(QRegularExpression(QStringLiteral("[\\s,]+")),
                                                       Qt::SkipEmptyParts);
  for (const QString& part : parts) {
    bool ok = false;
    const qint64 id = part.toLongLong(&ok);
    if (!ok || id < 0 || (vocab > 0 && id >= vocab)) {
      if (error) *error = tr("“%1” is not a token id below %2.").arg(part).arg(vocab);
      return {};
    }
    ids.push_back(id);
  }
  if (ids.empty() && error) *error = tr("Enter token ids separated by spaces.");
  return ids;
}

void TryPanel::generate() {
  QString error;
  const auto ids = promptIds(&error);
  if (ids.empty() || m_running || !m_document->isLive()) {
    if (!error.isEmpty()) m_statusLabel->setText(error);
    return;
  }
  lathe::GenerateRequest req;
  req.prompts = {ids};
  req.max_new_tokens = m_maxNewSpin->value();
  req.do_sample = m_sampleRadio->isChecked();
  req.temperature = m_temperatureSpin->value();
  req.top_k = m_topKSpin->value();
  req.top_p = m_topPSpin->value();
  req.seed = static_cast<std::uint64_t>(m_seedSpin->value());
  m_running = true;
  m_statusLabel->setText(tr("Generating…"));
  refresh();
  const auto promptLength = ids.size();
  m_document->generate(
      req, this,
      [this, promptLength](std::vector<std::vector<qint64>>&& rows) {
        m_running = false;
        m_output = rows.empty() ? std::vector<qint64>{} : rows.front();
        QStringList prompt, added;
        for (std::size_t i = 0; i < m_output.size(); ++i)
          (i < promptLength ? prompt : added) << QString::number(m_output[i]);
        m_outputEdit->setHtml(QStringLiteral("<span style=\"color:#6b6b6b\">%1</span> <b>%2</b>")
                                  .arg(prompt.join(QLatin1Char(' ')), added.join(QLatin1Char(' '))));
        m_statusLabel->setText(tr("%1 prompt ids + %2 new ids.").arg(prompt.size()).arg(added.size()));
        refresh();
        emit generated();
      },
      [this](const JobFailure& failure) {
        m_running = false;
        m_statusLabel->setText(failure.cancelled ? tr("Cancelled.")
                                                 : tr("Failed: %1 [%2]").arg(errorText(failure),
                                                                            errorCodeName(failure.code)));
        refresh();
      });
}

void TryPanel::refresh() {
  const auto model = m_document->model();
  const bool live = model && model->live;
  const bool can = live && model->summary.can_generate;
  if (!live) m_infoLabel->setText(tr("Load a model (File > Load Model…) to try it."));
  else if (!can)
    m_infoLabel->setText(tr("%1 cannot generate text.").arg(QString::fromStdString(model->summary.class_name)));
  else
    m_infoLabel->setText(tr("%1, vocabulary of %2 ids.")
                             .arg(QString::fromStdString(model->summary.class_name))
                             .arg(model->layout.vocab_size));
  m_promptEdit->setEnabled(can);
  m_generateButton->setEnabled(can && !m_running && !promptIds().empty());
}

void TryPanel::updateSampling() {
  const bool sample = m_sampleRadio->isChecked();
  for (QWidget* w : std::initializer_list<QWidget*>{m_temperatureSpin, m_topKSpin, m_topPSpin, m_seedSpin})
    w->setEnabled(sample);
}

}  // namespace lathe::ui
