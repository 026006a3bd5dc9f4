#include "models/param_tree_model.h"

#include "analysis/param_tree.h"
#include "core/dtype.h"
#include "models/display_format.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>

namespace lathe::ui {
namespace {

QString dtypeText(int dtype) {
  if (dtype == lathe::ParamTreeNode::kNone) return {};
  if (dtype == lathe::ParamTreeNode::kMixed) return ParamTreeModel::tr("mixed");
  return QString::fromLatin1(lathe::dtype_code(static_cast<lathe::DType>(dtype)));
}

// Fonts and palettes need a QGuiApplication; model tests run without one.
bool hasGui() {
  return qobject_cast<QGuiApplication*>(QCoreApplication::instance()) != nullptr;
}

}  // namespace

ParamTreeModel::ParamTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

ParamTreeModel::~ParamTreeModel() = default;

void ParamTreeModel::setSnapshot(std::shared_ptr<const lathe::ParamTreeSnapshot> snapshot) {
  beginResetModel();
  m_snapshot = std::move(snapshot);
  endResetModel();
}

int ParamTreeModel::nodeId(const QModelIndex& index) const {
  if (!index.isValid()) return 0;
  return static_cast<int>(index.internalId());
}

QModelIndex ParamTreeModel::indexForPath(const QString& path) const {
  if (!m_snapshot || path.isEmpty()) return {};
  const int node = m_snapshot->find(path.toStdString());
  if (node <= 0) return {};
  return createIndex(m_snapshot->node(node).row, 0, static_cast<quintptr>(node));
}

QModelIndex ParamTreeModel::index(int row, int column, const QModelIndex& parent) const {
  if (!m_snapshot || row < 0 || column < 0 || column >= ColumnCount) return {};
  if (parent.isValid() && parent.column() != 0) return {};
  const auto& children = m_snapshot->node(nodeId(parent)).children;
  if (row >= static_cast<int>(children.size())) return {};
  return createIndex(row, column, static_cast<quintptr>(children[static_cast<std::size_t>(row)]));
}

QModelIndex ParamTreeModel::parent(const QModelIndex& child) const {
  if (!m_snapshot || !child.isValid()) return {};
  const int parentNode = m_snapshot->node(nodeId(child)).parent;
  if (parentNode <= 0) return {};
  return createIndex(m_snapshot->node(parentNode).row, 0, static_cast<quintptr>(parentNode));
}

int ParamTreeModel::rowCount(const QModelIndex& parent) const {
  if (!m_snapshot || m_snapshot->nodes.empty()) return 0;
  if (parent.isValid() && parent.column() != 0) return 0;
  return static_cast<int>(m_snapshot->node(nodeId(parent)).children.size());
}

int ParamTreeModel::columnCount(const QModelIndex&) const {
  return ColumnCount;
}

bool ParamTreeModel::hasChildren(const QModelIndex& parent) const {
  return rowCount(parent) > 0;
}

Qt::ItemFlags ParamTreeModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
  if (rowCount(index.siblingAtColumn(0)) == 0) f |= Qt::ItemNeverHasChildren;
  return f;
}

QVariant ParamTreeModel::data(const QModelIndex& index, int role) const {
  if (!m_snapshot || !index.isValid()) return {};
  const int id = nodeId(index);
  const auto& node = m_snapshot->node(id);
  const int column = index.column();
  const lathe::ParamTreeTensor* tensor =
      node.is_tensor() ? &m_snapshot->tensors[static_cast<std::size_t>(node.tensor)] : nullptr;
  const bool tied = tensor && tensor->tied_to >= 0;

  switch (role) {
    case Qt::DisplayRole:
      return displayData(id, column);
    case Qt::ToolTipRole:
      return toolTip(id, column);
    case Qt::TextAlignmentRole:
      switch (column) {
        case ParametersColumn:
        case BytesColumn:
        case ShareColumn:
          return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        case DTypeColumn:
          return QVariant::fromValue(Qt::AlignHCenter | Qt::AlignVCenter);
        default:
          return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
      }
    case Qt::ForegroundRole:
      if (tied && hasGui()) return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
      return {};
    case Qt::FontRole:
      if (tied && column == NameColumn && hasGui()) {
        QFont font;
        font.setItalic(true);
        return font;
      }
      return {};
    case NodeIdRole:
      return id;
    case PathRole:
      return QString::fromStdString(node.path);
    case BytesRole:
      return QVariant::fromValue<qulonglong>(node.bytes);
    case ElementsRole:
      return QVariant::fromValue<qulonglong>(node.elements);
    case ShareRole:
      return m_snapshot->share(id);
    case IsTensorRole:
      return tensor != nullptr;
    case TensorCountRole:
      return static_cast<int>(node.tensor_count);
    case TiedToRole:
      if (!tied) return QString();
      return QString::fromStdString(
          m_snapshot->tensors[static_cast<std::size_t>(tensor->tied_to)].name);
    case SortRole:
      return sortData(id, column);
    default:
      return {};
  }
}

