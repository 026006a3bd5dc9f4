// ModelStatusBar: the main window's status bar — what is open (model type,
// tensors, parameters, size) and, while a job runs, its progress with a
// cancel button.
#pragma once

#include <QStatusBar>

#include <memory>

class QLabel;
class QProgressBar;
class QToolButton;

namespace lathe::ui {

struct LoadedModel;

class ModelStatusBar : public QStatusBar {
  Q_OBJECT

 public:
  explicit ModelStatusBar(QWidget* parent = nullptr);

  /// Null clears the model fields.
  void setModel(std::shared_ptr<const LoadedModel> model);

 public slots:
  void jobStarted(const QString& title);
  void jobProgressed(const QString& stage, qint64 done, qint64 total);
  void jobEnded();

 signals:
  void cancelRequested();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void refreshModelFields();

  std::shared_ptr<const LoadedModel> m_model;
  QLabel* m_modelType;
  QLabel* m_tensors;
  QLabel* m_parameters;
  QLabel* m_bytes;
  QProgressBar* m_progress;
  QToolButton* m_cancel;
};

}  // namespace lathe::ui
