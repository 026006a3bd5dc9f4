// What every failing lathe-cli run must look like (docs/cli.md): the expected
// exit code, no signal, no hang, nothing on stdout, exactly one line starting
// "error: ", and no LibTorch or C++ runtime text (backtraces, c10 names,
// "terminate called").
#pragma once

#include "test_support.h"

#include <algorithm>
#include <string>
#include <vector>

namespace lathe::test {

/// "" when `r` is a clean failure with `exit_code`; otherwise what is wrong.
/// `error_line_last`: the error line must be the last line (convert and other
/// commands may print progress lines first); otherwise the first.
inline std::string cli_failure_problems(const RunResult& r, int exit_code, bool error_line_last = true) {
  std::string p;
  if (r.timed_out) p += "timed out; ";
  if (r.signal != 0) p += "killed by signal " + std::to_string(r.signal) + "; ";
  if (r.exit_code != exit_code) p += "exit " + std::to_string(r.exit_code) + " (want " + std::to_string(exit_code) + "); ";
  if (!r.out.empty()) p += "stdout not empty; ";
  std::vector<std::string> lines;
  for (std::size_t at = 0, nl; at < r.err.size(); at = nl + 1) {
    if ((nl = r.err.find('\n', at)) == std::string::npos) nl = r.err.size();
    if (nl > at) lines.push_back(r.err.substr(at, nl - at));
  }
  const auto errors = std::count_if(lines.begin(), lines.end(), [](const auto& l) { return l.rfind("error: ", 0) == 0; });
  if (errors != 1) p += std::to_string(errors) + " 'error:' lines; ";
  if (!lines.empty() && (error_line_last ? lines.back() : lines.front()).rfind("error: ", 0) != 0)
    p += std::string("the ") + (error_line_last ? "last" : "first") + " stderr line is not the error; ";
  for (const char* trace : {"Exception raised from", "frame #", "c10::", "at::", "terminate called", "what():",
                            "Aborted", "Segmentation fault", "std::", "stoi", "stoll", "basic_string"})
    if (r.err.find(trace) != std::string::npos) p += std::string("stderr holds '") + trace + "'; ";
  return p;
}

}  // namespace lathe::test
