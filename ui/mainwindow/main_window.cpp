#include "mainwindow/main_window.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "bridge/job_runner.h"
#include "designer/designer_dock.h"
#include "dialogs/file_dialog.h"
#include "dialogs/message_box.h"
#include "mainwindow/recent_models.h"
#include "widgets/model_status_bar.h"
#include "widgets/parameters_view.h"
#include "widgets/quantization_dock.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QStyle>
#include <QToolBar>
#include <QTreeView>
#include <QUrl>

namespace lathe::ui {
namespace {

constexpr const char* kGeometryKey = "window/geometry";
constexpr const char* kStateKey = "window/state";
constexpr const char* kLastDirKey = "paths/lastOpenDir";

QAction* makeAction(QObject* parent, const char* objectName, QKeySequence shortcut = {}) {
  auto* action = new QAction(parent);
  action->setObjectName(QLatin1String(objectName));
  if (!shortcut.isEmpty()) action->setShortcut(shortcut);
  return action;
}

QString localPathOf(const QMimeData* mime) {
  if (!mime || !mime->hasUrls()) return {};
  const QList<QUrl> urls = mime->urls();
  if (urls.isEmpty() || !urls.first().isLocalFile()) return {};
  const QString path = urls.first().toLocalFile();
  return QFileInfo::exists(path) ? path : QString();
}

}  // namespace

MainWindow::MainWindow(Settings settings, QWidget* parent)
    : QMainWindow(parent),
      m_settings(settings),
      m_document(new EngineDocument(this)),
      m_parameters(new ParametersView(this)),
      m_status(new ModelStatusBar(this)) {
  setObjectName(QStringLiteral("mainWindow"));
  m_document->setObjectName(QStringLiteral("engineDocument"));
  setCentralWidget(m_parameters);
  setStatusBar(m_status);
  setAcceptDrops(true);
  resize(1180, 720);

  createActions();
  createMenus();
  createEditing();
  createViews();
  connectDocument();
  retranslate();
  rebuildRecentMenu();
  updateActions();
  installDeviceMapDesigner(this, m_document, m_viewMenu);
  installQuantizationPanel(this, m_document, m_viewMenu);
  if (m_settings == Settings::Persistent) restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
  const QStyle* s = style();
  m_openAction = makeAction(this, "actionOpenModel", QKeySequence::Open);
  m_openAction->setIcon(s->standardIcon(QStyle::SP_DialogOpenButton));
  connect(m_openAction, &QAction::triggered, this, &MainWindow::openModelDialog);

  m_clearRecentAction = makeAction(this, "actionClearRecent");
  connect(m_clearRecentAction, &QAction::triggered, this, [this] {
    RecentModels::clear();
    rebuildRecentMenu();
  });

  m_closeAction = makeAction(this, "actionCloseModel", QKeySequence::Close);
  connect(m_closeAction, &QAction::triggered, this, &MainWindow::closeModel);

  m_quitAction = makeAction(this, "actionQuit", QKeySequence::Quit);
  m_quitAction->setMenuRole(QAction::QuitRole);
  connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

  m_findAction = makeAction(this, "actionFilter", QKeySequence::Find);
  connect(m_findAction, &QAction::triggered, this, [this] {
    m_parameters->filterEdit()->setFocus(Qt::ShortcutFocusReason);
    m_parameters->filterEdit()->selectAll();
  });

  m_expandAction = makeAction(this, "actionExpandAll");
  connect(m_expandAction, &QAction::triggered, m_parameters, &ParametersView::expandAll);
  m_collapseAction = makeAction(this, "actionCollapseAll");
  connect(m_collapseAction, &QAction::triggered, m_parameters, &ParametersView::collapseAll);

  m_cancelJobAction = makeAction(this, "actionCancelJob", QKeySequence(Qt::Key_Escape));
  m_cancelJobAction->setIcon(s->standardIcon(QStyle::SP_BrowserStop));
  connect(m_cancelJobAction, &QAction::triggered, m_document->jobRunner(), &JobRunner::cancel);

  m_aboutAction = makeAction(this, "actionAbout");
  m_aboutAction->setMenuRole(QAction::AboutRole);
  connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus() {
  menuBar()->setObjectName(QStringLiteral("menuBar"));
  m_fileMenu = menuBar()->addMenu(QString());
  m_fileMenu->setObjectName(QStringLiteral("menuFile"));
  m_fileMenu->addAction(m_openAction);
  m_recentMenu = m_fileMenu->addMenu(QString());
  m_recentMenu->setObjectName(QStringLiteral("menuOpenRecent"));
  m_fileMenu->addAction(m_closeAction);
  m_fileMenu->addSeparator();
  m_fileMenu->addAction(m_quitAction);

  m_viewMenu = menuBar()->addMenu(QString());
  m_viewMenu->setObjectName(QStringLiteral("menuView"));
  m_viewMenu->addAction(m_findAction);
  m_viewMenu->addSeparator();
  m_viewMenu->addAction(m_expandAction);
  m_viewMenu->addAction(m_collapseAction);
  m_viewMenu->addSeparator();
  m_viewMenu->addAction(m_cancelJobAction);

  m_helpMenu = menuBar()->addMenu(QString());
  m_helpMenu->setObjectName(QStringLiteral("menuHelp"));
  m_helpMenu->addAction(m_aboutAction);

  m_toolBar = addToolBar(QString());
  m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
  m_toolBar->setMovable(false);
  m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  m_toolBar->addAction(m_openAction);
}

void MainWindow::connectDocument() {
  JobRunner* runner = m_document->jobRunner();
  connect(runner, &JobRunner::jobStarted, m_status, &ModelStatusBar::jobStarted);
  connect(runner, &JobRunner::progressed, m_status, &ModelStatusBar::jobProgressed);
  connect(runner, &JobRunner::jobFinished, m_status, &ModelStatusBar::jobEnded);
  connect(runner, &JobRunner::busyChanged, this, &MainWindow::updateActions);
  connect(m_status, &ModelStatusBar::cancelRequested, runner, &JobRunner::cancel);

  connect(m_document, &EngineDocument::changed, this, [this] {
    m_parameters->setSnapshot(m_document->paramTree());
    if (m_document->isLoaded()) m_parameters->treeView()->setFocus(Qt::OtherFocusReason);
    m_status->setModel(m_document->model());
    updateTitle();
    updateActions();
  });
  connect(m_document, &EngineDocument::loadFinished, this, [this](const QString& path) {
    if (m_settings != Settings::Persistent) return;
    RecentModels::add(path);
    rebuildRecentMenu();
  });
  connect(m_document, &EngineDocument::loadFailed, this, &MainWindow::showLoadError);
  connect(m_document, &EngineDocument::loadCancelled, this, [this] {
    m_status->showMessage(tr("Opening cancelled."), 4000);
  });
}

void MainWindow::openModel(const QString& path) {
  if (path.isEmpty()) return;
  if (m_settings == Settings::Persistent) {
    const QFileInfo fi(path);
    QSettings().setValue(QLatin1String(kLastDirKey),
                         fi.isDir() ? fi.absoluteDir().absolutePath() : fi.absolutePath());
  }
  m_document->open(path);
}

void MainWindow::openModelDialog() {
  QString start = QDir::homePath();
  if (m_settings == Settings::Persistent)
    start = QSettings().value(QLatin1String(kLastDirKey), start).toString();
  openModel(FileDialog::getModelPath(this, start));
}

void MainWindow::closeModel() {
  m_document->close();
}

void MainWindow::showLoadError(const QString& path, const JobFailure& failure) {
  const QString name = QFileInfo(QDir::cleanPath(path)).fileName();
  MessageBox::critical(this, tr("Could Not Open Model"),
                       tr("Could not open “%1”.").arg(name.isEmpty() ? path : name),
                       errorText(failure), errorDetails(failure));
}

void MainWindow::showAbout() {
  MessageBox::information(
      this, tr("About Lathe"),
      tr("<b>Lathe %1</b><p>A workbench for Hugging Face transformer checkpoints.</p>"
         "<p>Built with Qt %2.</p>")
          .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

void MainWindow::rebuildRecentMenu() {
  m_recentMenu->clear();
  const QStringList recent =
      m_settings == Settings::Persistent ? RecentModels::load() : QStringList();
  int n = 0;
  for (const QString& path : recent) {
    ++n;
    const QString label = n < 10 ? QStringLiteral("&%1 %2").arg(n).arg(path)
                                 : QStringLiteral("%1 %2").arg(n).arg(path);
    QAction* action = m_recentMenu->addAction(label);
    action->setObjectName(QStringLiteral("actionRecent%1").arg(n));
    action->setData(path);
    connect(action, &QAction::triggered, this, [this, path] { openModel(path); });
  }
  if (!recent.isEmpty()) m_recentMenu->addSeparator();
  m_recentMenu->addAction(m_clearRecentAction);
  m_clearRecentAction->setEnabled(!recent.isEmpty());
  m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::updateTitle() {
  // The platform appends the application display name ("… — Lathe").
  setWindowTitle(m_document->isLoaded() ? m_document->displayName() : QString());
  setWindowFilePath(m_document->isLoaded() ? m_document->path() : QString());
}

void MainWindow::updateActions() {
  const bool loaded = m_document->isLoaded();
  m_closeAction->setEnabled(loaded || m_document->isLoading());
  m_expandAction->setEnabled(loaded);
  m_collapseAction->setEnabled(loaded);
  m_findAction->setEnabled(loaded);
  m_cancelJobAction->setEnabled(m_document->jobRunner()->isBusy());
  if (m_saveAction) {
    const bool live = m_document->isLive();
    m_saveAction->setEnabled(live);
    m_resizeAction->setEnabled(live);
  }
  updateViewActions();
}

void MainWindow::restoreSettings() {
  QSettings settings;
  const QByteArray geometry = settings.value(QLatin1String(kGeometryKey)).toByteArray();
  if (!geometry.isEmpty()) restoreGeometry(geometry);
  const QByteArray state = settings.value(QLatin1String(kStateKey)).toByteArray();
  if (!state.isEmpty()) restoreState(state);
}

void MainWindow::saveSettings() {
  QSettings settings;
  settings.setValue(QLatin1String(kGeometryKey), saveGeometry());
  settings.setValue(QLatin1String(kStateKey), saveState());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  m_document->jobRunner()->cancelAll();
  if (m_settings == Settings::Persistent) saveSettings();
  event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (!localPathOf(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QString path = localPathOf(event->mimeData());
  if (path.isEmpty()) return;
  event->acceptProposedAction();
  openModel(path);
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) {
    retranslate();
    updateTitle();
  }
  QMainWindow::changeEvent(event);
}

void MainWindow::retranslate() {
  m_fileMenu->setTitle(tr("&File"));
  m_recentMenu->setTitle(tr("Open &Recent"));
  m_viewMenu->setTitle(tr("&View"));
  m_helpMenu->setTitle(tr("&Help"));
  m_toolBar->setWindowTitle(tr("Main Toolbar"));

  m_openAction->setText(tr("&Open Model…"));
  m_openAction->setIconText(tr("Open"));
  m_openAction->setToolTip(tr("Open a checkpoint folder or weight file (%1)")
                               .arg(m_openAction->shortcut().toString(QKeySequence::NativeText)));
  m_clearRecentAction->setText(tr("&Clear List"));
  m_closeAction->setText(tr("&Close Model"));
  m_quitAction->setText(tr("&Quit"));
  m_findAction->setText(tr("&Filter…"));
  m_expandAction->setText(tr("&Expand All"));
  m_collapseAction->setText(tr("C&ollapse All"));
  m_cancelJobAction->setText(tr("&Cancel Operation"));
  m_cancelJobAction->setIconText(tr("Cancel"));
  m_aboutAction->setText(tr("&About Lathe"));
  retranslateEditing();
  retranslateViews();
  updateTitle();
}

}  // namespace lathe::ui
