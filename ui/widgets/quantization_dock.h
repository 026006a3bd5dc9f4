// The Quantization panel as a dock of the main window: tabbed with the right
// docks, toggled from View > Quantization.
#pragma once

class QDockWidget;
class QMainWindow;
class QMenu;

namespace lathe::ui {

class EngineDocument;

/// Adds the dock (objectName "quantizationDock") and its toggle action
/// ("actionShowQuantization", inserted at the top of `viewMenu`); returns the dock.
QDockWidget* installQuantizationPanel(QMainWindow* window, EngineDocument* document, QMenu* viewMenu);

}  // namespace lathe::ui
