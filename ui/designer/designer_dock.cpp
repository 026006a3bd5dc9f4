#include "designer/designer_dock.h"

#include "designer/device_map_designer.h"

#include <QAction>
#include <QDockWidget>
#include <QEvent>
#include <QMainWindow>
#include <QMenu>

namespace lathe::ui {
namespace {

class DesignerDock : public QDockWidget {
 public:
  DesignerDock(EngineDocument* document, QWidget* parent) : QDockWidget(parent) {
    setObjectName(QStringLiteral("designerDock"));
    setWidget(new DeviceMapDesigner(document, this));
    setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    toggleViewAction()->setObjectName(QStringLiteral("actionShowDesigner"));
    retranslate();
  }

 protected:
  void changeEvent(QEvent* event) override {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QDockWidget::changeEvent(event);
  }

 private:
  void retranslate() {
    setWindowTitle(DeviceMapDesigner::tr("Device Map"));
    toggleViewAction()->setText(DeviceMapDesigner::tr("&Device Map Designer"));
    toggleViewAction()->setToolTip(DeviceMapDesigner::tr("Design where each module goes: GPUs, CPU, disk"));
  }
};

}  // namespace

QDockWidget* installDeviceMapDesigner(QMainWindow* window, EngineDocument* document, QMenu* viewMenu) {
  auto* dock = new DesignerDock(document, window);
  QDockWidget* neighbour = nullptr;
  for (QDockWidget* d : window->findChildren<QDockWidget*>())
    if (d != dock && window->dockWidgetArea(d) == Qt::BottomDockWidgetArea && !neighbour) neighbour = d;
  if (neighbour) window->tabifyDockWidget(neighbour, dock);
  else window->addDockWidget(Qt::BottomDockWidgetArea, dock);
  if (neighbour) neighbour->raise();
  QAction* toggle = dock->toggleViewAction();
  toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
  if (viewMenu) viewMenu->insertAction(viewMenu->actions().value(0), toggle);
  return dock;
}

}  // namespace lathe::ui
