// The device-map designer as a dock of the main window: tabbed with the
// bottom docks, toggled from View > Device Map Designer.
#pragma once

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;

namespace lathe::ui {

class EngineDocument;

/// Adds the dock (objectName "designerDock") and its toggle action
/// ("actionShowDesigner", inserted at the top of `viewMenu`); returns the dock.
QDockWidget* installDeviceMapDesigner(QMainWindow* window, EngineDocument* document, QMenu* viewMenu);

}  // namespace lathe::ui
