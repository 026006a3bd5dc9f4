#include "widgets/translated_dock.h"

#include <QAction>
#include <QEvent>

namespace lathe::ui {

TranslatedDock::TranslatedDock(const QString& objectName, const QString& actionName,
                               std::function<Texts()> texts, QWidget* parent)
    : QDockWidget(parent), m_texts(std::move(texts)) {
  setObjectName(objectName);
  setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  toggleViewAction()->setObjectName(actionName);
  retranslate();
}

void TranslatedDock::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QDockWidget::changeEvent(event);
}

void TranslatedDock::retranslate() {
  const Texts t = m_texts();
  setWindowTitle(t.title);
  toggleViewAction()->setText(t.action);
  toggleViewAction()->setToolTip(t.tooltip);
}

}  // namespace lathe::ui
