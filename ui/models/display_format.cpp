#include "models/display_format.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

namespace lathe::ui {
namespace {

// QLocale::c() omits group separators by default; a tool showing parameter
// counts needs them, whatever LANG says.
QLocale numberLocale() {
  QLocale locale;
  locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
  return locale;
}

}  // namespace

QString formatCount(quint64 value) {
  return numberLocale().toString(value);
}

QString formatBytes(quint64 bytes) {
  if (bytes < 1024)
    return QCoreApplication::translate("DisplayFormat", "%1 B").arg(bytes);
  return numberLocale().formattedDataSize(static_cast<qint64>(bytes), 2,
                                          QLocale::DataSizeIecFormat);
}

QString formatShare(double fraction) {
  const QLocale locale = numberLocale();
  const double percent = fraction * 100.0;
  if (percent > 0.0 && percent < 0.05)
    return QCoreApplication::translate("DisplayFormat", "<%1 %").arg(locale.toString(0.1, 'f', 1));
  return QCoreApplication::translate("DisplayFormat", "%1 %").arg(locale.toString(percent, 'f', 1));
}

QString formatShape(const std::vector<std::int64_t>& shape) {
  if (shape.empty()) return QCoreApplication::translate("DisplayFormat", "scalar");
  QStringList parts;
  parts.reserve(static_cast<int>(shape.size()));
  for (std::int64_t d : shape) parts << QString::number(d);
  return parts.join(QStringLiteral(" × "));
}

}  // namespace lathe::ui
