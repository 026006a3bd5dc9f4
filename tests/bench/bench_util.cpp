#include "bench_util.h"

#include "core/error.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace lathe::bench {

const char* const kLoadUsage =
    "lathe-cli bench load [--dir D] [--keep] [--json]\n"
    "  load     from_pretrained of a generated GPT-2 124M fp32 checkpoint (warm cache) vs read(2) of\n"
    "           its files: time, peak RSS (checkpoint kept in D/lathe-bench-gpt2-124m with --keep)\n";
const char* const kForwardUsage =
    "lathe-cli bench forward [--threads N] [--tokens T] [--profile] [--json]\n"
    "  forward  GPT-2 124M forward of 1xT tokens (default 128, 2 threads): GFLOP/s vs a LibTorch\n"
    "           matmul of the same FLOPs; bf16 too; --profile adds self time per ATen op\n";

Args::Args(const std::vector<std::string>& argv, const std::vector<std::string>& value_flags,
           const std::vector<std::string>& switch_flags) {
  auto in = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--json" || a == "--help" || a == "-h" || in(switch_flags, a)) {
      switches_[a == "-h" ? "--help" : a] = true;
    } else if (in(value_flags, a)) {
      if (i + 1 >= argv.size()) throw UsageFailure(a + " needs a value");
      values_[a] = argv[++i];
    } else {
      throw UsageFailure("unexpected argument '" + a + "'");
    }
  }
}

std::optional<std::string> Args::value(const std::string& flag) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

int Args::positive_int(const std::string& flag, int def, int max) const {
  auto v = value(flag);
  if (!v) return def;
  char* end = nullptr;
  errno = 0;
  long n = std::strtol(v->c_str(), &end, 10);
  if (errno != 0 || end == v->c_str() || *end != '\0' || n < 1 || n > max)
    throw UsageFailure(flag + " must be an integer in 1.." + std::to_string(max) + ", got '" + *v + "'");
  return static_cast<int>(n);
}

int bench_main(const char* name, const std::vector<std::string>& argv, const std::vector<std::string>& value_flags,
               const std::vector<std::string>& switch_flags, const char* usage,
               const std::function<int(const Args&)>& body) {
  try {
    Args args(argv, value_flags, switch_flags);
    if (args.help()) {
      std::fputs(usage, stdout);
      return 0;
    }
    return body(args);
  } catch (const UsageFailure& e) {
    std::fprintf(stderr, "lathe-cli bench %s: %s\nusage: %s", name, e.what(), usage);
    return 2;
  }
}

RemoveOnExit::~RemoveOnExit() {
  std::error_code ec;
  if (!path.empty()) std::filesystem::remove_all(path, ec);
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

long proc_status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string key = std::string(field) + ":";
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + key.size());
  return 0;
}

long mapped_rss_kb(const std::string& suffix) {
  std::ifstream in("/proc/self/smaps");
  std::string line;
  bool match = false;
  long kb = 0;
  while (std::getline(in, line)) {
    const auto sp = line.find(' ');
    if (sp == std::string::npos) continue;
    if (line.compare(0, 4, "Rss:") == 0) {
      if (match) kb += std::atol(line.c_str() + 4);
    } else if (line.find('-') < sp && line[sp - 1] != ':') {
      // A mapping header: "start-end perms offset dev inode   path".
      match = line.size() >= suffix.size() && line.compare(line.size() - suffix.size(), suffix.size(), suffix) == 0;
    }
  }
  return kb;
}

std::string fmt(double v, const char* f) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

double load_average() {
  std::ifstream in("/proc/loadavg");
  double l = -1;
  in >> l;
  return l;
}

CpuSample cpu_sample() {
  CpuSample c;
  c.wall_s = now_s();
  std::ifstream in("/proc/stat");
  std::string cpu;
  unsigned long long v[8] = {};  // user nice system idle iowait irq softirq steal
  in >> cpu;
  for (auto& x : v) in >> x;
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  c.busy_s = static_cast<double>(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / tick;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    struct rusage ru {};
    ::getrusage(who, &ru);
    for (const timeval& tv : {ru.ru_utime, ru.ru_stime})
      c.own_s += static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  }
  return c;
}

double others_cpu_share(const CpuSample& a, const CpuSample& b) {
  const double cpus = static_cast<double>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
  const double wall = b.wall_s - a.wall_s;
  if (wall <= 0) return 0;
  return std::clamp(((b.busy_s - a.busy_s) - (b.own_s - a.own_s)) / (wall * cpus), 0.0, 1.0);
}

void warn_if_busy(double share) {
  if (share > 0.05)
    std::printf("WARNING: other processes kept %.0f%% of the CPUs busy meanwhile: the numbers are not reliable\n",
                share * 100.0);
}

const char* verdict(bool ok) { return ok ? "OK" : "MISSED"; }

