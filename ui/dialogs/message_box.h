// MessageBox: QMessageBox behind a test hook (KeePassXC's MessageBox).
//
// Tests pre-answer the next box with setNextAnswer(), or every box with
// setDefaultAnswer(); a pre-answered box is not shown. Every box, shown or
// not, is recorded in history() so tests can check what was said (its error
// code, never its wording).
#pragma once

#include <QList>
#include <QMessageBox>
#include <QString>

namespace lathe::ui {

class MessageBox {
 public:
  using Button = QMessageBox::StandardButton;
  using Buttons = QMessageBox::StandardButtons;

  struct Record {
    QMessageBox::Icon icon = QMessageBox::NoIcon;
    QString title;
    QString text;
    QString informative;
    QString details;
    Button answer = QMessageBox::NoButton;
  };

  /// `informative` is the second paragraph; `details` hides behind "Show Details...".
  static Button critical(QWidget* parent, const QString& title, const QString& text,
                         const QString& informative = {}, const QString& details = {},
                         Buttons buttons = QMessageBox::Ok);
  static Button warning(QWidget* parent, const QString& title, const QString& text,
                        const QString& informative = {}, const QString& details = {},
                        Buttons buttons = QMessageBox::Ok);
  static Button information(QWidget* parent, const QString& title, const QString& text,
                            Buttons buttons = QMessageBox::Ok);
  static Button question(QWidget* parent, const QString& title, const QString& text,
                         Buttons buttons = QMessageBox::Yes | QMessageBox::No,
                         Button defaultButton = QMessageBox::NoButton);

  // Test hooks.
  static void setNextAnswer(Button button);
  static void setDefaultAnswer(Button button);
  static const QList<Record>& history();
  static void clearHistory();

 private:
  static Button show(const Record& request, QWidget* parent, Buttons buttons,
                     Button defaultButton);
};

}  // namespace lathe::ui
