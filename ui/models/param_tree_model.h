// ParamTreeModel: a read-only QAbstractItemModel over a ParamTreeSnapshot.
//
// The snapshot is a flat node array with parent/row links, so every index
// lookup is O(1) and nothing is materialised up front: views only ask for
// the rows they show, and a 100 000-tensor checkpoint opens instantly.
// The model shares ownership of the snapshot; setSnapshot() resets it.
#pragma once

#include <QAbstractItemModel>

#include <memory>

namespace lathe {
class ParamTreeSnapshot;
}

namespace lathe::ui {

class ParamTreeModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column {
    NameColumn,
    ShapeColumn,
    DTypeColumn,
    ParametersColumn,
    BytesColumn,
    ShareColumn,
    FileColumn,
    ColumnCount
  };

  enum Role {
    NodeIdRole = Qt::UserRole + 1,  ///< int: node index in the snapshot
    PathRole,                       ///< QString: full dotted path
    BytesRole,                      ///< qulonglong: subtree bytes (tied tensors once)
    ElementsRole,                   ///< qulonglong: subtree elements
    ShareRole,                      ///< double: bytes / total bytes, in [0, 1]
    IsTensorRole,                   ///< bool
    TensorCountRole,                ///< int: tensors in the subtree
    TiedToRole,                     ///< QString: name of the tensor whose storage it shares
    SortRole,                       ///< per-column value the filter model sorts by
  };

  explicit ParamTreeModel(QObject* parent = nullptr);
  ~ParamTreeModel() override;

  void setSnapshot(std::shared_ptr<const lathe::ParamTreeSnapshot> snapshot);
  const lathe::ParamTreeSnapshot* snapshot() const { return m_snapshot.get(); }

  /// Index (column 0) of a dotted module/tensor path; invalid when absent.
  QModelIndex indexForPath(const QString& path) const;
  /// Node index of a model index; the root (0) for an invalid index.
  int nodeId(const QModelIndex& index) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  bool hasChildren(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QHash<int, QByteArray> roleNames() const override;

 private:
  QVariant displayData(int node, int column) const;
  QVariant toolTip(int node, int column) const;
  QVariant sortData(int node, int column) const;

  std::shared_ptr<const lathe::ParamTreeSnapshot> m_snapshot;
};

}  // namespace lathe::ui
