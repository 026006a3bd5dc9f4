// MainWindow, the Hub side and analysis: the Hub browser and Memory docks,
// File > Push to Hub…. Docks have objectNames so saveState()/restoreState()
// remember where the user put them.
#include "mainwindow/main_window.h"

#include "bridge/engine_document.h"
#include "dialogs/push_dialog.h"
#include "hub/hub_browser.h"
#include "memory/memory_view.h"

#include <QAction>
#include <QDockWidget>
#include <QIcon>
#include <QMenu>
#include <QStyle>
#include <QToolBar>

namespace lathe::ui {

void MainWindow::createViews() {
  m_hubBrowser = new HubBrowser(m_document->jobRunner(), this);
  m_hubDock = new QDockWidget(this);
  m_hubDock->setObjectName(QStringLiteral("hubDock"));
  m_hubDock->setWidget(m_hubBrowser);
  m_memoryView = new MemoryView(m_document, this);
  m_memoryDock = new QDockWidget(this);
  m_memoryDock->setObjectName(QStringLiteral("memoryDock"));
  m_memoryDock->setWidget(m_memoryView);
  for (QDockWidget* dock : {m_hubDock, m_memoryDock}) {
    // An explicit minimum: the docks' layouts must not make the window taller than it was.
    dock->widget()->setMinimumSize(240, 80);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                      QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, dock);
  }
  // Tabs beside Edit and Try It: the window keeps its minimum size; float a
  // tab (or drag it to the bottom) for more room, saveState() remembers it.
  tabifyDockWidget(m_tryDock, m_hubDock);
  tabifyDockWidget(m_hubDock, m_memoryDock);
  m_editDock->raise();
  // Opening a downloaded snapshot loads it through the Session (editable).
  connect(m_hubBrowser, &HubBrowser::openRequested, this, [this](const QString& snapshot) {
    loadModel(snapshot);
  });

  m_showHubAction = m_hubDock->toggleViewAction();
  m_showHubAction->setObjectName(QStringLiteral("actionShowHub"));
  m_showHubAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
  m_showMemoryAction = m_memoryDock->toggleViewAction();
  m_showMemoryAction->setObjectName(QStringLiteral("actionShowMemory"));
  m_showMemoryAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
  m_viewMenu->insertAction(m_findAction, m_showHubAction);
  m_viewMenu->insertAction(m_findAction, m_showMemoryAction);
  m_viewMenu->insertSeparator(m_findAction);

  m_pushAction = new QAction(this);
  m_pushAction->setObjectName(QStringLiteral("actionPushToHub"));
  m_pushAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
  m_pushAction->setIcon(QIcon::fromTheme(QStringLiteral("document-send"),
                                         style()->standardIcon(QStyle::SP_ArrowUp)));
  connect(m_pushAction, &QAction::triggered, this, &MainWindow::pushDialog);
  m_fileMenu->insertAction(m_closeAction, m_pushAction);
  m_toolBar->addAction(m_pushAction);
}

void MainWindow::pushDialog() {
  auto* dialog = new PushDialog(m_document, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->open();  // window-modal, returns at once
}

void MainWindow::retranslateViews() {
  m_hubDock->setWindowTitle(tr("Hub"));
  m_memoryDock->setWindowTitle(tr("Memory"));
  m_showHubAction->setText(tr("&Hub Browser"));
  m_showMemoryAction->setText(tr("&Memory"));
  m_pushAction->setText(tr("&Push to Hub…"));
  m_pushAction->setIconText(tr("Push"));
  m_pushAction->setToolTip(tr("Save the loaded model and upload it to the Hub (%1)")
                               .arg(m_pushAction->shortcut().toString(QKeySequence::NativeText)));
}

void MainWindow::updateViewActions() {
  if (m_pushAction) m_pushAction->setEnabled(m_document->isLive());
}

}  // namespace lathe::ui
