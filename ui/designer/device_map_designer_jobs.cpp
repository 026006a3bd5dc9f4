// DeviceMapDesigner, the engine side: sources, import/export and loading, each a job.
#include "designer/device_map_designer.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "bridge/job_runner.h"
#include "designer/device_map_design.h"
#include "dialogs/message_box.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QStandardPaths>

namespace lathe::ui {

void DeviceMapDesigner::setBusy(bool busy) {
  m_busy = busy;
  refresh();
}

void DeviceMapDesigner::showFailure(const QString& what, const JobFailure& failure) {
  if (failure.cancelled) return;
  MessageBox::critical(this, tr("Device Map Designer"), tr("%1 failed.").arg(what), errorText(failure),
                       errorDetails(failure));
}

void DeviceMapDesigner::openTree(const SharedTree& tree, const QString& name) {
  const std::string dtype = m_dtype->currentData().toString().toStdString();
  m_design->setTree(tree, name);
  if (m_modelSource.isEmpty()) m_design->setDtype(dtype == "auto" ? std::string() : dtype);
  else m_design->setDtype({});  // a model's tree carries the torch_dtype it was sized for
  autoPlan();
}

void DeviceMapDesigner::openTreeFile(const QString& path) {
  if (path.isEmpty() || m_busy) return;
  setBusy(true);
  const std::string file = path.toStdString();
  const QString name = QFileInfo(path).fileName();
  m_document->jobRunner()->run<SharedTree>(
      tr("Reading a module tree"), [file](lathe::ProgressSink&) { return readTreeFile(file); }, this,
      [this, name](SharedTree&& tree) {
        m_modelSource.clear();
        setBusy(false);
        openTree(tree, name);
        emit jobEnded();
      },
      [this](const JobFailure& f) {
        setBusy(false);
        showFailure(tr("Opening the tree"), f);
        emit jobEnded();
      });
}

void DeviceMapDesigner::openModelSource(const QString& pathOrRepo) {
  if (pathOrRepo.isEmpty() || m_busy) return;
  setBusy(true);
  const std::string arg = pathOrRepo.toStdString();
  const std::string dtype = m_dtype->currentData().toString().toStdString();
  const QFileInfo info(pathOrRepo);
  const QString name = info.exists() ? info.fileName() : pathOrRepo;
  m_document->jobRunner()->run<SharedTree>(
      tr("Sizing %1").arg(name),
      [arg, dtype](lathe::ProgressSink& progress) { return modelTree(arg, dtype, progress); }, this,
      [this, pathOrRepo, name](SharedTree&& tree) {
        m_modelSource = pathOrRepo;
        setBusy(false);
        openTree(tree, name);
        emit jobEnded();
      },
      [this](const JobFailure& f) {
        setBusy(false);
        showFailure(tr("Sizing the model"), f);
        emit jobEnded();
      });
}

void DeviceMapDesigner::applyDtype() {
  if (!m_modelSource.isEmpty()) {  // sizes of a model follow from_pretrained's torch_dtype: re-size it
    openModelSource(m_modelSource);
    return;
  }
  const std::string dtype = m_dtype->currentData().toString().toStdString();
  const bool untouched = m_design->hasAutoPlan() && m_design->diffVsAuto().empty();
  m_design->setDtype(dtype == "auto" ? std::string() : dtype);
  if (untouched) autoPlan();  // keep showing the plan for the new sizes; manual edits are kept
}

void DeviceMapDesigner::autoPlan() {
  if (!m_design->hasTree()) return;
  m_design->autoPlan(static_cast<planning::PlanMode>(m_mode->currentData().toInt()));
}

void DeviceMapDesigner::importMap(const QString& path) {
  if (path.isEmpty() || m_busy || !m_design->hasTree()) return;
  setBusy(true);
  const std::string file = path.toStdString();
  auto tree = m_design->sharedTree();
  m_document->jobRunner()->run<DeviceMapDesign::Map>(
      tr("Importing a device map"),
      [file, tree](lathe::ProgressSink&) { return DeviceMapDesign::parseMap(*tree, readMapFile(file)); }, this,
      [this, tree](DeviceMapDesign::Map&& map) {
        setBusy(false);
        if (tree == m_design->sharedTree()) m_design->setAssignment(std::move(map));
        emit jobEnded();
      },
      [this](const JobFailure& f) {
        setBusy(false);
        showFailure(tr("Importing the device map"), f);
        emit jobEnded();
      });
}

void DeviceMapDesigner::exportMap(const QString& path) {
  if (path.isEmpty() || m_busy || !m_design->hasTree()) return;
  setBusy(true);
  const std::string file = path.toStdString();
  const nlohmann::ordered_json json = m_design->exportJson();
  m_document->jobRunner()->run<bool>(
      tr("Exporting the device map"),
      [file, json](lathe::ProgressSink&) {
        writeMapFile(file, json);
        return true;
      },
      this,
      [this](bool&&) {
        setBusy(false);
        emit jobEnded();
      },
      [this](const JobFailure& f) {
        setBusy(false);
        showFailure(tr("Exporting the device map"), f);
        emit jobEnded();
      });
}

bool DeviceMapDesigner::canLoadWithMap() const {
  return m_design->hasTree() && !m_modelSource.isEmpty() && QFileInfo(m_modelSource).isDir() &&
         !m_document->isLoading() && !m_busy;
}

void DeviceMapDesigner::loadWithMap() {
  if (!canLoadWithMap()) return;
  lathe::LoadOptions opts;
  opts.torch_dtype = m_dtype->currentData().toString().toStdString();
  opts.device_map = m_design->exportJson().dump();
  if (m_design->lane("disk") && m_design->lane("disk")->used > 0) {
    // .bin checkpoints need a folder for disk entries (safetensors ones point into their files).
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                           QStringLiteral("/offload/") + QFileInfo(m_modelSource).fileName();
    opts.offload_folder = folder.toStdString();
  }
  m_document->load(m_modelSource, opts);
}

void DeviceMapDesigner::chooseTreeFile() {
  openTreeFile(QFileDialog::getOpenFileName(this, tr("Open Module Tree"), {}, tr("Module trees (*.json);;All files (*)")));
}

void DeviceMapDesigner::chooseModelFolder() {
  openModelSource(QFileDialog::getExistingDirectory(this, tr("Open Model Folder")));
}

void DeviceMapDesigner::chooseImport() {
  importMap(QFileDialog::getOpenFileName(this, tr("Import Device Map"), {}, tr("Device maps (*.json);;All files (*)")));
}

void DeviceMapDesigner::chooseExport() {
  QString path = QFileDialog::getSaveFileName(this, tr("Export Device Map"), QStringLiteral("device_map.json"),
                                              tr("Device maps (*.json)"));
  if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".json");
  exportMap(path);
}

}  // namespace lathe::ui
