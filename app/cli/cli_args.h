// Minimal argument handling for lathe-cli subcommands.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lathe::cli {

/// Thrown for bad command lines: main() prints it and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parsed command line of one subcommand: positionals, --flag value options,
/// and boolean switches. `--json` is recognised anywhere.
class Args {
 public:
  /// value_flags: options that take a value ("--out"); switch_flags: booleans.
  /// Repeated value options are kept in order (values()).
  Args(const std::vector<std::string>& argv, const std::vector<std::string>& value_flags,
       const std::vector<std::string>& switch_flags);

  const std::vector<std::string>& positional() const { return positional_; }
  std::optional<std::string> value(const std::string& flag) const;
  std::vector<std::string> values(const std::string& flag) const;
  bool has(const std::string& flag) const;
  bool json() const { return json_; }
  /// Requires exactly n..m positionals, else UsageError.
  void expect_positional(std::size_t min, std::size_t max, const std::string& usage) const;

 private:
  std::vector<std::string> positional_;
  std::multimap<std::string, std::string> values_;
  std::vector<std::string> switches_;
  bool json_ = false;
};

}  // namespace lathe::cli
