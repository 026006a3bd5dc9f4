#include "cli_args.h"

#include <algorithm>

namespace lathe::cli {

Args::Args(const std::vector<std::string>& argv, const std::vector<std::string>& value_flags,
           const std::vector<std::string>& switch_flags) {
  auto in = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string a = argv[i];
    if (a == "--json") {
      json_ = true;
      continue;
    }
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a, val;
      bool inline_val = false;
      auto eq = a.find('=');
      if (eq != std::string::npos) {
        name = a.substr(0, eq);
        val = a.substr(eq + 1);
        inline_val = true;
      }
      if (in(value_flags, name)) {
        if (!inline_val) {
          if (i + 1 >= argv.size()) throw UsageError(name + " needs a value");
          val = argv[++i];
        }
        values_.emplace(name, val);
      } else if (in(switch_flags, name) && !inline_val) {
        switches_.push_back(name);
      } else {
        throw UsageError("unknown option " + name);
      }
      continue;
    }
    positional_.push_back(a);
  }
}

std::optional<std::string> Args::value(const std::string& flag) const {
  auto range = values_.equal_range(flag);
  if (range.first == range.second) return std::nullopt;
  auto last = range.second;
  --last;
  return last->second;
}

std::vector<std::string> Args::values(const std::string& flag) const {
  std::vector<std::string> out;
  auto range = values_.equal_range(flag);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

bool Args::has(const std::string& flag) const {
  return std::find(switches_.begin(), switches_.end(), flag) != switches_.end() ||
         values_.count(flag) != 0;
}

void Args::expect_positional(std::size_t min, std::size_t max, const std::string& usage) const {
  if (positional_.size() < min || positional_.size() > max) throw UsageError("usage: " + usage);
}

}  // namespace lathe::cli
