// The Load dialog's quantization and device-map option boxes (issue 8 / 7):
// BitsAndBytesConfig fields and from_pretrained's device_map / max_memory /
// offload_folder, written into a lathe::LoadOptions.
#pragma once

#include "session/session.h"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;

namespace lathe::ui {

class QuantizationOptionsBox : public QGroupBox {
  Q_OBJECT

 public:
  explicit QuantizationOptionsBox(QWidget* parent = nullptr);
  /// "none", "8bit" or "4bit".
  QString mode() const;
  void setMode(const QString& mode);
  void setQuantType(const QString& type);  ///< "nf4" | "fp4"
  void setSkipModules(const QString& commaSeparated);
  /// Sets opts.quantization (nullopt for "none").
  void apply(lathe::LoadOptions& opts) const;

 signals:
  void optionsChanged();

 private:
  void updateEnabled();

  QComboBox* m_mode;
  QDoubleSpinBox* m_threshold;
  QLineEdit* m_skip;
  QComboBox* m_quantType;
  QCheckBox* m_doubleQuant;
  QComboBox* m_computeDtype;
};

class DeviceMapOptionsBox : public QGroupBox {
  Q_OBJECT

 public:
  explicit DeviceMapOptionsBox(QWidget* parent = nullptr);
  /// "" (none), "auto", "balanced", "balanced_low_0" or "sequential".
  QString mode() const;
  void setMode(const QString& mode);
  void setMaxMemory(const QString& text);
  void apply(lathe::LoadOptions& opts) const;

 signals:
  void optionsChanged();

 private:
  void updateEnabled();

  QComboBox* m_mode;
  QLineEdit* m_maxMemory;
  QLineEdit* m_offloadFolder;
};

}  // namespace lathe::ui
