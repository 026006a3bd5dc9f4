// MainWindow: Lathe's workbench window.
//
// Owns the EngineDocument and shows it through views (for now the
// Parameters view). Every action and widget has an objectName, so tests can
// find and trigger them (KeePassXC's TestGui).
#pragma once

#include <QMainWindow>

class QAction;
class QDockWidget;
class QMenu;
class QToolBar;

namespace lathe::ui {

class EngineDocument;
class HubBrowser;
class MemoryView;
class ModelStatusBar;
class ParametersView;
class PruneHeadsPanel;
class TryPanel;
struct JobFailure;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  enum class Settings {
    Persistent,  ///< restore/save geometry, remember recent models
    Ephemeral,   ///< touch no settings (screenshots, tests)
  };

  explicit MainWindow(Settings settings = Settings::Persistent, QWidget* parent = nullptr);
  ~MainWindow() override;

  EngineDocument* document() const { return m_document; }
  ParametersView* parametersView() const { return m_parameters; }
  ModelStatusBar* modelStatusBar() const { return m_status; }
  PruneHeadsPanel* pruneHeadsPanel() const { return m_pruneHeads; }
  TryPanel* tryPanel() const { return m_try; }
  QDockWidget* editDock() const { return m_editDock; }
  QDockWidget* tryDock() const { return m_tryDock; }
  HubBrowser* hubBrowser() const { return m_hubBrowser; }
  MemoryView* memoryView() const { return m_memoryView; }
  QDockWidget* hubDock() const { return m_hubDock; }
  QDockWidget* memoryDock() const { return m_memoryDock; }

 public slots:
  /// Opens a checkpoint folder or file (asynchronously; errors are shown).
  void openModel(const QString& path);
  /// Asks for a folder or file, then opens it.
  void openModelDialog();
  void closeModel();
  /// Loads through the Session (editable); `dtype` is "auto", "float32" or "bfloat16".
  void loadModel(const QString& path, const QString& dtype = QStringLiteral("auto"));
  /// File > Load Model…: the LoadModelDialog (window-modal, not blocking).
  void loadModelDialog();
  /// File > Save Model…: the SaveModelDialog.
  void saveModelDialog();
  /// Edit > Resize Vocabulary…: the ResizeVocabularyDialog.
  void resizeVocabularyDialog();
  /// File > Push to Hub…: the PushDialog.
  void pushDialog();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void createActions();
  void createMenus();
  void createEditing();  // main_window_editing.cpp
  void retranslateEditing();
  void createViews();  // main_window_views.cpp
  void retranslateViews();
  void updateViewActions();
  void connectDocument();
  void retranslate();
  void updateTitle();
  void updateActions();
  void rebuildRecentMenu();
  void restoreSettings();
  void saveSettings();
  void showLoadError(const QString& path, const JobFailure& failure);
  void showAbout();

  const Settings m_settings;
  EngineDocument* m_document;
  ParametersView* m_parameters;
  ModelStatusBar* m_status;
  PruneHeadsPanel* m_pruneHeads = nullptr;
  TryPanel* m_try = nullptr;
  QDockWidget* m_editDock = nullptr;
  QDockWidget* m_tryDock = nullptr;
  QMenu* m_editMenu = nullptr;
  QAction* m_loadAction = nullptr;
  QAction* m_saveAction = nullptr;
  QAction* m_pruneAction = nullptr;
  QAction* m_resizeAction = nullptr;
  QAction* m_tryAction = nullptr;
  HubBrowser* m_hubBrowser = nullptr;
  MemoryView* m_memoryView = nullptr;
  QDockWidget* m_hubDock = nullptr;
  QDockWidget* m_memoryDock = nullptr;
  QAction* m_showHubAction = nullptr;
  QAction* m_showMemoryAction = nullptr;
  QAction* m_pushAction = nullptr;

  QMenu* m_fileMenu = nullptr;
  QMenu* m_recentMenu = nullptr;
  QMenu* m_viewMenu = nullptr;
  QMenu* m_helpMenu = nullptr;
  QToolBar* m_toolBar = nullptr;
  QAction* m_openAction = nullptr;
  QAction* m_clearRecentAction = nullptr;
  QAction* m_closeAction = nullptr;
  QAction* m_quitAction = nullptr;
  QAction* m_findAction = nullptr;
  QAction* m_expandAction = nullptr;
  QAction* m_collapseAction = nullptr;
  QAction* m_cancelJobAction = nullptr;
  QAction* m_aboutAction = nullptr;
};

}  // namespace lathe::ui
