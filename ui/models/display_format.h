// How numbers look in Lathe's views: locale-aware, grouped digits even in
// the C locale, binary units for sizes.
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace lathe::ui {

/// "124,439,808" (grouped in every locale, including C/POSIX).
QString formatCount(quint64 value);
/// "474.70 MiB"; below 1 KiB "512 B".
QString formatBytes(quint64 bytes);
/// "12.3 %"; values below 0.1 % but above zero show as "<0.1 %".
QString formatShare(double fraction);
/// "768 × 2304"; a 0-d tensor is "scalar".
QString formatShape(const std::vector<std::int64_t>& shape);

}  // namespace lathe::ui
