// The designer's view for `lathe --screenshot DIR` (designer.png): a plan of
// a Llama-70B-shaped tree on 2 × 24 GiB GPUs + 64 GiB CPU (+ disk).
#pragma once

#include <memory>

class QWidget;

namespace lathe::ui {

class MainWindow;

/// Builds a stand-alone designer (owned by `owned`), plans, and returns it to grab.
QWidget* prepareDesignerScreenshot(MainWindow& window, std::unique_ptr<QWidget>& owned);

}  // namespace lathe::ui
