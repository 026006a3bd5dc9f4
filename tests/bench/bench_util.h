// Helpers shared by the model benchmarks (internal, torch-free).
#pragma once

#include "config/model_config.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lathe::bench {

/// A bad command line: the bench_* entry points print it and return 2.
class UsageFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// `--flag value` options, boolean switches and `--json` anywhere; anything
/// else is a UsageFailure.
class Args {
 public:
  Args(const std::vector<std::string>& argv, const std::vector<std::string>& value_flags,
       const std::vector<std::string>& switch_flags);
  std::optional<std::string> value(const std::string& flag) const;
  bool has(const std::string& flag) const { return switches_.count(flag) != 0; }
  bool json() const { return has("--json"); }
  bool help() const { return has("--help"); }
  /// A positive integer option (default when absent).
  int positive_int(const std::string& flag, int def, int max) const;

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, bool> switches_;
};

/// A bench_* entry point: parses argv into Args, prints `usage` on stdout for
/// --help, else returns body(args); a UsageFailure prints
/// "lathe-cli bench <name>: <what>" and the usage on stderr and returns 2.
int bench_main(const char* name, const std::vector<std::string>& argv, const std::vector<std::string>& value_flags,
               const std::vector<std::string>& switch_flags, const char* usage,
               const std::function<int(const Args&)>& body);

/// Removes `path` (recursively) when it goes out of scope, however the
/// benchmark ends; an empty path is left alone.
struct RemoveOnExit {
  std::string path;
  RemoveOnExit(const RemoveOnExit&) = delete;
  RemoveOnExit& operator=(const RemoveOnExit&) = delete;
  ~RemoveOnExit();
};

double now_s();
double median(std::vector<double> v);
/// Wall time of one process (stdout to /dev/null, stderr inherited); Error on a non-zero exit.
double process_s(const std::vector<std::string>& argv);
/// A /proc/self/status field in kB ("VmRSS", "VmHWM", "RssAnon", "RssFile").
long proc_status_kb(const char* field);
/// Σ Rss (kB) of this process's mappings whose path ends with `suffix` (/proc/self/smaps).
long mapped_rss_kb(const std::string& suffix);
std::string fmt(double v, const char* f = "%.3f");
/// The 1-minute load average (/proc/loadavg). It lags by about a minute:
/// others_cpu_share() says what happened during a measurement.
double load_average();
/// Benchmarks want an idle machine: a sample of the CPU time all processes
/// (/proc/stat) and this one with its waited-for children (getrusage) used.
struct CpuSample {
  double wall_s = 0, busy_s = 0, own_s = 0;
};
CpuSample cpu_sample();
/// The share of all CPUs other processes kept busy between two samples (0..1).
double others_cpu_share(const CpuSample& a, const CpuSample& b);
/// Prints a warning line when that share is over 5 %.
void warn_if_busy(double share);
/// "OK" or "MISSED".
const char* verdict(bool ok);

/// What a forked measurement child reports back through a pipe.
struct ChildStats {
  double t[4] = {0, 0, 0, 0};  ///< seconds, meaning set by the caller
  long rss_start_kb = 0;       ///< VmRSS when the child started
  long rss_mid_kb = 0;         ///< optional, set by the caller
  long hwm_kb = 0;             ///< VmHWM when the child finished (peak since fork)
  long anon_start_kb = 0, file_start_kb = 0;  ///< RssAnon, RssFile when the child started
  long anon_end_kb = 0, file_end_kb = 0;      ///< set by the caller (at_end()) before it frees
  long mapped_kb = 0;                         ///< optional: resident kB of one mapped file
  void at_end() {
    anon_end_kb = proc_status_kb("RssAnon");
    file_end_kb = proc_status_kb("RssFile");
  }
  double checksum = 0;
  char error[256] = {};
};

/// Runs fn in a forked child (its peak RSS is this measurement's alone: the
/// high-water mark is reset at the start) and returns what it reported.
/// Throws lathe::Error when fn threw or the child died.
ChildStats run_in_child(const std::function<void(ChildStats&)>& fn, const std::string& what);

/// The argv that re-runs the current command with `args` removed from its
/// end (from /proc/self/cmdline), or empty when the command line does not end
/// with `args` (then the caller falls back to run_in_child).
std::vector<std::string> self_command_prefix(const std::vector<std::string>& args);

/// Runs /proc/self/exe with argv (argv[0] included) in a fresh process, stdin
/// on /dev/null, stdout captured, stderr inherited, and returns the ChildStats
/// the child printed with print_child_stats. Throws lathe::Error on failure.
ChildStats run_spawned(const std::vector<std::string>& argv, const std::string& what);
/// The child side: one marked line on stdout, read back by run_spawned.
void print_child_stats(const ChildStats& s);

/// A plain text table: first column left-aligned, the rest right-aligned.
class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

/// The GPT-2 124M config (fp32) both benchmarks build.
ModelConfig gpt2_124m_config();
constexpr const char* kGpt2Class = "GPT2LMHeadModel";
constexpr std::uint64_t kSeed = 0;

/// Shared lines of the `bench --help` text.
extern const char* const kLoadUsage;
extern const char* const kForwardUsage;

}  // namespace lathe::bench
