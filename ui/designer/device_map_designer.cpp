#include "designer/device_map_designer.h"

#include "bridge/engine_document.h"
#include "designer/device_map_design.h"
#include "designer/lane_model.h"
#include "designer/lane_widget.h"
#include "models/display_format.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSpinBox>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>

namespace lathe::ui {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

QAction* makeAction(QObject* parent, const char* name, QStyle::StandardPixmap icon, const QStyle* style) {
  auto* a = new QAction(parent);
  a->setObjectName(QLatin1String(name));
  if (icon != QStyle::SP_CustomBase) a->setIcon(style->standardIcon(icon));
  return a;
}

QToolBar* makeBar(QWidget* parent, const char* name) {
  auto* bar = new QToolBar(parent);
  bar->setObjectName(QLatin1String(name));
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->setIconSize(QSize(16, 16));
  return bar;
}

}  // namespace

DeviceMapDesigner::DeviceMapDesigner(EngineDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_design(new DeviceMapDesign(this)) {
  setObjectName(QStringLiteral("deviceMapDesigner"));
  // Every plan is a job: nothing the engine throws reaches the GUI thread.
  m_design->setJobRunner(document->jobRunner(), 0);
  m_design->setLanes({{"0", 24 * kGiB, 0}, {"1", 24 * kGiB, 0}, {"cpu", 64 * kGiB, 0}, {"disk", kUnlimited, 0}});
  createToolBars();

  auto* lanesHost = new QWidget(this);
  m_laneLayout = new QHBoxLayout(lanesHost);
  m_laneLayout->setContentsMargins(6, 6, 6, 6);
  m_laneLayout->setSpacing(8);
  auto* scroll = new QScrollArea(this);
  scroll->setObjectName(QStringLiteral("designerLanes"));
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setMinimumHeight(24);  // docked, the lanes scroll rather than force the window taller
  scroll->setWidget(lanesHost);

  m_status = new QLabel(this);
  m_status->setObjectName(QStringLiteral("designerStatus"));
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_warnings = new QLabel(this);
  m_warnings->setObjectName(QStringLiteral("designerWarnings"));
  m_warnings->setWordWrap(true);
  m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 4);
  layout->setSpacing(2);
  layout->addWidget(m_sourceBar);
  layout->addWidget(m_planBar);
  layout->addWidget(scroll, 1);
  auto* footer = new QVBoxLayout;
  footer->setContentsMargins(8, 0, 8, 0);
  footer->addWidget(m_status);
  footer->addWidget(m_warnings);
  layout->addLayout(footer);

  connect(m_design, &DeviceMapDesign::changed, this, &DeviceMapDesigner::refresh);
  connect(m_design, &DeviceMapDesign::planStarted, this, &DeviceMapDesigner::refresh);
  connect(m_design, &DeviceMapDesign::planFailed, this,
          [this](const JobFailure& f) { showFailure(tr("Auto plan"), f); refresh(); });
  connect(m_document, &EngineDocument::changed, this, &DeviceMapDesigner::refresh);
  connect(m_document, &EngineDocument::loadStarted, this, &DeviceMapDesigner::refresh);
  connect(m_document, &EngineDocument::loadFailed, this, &DeviceMapDesigner::refresh);
  connect(m_document, &EngineDocument::loadCancelled, this, &DeviceMapDesigner::refresh);
  retranslate();
  rebuildLanes();
  refresh();
}

DeviceMapDesigner::~DeviceMapDesigner() = default;

