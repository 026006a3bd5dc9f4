#include "test_support.h"

#include "core/file_util.h"
#include "core/sha256.h"
#include "runtime/threads.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <memory>
#include <poll.h>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace lathe::test {
namespace {
// Every test process computes with the thread count of the lathe-cli it
// starts (init_threads: $LATHE_THREADS, else the online CPUs; children inherit
// the environment). Comparisons of a subprocess's output with an in-process
// forward then run the same kernels with the same split of the work, so
// "exactly equal" holds by construction on any machine at any thread count.
const int g_threads = init_threads();
}  // namespace

std::string fixture(const std::string& relative) {
  return std::string(LATHE_FIXTURES_DIR) + "/" + relative;
}

bool fixtures_present() { return is_directory(LATHE_FIXTURES_DIR); }

TempDir::TempDir() {
  std::filesystem::create_directories(LATHE_TEST_TMP);
  std::random_device rd;
  for (int i = 0; i < 100; ++i) {
    std::string p = std::string(LATHE_TEST_TMP) + "/t" + std::to_string(::getpid()) + "_" +
                    std::to_string(rd());
    if (std::filesystem::create_directory(p)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temp dir");
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

RunResult run_process(const std::vector<std::string>& argv, int timeout_s,
                      const std::vector<std::string>& extra_env) {
  RunResult r;
  int outp[2], errp[2];
  if (::pipe2(outp, O_CLOEXEC) != 0 || ::pipe2(errp, O_CLOEXEC) != 0) return r;
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  for (const auto& e : extra_env) env.push_back(e);
  pid_t pid = ::fork();
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    ::dup2(outp[1], 1);
    ::dup2(errp[1], 2);
    std::vector<char*> args, envp;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    ::execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  ::close(outp[1]);
  ::close(errp[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  pollfd fds[2] = {{outp[0], POLLIN, 0}, {errp[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    int n = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(got));
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

RunResult run_cli(const std::vector<std::string>& args, int timeout_s) {
  std::vector<std::string> argv{LATHE_CLI_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, timeout_s);
}

RunResult run_cli_killed_after(const std::vector<std::string>& args, int kill_after_ms) {
  RunResult r;
  pid_t pid = ::fork();
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, 0);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    std::vector<std::string> argv{LATHE_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> a;
    for (auto& x : argv) a.push_back(const_cast<char*>(x.c_str()));
    a.push_back(nullptr);
    ::execv(a[0], a.data());
    _exit(127);
  }
  ::usleep(static_cast<useconds_t>(kill_after_ms) * 1000);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::Internal;
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_bytes(const std::string& path) { return read_text_file(path); }

std::string sha256_of(const std::string& path) { return sha256_file(path); }

std::string sha256_hex(const std::string& bytes) {
  Sha256 h;
  h.update(bytes.data(), bytes.size());
  return h.hex_digest();
}

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

std::string installed_npm_package(const std::string& src, std::string* why) {
  static std::map<std::string, std::pair<std::unique_ptr<TempDir>, std::string>> installed;  // src -> (dir, why)
  auto it = installed.find(src);
  if (it == installed.end()) {
    auto dir = std::make_unique<TempDir>();
    std::string reason;
    const std::string pkg = dir->path() + "/package";
    if (std::system("command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1") != 0) {
      reason = "node/npm not installed";
    } else {
      std::filesystem::copy(src, pkg, std::filesystem::copy_options::recursive);
      std::filesystem::remove_all(pkg + "/node_modules");
      auto ci = run_process({"/usr/bin/env", "npm", "ci", "--no-audit", "--no-fund", "--prefix", pkg}, 150);
      if (ci.exit_code != 0) reason = "npm ci failed (offline?): " + ci.err.substr(0, 300);
    }
    it = installed.emplace(src, std::make_pair(std::move(dir), reason)).first;
  }
  if (why) *why = it->second.second;
  return it->second.second.empty() ? it->second.first->path() + "/package" : std::string();
}

std::vector<std::string> run_parallel(int n, const std::function<void(int)>& job) {
  std::mutex mu;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      try {
        job(i);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mu);
        errors.push_back("job " + std::to_string(i) + ": " + e.what());
      }
    });
  for (auto& t : threads) t.join();
  return errors;
}

}  // namespace lathe::test
