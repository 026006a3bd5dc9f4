// The Quantization panel for `lathe --screenshot DIR` (quantization.png): the
// loaded model reloaded with 4-bit NF4 (double quantization), its layers and errors.
#pragma once

#include <memory>

class QWidget;

namespace lathe::ui {

class MainWindow;

/// Builds a stand-alone panel (owned by `owned`), quantizes, and returns it to grab.
QWidget* prepareQuantizationScreenshot(MainWindow& window, std::unique_ptr<QWidget>& owned);

}  // namespace lathe::ui
