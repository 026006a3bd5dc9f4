#include "widgets/quantization_screenshot.h"

#include "bridge/engine_document.h"
#include "bridge/job_runner.h"
#include "mainwindow/main_window.h"
#include "widgets/quantization_panel.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>

namespace lathe::ui {
namespace {

void settle(MainWindow& window, const QuantizationPanel* panel) {
  QDeadlineTimer deadline(60000);
  do {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(5);
  } while ((window.document()->jobRunner()->isBusy() || window.document()->isLoading() || panel->isComputing()) &&
           !deadline.hasExpired());
  QCoreApplication::processEvents();
}

}  // namespace

QWidget* prepareQuantizationScreenshot(MainWindow& window, std::unique_ptr<QWidget>& owned) {
  auto* panel = new QuantizationPanel(window.document());
  owned.reset(panel);
  panel->setWindowTitle(QuantizationPanel::tr("Quantization"));
  panel->resize(1000, 560);
  panel->show();
  EngineDocument* doc = window.document();
  if (doc->isLive() && !doc->path().isEmpty()) {
    lathe::BnbConfig cfg;
    cfg.load_in_4bit = true;
    cfg.bnb_4bit_quant_type = "nf4";
    cfg.bnb_4bit_use_double_quant = true;
    lathe::LoadOptions opts;
    opts.quantization = cfg;
    doc->load(doc->path(), opts);  // the panel refreshes on changed()
  }
  settle(window, panel);
  panel->refresh();
  settle(window, panel);
  return panel;
}

}  // namespace lathe::ui
