#include "mainwindow/recent_models.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace lathe::ui {
namespace {

QString normalized(const QString& path) {
  return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

void store(const QStringList& list) {
  QSettings settings;
  settings.setValue(QLatin1String(RecentModels::kSettingsKey), list);
}

}  // namespace

QStringList RecentModels::load() {
  QSettings settings;
  QStringList list = settings.value(QLatin1String(kSettingsKey)).toStringList();
  list.removeAll(QString());
  list.removeDuplicates();
  while (list.size() > kMaxEntries) list.removeLast();
  return list;
}

void RecentModels::add(const QString& path) {
  const QString p = normalized(path);
  QStringList list = load();
  list.removeAll(p);
  list.prepend(p);
  while (list.size() > kMaxEntries) list.removeLast();
  store(list);
}

void RecentModels::remove(const QString& path) {
  QStringList list = load();
  list.removeAll(normalized(path));
  store(list);
}

void RecentModels::clear() {
  store({});
}

}  // namespace lathe::ui
