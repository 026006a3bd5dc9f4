#include "designer/designer_dock.h"

#include "designer/device_map_designer.h"
#include "widgets/translated_dock.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>

namespace lathe::ui {

QDockWidget* installDeviceMapDesigner(QMainWindow* window, EngineDocument* document, QMenu* viewMenu) {
  auto* dock = new TranslatedDock(QStringLiteral("designerDock"), QStringLiteral("actionShowDesigner"), [] {
    return TranslatedDock::Texts{DeviceMapDesigner::tr("Device Map"), DeviceMapDesigner::tr("&Device Map Designer"),
                                 DeviceMapDesigner::tr("Design where each module goes: GPUs, CPU, disk")};
  }, window);
  dock->setWidget(new DeviceMapDesigner(document, dock));
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
