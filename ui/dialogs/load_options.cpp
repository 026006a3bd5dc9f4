#include "dialogs/load_options.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>

namespace lathe::ui {

QuantizationOptionsBox::QuantizationOptionsBox(QWidget* parent)
    : QGroupBox(tr("Quantization"), parent),
      m_mode(new QComboBox(this)),
      m_threshold(new QDoubleSpinBox(this)),
      m_skip(new QLineEdit(this)),
      m_quantType(new QComboBox(this)),
      m_doubleQuant(new QCheckBox(tr("Double quantization (quantize the absmax constants)"), this)),
      m_computeDtype(new QComboBox(this)) {
  setObjectName(QStringLiteral("loadQuantizationBox"));
  m_mode->setObjectName(QStringLiteral("loadQuantModeCombo"));
  m_mode->addItem(tr("None"), QStringLiteral("none"));
  m_mode->addItem(tr("8-bit (LLM.int8)"), QStringLiteral("8bit"));
  m_mode->addItem(tr("4-bit"), QStringLiteral("4bit"));
  m_threshold->setObjectName(QStringLiteral("loadQuantThreshold"));
  m_threshold->setRange(0.0, 1000.0);
  m_threshold->setDecimals(2);
  m_threshold->setValue(6.0);  // BitsAndBytesConfig's llm_int8_threshold default
  m_threshold->setToolTip(tr("Input columns with a magnitude at or above this value run in floating point"));
  m_skip->setObjectName(QStringLiteral("loadQuantSkipEdit"));
  m_skip->setPlaceholderText(tr("Modules kept in float, comma-separated (empty: the output embeddings)"));
  m_quantType->setObjectName(QStringLiteral("loadQuantTypeCombo"));
  m_quantType->addItem(QStringLiteral("nf4"), QStringLiteral("nf4"));
  m_quantType->addItem(QStringLiteral("fp4"), QStringLiteral("fp4"));
  m_doubleQuant->setObjectName(QStringLiteral("loadQuantDoubleCheck"));
  m_computeDtype->setObjectName(QStringLiteral("loadQuantComputeCombo"));
  m_computeDtype->addItem(QStringLiteral("float32"), QStringLiteral("float32"));
  m_computeDtype->addItem(QStringLiteral("bfloat16"), QStringLiteral("bfloat16"));

  auto* form = new QFormLayout(this);
  form->addRow(tr("&Mode:"), m_mode);
  form->addRow(tr("Outlier &threshold:"), m_threshold);
  form->addRow(tr("S&kip modules:"), m_skip);
  form->addRow(tr("4-bit &type:"), m_quantType);
  form->addRow(QString(), m_doubleQuant);
  form->addRow(tr("&Compute dtype:"), m_computeDtype);

  connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
    updateEnabled();
    emit optionsChanged();
  });
  connect(m_quantType, &QComboBox::currentIndexChanged, this, &QuantizationOptionsBox::optionsChanged);
  connect(m_skip, &QLineEdit::editingFinished, this, &QuantizationOptionsBox::optionsChanged);
  connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &QuantizationOptionsBox::optionsChanged);
  connect(m_doubleQuant, &QCheckBox::toggled, this, &QuantizationOptionsBox::optionsChanged);
  connect(m_computeDtype, &QComboBox::currentIndexChanged, this, &QuantizationOptionsBox::optionsChanged);
  updateEnabled();
}

QString QuantizationOptionsBox::mode() const { return m_mode->currentData().toString(); }

void QuantizationOptionsBox::setMode(const QString& mode) {
  const int i = m_mode->findData(mode);
  if (i >= 0) m_mode->setCurrentIndex(i);
}

void QuantizationOptionsBox::setQuantType(const QString& type) {
  const int i = m_quantType->findData(type);
  if (i >= 0) m_quantType->setCurrentIndex(i);
}

void QuantizationOptionsBox::setSkipModules(const QString& commaSeparated) {
  m_skip->setText(commaSeparated);
  emit optionsChanged();
}

