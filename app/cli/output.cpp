#include "output.h"

#include "core/size_string.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace lathe::cli {

void print_json(const nlohmann::ordered_json& j) { std::cout << j.dump(2) << std::endl; }

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

Table::Table(std::vector<std::string> headers, std::vector<bool> right_align)
    : headers_(std::move(headers)), right_(std::move(right_align)) {}

void Table::add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

void Table::print(std::ostream& os) const {
  std::vector<std::size_t> w(headers_.size());
  for (std::size_t c = 0; c < headers_.size(); ++c) w[c] = headers_[c].size();
  for (const auto& r : rows_)
    for (std::size_t c = 0; c < r.size() && c < w.size(); ++c) w[c] = std::max(w[c], r[c].size());
  auto line = [&](const std::vector<std::string>& r) {
    for (std::size_t c = 0; c < w.size(); ++c) {
      const std::string cell = c < r.size() ? r[c] : "";
      std::string pad(w[c] - cell.size(), ' ');
      os << (c ? "  " : "") << (right_[c] ? pad + cell : (c + 1 == w.size() ? cell : cell + pad));
    }
    os << "\n";
  };
  line(headers_);
  for (const auto& r : rows_) line(r);
}

namespace {
std::atomic<bool> g_interrupted{false};
void on_sigint(int) { g_interrupted = true; }
}  // namespace

StderrProgress::StderrProgress() : tty_(::isatty(2) != 0) {
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
}

StderrProgress::~StderrProgress() {
  if (tty_ && drew_) std::fputs("\n", stderr);
}

bool StderrProgress::report(const std::string& stage, std::uint64_t done, std::uint64_t total) {
  if (g_interrupted) return false;
  auto now = std::chrono::steady_clock::now();
  if (!tty_) {
    if (stage != last_stage_) {
      std::fprintf(stderr, "%s\n", stage.c_str());
      last_stage_ = stage;
    }
    return true;
  }
  if (stage == last_stage_ && now - last_draw_ < std::chrono::milliseconds(100) && done != total) return true;
  last_stage_ = stage;
  last_draw_ = now;
  drew_ = true;
  int pct = total ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)) : 0;
  int bar = pct / 4;
  std::fprintf(stderr, "\r%-40.40s [%.*s%*s] %3d%% %s", stage.c_str(), bar,
               "#########################", 25 - bar, "", pct, format_bytes(done).c_str());
  std::fflush(stderr);
  return true;
}

}  // namespace lathe::cli
