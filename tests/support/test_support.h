// Shared helpers for the engine tests: temp folders, fixture paths, running
// lathe-cli as a subprocess with a time limit.
#pragma once

#include "core/error.h"

#include <functional>
#include <string>
#include <vector>

namespace lathe::test {

/// Absolute path under tests/data/hf-reference.
std::string fixture(const std::string& relative);
/// True when the fixture folder exists (tests GTEST_SKIP otherwise... they must not:
/// the data is part of the repository, so a missing folder is a failure).
bool fixtures_present();

/// A fresh empty folder, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct RunResult {
  int exit_code = -1;    ///< -1 when killed by a signal
  int signal = 0;        ///< the signal that killed it, 0 if none
  bool timed_out = false;
  std::string out, err;
};

/// Runs a program with arguments (no shell), stdin closed, for at most
/// timeout_s seconds (then SIGKILL, timed_out = true).
RunResult run_process(const std::vector<std::string>& argv, int timeout_s = 60,
                      const std::vector<std::string>& extra_env = {});
/// Starts lathe-cli with `args`, sends SIGKILL after `kill_after_ms`, and
/// returns how it ended (signal 9 if the kill landed before it finished).
RunResult run_cli_killed_after(const std::vector<std::string>& args, int kill_after_ms);

/// A copy of the npm package folder `src` (package.json + lock) with `npm ci`
/// run in it, made once per test process: later calls for the same `src`
/// return the same folder. "" with `why` set when node/npm are missing or
/// `npm ci` fails (no registry): the caller skips.
std::string installed_npm_package(const std::string& src, std::string* why);

/// Runs job(0..n-1) on n threads; returns "job i: <what()>" for each that threw.
std::vector<std::string> run_parallel(int n, const std::function<void(int)>& job);

/// run_process with the built lathe-cli as argv[0].
RunResult run_cli(const std::vector<std::string>& args, int timeout_s = 60);

/// The ErrorCode of the lathe::Error that f throws; ErrorCode::Internal when it
/// throws nothing (tests compare codes, never wording).
ErrorCode code_of(const std::function<void()>& f);

void write_bytes(const std::string& path, const std::string& bytes);
std::string read_bytes(const std::string& path);
std::string sha256_of(const std::string& path);
/// sha256 of bytes in memory, lower-case hex.
std::string sha256_hex(const std::string& bytes);
/// n pseudo-random bytes, the same for the same seed (mt19937).
std::string random_bytes(std::size_t n, unsigned seed);

}  // namespace lathe::test