ChildStats run_in_child(const std::function<void(ChildStats&)>& fn, const std::string& what) {
  int fds[2];
  if (::pipe(fds) != 0) throw Error(ErrorCode::Io, "bench: pipe failed");
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw Error(ErrorCode::Io, "bench: fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    ChildStats r;
    // Reset VmHWM to the current RSS (Linux >= 4.0), so the peak is ours alone.
    if (int fd = ::open("/proc/self/clear_refs", O_WRONLY); fd >= 0) {
      ssize_t w = ::write(fd, "5", 1);
      (void)w;
      ::close(fd);
    }
    r.rss_start_kb = proc_status_kb("VmRSS");
    r.anon_start_kb = proc_status_kb("RssAnon");
    r.file_start_kb = proc_status_kb("RssFile");
    try {
      fn(r);
    } catch (const std::exception& e) {
      std::snprintf(r.error, sizeof r.error, "%s", e.what());
    }
    r.hwm_kb = proc_status_kb("VmHWM");
    ssize_t w = ::write(fds[1], &r, sizeof r);
    (void)w;
    ::_exit(0);
  }
  ::close(fds[1]);
  ChildStats r;
  std::size_t got = 0;
  while (got < sizeof r) {
    ssize_t n = ::read(fds[0], reinterpret_cast<char*>(&r) + got, sizeof r - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (got != sizeof r) throw Error(ErrorCode::Internal, "bench: the measuring child died (" + what + ")");
  if (r.error[0]) throw Error(ErrorCode::Internal, "bench: " + what + ": " + r.error);
  return r;
}

namespace {
constexpr const char* kChildMarker = "lathe-bench-child:";
}

std::vector<std::string> self_command_prefix(const std::vector<std::string>& args) {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> argv;
  std::string a;
  while (std::getline(in, a, '\0')) argv.push_back(a);
  if (argv.size() <= args.size() || !std::equal(args.begin(), args.end(), argv.end() - static_cast<std::ptrdiff_t>(args.size())))
    return {};
  argv.resize(argv.size() - args.size());
  return argv;
}

void print_child_stats(const ChildStats& s) {
  std::printf("%s %.9f %.9f %.9f %.9f %ld %ld %ld %ld %ld %ld %ld %ld %.17g\n", kChildMarker, s.t[0], s.t[1], s.t[2],
              s.t[3], s.rss_start_kb, s.rss_mid_kb, s.hwm_kb, s.anon_start_kb, s.file_start_kb, s.anon_end_kb,
              s.file_end_kb, s.mapped_kb, s.checksum);
  std::fflush(stdout);
}

ChildStats run_spawned(const std::vector<std::string>& argv, const std::string& what) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(ErrorCode::Io, "bench: pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  std::vector<char*> args;
  for (const auto& x : argv) args.push_back(const_cast<char*>(x.c_str()));
  args.push_back(nullptr);
  std::fflush(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, "/proc/self/exe", &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while (rc == 0 && ((n = ::read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)))
    if (n > 0) out.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  if (rc != 0) throw Error(ErrorCode::Io, "bench: cannot start /proc/self/exe (" + what + ")");
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ChildStats s;
  auto at = out.rfind(kChildMarker);
  int got = at == std::string::npos
                ? 0
                : std::sscanf(out.c_str() + at + std::strlen(kChildMarker),
                              " %lf %lf %lf %lf %ld %ld %ld %ld %ld %ld %ld %ld %lf", &s.t[0], &s.t[1], &s.t[2], &s.t[3],
                              &s.rss_start_kb, &s.rss_mid_kb, &s.hwm_kb, &s.anon_start_kb, &s.file_start_kb,
                              &s.anon_end_kb, &s.file_end_kb, &s.mapped_kb, &s.checksum);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got != 13)
    throw Error(ErrorCode::Internal, "bench: the measuring process failed (" + what + ")");
  return s;
}

void Table::print() const {
  std::vector<std::size_t> w;
  for (const auto& r : rows_)
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (w.size() <= i) w.push_back(0);
      w[i] = std::max(w[i], r[i].size());
    }
  for (std::size_t k = 0; k < rows_.size(); ++k) {
    std::string line;
    for (std::size_t i = 0; i < rows_[k].size(); ++i) {
      const std::string& c = rows_[k][i];
      std::string pad(w[i] - c.size(), ' ');
      line += i == 0 ? c + pad : "  " + pad + c;
    }
    std::printf("%s\n", line.c_str());
    if (k == 0) {
      std::size_t total = 0;
      for (std::size_t x : w) total += x + 2;
      std::printf("%s\n", std::string(total - 2, '-').c_str());
    }
  }
}

ModelConfig gpt2_124m_config() {
  return ModelConfig::from_json_text(
      R"({"model_type":"gpt2","architectures":["GPT2LMHeadModel"],"vocab_size":50257,"n_positions":1024,)"
      R"("n_embd":768,"n_layer":12,"n_head":12,"torch_dtype":"float32"})",
      "bench: GPT-2 124M config");
}

double process_s(const std::vector<std::string>& argv) {
  std::vector<char*> av;
  for (const auto& a : argv) av.push_back(const_cast<char*>(a.c_str()));
  av.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  double t0 = now_s();
  pid_t pid = 0;
  int rc = posix_spawn(&pid, av[0], &fa, nullptr, av.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw Error(ErrorCode::Io, "cannot start the process", argv[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  double s = now_s() - t0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw Error(ErrorCode::Internal, "the process failed", argv[0]);
  return s;
}

}  // namespace lathe::bench
