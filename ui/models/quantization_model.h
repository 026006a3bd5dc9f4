// QuantizationModel: one row per quantised layer of the loaded model (kind,
// shape, packed bytes, error of the dequantized weight vs the checkpoint's
// original), from a lathe::QuantizationErrors snapshot.
#pragma once

#include "quant/quant_error.h"

#include <QAbstractTableModel>

namespace lathe::ui {

class QuantizationModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Module, Kind, Shape, Bytes, MaxAbs, RelativeRms, ColumnCount };
  /// Qt::UserRole: the raw number (bytes, errors) or the module name.
  static constexpr int RawRole = Qt::UserRole;

  explicit QuantizationModel(QObject* parent = nullptr);

  void setErrors(lathe::QuantizationErrors errors);
  void clear();
  const lathe::QuantizationErrors& errors() const { return m_errors; }
  QString moduleName(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  lathe::QuantizationErrors m_errors;
};

}  // namespace lathe::ui