QVariant ParamTreeModel::displayData(int id, int column) const {
  const auto& node = m_snapshot->node(id);
  const lathe::ParamTreeTensor* tensor =
      node.is_tensor() ? &m_snapshot->tensors[static_cast<std::size_t>(node.tensor)] : nullptr;
  switch (column) {
    case NameColumn:
      return QString::fromStdString(node.name);
    case ShapeColumn:
      return tensor ? formatShape(tensor->shape) : QString();
    case DTypeColumn:
      return dtypeText(node.dtype);
    case ParametersColumn:
      return formatCount(node.elements);
    case BytesColumn:
      return formatBytes(node.bytes);
    case ShareColumn:
      return formatShare(m_snapshot->share(id));
    case FileColumn:
      if (node.file == lathe::ParamTreeNode::kMixed) return tr("several files");
      if (node.file < 0) return QString();
      return QString::fromStdString(m_snapshot->files[static_cast<std::size_t>(node.file)]);
    default:
      return {};
  }
}

QVariant ParamTreeModel::toolTip(int id, int column) const {
  const auto& node = m_snapshot->node(id);
  const lathe::ParamTreeTensor* tensor =
      node.is_tensor() ? &m_snapshot->tensors[static_cast<std::size_t>(node.tensor)] : nullptr;
  switch (column) {
    case NameColumn: {
      QString tip = QString::fromStdString(node.path);
      if (!tensor || !node.children.empty())
        tip += QLatin1Char('\n') + (node.tensor_count == 1
                                        ? tr("1 tensor")
                                        : tr("%1 tensors").arg(formatCount(node.tensor_count)));
      if (tensor && tensor->tied_to >= 0)
        tip += QLatin1Char('\n') +
               tr("Shares storage with %1; its bytes are counted there.")
                   .arg(QString::fromStdString(
                       m_snapshot->tensors[static_cast<std::size_t>(tensor->tied_to)].name));
      return tip;
    }
    case BytesColumn:
      return tr("%1 bytes").arg(formatCount(node.bytes));
    default:
      return {};
  }
}

QVariant ParamTreeModel::sortData(int id, int column) const {
  const auto& node = m_snapshot->node(id);
  switch (column) {
    case NameColumn:
      return node.row;  // checkpoint order, numeric layer order
    case ShapeColumn:
    case ParametersColumn:
      return QVariant::fromValue<qulonglong>(node.elements);
    case BytesColumn:
    case ShareColumn:
      return QVariant::fromValue<qulonglong>(node.bytes);
    default:
      return displayData(id, column);
  }
}

QVariant ParamTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::TextAlignmentRole) {
    if (section == ParametersColumn || section == BytesColumn || section == ShareColumn)
      return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (section == DTypeColumn) return QVariant::fromValue(Qt::AlignHCenter | Qt::AlignVCenter);
    return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case ParametersColumn: return tr("Number of elements (tied weights counted once)");
      case BytesColumn: return tr("Size in memory (tied weights counted once)");
      case ShareColumn: return tr("Share of the checkpoint's total size");
      default: return {};
    }
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn: return tr("Name");
    case ShapeColumn: return tr("Shape");
    case DTypeColumn: return tr("DType");
    case ParametersColumn: return tr("Parameters");
    case BytesColumn: return tr("Size");
    case ShareColumn: return tr("Share of total");
    case FileColumn: return tr("File");
    default: return {};
  }
}

QHash<int, QByteArray> ParamTreeModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
  names.insert(NodeIdRole, "nodeId");
  names.insert(PathRole, "path");
  names.insert(BytesRole, "bytes");
  names.insert(ElementsRole, "elements");
  names.insert(ShareRole, "share");
  names.insert(IsTensorRole, "isTensor");
  names.insert(TensorCountRole, "tensorCount");
  names.insert(TiedToRole, "tiedTo");
  names.insert(SortRole, "sortKey");
  return names;
}

}  // namespace lathe::ui
