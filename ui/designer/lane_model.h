// LaneModel: the modules placed on one device lane of a DeviceMapDesign.
//
// Top-level rows are the map entries on the device, in the tree's pre-order;
// a module entry expands into its sub-modules (all on the same device), so
// any of them can be dragged to another lane. Drags carry module paths
// (kMimeType); a drop moves them — tie partners included — to this lane's
// device through the design, queued so views finish their drop first.
#pragma once

#include <QAbstractItemModel>

#include <string>
#include <unordered_map>
#include <vector>

namespace lathe::ui {

class DeviceMapDesign;

class LaneModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column { NameColumn, SizeColumn, ColumnCount };
  enum Role {
    PathRole = Qt::UserRole + 1,  ///< full dotted path (QString)
    BytesRole,                    ///< size at the design's dtype (double)
    DiffRole,                     ///< differs from the last auto plan (bool)
    TiedRole,                     ///< has tie partners elsewhere in the tree (bool)
  };
  static constexpr const char* kMimeType = "application/x-lathe-module-paths";

  LaneModel(DeviceMapDesign* design, std::string device, QObject* parent = nullptr);

  const std::string& device() const { return m_device; }
  /// Highlights rows that differ from the last auto plan.
  void setShowDiff(bool on);
  bool showDiff() const { return m_showDiff; }
  /// The top-level index of an entry path; invalid when not on this lane.
  QModelIndex indexOfEntry(const QString& path) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;

  QStringList mimeTypes() const override;
  QMimeData* mimeData(const QModelIndexList& indexes) const override;
  bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                       const QModelIndex& parent) const override;
  bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                    const QModelIndex& parent) override;
  Qt::DropActions supportedDropActions() const override;
  Qt::DropActions supportedDragActions() const override;

  /// The paths a drag of `indexes` carries.
  static QStringList pathsOf(const QMimeData* data);

 private:
  void reload();
  std::string pathOf(const QModelIndex& index) const;
  int moduleCount() const;

  DeviceMapDesign* m_design;
  std::string m_device;
  bool m_showDiff = false;
  std::vector<std::string> m_entries;
  std::unordered_map<int, int> m_entryRow;  ///< module index -> top-level row
  std::vector<int> m_parent, m_childRow;     ///< per module of the tree
};

}  // namespace lathe::ui
