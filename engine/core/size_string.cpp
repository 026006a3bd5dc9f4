#include "core/size_string.h"

#include "core/error.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace lathe {

std::uint64_t parse_size(std::string_view text) {
  auto bad = [&]() {
    return Error(ErrorCode::InvalidArgument,
                 "'" + std::string(text) + "' is not a size (examples: 5GB, 5GiB, 300kB, 123456)");
  };
  std::string s(text);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  s = s.substr(start);
  if (s.empty()) throw bad();

  std::size_t unit_at = s.size();
  while (unit_at > 0 && std::isalpha(static_cast<unsigned char>(s[unit_at - 1]))) --unit_at;
  std::string number = s.substr(0, unit_at);
  std::string unit = s.substr(unit_at);
  while (!number.empty() && number.back() == ' ') number.pop_back();
  if (number.empty()) throw bad();
  for (char c : number)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') throw bad();

  long double mult = 1;
  bool bits = false;
  if (!unit.empty()) {
    std::string up;
    for (char c : unit) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    bits = unit.size() >= 2 && unit.back() == 'b' && up != "B";
    if (up == "B") mult = 1;
    else if (up == "KIB") mult = 1024.0L;
    else if (up == "MIB") mult = 1048576.0L;
    else if (up == "GIB") mult = 1073741824.0L;
    else if (up == "TIB") mult = 1099511627776.0L;
    else if (up == "KB") mult = 1e3L;
    else if (up == "MB") mult = 1e6L;
    else if (up == "GB") mult = 1e9L;
    else if (up == "TB") mult = 1e12L;
    else throw bad();
    if (bits && (up == "KIB" || up == "MIB" || up == "GIB" || up == "TIB")) bits = false;
  }
  char* end = nullptr;
  long double value = std::strtold(number.c_str(), &end);
  if (end == number.c_str() || *end != '\0' || !std::isfinite(value)) throw bad();
  long double bytes = value * mult;
  if (bits) bytes /= 8;
  if (bytes < 0 || bytes > 1.8e19L) throw bad();
  // int() truncation as Python does.
  return static_cast<std::uint64_t>(bytes);
}

std::string format_bytes(std::uint64_t bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 5) {
    v /= 1024.0;
    ++u;
  }
  char buf[64];
  if (u == 0) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  else std::snprintf(buf, sizeof buf, "%.2f %s", v, units[u]);
  return buf;
}

}  // namespace lathe
