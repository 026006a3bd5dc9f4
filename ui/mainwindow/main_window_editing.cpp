// MainWindow, the Session side: File > Load Model… and Save Model…, the Edit
// dock (head pruning, vocabulary resize), the Try It dock.
#include "mainwindow/main_window.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "bridge/job_runner.h"
#include "dialogs/load_model_dialog.h"
#include "dialogs/message_box.h"
#include "dialogs/resize_vocab_dialog.h"
#include "dialogs/save_model_dialog.h"
#include "widgets/model_status_bar.h"
#include "widgets/prune_heads_panel.h"
#include "widgets/try_panel.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QScrollArea>
#include <QStyle>
#include <QToolBar>

namespace lathe::ui {
namespace {

QAction* editingAction(QObject* parent, const char* objectName, QKeySequence shortcut = {}) {
  auto* action = new QAction(parent);
  action->setObjectName(QLatin1String(objectName));
  if (!shortcut.isEmpty()) action->setShortcut(shortcut);
  return action;
}

template <class Dialog>
Dialog* showDialog(Dialog* dialog) {
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->open();  // window-modal, returns at once
  return dialog;
}

}  // namespace

void MainWindow::createEditing() {
  const QStyle* s = style();
  m_loadAction = editingAction(this, "actionLoadModel", QKeySequence(Qt::CTRL | Qt::Key_L));
  m_loadAction->setIcon(s->standardIcon(QStyle::SP_DriveHDIcon));
  connect(m_loadAction, &QAction::triggered, this, &MainWindow::loadModelDialog);
  m_saveAction = editingAction(this, "actionSaveModel", QKeySequence::SaveAs);
  m_saveAction->setIcon(s->standardIcon(QStyle::SP_DialogSaveButton));
  connect(m_saveAction, &QAction::triggered, this, &MainWindow::saveModelDialog);
  m_resizeAction = editingAction(this, "actionResizeVocabulary");
  connect(m_resizeAction, &QAction::triggered, this, &MainWindow::resizeVocabularyDialog);

  m_pruneHeads = new PruneHeadsPanel(m_document, this);
  m_editDock = new QDockWidget(this);
  m_editDock->setObjectName(QStringLiteral("editDock"));
  m_editDock->setWidget(m_pruneHeads);
  m_editDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
  m_try = new TryPanel(m_document, this);
  m_tryDock = new QDockWidget(this);
  m_tryDock->setObjectName(QStringLiteral("tryDock"));
  // Scrolled: the panel's natural height must not set the window's minimum height.
  auto* tryScroll = new QScrollArea(m_tryDock);
  tryScroll->setObjectName(QStringLiteral("tryScroll"));
  tryScroll->setWidgetResizable(true);
  tryScroll->setFrameShape(QFrame::NoFrame);
  tryScroll->setWidget(m_try);
  m_tryDock->setWidget(tryScroll);
  m_tryDock->setFeatures(m_editDock->features());
  addDockWidget(Qt::RightDockWidgetArea, m_editDock);
  tabifyDockWidget(m_editDock, m_tryDock);
  m_editDock->raise();
  resizeDocks({m_editDock}, {440}, Qt::Horizontal);
  connect(m_pruneHeads, &PruneHeadsPanel::resizeVocabularyRequested, this, &MainWindow::resizeVocabularyDialog);

  m_pruneAction = m_editDock->toggleViewAction();
  m_pruneAction->setObjectName(QStringLiteral("actionShowEdit"));
  m_tryAction = m_tryDock->toggleViewAction();
  m_tryAction->setObjectName(QStringLiteral("actionShowTry"));

  m_fileMenu->insertAction(m_recentMenu->menuAction(), m_loadAction);
  m_fileMenu->insertAction(m_closeAction, m_saveAction);
  m_editMenu = new QMenu(this);
  m_editMenu->setObjectName(QStringLiteral("menuEdit"));
  menuBar()->insertMenu(m_viewMenu->menuAction(), m_editMenu);
  m_editMenu->addAction(m_pruneAction);
  m_editMenu->addAction(m_resizeAction);
  m_viewMenu->insertAction(m_viewMenu->actions().value(0), m_tryAction);
  m_toolBar->addAction(m_loadAction);
  m_toolBar->addAction(m_saveAction);

  connect(m_document, &EngineDocument::operationFailed, this,
          [this](const QString& title, const JobFailure& failure) {
            if (failure.cancelled) {
              m_status->showMessage(tr("%1: cancelled.").arg(title), 4000);
              return;
            }
            MessageBox::critical(this, tr("Operation Failed"), tr("%1 failed.").arg(title),
                                 errorText(failure), errorDetails(failure));
          });
  connect(m_document, &EngineDocument::editFinished, this, [this](const QString& title) {
    m_status->showMessage(tr("%1: done.").arg(title), 4000);
  });
}

void MainWindow::retranslateEditing() {
  m_loadAction->setText(tr("&Load Model…"));
  m_loadAction->setIconText(tr("Load"));
  m_loadAction->setToolTip(tr("Load a checkpoint to edit, save and try it (%1)")
                               .arg(m_loadAction->shortcut().toString(QKeySequence::NativeText)));
  m_saveAction->setText(tr("&Save Model…"));
  m_saveAction->setIconText(tr("Save"));
  m_resizeAction->setText(tr("&Resize Vocabulary…"));
  m_editMenu->setTitle(tr("&Edit"));
  m_editDock->setWindowTitle(tr("Edit"));
  m_tryDock->setWindowTitle(tr("Try It"));
  m_pruneAction->setText(tr("&Prune Heads"));
  m_tryAction->setText(tr("&Try It"));
}

void MainWindow::loadModel(const QString& path, const QString& dtype) {
  if (path.isEmpty()) return;
  lathe::LoadOptions opts;
  opts.torch_dtype = dtype.toStdString();
  m_document->load(path, opts);
}

void MainWindow::loadModelDialog() {
  auto* dialog = new LoadModelDialog(m_document, this);
  if (!m_document->path().isEmpty()) dialog->setPath(m_document->path());
  showDialog(dialog);
}

void MainWindow::saveModelDialog() {
  if (!m_document->isLive()) return;
  auto* dialog = new SaveModelDialog(m_document, this);
  showDialog(dialog);
}

void MainWindow::resizeVocabularyDialog() {
  if (!m_document->isLive()) return;
  showDialog(new ResizeVocabularyDialog(m_document, this));
}

}  // namespace lathe::ui
