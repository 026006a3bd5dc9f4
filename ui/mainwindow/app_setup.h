// Process-wide setup shared by the lathe executable and the GUI tests.
#pragma once

#include <QList>
#include <QLocale>

class QCoreApplication;
class QTranslator;

namespace lathe::ui {

/// Organisation/application names (QSettings location), version, desktop file.
void setApplicationInfo();

/// Installs Qt's own and Lathe's translations for `locale` (Lathe's from
/// :/i18n/lathe_<lang>.qm). Returns the installed translators, parented to
/// the application; delete them to uninstall.
QList<QTranslator*> installTranslators(const QLocale& locale = QLocale());

}  // namespace lathe::ui
