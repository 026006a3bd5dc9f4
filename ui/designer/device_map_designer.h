// DeviceMapDesigner: the visual device-map designer.
//
// Device lanes side by side (declared GPUs, CPU, disk), each with an editable
// budget, a capacity bar and the modules placed on it; modules and layer
// ranges are dragged between lanes (tie groups move together). A toolbar
// opens a source — a --tree JSON, a local model folder, or a Hub repo id whose
// config alone is fetched — runs "Auto plan" in each accelerate mode, shows
// the diff against it, imports/exports accelerate's map JSON and loads the
// model with the map. Every engine call runs on the document's JobRunner.
#pragma once

#include "designer/designer_sources.h"

#include <QWidget>

#include <string>
#include <vector>

class QAction;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace lathe::ui {

class DeviceMapDesign;
class EngineDocument;
class LaneWidget;
struct JobFailure;

class DeviceMapDesigner : public QWidget {
  Q_OBJECT

 public:
  explicit DeviceMapDesigner(EngineDocument* document, QWidget* parent = nullptr);
  ~DeviceMapDesigner() override;

  DeviceMapDesign* design() const { return m_design; }
  LaneWidget* laneWidget(const std::string& device) const;
  const std::vector<LaneWidget*>& laneWidgets() const { return m_lanes; }
  QAction* autoPlanAction() const { return m_autoPlan; }
  QAction* diffAction() const { return m_diff; }
  QAction* loadAction() const { return m_load; }
  QComboBox* modeBox() const { return m_mode; }
  QLabel* warningsLabel() const { return m_warnings; }
  /// True while a source, import or export job runs.
  bool isBusy() const { return m_busy; }
  /// A local model folder is the source and no load runs.
  bool canLoadWithMap() const;

 public slots:
  /// Adopts a tree (tests, screenshots, the jobs below).
  void openTree(const lathe::ui::SharedTree& tree, const QString& name);
  /// Reads a --tree JSON file in a job.
  void openTreeFile(const QString& path);
  /// A local model folder or a Hub repo id (config only), sized with the dtype box.
  void openModelSource(const QString& pathOrRepo);
  /// Auto plan in the mode the mode box shows.
  void autoPlan();
  void importMap(const QString& path);
  void exportMap(const QString& path);
  /// EngineDocument::load of the model folder with this map (LoadOptions::device_map as JSON).
  void loadWithMap();

 signals:
  /// A source, import or export job ended (successfully or not).
  void jobEnded();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void createToolBars();
  void retranslate();
  void rebuildLanes();
  void refresh();
  void applyDtype();
  void setBusy(bool busy);
  void showFailure(const QString& what, const JobFailure& failure);
  void chooseTreeFile();
  void chooseModelFolder();
  void chooseImport();
  void chooseExport();

  EngineDocument* m_document;
  DeviceMapDesign* m_design;
  std::vector<LaneWidget*> m_lanes;
  QHBoxLayout* m_laneLayout = nullptr;
  bool m_busy = false;
  QString m_modelSource;  ///< the folder or repo id of a model source ("" for a tree file)

  QWidget* m_sourceBar = nullptr;
  QWidget* m_planBar = nullptr;
  QAction* m_openTree = nullptr;
  QAction* m_openFolder = nullptr;
  QAction* m_openCurrent = nullptr;
  QAction* m_fetch = nullptr;
  QLineEdit* m_repo = nullptr;
  QLabel* m_source = nullptr;
  QLabel* m_gpuLabel = nullptr;
  QSpinBox* m_gpus = nullptr;
  QLineEdit* m_gpuBudget = nullptr;
  QLabel* m_dtypeLabel = nullptr;
  QComboBox* m_dtype = nullptr;
  QLabel* m_modeLabel = nullptr;
  QComboBox* m_mode = nullptr;
  QAction* m_autoPlan = nullptr;
  QAction* m_diff = nullptr;
  QAction* m_import = nullptr;
  QAction* m_export = nullptr;
  QAction* m_load = nullptr;
  QLabel* m_status = nullptr;
  QLabel* m_warnings = nullptr;
};

}  // namespace lathe::ui
