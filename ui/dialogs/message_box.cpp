#include "dialogs/message_box.h"

namespace lathe::ui {
namespace {

MessageBox::Button g_nextAnswer = QMessageBox::NoButton;
MessageBox::Button g_defaultAnswer = QMessageBox::NoButton;
QList<MessageBox::Record> g_history;

}  // namespace

MessageBox::Button MessageBox::critical(QWidget* parent, const QString& title,
                                        const QString& text, const QString& informative,
                                        const QString& details, Buttons buttons) {
  return show({QMessageBox::Critical, title, text, informative, details}, parent, buttons,
              QMessageBox::NoButton);
}

MessageBox::Button MessageBox::warning(QWidget* parent, const QString& title, const QString& text,
                                       const QString& informative, const QString& details,
                                       Buttons buttons) {
  return show({QMessageBox::Warning, title, text, informative, details}, parent, buttons,
              QMessageBox::NoButton);
}

MessageBox::Button MessageBox::information(QWidget* parent, const QString& title,
                                           const QString& text, Buttons buttons) {
  return show({QMessageBox::Information, title, text, {}, {}}, parent, buttons,
              QMessageBox::NoButton);
}

MessageBox::Button MessageBox::question(QWidget* parent, const QString& title,
                                        const QString& text, Buttons buttons,
                                        Button defaultButton) {
  return show({QMessageBox::Question, title, text, {}, {}}, parent, buttons, defaultButton);
}

void MessageBox::setNextAnswer(Button button) {
  g_nextAnswer = button;
}

void MessageBox::setDefaultAnswer(Button button) {
  g_defaultAnswer = button;
}

const QList<MessageBox::Record>& MessageBox::history() {
  return g_history;
}

void MessageBox::clearHistory() {
  g_history.clear();
}

MessageBox::Button MessageBox::show(const Record& request, QWidget* parent, Buttons buttons,
                                    Button defaultButton) {
  Record record = request;
  if (g_nextAnswer != QMessageBox::NoButton || g_defaultAnswer != QMessageBox::NoButton) {
    record.answer = g_nextAnswer != QMessageBox::NoButton ? g_nextAnswer : g_defaultAnswer;
    g_nextAnswer = QMessageBox::NoButton;
    g_history.append(record);
    return record.answer;
  }

  QMessageBox box(record.icon, record.title, record.text, buttons, parent);
  box.setObjectName(QStringLiteral("messageBox"));
  if (!record.informative.isEmpty()) box.setInformativeText(record.informative);
  if (!record.details.isEmpty()) box.setDetailedText(record.details);
  if (defaultButton != QMessageBox::NoButton) box.setDefaultButton(defaultButton);
  record.answer = static_cast<Button>(box.exec());
  g_history.append(record);
  return record.answer;
}

}  // namespace lathe::ui
