// Progress reporting with cancellation, shared by every long engine operation.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace lathe {

/// Receives progress of a long operation. report() returning false asks the
/// operation to stop; it then throws lathe::Cancelled at the next safe point.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  /// stage: short human label ("reading", "writing model-00001-of-00003...");
  /// done/total in the stage's unit (bytes unless said otherwise); total 0 = unknown.
  virtual bool report(const std::string& stage, std::uint64_t done, std::uint64_t total) = 0;
};

/// A sink that ignores progress and never cancels.
class NullProgress final : public ProgressSink {
 public:
  bool report(const std::string&, std::uint64_t, std::uint64_t) override { return true; }
};

/// Throws Cancelled when the sink (if any) asks to stop.
void check_progress(ProgressSink* sink, const std::string& stage, std::uint64_t done,
                    std::uint64_t total);

}  // namespace lathe
