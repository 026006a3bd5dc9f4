#include "widgets/quantization_dock.h"

#include "widgets/quantization_panel.h"

#include <QAction>
#include <QDockWidget>
#include <QEvent>
#include <QMainWindow>
#include <QMenu>
#include <QScrollArea>

namespace lathe::ui {
namespace {

class QuantizationDock : public QDockWidget {
 public:
  QuantizationDock(EngineDocument* document, QWidget* parent) : QDockWidget(parent) {
    setObjectName(QStringLiteral("quantizationDock"));
    // In a scroll area: the wrapped summary must not raise the window's minimum height.
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("quantizationScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(new QuantizationPanel(document, scroll));
    setWidget(scroll);
    setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    toggleViewAction()->setObjectName(QStringLiteral("actionShowQuantization"));
    retranslate();
  }

 protected:
  void changeEvent(QEvent* event) override {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QDockWidget::changeEvent(event);
  }

 private:
  void retranslate() {
    setWindowTitle(QuantizationPanel::tr("Quantization"));
    toggleViewAction()->setText(QuantizationPanel::tr("&Quantization"));
    toggleViewAction()->setToolTip(QuantizationPanel::tr("Quantized layers and the error of their weights"));
  }
};

}  // namespace

QDockWidget* installQuantizationPanel(QMainWindow* window, EngineDocument* document, QMenu* viewMenu) {
  auto* dock = new QuantizationDock(document, window);
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