void QuantizationOptionsBox::updateEnabled() {
  const QString m = mode();
  for (QWidget* w : {static_cast<QWidget*>(m_threshold), static_cast<QWidget*>(m_skip)})
    w->setEnabled(m != QLatin1String("none"));
  m_threshold->setEnabled(m == QLatin1String("8bit"));
  for (QWidget* w : {static_cast<QWidget*>(m_quantType), static_cast<QWidget*>(m_doubleQuant),
                     static_cast<QWidget*>(m_computeDtype)})
    w->setEnabled(m == QLatin1String("4bit"));
}

void QuantizationOptionsBox::apply(lathe::LoadOptions& opts) const {
  const QString m = mode();
  if (m == QLatin1String("none")) {
    opts.quantization.reset();
    return;
  }
  lathe::BnbConfig cfg;
  cfg.load_in_8bit = m == QLatin1String("8bit");
  cfg.load_in_4bit = m == QLatin1String("4bit");
  cfg.llm_int8_threshold = m_threshold->value();
  std::vector<std::string> skip;
  for (const QString& s : m_skip->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
    if (!s.trimmed().isEmpty()) skip.push_back(s.trimmed().toStdString());
  if (!skip.empty()) cfg.llm_int8_skip_modules = std::move(skip);
  cfg.bnb_4bit_quant_type = m_quantType->currentData().toString().toStdString();
  cfg.bnb_4bit_use_double_quant = m_doubleQuant->isChecked();
  cfg.bnb_4bit_compute_dtype = m_computeDtype->currentData().toString().toStdString();
  opts.quantization = std::move(cfg);
}

DeviceMapOptionsBox::DeviceMapOptionsBox(QWidget* parent)
    : QGroupBox(tr("Device Map"), parent),
      m_mode(new QComboBox(this)),
      m_maxMemory(new QLineEdit(this)),
      m_offloadFolder(new QLineEdit(this)) {
  setObjectName(QStringLiteral("loadDeviceMapBox"));
  m_mode->setObjectName(QStringLiteral("loadDeviceMapCombo"));
  m_mode->addItem(tr("None (everything on the CPU)"), QString());
  for (const char* mode : {"auto", "balanced", "balanced_low_0", "sequential"})
    m_mode->addItem(QLatin1String(mode), QLatin1String(mode));
  m_maxMemory->setObjectName(QStringLiteral("loadMaxMemoryEdit"));
  m_maxMemory->setPlaceholderText(tr("e.g. cpu=2GiB,disk=20GiB (empty: the available RAM)"));
  m_offloadFolder->setObjectName(QStringLiteral("loadOffloadFolderEdit"));
  m_offloadFolder->setPlaceholderText(tr("Needed for .bin checkpoints with modules on disk"));

  auto* form = new QFormLayout(this);
  form->addRow(tr("Device &map:"), m_mode);
  form->addRow(tr("Max &memory:"), m_maxMemory);
  form->addRow(tr("&Offload folder:"), m_offloadFolder);

  connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
    updateEnabled();
    emit optionsChanged();
  });
  connect(m_maxMemory, &QLineEdit::editingFinished, this, &DeviceMapOptionsBox::optionsChanged);
  updateEnabled();
}

QString DeviceMapOptionsBox::mode() const { return m_mode->currentData().toString(); }

void DeviceMapOptionsBox::setMode(const QString& mode) {
  const int i = m_mode->findData(mode);
  if (i >= 0) m_mode->setCurrentIndex(i);
}

void DeviceMapOptionsBox::setMaxMemory(const QString& text) {
  m_maxMemory->setText(text);
  emit optionsChanged();
}

void DeviceMapOptionsBox::updateEnabled() {
  const bool on = !mode().isEmpty();
  m_maxMemory->setEnabled(on);
  m_offloadFolder->setEnabled(on);
}

void DeviceMapOptionsBox::apply(lathe::LoadOptions& opts) const {
  opts.device_map = mode().toStdString();
  opts.max_memory = opts.device_map.empty() ? std::string() : m_maxMemory->text().trimmed().toStdString();
  opts.offload_folder = opts.device_map.empty() ? std::string() : m_offloadFolder->text().trimmed().toStdString();
}

}  // namespace lathe::ui
