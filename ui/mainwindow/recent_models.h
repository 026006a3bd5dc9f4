// RecentModels: the "Open Recent" list, most recent first, kept in QSettings.
#pragma once

#include <QStringList>

namespace lathe::ui {

class RecentModels {
 public:
  static constexpr int kMaxEntries = 10;
  static constexpr const char* kSettingsKey = "recent/models";

  /// Paths as stored; entries that no longer exist are kept (they may be on
  /// an unmounted disk) and reported when opened.
  static QStringList load();
  static void add(const QString& path);
  static void remove(const QString& path);
  static void clear();
};

}  // namespace lathe::ui