void DeviceMapDesigner::createToolBars() {
  const QStyle* s = style();
  QToolBar* source = makeBar(this, "designerSourceBar");
  m_openTree = makeAction(this, "actionDesignerOpenTree", QStyle::SP_FileIcon, s);
  connect(m_openTree, &QAction::triggered, this, &DeviceMapDesigner::chooseTreeFile);
  m_openFolder = makeAction(this, "actionDesignerOpenFolder", QStyle::SP_DirOpenIcon, s);
  connect(m_openFolder, &QAction::triggered, this, &DeviceMapDesigner::chooseModelFolder);
  m_openCurrent = makeAction(this, "actionDesignerOpenCurrent", QStyle::SP_DriveHDIcon, s);
  connect(m_openCurrent, &QAction::triggered, this, [this] { openModelSource(m_document->path()); });
  m_repo = new QLineEdit(this);
  m_repo->setObjectName(QStringLiteral("designerRepoEdit"));
  m_repo->setMinimumWidth(220);
  m_repo->setMaximumWidth(340);
  m_repo->setClearButtonEnabled(true);
  m_fetch = makeAction(this, "actionDesignerFetch", QStyle::SP_ArrowDown, s);
  auto fetch = [this] {
    if (!m_repo->text().trimmed().isEmpty()) openModelSource(m_repo->text().trimmed());
  };
  connect(m_fetch, &QAction::triggered, this, fetch);
  connect(m_repo, &QLineEdit::returnPressed, this, fetch);
  m_source = new QLabel(this);
  m_source->setObjectName(QStringLiteral("designerSource"));
  m_source->setContentsMargins(12, 0, 8, 0);
  source->addAction(m_openTree);
  source->addAction(m_openFolder);
  source->addAction(m_openCurrent);
  source->addSeparator();
  source->addWidget(m_repo);
  source->addAction(m_fetch);
  source->addWidget(m_source);
  m_sourceBar = source;

  QToolBar* plan = makeBar(this, "designerPlanBar");
  m_gpuLabel = new QLabel(this);
  m_gpus = new QSpinBox(this);
  m_gpus->setObjectName(QStringLiteral("designerGpuCount"));
  m_gpus->setRange(0, 16);
  m_gpus->setValue(m_design->gpuCount());
  m_gpuBudget = new QLineEdit(QStringLiteral("24 GiB"), this);
  m_gpuBudget->setObjectName(QStringLiteral("designerGpuBudget"));
  m_gpuBudget->setMaximumWidth(80);
  connect(m_gpus, &QSpinBox::valueChanged, this, [this](int n) {
    double budget = 24 * kGiB;
    if (!DeviceMapDesign::parseBudgetText(m_gpuBudget->text(), &budget)) budget = 24 * kGiB;
    m_design->setGpuCount(n, budget);
  });
  m_dtypeLabel = new QLabel(this);
  m_dtype = new QComboBox(this);
  m_dtype->setObjectName(QStringLiteral("designerDtype"));
  for (const char* d : {"auto", "float16", "bfloat16", "float32"}) m_dtype->addItem(QLatin1String(d), QLatin1String(d));
  connect(m_dtype, &QComboBox::currentIndexChanged, this, &DeviceMapDesigner::applyDtype);
  m_modeLabel = new QLabel(this);
  m_mode = new QComboBox(this);
  m_mode->setObjectName(QStringLiteral("designerMode"));
  m_mode->addItem(QString(), static_cast<int>(planning::PlanMode::Balanced));
  m_mode->addItem(QStringLiteral("balanced_low_0"), static_cast<int>(planning::PlanMode::BalancedLow0));
  m_mode->addItem(QStringLiteral("sequential"), static_cast<int>(planning::PlanMode::Sequential));
  m_autoPlan = makeAction(this, "actionDesignerAutoPlan", QStyle::SP_MediaPlay, s);
  connect(m_autoPlan, &QAction::triggered, this, &DeviceMapDesigner::autoPlan);
  m_diff = makeAction(this, "actionDesignerDiff", QStyle::SP_CustomBase, s);
  m_diff->setCheckable(true);
  connect(m_diff, &QAction::toggled, this, [this](bool on) {
    for (LaneWidget* lane : m_lanes) lane->model()->setShowDiff(on);
    refresh();
  });
  m_import = makeAction(this, "actionDesignerImport", QStyle::SP_DialogOpenButton, s);
  connect(m_import, &QAction::triggered, this, &DeviceMapDesigner::chooseImport);
  m_export = makeAction(this, "actionDesignerExport", QStyle::SP_DialogSaveButton, s);
  connect(m_export, &QAction::triggered, this, &DeviceMapDesigner::chooseExport);
  m_load = makeAction(this, "actionDesignerLoad", QStyle::SP_DialogApplyButton, s);
  connect(m_load, &QAction::triggered, this, &DeviceMapDesigner::loadWithMap);
  plan->addWidget(m_gpuLabel);
  plan->addWidget(m_gpus);
  plan->addWidget(new QLabel(QStringLiteral(" × "), this));
  plan->addWidget(m_gpuBudget);
  plan->addSeparator();
  plan->addWidget(m_dtypeLabel);
  plan->addWidget(m_dtype);
  plan->addSeparator();
  plan->addWidget(m_modeLabel);
  plan->addWidget(m_mode);
  plan->addAction(m_autoPlan);
  plan->addAction(m_diff);
  plan->addSeparator();
  plan->addAction(m_import);
  plan->addAction(m_export);
  plan->addSeparator();
  plan->addAction(m_load);
  m_planBar = plan;
}

void DeviceMapDesigner::retranslate() {
  m_openTree->setText(tr("Open Tree…"));
  m_openTree->setToolTip(tr("Open a module-size tree JSON (lathe-cli plan --tree format)"));
  m_openFolder->setText(tr("Model Folder…"));
  m_openFolder->setToolTip(tr("Size a local model folder from its config.json (no weights are read)"));
  m_openCurrent->setText(tr("Open Model"));
  m_openCurrent->setToolTip(tr("Plan the model open in the workbench"));
  m_repo->setPlaceholderText(tr("Hub repo: org/name[@revision]"));
  m_fetch->setText(tr("Fetch Config"));
  m_fetch->setToolTip(tr("Fetch only the config files of a Hub repo (no weights) and size the model"));
  m_gpuLabel->setText(tr("GPUs "));
  m_gpus->setToolTip(tr("Declared GPUs: design for hardware you do not have"));
  m_gpuBudget->setToolTip(tr("Budget of each GPU added"));
  m_dtypeLabel->setText(tr(" dtype "));
  m_dtype->setItemText(0, tr("auto"));
  m_dtype->setToolTip(tr("torch_dtype the sizes follow (auto: the checkpoint's, or each tensor's own for a tree)"));
  m_modeLabel->setText(tr(" mode "));
  m_mode->setItemText(0, tr("auto (balanced)"));
  m_mode->setToolTip(tr("device_map mode as from_pretrained(device_map=...) passes it to accelerate"));
  m_autoPlan->setText(tr("Auto Plan"));
  m_autoPlan->setToolTip(tr("Fill the lanes with accelerate's plan for these budgets"));
  m_diff->setText(tr("Diff vs Auto"));
  m_diff->setToolTip(tr("Highlight modules placed differently from the last auto plan"));
  m_import->setText(tr("Import…"));
  m_export->setText(tr("Export…"));
  m_export->setToolTip(tr("Save the map as JSON, accelerate's form (GPU ids as integers)"));
  m_load->setText(tr("Load with This Map"));
}

