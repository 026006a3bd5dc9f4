// StringTableModel: a small read-only table of text rows (load reports, save
// previews, before/after tables). Rows are replaced whole with setRows(),
// which resets the model; a row may carry a role tag shown as an icon colour.
#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <QVector>

namespace lathe::ui {

class StringTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum class Tone { Normal, Added, Removed, Warning };
  struct Row {
    QStringList cells;
    Tone tone = Tone::Normal;
  };

  explicit StringTableModel(QObject* parent = nullptr);

  void setHeaders(const QStringList& headers);
  void setRows(QVector<Row> rows);
  void clear() { setRows({}); }
  const QVector<Row>& rows() const { return m_rows; }
  /// Column `column` of every row, for tests and summaries.
  QStringList column(int column) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QStringList m_headers;
  QVector<Row> m_rows;
};

}  // namespace lathe::ui
