#include "designer/designer_screenshot.h"

#include "bridge/engine_document.h"
#include "bridge/job_runner.h"
#include "designer/device_map_design.h"
#include "designer/device_map_designer.h"
#include "designer/lane_model.h"
#include "designer/lane_widget.h"
#include "mainwindow/main_window.h"

#include <QAction>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>
#include <QTreeView>

namespace lathe::ui {

QWidget* prepareDesignerScreenshot(MainWindow& window, std::unique_ptr<QWidget>& owned) {
  auto* designer = new DeviceMapDesigner(window.document());
  owned.reset(designer);
  designer->setWindowTitle(DeviceMapDesigner::tr("Device Map Designer"));
  designer->resize(1480, 820);
  designer->show();
  designer->openTree(std::make_shared<const planning::ModuleTree>(
                         planning::parse_module_tree(llamaShapedTree(80, 8192, 28672, 64, 8, 32000))),
                     DeviceMapDesigner::tr("Llama-2-70B-shaped tree (float16)"));
  QDeadlineTimer deadline(30000);
  while ((designer->design()->isPlanning() || window.document()->jobRunner()->isBusy()) && !deadline.hasExpired()) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(5);
  }
  // A hand edit on top of the auto plan, shown by "Diff vs Auto": two layers moved to GPU 1.
  const auto gpu0 = designer->design()->entriesOn("0");
  QStringList moved;
  for (auto it = gpu0.rbegin(); it != gpu0.rend() && moved.size() < 2; ++it)
    if (it->rfind("model.layers.", 0) == 0) moved << QString::fromStdString(*it);
  designer->design()->move(moved, "1");
  designer->diffAction()->setChecked(true);
  for (LaneWidget* lane : designer->laneWidgets()) {
    lane->view()->expand(lane->model()->indexOfEntry(moved.value(0)));
    if (lane->device() == "1") lane->view()->scrollToBottom();
  }
  QCoreApplication::processEvents();
  return designer;
}

}  // namespace lathe::ui
