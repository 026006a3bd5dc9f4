// TranslatedDock: a closable, movable, floatable dock whose title, View-menu
// text and tooltip are re-read from tr() whenever the language changes.
#pragma once

#include <QDockWidget>

#include <functional>

namespace lathe::ui {

class TranslatedDock : public QDockWidget {
 public:
  struct Texts {
    QString title, action, tooltip;
  };
  /// `texts` is called now and on every LanguageChange; `content` becomes the dock's widget.
  TranslatedDock(const QString& objectName, const QString& actionName, std::function<Texts()> texts,
                 QWidget* parent);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  std::function<Texts()> m_texts;
};

}  // namespace lathe::ui
