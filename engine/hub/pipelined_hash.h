// SHA-256 on a helper thread: the caller's update() copies bytes into 1 MiB
// chunks (cache-sized; 4 MiB cost ~20% more CPU in bench hub) that a worker
// hashes while the caller goes on receiving, so a download's network thread
// never waits for the hash. Bounded: at most `max_chunks` chunks are in
// flight; update() waits when the worker lags.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lathe::hub {

class FastSha256;

class PipelinedSha256 {
 public:
  explicit PipelinedSha256(std::size_t chunk_bytes = 1u << 20, std::size_t max_chunks = 8);
  ~PipelinedSha256();
  PipelinedSha256(const PipelinedSha256&) = delete;
  PipelinedSha256& operator=(const PipelinedSha256&) = delete;

  void update(const void* data, std::size_t n);
  /// Waits for every byte to be hashed; lower-case hex. Once per reset().
  std::string hex_digest();
  /// Drops everything hashed so far (a download restarted from zero).
  void reset();

 private:
  void hand_off();  ///< queues the current chunk (caller thread)
  void drain();     ///< waits until the worker is idle and the queue empty
  void work();

  const std::size_t chunk_bytes_, max_chunks_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<char>> queue_, free_;
  std::vector<char> current_;
  std::unique_ptr<FastSha256> hash_;
  bool busy_ = false, stop_ = false;
  std::thread worker_;
};

}  // namespace lathe::hub
