// HubSearchModel: the hub browser's results table (one row per model).
// Rows are replaced whole from a finished search job (setRows resets).
#pragma once

#include "hub/hub_data.h"

#include <QAbstractTableModel>

#include <vector>

namespace lathe::ui {

class HubSearchModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { ModelColumn, TaskColumn, LibraryColumn, DownloadsColumn, LikesColumn, UpdatedColumn,
                SizeColumn, ColumnCount };
  enum Role { RepoIdRole = Qt::UserRole + 1, SortRole };

  explicit HubSearchModel(QObject* parent = nullptr);

  void setRows(std::vector<HubModelRow> rows);
  const std::vector<HubModelRow>& rows() const { return m_rows; }
  QString repoId(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::vector<HubModelRow> m_rows;
};

}  // namespace lathe::ui
