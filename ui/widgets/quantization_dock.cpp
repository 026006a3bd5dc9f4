#include "widgets/quantization_dock.h"

#include "widgets/quantization_panel.h"
#include "widgets/translated_dock.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QScrollArea>

namespace lathe::ui {

QDockWidget* installQuantizationPanel(QMainWindow* window, EngineDocument* document, QMenu* viewMenu) {
  auto* dock = new TranslatedDock(QStringLiteral("quantizationDock"), QStringLiteral("actionShowQuantization"), [] {
    return TranslatedDock::Texts{QuantizationPanel::tr("Quantization"), QuantizationPanel::tr("&Quantization"),
                                 QuantizationPanel::tr("Quantized layers and the error of their weights")};
  }, window);
  // In a scroll area: the wrapped summary must not raise the window's minimum height.
  auto* scroll = new QScrollArea(dock);
  scroll->setObjectName(QStringLiteral("quantizationScroll"));
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(new QuantizationPanel(document, scroll));
  dock->setWidget(scroll);
  QDockWidget* neighbour = window->findChild<QDockWidget*>(QStringLiteral("tryDock"));
  if (neighbour && window->dockWidgetArea(neighbour) != Qt::NoDockWidgetArea) {
    window->tabifyDockWidget(neighbour, dock);
    neighbour->raise();
  } else {
    window->addDockWidget(Qt::RightDockWidgetArea, dock);
  }
  if (viewMenu) viewMenu->insertAction(viewMenu->actions().value(0), dock->toggleViewAction());
  return dock;
}

}  // namespace lathe::ui
