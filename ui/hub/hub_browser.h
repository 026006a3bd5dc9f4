// HubBrowser: search the Hub (HF_ENDPOINT) with filters and sort, see the
// results as a table and the selected model's page (card, files, download,
// open). All HTTP runs as JobRunner jobs.
#pragma once

#include "hub/hub_data.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace lathe::ui {

class HubModelPageView;
class HubSearchModel;
class JobRunner;

class HubBrowser : public QWidget {
  Q_OBJECT

 public:
  explicit HubBrowser(JobRunner* runner, QWidget* parent = nullptr);

  HubSearchModel* resultsModel() const { return m_model; }
  QTableView* resultsView() const { return m_results; }
  HubModelPageView* modelPage() const { return m_page; }
  QLineEdit* searchEdit() const { return m_search; }
  /// The request the controls describe.
  HubSearchRequest request() const;
  bool isSearching() const { return m_searching; }

 public slots:
  void search();
  /// Shows the page of the result in `row`.
  void showResult(int row);

 signals:
  void searchFinished(int count);
  /// Forwarded from the model page: open this downloaded snapshot.
  void openRequested(const QString& snapshot);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();

  JobRunner* m_runner;
  HubSearchModel* m_model;
  HubModelPageView* m_page;
  QLineEdit* m_search;
  QLineEdit* m_author;
  QComboBox* m_task;
  QComboBox* m_library;
  QComboBox* m_sort;
  QPushButton* m_searchButton;
  QTableView* m_results;
  QLabel* m_status;
  QLabel* m_endpoint;
  bool m_searching = false;
  int m_serial = 0;
};

}  // namespace lathe::ui