void DeviceMapDesigner::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) {
    retranslate();
    refresh();
  }
  QWidget::changeEvent(event);
}

LaneWidget* DeviceMapDesigner::laneWidget(const std::string& device) const {
  for (LaneWidget* l : m_lanes)
    if (l->device() == device) return l;
  return nullptr;
}

void DeviceMapDesigner::rebuildLanes() {
  std::vector<std::string> want;
  for (const auto& l : m_design->lanes()) want.push_back(l.device);
  std::vector<std::string> have;
  for (LaneWidget* l : m_lanes) have.push_back(l->device());
  if (want == have) return;
  for (LaneWidget* l : m_lanes) delete l;
  m_lanes.clear();
  while (m_laneLayout->count() > 0) delete m_laneLayout->takeAt(0);
  for (const auto& device : want) {
    auto* lane = new LaneWidget(m_design, device, m_laneLayout->parentWidget());
    lane->model()->setShowDiff(m_diff->isChecked());
    connect(lane, &LaneWidget::moveRequested, this,
            [this](const QStringList& paths, const QString& dev) { m_design->move(paths, dev.toStdString()); });
    m_laneLayout->addWidget(lane, 1);
    m_lanes.push_back(lane);
  }
  const QSignalBlocker block(m_gpus);
  m_gpus->setValue(m_design->gpuCount());
}

void DeviceMapDesigner::refresh() {
  rebuildLanes();
  const bool tree = m_design->hasTree();
  const bool planning = m_design->isPlanning();
  m_autoPlan->setEnabled(tree && !planning && !m_busy);
  m_diff->setEnabled(m_design->hasAutoPlan());
  m_export->setEnabled(tree && !m_busy);
  m_import->setEnabled(tree && !m_busy);
  for (QAction* a : {m_openTree, m_openFolder, m_fetch}) a->setEnabled(!m_busy);
  m_openCurrent->setEnabled(!m_busy && !m_document->path().isEmpty());
  m_load->setEnabled(canLoadWithMap());
  m_load->setToolTip(canLoadWithMap() ? tr("Load the model in the workbench with this device map")
                                      : tr("Open a local model folder to load it with this map (a tree or a "
                                           "Hub config has no weights)"));

  if (!tree) {
    m_source->setText(tr("No model: open a tree, a model folder or a Hub repo"));
    m_status->setText(tr("Design a device map: drag modules or layer ranges between lanes, edit budgets, then export."));
    m_warnings->clear();
    return;
  }
  m_source->setText(tr("<b>%1</b> · %2 modules · %3")
                        .arg(m_design->sourceName().toHtmlEscaped(), formatCount(m_design->tree()->modules.size()),
                             formatBytes(static_cast<quint64>(m_design->totalSize()))));
  QStringList parts;
  parts << tr("Total %1").arg(formatBytes(static_cast<quint64>(m_design->totalSize())));
  if (m_design->hasAutoPlan()) {
    const auto& plan = m_design->lastPlan();
    if (plan.reserve > 0) parts << tr("largest layer %1").arg(formatBytes(static_cast<quint64>(plan.reserve)));
    parts << tr("%n module(s) differ from the auto plan", "", static_cast<int>(m_design->diffVsAuto().size()));
  }
  if (planning) parts << tr("planning…");
  m_status->setText(parts.join(QStringLiteral(" · ")));
  QStringList lines;
  for (const QString& w : m_design->warnings()) lines << QStringLiteral("⚠ ") + w.toHtmlEscaped();
  if (m_diff->isChecked() && !m_design->diffVsAuto().empty()) {
    QStringList names;
    for (const auto& d : m_design->diffVsAuto()) {
      if (names.size() == 12) { names << QStringLiteral("…"); break; }
      names << QString::fromStdString(d).toHtmlEscaped() + QStringLiteral(" → ") + deviceLabel(m_design->deviceOf(d));
    }
    lines << tr("Changed: %1").arg(names.join(QStringLiteral(", ")));
  }
  m_warnings->setText(QStringLiteral("<span style='color:#b45309'>%1</span>").arg(lines.join(QStringLiteral("<br>"))));
  m_warnings->setVisible(!lines.isEmpty());
}

}  // namespace lathe::ui
