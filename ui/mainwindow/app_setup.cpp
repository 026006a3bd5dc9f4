#include "mainwindow/app_setup.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QLibraryInfo>
#include <QTranslator>

#ifndef LATHE_VERSION
#define LATHE_VERSION "0.0.0"
#endif

namespace lathe::ui {

void setApplicationInfo() {
  QCoreApplication::setOrganizationName(QStringLiteral("Lathe"));
  QCoreApplication::setApplicationName(QStringLiteral("lathe"));
  QCoreApplication::setApplicationVersion(QStringLiteral(LATHE_VERSION));
  QGuiApplication::setApplicationDisplayName(QStringLiteral("Lathe"));
  QGuiApplication::setDesktopFileName(QStringLiteral("lathe"));
}

QList<QTranslator*> installTranslators(const QLocale& locale) {
  QList<QTranslator*> installed;
  QCoreApplication* app = QCoreApplication::instance();
  auto tryLoad = [&](const QString& name, const QString& dir) {
    auto* translator = new QTranslator(app);
    if (translator->load(locale, name, QStringLiteral("_"), dir) &&
        QCoreApplication::installTranslator(translator)) {
      installed << translator;
    } else {
      delete translator;
    }
  };
  tryLoad(QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
  tryLoad(QStringLiteral("lathe"), QStringLiteral(":/i18n"));
  return installed;
}

}  // namespace lathe::ui
