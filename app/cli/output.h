// Output helpers for lathe-cli: one JSON document, aligned tables, progress.
#pragma once

#include "core/progress.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace lathe::cli {

/// Prints exactly one JSON document (indent 2) on stdout.
void print_json(const nlohmann::ordered_json& j);

/// "[2, 9]"
std::string shape_text(const std::vector<std::int64_t>& shape);

class Table {
 public:
  Table(std::vector<std::string> headers, std::vector<bool> right_align);
  void add(std::vector<std::string> row);
  void print(std::ostream& os) const;

 private:
  std::vector<std::string> headers_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

/// Progress on stderr: a redrawn bar on a terminal, a plain line per stage
/// otherwise. Cancels on SIGINT (exit code 130).
class StderrProgress final : public ProgressSink {
 public:
  StderrProgress();
  bool report(const std::string& stage, std::uint64_t done, std::uint64_t total) override;
  ~StderrProgress() override;

 private:
  bool tty_;
  std::string last_stage_;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drew_ = false;
};

}  // namespace lathe::cli
