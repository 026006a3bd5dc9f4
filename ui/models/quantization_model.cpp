#include "models/quantization_model.h"

#include "models/display_format.h"

namespace lathe::ui {

QuantizationModel::QuantizationModel(QObject* parent) : QAbstractTableModel(parent) {}

void QuantizationModel::setErrors(lathe::QuantizationErrors errors) {
  beginResetModel();
  m_errors = std::move(errors);
  endResetModel();
}

void QuantizationModel::clear() { setErrors({}); }

QString QuantizationModel::moduleName(int row) const {
  if (row < 0 || row >= rowCount()) return {};
  return QString::fromStdString(m_errors.modules[static_cast<std::size_t>(row)].name);
}

int QuantizationModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_errors.modules.size());
}

int QuantizationModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant QuantizationModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const auto& m = m_errors.modules[static_cast<std::size_t>(index.row())];
  if (role == Qt::TextAlignmentRole && index.column() >= Bytes)
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  if (role == Qt::ToolTipRole && index.column() == Module)
    return tr("Double-click to keep %1 in float and re-quantize the model").arg(QString::fromStdString(m.name));
  if (role == RawRole) {
    switch (index.column()) {
      case Bytes: return static_cast<qlonglong>(m.bytes);
      case MaxAbs: return m.max_abs;
      case RelativeRms: return m.relative_rms;
      default: return QString::fromStdString(m.name);
    }
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Module: return QString::fromStdString(m.name);
    case Kind: return QString::fromStdString(m.kind);
    case Shape: return tr("%1 × %2").arg(m.out).arg(m.in);
    case Bytes: return formatBytes(static_cast<quint64>(m.bytes));
    case MaxAbs: return QString::number(m.max_abs, 'g', 4);
    case RelativeRms: return tr("%1 %").arg(QString::number(m.relative_rms * 100.0, 'f', 3));
    default: return {};
  }
}

QVariant QuantizationModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
  switch (section) {
    case Module: return tr("Module");
    case Kind: return tr("Kind");
    case Shape: return tr("Out × In");
    case Bytes: return tr("Packed");
    case MaxAbs: return tr("Max |error|");
    case RelativeRms: return tr("Relative RMS error");
    default: return {};
  }
}

}  // namespace lathe::ui
